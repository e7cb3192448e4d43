import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

const ROOT = path.join(__dirname, '..', '..');

/** The code block that follows a `<!-- readme-check: NAME ... -->` marker in README.md. */
function readmeBlock(name: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  const match = new RegExp(`<!-- readme-check: ${name}[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no readme-check block named ${name}`);
  return match[1];
}

interface Synthesized {
  readonly status: number | null;
  readonly stderr: string;
  readonly template: () => any;
  readonly report: () => string;
}

/** Runs a README program as written (the package name pointed at lib/), with trivial handlers beside it. */
function synthesize(name: string, handlers: string[], stackName: string, edit: (source: string) => string = (s) => s): Synthesized {
  // Inside the project (git-ignored .tmp/) so the handlers resolve esbuild from its node_modules.
  fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, '.tmp', `readme-${name}-`));
  const lib = path.relative(dir, path.join(ROOT, 'lib')).split(path.sep).join('/');
  fs.writeFileSync(path.join(dir, 'app.ts'), edit(readmeBlock(name)).replace(/from 'cdk-resilient-serverless'/g, `from '${lib}'`));
  for (const handler of handlers) {
    fs.writeFileSync(path.join(dir, handler), 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n');
  }
  const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), path.join(dir, 'app.ts')], {
    cwd: ROOT, encoding: 'utf-8', env: { ...process.env, CDK_OUTDIR: path.join(dir, 'cdk.out'), CDK_VALIDATION: 'false' },
  });
  const out = path.join(dir, 'cdk.out');
  const read = (file: string) => fs.readFileSync(path.join(out, file), 'utf-8');
  const result = { status: run.status, stderr: run.stderr, template: () => JSON.parse(read(`${stackName}.template.json`)), report: () => read('validation-report.json') };
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return result;
}

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

function resourcesOfType(template: any, type: string): Array<[string, any]> {
  return Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
}

test('the README quick start synthesizes as written', () => {
  const run = synthesize('quickstart', ['checkout.ts', 'reports.ts'], 'Orders');
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);
  const types = Object.values<any>(run.template().Resources).map((r) => r.Type);
  expect(types).toEqual(expect.arrayContaining(['AWS::DynamoDB::Table', 'AWS::ApiGatewayV2::Route', 'AWS::Events::Rule', 'AWS::ApplicationAutoScaling::ScalableTarget']));
});

test('the README interop example wires REST, SQS, EventBridge and Step Functions to the live alias only', () => {
  const run = synthesize('interop', ['orders.ts'], 'Shop');
  expect(run.status).toBe(0);
  const template = run.template();
  const [[aliasId]] = resourcesOfType(template, 'AWS::Lambda::Alias');
  const [[functionId]] = resourcesOfType(template, 'AWS::Lambda::Function');
  for (const type of ['AWS::ApiGateway::Method', 'AWS::Lambda::EventSourceMapping', 'AWS::Events::Rule', 'AWS::StepFunctions::StateMachine', 'AWS::Lambda::Permission']) {
    const text = JSON.stringify(resourcesOfType(template, type));
    expect({ type, alias: text.includes(JSON.stringify({ Ref: aliasId })) }).toEqual({ type, alias: true });
    expect({ type, latest: text.includes(JSON.stringify({ 'Fn::GetAtt': [functionId, 'Arn'] })) }).toEqual({ type, latest: false });
  }
});

test('the README migration example keeps the logical ID NodejsFunction gave the function', () => {
  const run = synthesize('migration', ['checkout.ts'], 'Shop');
  expect(run.status).toBe(0);
  const functions = resourcesOfType(run.template(), 'AWS::Lambda::Function');
  expect(functions.map(([id]) => id)).toEqual(['CheckoutB7CD3E82']);
  expect(functions[0][1].Properties.FunctionName).toBe('shop-checkout');
});

test('the README migration table: NodejsFunction named the function CheckoutB7CD3E82', () => {
  const stack = new Stack(new App(), 'Shop');
  const fn = new lambda.Function(stack, 'Checkout', { code: lambda.Code.fromInline('x'), handler: 'index.handler', runtime: lambda.Runtime.NODEJS_24_X });
  // NodejsFunction and Function take the same logical ID: it depends on the construct path only.
  expect(stack.resolve((fn.node.defaultChild as lambda.CfnFunction).logicalId)).toBe('CheckoutB7CD3E82');
});

test('the README cdk-nag lines run both packs at synth: the library passes, an unacknowledged finding fails the synth', () => {
  const run = synthesize('nag', ['checkout.ts'], 'Shop');
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);

  // Control: the same lines catch an unacknowledged finding (a bucket without access logs, SSL, ...).
  const failing = synthesize('nag', ['checkout.ts'], 'Shop', (source) => source
    .replace("import { App, Stack, Validations } from 'aws-cdk-lib';", "import { App, Stack, Validations } from 'aws-cdk-lib';\nimport * as s3 from 'aws-cdk-lib/aws-s3';")
    .replace('Validations.of(app)', "new s3.Bucket(stack, 'Uploads');\nValidations.of(app)"));
  expect(failing.status).not.toBe(0);
  expect(failing.report()).toContain('AwsSolutions-S1');
});
