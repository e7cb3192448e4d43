// `npm run package [-- python java go]`: builds the jsii language packages into dist-pacmak/<target> (all
// three when none is named), then stamps each (dist-pacmak/<target>.source-hash, beside its folder: pacmak checks
// every file in it) with the hash of the sources it was built from, so the
// language-app tests (test/jsii) can refuse a package older than lib/ instead of testing old code.
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const TARGETS = ['python', 'java', 'go'];
const stampOf = (target) => join(ROOT, 'dist-pacmak', `${target}.source-hash`);

/**
 * Hash of what a package is built from: lib/ sources (not jsii's compiled .js/.d.ts beside them) and
 * package.json without its test and script settings.
 */
function sourceHash() {
  const { jest, scripts, ...manifest } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf-8'));
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (!file.endsWith('.d.ts') && !(file.endsWith('.js') && existsSync(file.replace(/\.js$/, '.ts')))) files.push(file);
    }
  };
  walk(join(ROOT, 'lib'));
  const hash = createHash('sha256').update(JSON.stringify(manifest));
  for (const file of files.sort()) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Why dist-pacmak/<target> cannot be tested as this checkout's package, or undefined when it can. */
function stalePackage(target) {
  const stamp = stampOf(target);
  if (!existsSync(stamp)) return `dist-pacmak/${target} was not built by \`npm run package\`; run \`npm run package -- ${target}\``;
  if (readFileSync(stamp, 'utf-8').trim() !== sourceHash()) {
    return `dist-pacmak/${target} was built from other sources than lib/ now holds; run \`npm run package -- ${target}\``;
  }
  return undefined;
}

/**
 * pacmak writes into the Go module's go.mod the aws-cdk-go version of the aws-cdk-lib it built against (our
 * devDependency, the newest), which Go's minimal version selection would make every Go app's minimum. PyPI
 * and Maven get the peer range; Go gets the peer floor the same way: the awscdk requirement set to it, and
 * the indirect requirements (that version's own dependencies) left for Go to take from aws-cdk-go itself.
 */
function requireGoFloor() {
  const floor = require(join(ROOT, 'package.json')).peerDependencies['aws-cdk-lib'].replace(/^\^/, '');
  const goMod = join(ROOT, 'dist-pacmak', 'go', 'cdkresilientserverless', 'go.mod');
  const text = readFileSync(goMod, 'utf-8');
  const pinned = text
    .replace(/(github\.com\/aws\/aws-cdk-go\/awscdk\/v2) v\S+/, `$1 v${floor}`)
    .replace(/^\s+\S+ v\S+ \/\/ indirect\n/gm, '');
  if (!pinned.includes(`awscdk/v2 v${floor}`)) throw new Error(`package: no aws-cdk-go requirement in ${relative(ROOT, goMod)}`);
  writeFileSync(goMod, pinned);
}

module.exports = { stalePackage };

if (require.main === module) {
  const targets = process.argv.slice(2);
  const unknown = targets.filter((t) => !TARGETS.includes(t));
  if (unknown.length) {
    console.error(`package: unknown target ${unknown.join(', ')}; the targets are ${TARGETS.join(', ')}`);
    process.exit(2);
  }
  const chosen = targets.length ? targets : TARGETS;
  const hash = sourceHash();
  // A failed build must not leave an older package looking current.
  for (const target of chosen) rmSync(stampOf(target), { force: true });
  const args = ['--no-npmignore', ...chosen.flatMap((t) => ['--targets', t])];
  // pacmak's Maven build otherwise downloads aws-cdk-lib's jars into a fresh repository on every run; Maven's
  // own cache keeps them, and the Java app (test/jsii/java-app) then finds them there.
  // (`MAVEN_OPTS=-Dmaven.repo.local=DIR` moves it, for pacmak as for mvn.)
  const mavenRepository = /-Dmaven\.repo\.local=(\S+)/.exec(process.env.MAVEN_OPTS ?? '')?.[1] ?? join(homedir(), '.m2', 'repository');
  if (chosen.includes('java')) args.push('--maven-local-repository', mavenRepository);
  const pacmak = spawnSync(join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'), args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
  });
  if (pacmak.error) console.error(`package: could not run jsii-pacmak (${pacmak.error.message}); run \`npm ci\` first`);
  if (pacmak.status !== 0) process.exit(pacmak.status ?? 1);
  if (chosen.includes('go')) requireGoFloor();
  for (const target of chosen) writeFileSync(stampOf(target), `${hash}\n`);
}
