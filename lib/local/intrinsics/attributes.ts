import { fakeId, generatedName } from './fake-ids';

/** What a resource's Ref and Fn::GetAtt need to know. */
export interface ResourceIdentity {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly region: string;
  readonly account: string;
  /** Reads a property of the resource, resolved (for names the template sets explicitly). */
  readonly property: (name: string) => unknown;
}

export interface ResourceAttributes {
  readonly ref: string;
  readonly attributes: Record<string, string>;
}

/**
 * The values `Ref` and `Fn::GetAtt` return for a resource once "deployed" locally: names and ids are the ones
 * the template sets, or stable fake ones; ARNs are built from them with the fake account and region.
 */
export function resourceAttributes(r: ResourceIdentity): ResourceAttributes {
  const { region, account } = r;
  const named = (prop: string, max = 64): string => {
    const value = r.property(prop);
    return typeof value === 'string' ? value : generatedName(r.stackName, r.logicalId, max);
  };
  const id = fakeId(`${r.stackName}/${r.logicalId}`);
  switch (r.type) {
    case 'AWS::Lambda::Function': {
      const name = named('FunctionName');
      return { ref: name, attributes: { Arn: `arn:aws:lambda:${region}:${account}:function:${name}` } };
    }
    case 'AWS::Lambda::Version': {
      const fn = functionArn(r.property('FunctionName'), region, account);
      return { ref: `${fn}:1`, attributes: { Version: '1', FunctionArn: fn } };
    }
    case 'AWS::Lambda::LayerVersion': {
      // The first version of the layer: an app's own layers are published once per deployment here.
      const arn = `arn:aws:lambda:${region}:${account}:layer:${named('LayerName', 140)}:1`;
      return { ref: arn, attributes: { LayerVersionArn: arn } };
    }
    case 'AWS::Lambda::Alias': {
      const arn = `${functionArn(r.property('FunctionName'), region, account)}:${String(r.property('Name'))}`;
      return { ref: arn, attributes: { AliasArn: arn } };
    }
    case 'AWS::DynamoDB::Table': {
      const name = named('TableName', 255);
      const arn = `arn:aws:dynamodb:${region}:${account}:table/${name}`;
      return { ref: name, attributes: { Arn: arn, StreamArn: `${arn}/stream/1970-01-01T00:00:00.000` } };
    }
    case 'AWS::SQS::Queue': {
      const name = named('QueueName', 80);
      return { ref: `https://sqs.${region}.amazonaws.com/${account}/${name}`, attributes: { Arn: `arn:aws:sqs:${region}:${account}:${name}`, QueueName: name, QueueUrl: `https://sqs.${region}.amazonaws.com/${account}/${name}` } };
    }
    case 'AWS::SNS::Topic': {
      const name = named('TopicName', 256);
      const arn = `arn:aws:sns:${region}:${account}:${name}`;
      return { ref: arn, attributes: { TopicArn: arn, TopicName: name } };
    }
    case 'AWS::Events::EventBus': {
      const name = named('Name', 256);
      return { ref: name, attributes: { Arn: `arn:aws:events:${region}:${account}:event-bus/${name}`, Name: name } };
    }
    case 'AWS::Events::Rule': {
      const name = named('Name');
      return { ref: name, attributes: { Arn: `arn:aws:events:${region}:${account}:rule/${name}` } };
    }
    case 'AWS::Scheduler::Schedule': {
      const name = named('Name');
      const group = typeof r.property('GroupName') === 'string' ? String(r.property('GroupName')) : 'default';
      return { ref: name, attributes: { Arn: `arn:aws:scheduler:${region}:${account}:schedule/${group}/${name}` } };
    }
    case 'AWS::Scheduler::ScheduleGroup': {
      const name = named('Name');
      return { ref: name, attributes: { Arn: `arn:aws:scheduler:${region}:${account}:schedule-group/${name}` } };
    }
    case 'AWS::IAM::Role': {
      const name = named('RoleName');
      return { ref: name, attributes: { Arn: `arn:aws:iam::${account}:role/${name}`, RoleId: `AROA${id.toUpperCase()}` } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = named('LogGroupName', 512);
      return { ref: name, attributes: { Arn: `arn:aws:logs:${region}:${account}:log-group:${name}:*` } };
    }
    case 'AWS::KMS::Key':
      return { ref: keyId(id), attributes: { Arn: `arn:aws:kms:${region}:${account}:key/${keyId(id)}`, KeyId: keyId(id) } };
    case 'AWS::ApiGateway::RestApi':
      return { ref: id, attributes: { RestApiId: id, RootResourceId: fakeId(`${id}/root`) } };
    case 'AWS::ApiGatewayV2::Api':
      return { ref: id, attributes: { ApiId: id, ApiEndpoint: `https://${id}.execute-api.${region}.amazonaws.com` } };
    case 'AWS::Lambda::Url':
      return { ref: id, attributes: { FunctionUrl: `https://${fakeId(id, 32)}.lambda-url.${region}.on.aws/`, FunctionArn: String(r.property('TargetFunctionArn')) } };
    case 'AWS::Cognito::UserPool': {
      // Pool ids look like `us-east-1_AbC123xyz`; JWT authorizers build the issuer URL from it (lib/local/auth).
      const poolId = `${region}_${fakeId(`${r.stackName}/${r.logicalId}`, 9)}`;
      const provider = `cognito-idp.${region}.amazonaws.com/${poolId}`;
      return { ref: poolId, attributes: { Arn: `arn:aws:cognito-idp:${region}:${account}:userpool/${poolId}`, ProviderName: provider, ProviderURL: `https://${provider}`, UserPoolId: poolId } };
    }
    case 'AWS::ApiGateway::Stage':
    case 'AWS::ApiGatewayV2::Stage':
      return { ref: named('StageName'), attributes: {} };
    default:
      return genericAttributes(r, id);
  }
}

function genericAttributes(r: ResourceIdentity, id: string): ResourceAttributes {
  const service = r.type.split('::')[1]?.toLowerCase() ?? 'unknown';
  const arn = `arn:aws:${service}:${r.region}:${r.account}:${r.logicalId.toLowerCase()}/${id}`;
  return {
    ref: id,
    attributes: new Proxy<Record<string, string>>({ Arn: arn }, {
      // Any other attribute reads as a stable placeholder naming what it stands for.
      get: (target, key) => (typeof key === 'string' ? (target[key] ?? `${r.logicalId}.${key}`) : undefined),
    }),
  };
}

function keyId(id: string): string {
  const hex = Buffer.from(id.padEnd(16, '0')).toString('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A function name, partial ARN or ARN as the unqualified function ARN. */
export function functionArn(nameOrArn: unknown, region: string, account: string): string {
  const text = String(nameOrArn);
  if (text.startsWith('arn:')) return text.split(':').slice(0, 7).join(':');
  return `arn:aws:lambda:${region}:${account}:function:${text}`;
}
