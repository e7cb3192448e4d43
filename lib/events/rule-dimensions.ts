import { Fn, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';

/**
 * The dimensions EventBridge publishes a rule's metrics under: RuleName alone on the default bus, EventBusName
 * and RuleName on a custom bus. There a rule's `Ref` (CDK's `rule.ruleName`) is `<bus name>|<rule name>`, not
 * the name the metrics carry (aws-cloudformation/cloudformation-coverage-roadmap#1131), so the name is the
 * part after the `|`.
 */
export function ruleDimensions(bus: events.IEventBus, rule: events.IRule): cloudwatch.DimensionsMap {
  const busName = bus.eventBusName;
  const isDefault = !Token.isUnresolved(busName) && busName === 'default';
  return isDefault ? { RuleName: rule.ruleName } : { EventBusName: busName, RuleName: Fn.select(1, Fn.split('|', rule.ruleName)) };
}
