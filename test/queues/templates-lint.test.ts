import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { QueueAlarm, ResilientFunction, ResilientQueue } from '../../lib';
import { testTemplatesAreClean } from '../support/template-checks';

// Real templates with every option on, checked by the built-in validator and cfn-lint.
process.env.CDK_VALIDATION = 'true';

describe('every queue option synthesizes to templates CloudFormation accepts', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'queues-lint-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Queues');
  const fn = new ResilientFunction(stack, 'Fn', { entry: path.join(__dirname, '..', 'fixtures', 'handlers', 'echo.ts'), timeout: Duration.seconds(15) });

  const jobs = new ResilientQueue(stack, 'Jobs');
  jobs.addConsumer(fn, { batchSize: 100, maxBatchingWindow: Duration.seconds(5), maxConcurrency: 10 });
  const orders = new ResilientQueue(stack, 'Orders', {
    fifo: true, queueName: 'orders.fifo', encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }), maxReceiveCount: 10,
    visibilityTimeout: Duration.minutes(10), retentionPeriod: Duration.days(14), alarms: { maxMessageAge: Duration.hours(1), disable: [QueueAlarm.OLDEST_MESSAGE_AGE] },
  });
  orders.addConsumer(fn, { batchSize: 10, reportBatchItemFailures: false, enabled: false });

  const assembly = app.synth();
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  testTemplatesAreClean(outdir, assembly.stacks.map((s) => path.join(outdir, s.templateFile)));
});
