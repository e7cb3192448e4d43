import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CircuitBreakerTable } from '../../lib';
import { identityStatements } from '../support/iam';
import { nagFindings } from '../support/nag';
import { echoFunction, newStack } from '../support/stacks';

describe('CircuitBreakerTable with a function bound to two circuits', () => {
  const stack = newStack();
  const table = new CircuitBreakerTable(stack, 'Breakers');
  const fn = echoFunction(stack, { circuitBreaker: { table, circuits: ['payments', 'inventory'] } });
  const template = Template.fromStack(stack);

  test('table: pk partition key, on-demand, point-in-time recovery, encrypted, TTL, destroyed with the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: {
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
  });

  test('grant: only GetItem and UpdateItem, only on this table, only the named circuits', () => {
    const statements = identityStatements(template);
    expect(statements).toContainEqual({
      Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^BreakersTable/), 'Arn'] },
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['payments', 'inventory'] } },
    });
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });

  test('environment: the table name and the circuit names for the runtime', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { RESILIENT_BREAKER_TABLE: { Ref: Match.stringLikeRegexp('BreakersTable') }, RESILIENT_BREAKER_CIRCUITS: 'payments,inventory' } },
    });
  });

  test('alarm per circuit on the runtime metric, joined to the service-health alarm like the function alarms', () => {
    for (const circuit of ['payments', 'inventory']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'ResilientServerless',
        MetricName: 'CircuitOpened',
        Dimensions: Match.arrayWith([{ Name: 'Circuit', Value: circuit }, { Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('FnFunction') } }]),
        Threshold: 0,
        EvaluationPeriods: 1,
        AlarmActions: Match.absent(),
      });
    }
    expect(fn.alarms.filter((a) => a.node.id.startsWith('CircuitOpened'))).toHaveLength(2);
    const [composite] = Object.values<any>(template.findResources('AWS::CloudWatch::CompositeAlarm'));
    expect(JSON.stringify(composite.Properties.AlarmRule).match(/CircuitOpened/g)).toHaveLength(2);
  });

  test('cdk-nag: zero unacknowledged findings', () => {
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('CircuitBreakerTable options', () => {
  test('customer-managed key: table encrypted with it and the function may use it', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const table = new CircuitBreakerTable(stack, 'Breakers', { encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
    echoFunction(stack, { circuitBreaker: { table } });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] } } },
    });
    expect(identityStatements(template)).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']) }));
  });

  test('any circuit: no LeadingKeys condition, one alarm on the function dimension', () => {
    const stack = newStack();
    const table = new CircuitBreakerTable(stack, 'Breakers');
    echoFunction(stack, { circuitBreaker: { table } });
    const template = Template.fromStack(stack);
    expect(identityStatements(template)).toContainEqual({ Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Effect: 'Allow', Resource: expect.anything() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CircuitOpened', Dimensions: [{ Name: 'FunctionName', Value: Match.anyValue() }] });
  });

  test('adopting an existing table creates none and grants on it', () => {
    const stack = newStack();
    const table = CircuitBreakerTable.fromTable(stack, 'Breakers', dynamodb.Table.fromTableName(stack, 'Existing', 'shared-breakers'));
    const fn = echoFunction(stack, { alarms: { enabled: false } });
    table.grantBreaker(fn, { circuits: ['payments'], alarm: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ RESILIENT_BREAKER_TABLE: 'shared-breakers' }) } });
  });

  test.each([
    ['no circuits', [], "grantBreaker(Test/Fn).circuits must be at least one circuit name, or left unset for any circuit, got \"[]\""],
    ['a name with a slash', ['pay/ments'], 'grantBreaker(Test/Fn).circuits[0] must be 1-128 letters, digits and . _ -'],
    ['duplicate names', ['a', 'a'], 'grantBreaker(Test/Fn).circuits must be free of duplicates, got ["a", "a"]'],
  ])('bad circuits (%s) fail at synth time naming the table path', (_name, circuits, message) => {
    const stack = newStack();
    const table = new CircuitBreakerTable(stack, 'Breakers');
    const fn = echoFunction(stack);
    expect(() => table.grantBreaker(fn, { circuits })).toThrow("CircuitBreakerTable at 'Test/Breakers'");
    expect(() => table.grantBreaker(fn, { circuits })).toThrow(message);
  });
});
