import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** The code block that follows a `<!-- readme-check: NAME ... -->` marker in README.md. */
function readmeBlock(name: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const match = new RegExp(`<!-- readme-check: ${name}[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no readme-check block named ${name}`);
  return match[1];
}

test('the README quick start synthesizes as written', () => {
  // Inside the project (git-ignored .tmp/) so the handlers resolve esbuild from its node_modules.
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'readme-'));
  try {
    const lib = path.relative(dir, path.join(ROOT, 'lib')).split(path.sep).join('/');
    fs.writeFileSync(path.join(dir, 'app.ts'), readmeBlock('quickstart').replace(/from 'cdk-resilient-serverless'/g, `from '${lib}'`));
    for (const handler of ['checkout.ts', 'reports.ts']) {
      fs.writeFileSync(path.join(dir, handler), 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n');
    }
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(dir, 'app.ts')], {
      cwd: ROOT, encoding: 'utf-8', env: { ...process.env, CDK_OUTDIR: path.join(dir, 'cdk.out'), CDK_VALIDATION: 'false' },
    });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    const template = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.out', 'Orders.template.json'), 'utf-8'));
    const types = Object.values<any>(template.Resources).map((r) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::DynamoDB::Table', 'AWS::ApiGatewayV2::Route', 'AWS::Events::Rule', 'AWS::ApplicationAutoScaling::ScalableTarget']));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
