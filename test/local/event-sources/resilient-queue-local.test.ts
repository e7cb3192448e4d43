import { Duration } from 'aws-cdk-lib';
import { ResilientQueue } from '../../../lib';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from '../support/probe-app';
import { Harness, startHarness } from '../support/runner-harness';

/*
 * A ResilientQueue run locally: its consumer's partial batch responses are on by default, its visibility timeout
 * is six times the consumer's timeout, and a message its consumer fails maxReceiveCount times lands in its
 * dead-letter queue (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 */

const WORKER = 'exports.handler = async (event) => ({ batchItemFailures: event.Records.filter((r) => r.body === "poison").map((r) => ({ itemIdentifier: r.messageId })) });';

let assembly: ProbeAssembly;
let h: Harness;

beforeAll(async () => {
  assembly = synthesizeProbe((stack) => {
    const jobs = new ResilientQueue(stack, 'Jobs', { maxReceiveCount: 3 });
    jobs.addConsumer(inlineNodeFunction(stack, 'Worker', WORKER, { timeout: Duration.seconds(10) }));
  });
  h = await startHarness(assembly.directory, new Date('2026-12-01T10:00:00Z'));
}, 60_000);

afterAll(async () => {
  await h?.runner.close();
  assembly?.remove();
});

test('the poison message is retried every 60 s (six 10-second timeouts) and lands in the dead-letter queue after 3 receives', async () => {
  const queue = h.runner.model.queues.find((q) => q.displayName === 'Jobs/Queue')!;
  expect(queue.visibilityTimeoutSeconds).toBe(60);
  h.runner.queues.send(queue.arn, 'fine');
  h.runner.queues.send(queue.arn, 'poison');
  await h.runner.settled();
  await h.advance(180_000, 10_000);
  const batches = h.invocationsOf('Worker').map((r) => (r.result.error ? 'error' : 'ok'));
  expect(batches).toEqual(['ok', 'ok', 'ok']);
  expect(h.runner.queues.list('Jobs/Queue')).toEqual([]);
  expect(h.runner.queues.list('Jobs/DeadLetterQueue').map((m) => [m.body, m.receiveCount])).toEqual([['poison', 3]]);
});
