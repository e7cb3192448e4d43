import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { ResilientEventBus, ResilientFunction, ResilientSchedule } from '../../lib';
import { testTemplatesAreClean } from '../support/template-checks';

// Real templates with every option on, checked by the built-in validator and cfn-lint.
process.env.CDK_VALIDATION = 'true';

describe('every event option synthesizes to templates CloudFormation accepts', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-lint-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Events');
  const fn = new ResilientFunction(stack, 'Fn', { entry: path.join(__dirname, '..', 'fixtures', 'handlers', 'echo.ts') });

  const orders = new ResilientEventBus(stack, 'Orders', { eventBusName: 'orders', archive: { retention: Duration.days(30), eventPattern: { source: ['example.orders'] } } });
  orders.addRule('Placed', { eventPattern: { source: ['example.orders'], detailType: ['OrderPlaced'], detail: { total: [{ numeric: ['>', 0] }] } }, target: fn });
  orders.addRule('Cancelled', { eventPattern: { source: ['example.orders'], detail: { status: ['CANCELLED'] } }, target: fn, retryAttempts: 0, maxEventAge: Duration.minutes(1), input: events.RuleTargetInput.fromEventPath('$.detail') });
  const platform = new ResilientEventBus(stack, 'Platform', { eventBus: events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default'), archive: { retention: Duration.days(1) } });
  platform.addRule('Uploads', { eventPattern: { source: ['aws.s3'], detailType: ['Object Created'] }, target: fn, enabled: false });

  new ResilientSchedule(stack, 'Nightly', { schedule: scheduler.ScheduleExpression.expression('cron(0 2 * * ? *)', TimeZone.EUROPE_PARIS), target: fn, flexibleTimeWindow: Duration.minutes(15) });
  new ResilientSchedule(stack, 'Hourly', {
    schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
    target: fn,
    input: scheduler.ScheduleTargetInput.fromObject({ report: 'hourly' }),
    scheduleGroup: new scheduler.ScheduleGroup(stack, 'Reports'),
    retryAttempts: 0,
    maxEventAge: Duration.minutes(1),
  });

  const assembly = app.synth();
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  testTemplatesAreClean(outdir, assembly.stacks.map((s) => path.join(outdir, s.templateFile)));

});
