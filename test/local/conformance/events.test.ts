/*
 * EventBridge rule targets as AWS documents them, on a probe app of plain aws-cdk-lib constructs
 * (events.Rule, RuleTargetInput, EventField, lambda.Function with inline code).
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { inlineNodeFunction, ProbeAssembly, synthesizeProbe } from '../support/probe-app';
import { Harness, startHarness } from '../support/runner-harness';

const RECEIVER = 'exports.handler = async (event) => event;';
const PUT_AT = new Date('2026-11-26T07:58:00Z');

let probe: ProbeAssembly;
let h: Harness;

beforeAll(async () => {
  probe = synthesizeProbe((stack) => {
    const fromObject = inlineNodeFunction(stack, 'FromObject', RECEIVER);
    const fromText = inlineNodeFunction(stack, 'FromText', RECEIVER);
    new events.Rule(stack, 'Orders', {
      eventPattern: { source: ['probe.orders'] },
      targets: [
        new targets.LambdaFunction(fromObject, {
          event: events.RuleTargetInput.fromObject({
            type: events.EventField.fromPath('$.detail-type'),
            total: events.EventField.fromPath('$.detail.total'),
            paid: events.EventField.fromPath('$.detail.paid'),
            note: events.EventField.fromPath('$.detail.note'),
            items: events.EventField.fromPath('$.detail.items'),
            text: `${events.EventField.detailType} from ${events.EventField.source}`,
            rule: '<aws.events.rule-name>',
            ruleArn: '<aws.events.rule-arn>',
            receivedAt: '<aws.events.event.ingestion-time>',
          }),
        }),
        new targets.LambdaFunction(fromText, { event: events.RuleTargetInput.fromText(`order ${events.EventField.fromPath('$.detail.id')} placed`) }),
      ],
    });
  });
  h = await startHarness(probe.directory, PUT_AT);
});

afterAll(async () => {
  await h?.runner.close();
  probe?.remove();
});

describe('input transformer', () => {
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
  // (a variable outside quotes in a JSON template takes the value as JSON, so strings arrive as strings;
  //  predefined variables aws.events.rule-name, aws.events.rule-arn, aws.events.event.ingestion-time)
  test('RuleTargetInput.fromObject with EventField: strings as JSON strings, numbers, booleans and arrays as JSON; reserved variables filled', async () => {
    const detail = { total: 12.5, paid: true, items: [{ sku: 'a' }], id: 'o-1', note: 'say "hi" \\ bye' };
    const put = h.runner.putEvents([{ Source: 'probe.orders', DetailType: 'Order placed', Detail: JSON.stringify(detail) }]);
    expect(put.FailedEntryCount).toBe(0);
    await h.runner.settled();
    const rule = h.runner.model.rules.find((r) => r.displayName === 'Orders')!;
    const received = h.invocationsOf('FromObject').map((r) => r.result.payload);
    expect(received).toEqual([{
      type: 'Order placed',
      total: 12.5,
      paid: true,
      note: 'say "hi" \\ bye',
      items: [{ sku: 'a' }],
      text: 'Order placed from probe.orders',
      rule: rule.name,
      ruleArn: rule.arn,
      receivedAt: PUT_AT.toISOString(),
    }]);
  });

  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html (a string template)
  test('RuleTargetInput.fromText: the target receives the filled string', async () => {
    h.runner.putEvents([{ Source: 'probe.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ id: 'o-2' }) }]);
    await h.runner.settled();
    expect(h.invocationsOf('FromText').map((r) => r.result.payload)).toContain('order o-2 placed');
  });
});
