import type { AssemblyStack } from '../../../lib/local/assembly/cloud-assembly';
import { TemplateResolver } from '../../../lib/local/intrinsics/template-resolver';

const target = { account: '111122223333', region: 'eu-west-1' };

function resolver(template: Record<string, unknown>, imports: Record<string, unknown> = {}): TemplateResolver {
  const stack: AssemblyStack = { id: 'App', stackName: 'App', templatePath: '/tmp/App.template.json', template: template as AssemblyStack['template'], assetsByObjectKey: new Map() };
  return new TemplateResolver(stack, target, (name) => imports[name]);
}

const template = {
  Parameters: { Stage: { Type: 'String', Default: 'dev' }, BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/version' } },
  Conditions: { IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] }, IsProd: { 'Fn::Not': [{ Condition: 'IsDev' }] } },
  Mappings: { Sizes: { dev: { memory: 256 } } },
  Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'my-fn' } },
    Version: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
    Alias: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Fn' }, FunctionVersion: { 'Fn::GetAtt': ['Version', 'Version'] }, Name: 'live' } },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'dlq' } },
    ProdOnly: { Type: 'AWS::SQS::Queue', Condition: 'IsProd', Properties: {} },
    Thing: { Type: 'AWS::Custom::Thing', Properties: {} },
  },
};

describe('TemplateResolver', () => {
  const r = resolver(template);
  test('Ref and GetAtt with the fake account and region: names, ARNs, alias and version ARNs', () => {
    expect(r.resolve({ Ref: 'Fn' }, 'x')).toBe('my-fn');
    expect(r.resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] }, 'x')).toBe('arn:aws:lambda:eu-west-1:111122223333:function:my-fn');
    expect(r.resolve({ Ref: 'Alias' }, 'x')).toBe('arn:aws:lambda:eu-west-1:111122223333:function:my-fn:live');
    expect(r.resolve({ Ref: 'Version' }, 'x')).toBe('arn:aws:lambda:eu-west-1:111122223333:function:my-fn:1');
    expect(r.resolve({ 'Fn::GetAtt': 'Queue.Arn' }, 'x')).toBe('arn:aws:sqs:eu-west-1:111122223333:dlq');
    const table = r.resolve({ Ref: 'Table' }, 'x') as string;
    expect(table).toMatch(/^App-Table-[A-Z0-9]{8}$/);
    expect(r.resolve({ Ref: 'Table' }, 'x')).toBe(table);
    expect(r.resolve({ 'Fn::GetAtt': ['Table', 'Arn'] }, 'x')).toBe(`arn:aws:dynamodb:eu-west-1:111122223333:table/${table}`);
    expect(r.resolve({ 'Fn::GetAtt': ['Thing', 'Whatever'] }, 'x')).toBe('Thing.Whatever');
  });

  test('pseudo parameters, parameters with defaults, Join, Sub, Select, Split, If, FindInMap, Base64, NoValue', () => {
    expect(r.resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'AWS::AccountId' }]] }, 'x')).toBe('arn:aws:s3:::111122223333');
    expect(r.resolve({ 'Fn::Sub': 'cdk-${AWS::AccountId}-${AWS::Region}-${Stage}-${Fn.Arn}-${!Literal}' }, 'x'))
      .toBe('cdk-111122223333-eu-west-1-dev-arn:aws:lambda:eu-west-1:111122223333:function:my-fn-${Literal}');
    expect(r.resolve({ 'Fn::Sub': ['${A}-${B}', { A: 'a', B: { Ref: 'Stage' } }] }, 'x')).toBe('a-dev');
    expect(r.resolve({ 'Fn::Select': [7, { 'Fn::Split': [':', { Ref: 'Alias' }] }] }, 'x')).toBe('live');
    expect(r.resolve({ 'Fn::If': ['IsProd', 'big', 'small'] }, 'x')).toBe('small');
    expect(r.resolve({ 'Fn::FindInMap': ['Sizes', { Ref: 'Stage' }, 'memory'] }, 'x')).toBe(256);
    expect(r.resolve({ 'Fn::Base64': 'hi' }, 'x')).toBe('aGk=');
    expect(r.resolve({ a: 1, b: { Ref: 'AWS::NoValue' }, c: [1, { Ref: 'AWS::NoValue' }, 2] }, 'x')).toEqual({ a: 1, c: [1, 2] });
  });

  test('resources whose condition is false do not exist', () => {
    expect(r.activeResources().map(([id]) => id)).not.toContain('ProdOnly');
    expect(r.activeResources().map(([id]) => id)).toContain('Queue');
  });

  test('Fn::ImportValue reads the exports of other stacks', () => {
    expect(resolver(template, { SharedBus: 'bus-1' }).resolve({ 'Fn::ImportValue': 'SharedBus' }, 'x')).toBe('bus-1');
  });

  test.each([
    [{ Ref: 'Nope' }, /Stack App \(\/tmp\/App.template.json\): Resources.X.Ref refers to "Nope", which is neither a resource nor a parameter/],
    [{ 'Fn::GetAtt': ['Fn', 'Nope'] }, /asks for attribute Nope of Fn \(AWS::Lambda::Function\)/],
    [{ 'Fn::Select': [3, ['a']] }, /selects index 3 of \["a"\], which is out of range/],
    [{ 'Fn::ImportValue': 'Missing' }, /imports "Missing", which no stack of the assembly exports/],
    [{ 'Fn::Cidr': ['10.0.0.0/16', 2, 8] }, /uses the intrinsic function Fn::Cidr, which the local runner does not support/],
    [{ 'Fn::If': ['Unknown', 1, 2] }, /uses condition "Unknown", which Conditions does not define/],
  ])('%j fails with a message naming the stack and the place', (value, message) => {
    expect(() => r.resolve(value, 'Resources.X')).toThrow(message);
  });
});
