'use strict';
/*
 * The app's synthesizer kept alive between edits (`local --watch`): a child process, started in the app's
 * project directory, that loads the app's entry file once per synth and keeps everything under node_modules
 * loaded (aws-cdk-lib, constructs, esbuild's service, this library): that loading is most of a cold `cdk synth`.
 * Before each synth the project's own modules (outside node_modules) leave the require cache, so an edit anywhere
 * in the app or its handlers is read again.
 *
 * argv: <entry file> <loader: tsx | ts-node | none>
 * messages in: { id, outdir, context, changed? } (context: what the CDK CLI would pass in CDK_CONTEXT_JSON;
 *   changed: absolute paths of the files edited since the last synth, absent to reload every project module)
 * messages out: { id, ok: true } | { id, ok: false, error }
 */
const Module = require('node:module');
const { existsSync } = require('node:fs');
const { join, resolve, sep } = require('node:path');

const [entry, loader] = process.argv.slice(2);
const projectRoot = process.cwd();
const fromProject = Module.createRequire(join(projectRoot, 'package.json'));

if (loader === 'tsx') fromProject('tsx/cjs/api').register();
else if (loader === 'ts-node') fromProject('ts-node').register({ transpileOnly: true });

const entryFile = resolve(projectRoot, entry);

/**
 * Forgets the modules an edit can change: the changed files and every module that requires them, directly or
 * not, and the entry file (it creates the App: it runs at every synth). The others stay loaded: the app's
 * unchanged construct classes, and every dependency. A handler that is bundled, not required, is in no module's
 * graph: the entry running again bundles it anew. `changed` undefined: every module of the project.
 */
function forgetChangedModules(changed) {
  const modules = `${sep}node_modules${sep}`;
  const own = Object.keys(require.cache).filter((file) => file.startsWith(projectRoot + sep) && !file.includes(modules));
  if (!changed) {
    for (const file of own) delete require.cache[file];
    return;
  }
  const importers = new Map();
  for (const file of own) {
    for (const child of require.cache[file].children || []) {
      if (!importers.has(child.id)) importers.set(child.id, []);
      importers.get(child.id).push(file);
    }
  }
  const stale = new Set([entryFile]);
  const queue = changed.filter((file) => require.cache[file]);
  while (queue.length > 0) {
    const file = queue.pop();
    if (stale.has(file) && file !== entryFile) continue;
    stale.add(file);
    for (const importer of importers.get(file) || []) if (!stale.has(importer)) queue.push(importer);
  }
  for (const file of stale) delete require.cache[file];
}

process.on('message', (message) => {
  const { id, outdir, context, changed } = message;
  // An App created with CDK_OUTDIR set registers a synth on 'beforeExit'; those of earlier synths must not run.
  const exitListeners = process.listeners('beforeExit');
  try {
    forgetChangedModules(changed);
    process.env.CDK_OUTDIR = outdir;
    process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
    require(entryFile);
    for (const listener of process.listeners('beforeExit')) if (!exitListeners.includes(listener)) process.off('beforeExit', listener);
    if (!existsSync(join(outdir, 'manifest.json'))) {
      throw new Error(`${entry} did not write a cloud assembly: does it call app.synth()?`);
    }
    process.send({ id, ok: true });
  } catch (err) {
    for (const listener of process.listeners('beforeExit')) if (!exitListeners.includes(listener)) process.off('beforeExit', listener);
    process.send({ id, ok: false, error: err && err.stack ? String(err.stack) : String(err) });
  }
});
process.send({ ready: true });
