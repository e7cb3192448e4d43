import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeNagRule } from '../private/nag';

/** An encrypted, TLS-only queue that keeps undelivered events 14 days for inspection and replay. */
export function createEventDeadLetterQueue(scope: Construct, id: string, owner: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const reason = `This queue is itself the dead-letter queue of ${owner}; its depth is alarmed and its messages are kept 14 days for replay.`;
  acknowledgeNagRule(queue, 'AwsSolutions-SQS3', reason);
  acknowledgeNagRule(queue, 'Serverless-SQSRedrivePolicy', reason);
  return queue;
}
