import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledgeNagRule } from '../private/nag';

/**
 * The account-level role API Gateway needs to write REST execution and access logs, one per stack
 * however many REST APIs the stack holds (the setting is per account and region; the last writer wins,
 * and every stack that sets it sets an equivalent role).
 */
export class RestApiCloudWatchRole extends Construct {
  /** The stack's role and account setting, created on first call. */
  public static of(scope: Construct): RestApiCloudWatchRole {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(RestApiCloudWatchRole.ID);
    return existing instanceof RestApiCloudWatchRole ? existing : new RestApiCloudWatchRole(stack, RestApiCloudWatchRole.ID);
  }

  private static readonly ID = 'ResilientApiGatewayCloudWatchRole';

  public readonly account: apigw.CfnAccount;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets API Gateway write REST API execution and access logs (account-level setting)',
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    acknowledgeNagRule(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for the account-wide API Gateway logging role; API Gateway creates and names the execution log groups itself (API-Gateway-Execution-Logs_<api>/<stage>), so no narrower resource can be named in advance.');
    this.account = new apigw.CfnAccount(this, 'Account', { cloudWatchRoleArn: role.roleArn });
    // The setting outlives the stack (other stacks' APIs log through it): deleting the role with the
    // stack would silently break their logging, so both are retained, as aws-cdk-lib's RestApi does.
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}
