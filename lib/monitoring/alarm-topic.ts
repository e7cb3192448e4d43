import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The SNS topic every library alarm in a stack notifies unless the user names another.
 *
 * One per stack (created on first use), encrypted with a customer-managed key because
 * CloudWatch cannot publish to a topic under the AWS-managed `alias/aws/sns` key.
 */
export class AlarmTopic extends Construct {
  /** The stack's shared alarm topic, created on first call. */
  public static of(scope: Construct): AlarmTopic {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(AlarmTopic.ID);
    return existing instanceof AlarmTopic ? existing : new AlarmTopic(stack, AlarmTopic.ID);
  }

  private static readonly ID = 'ResilientAlarmTopic';

  /** The topic alarms publish to; subscribe on-call channels to it. */
  public readonly topic: sns.Topic;

  /** The key the topic is encrypted with. */
  public readonly key: kms.Key;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the cdk-resilient-serverless alarm topic',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    this.topic = new sns.Topic(this, 'Topic', {
      masterKey: this.key,
      enforceSSL: true,
    });
  }
}
