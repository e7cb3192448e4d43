import type { AppModel } from '../model/specs';

/**
 * The app with every function's environment pointing at the local SQS endpoint's queue URLs instead of the ones
 * CloudFormation would give (`https://sqs.<region>.amazonaws.com/<account>/<name>`). The SDK's SQS client sends a
 * call to the host of its QueueUrl when that differs from its endpoint, so an AWS queue URL in `QUEUE_URL` would
 * leave the machine even with AWS_ENDPOINT_URL_SQS set.
 */
export function withLocalQueueUrls(model: AppModel, localUrl: (queue: AppModel['queues'][number]) => string): AppModel {
  if (model.queues.length === 0) return model;
  // Longest first: the URL of queue `orders` is a prefix of the URL of `orders-dlq`.
  const queues = [...model.queues].sort((a, b) => b.url.length - a.url.length);
  const replace = (value: string) => queues.reduce((text, q) => text.split(q.url).join(localUrl(q)), value);
  return {
    ...model,
    functions: model.functions.map((f) => ({ ...f, environment: Object.fromEntries(Object.entries(f.environment).map(([k, v]) => [k, replace(v)])) })),
  };
}
