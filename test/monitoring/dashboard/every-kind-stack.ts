import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { CircuitBreakerTable, ProvisionedConcurrency, ResilientEventBus, ResilientFunction, ResilientHttpApi, ResilientQueue, ResilientRestApi, ResilientSchedule, RouteAuth } from '../../../lib';
import { echoFunction } from '../../support/stacks';

/** Every resilient construct kind, some parts added after the construct was created (as apps do). */
export interface EveryKind {
  readonly stack: Stack;
  readonly provisioned: ResilientFunction;
  readonly plain: ResilientFunction;
  readonly rest: ResilientRestApi;
  readonly http: ResilientHttpApi;
  readonly customBus: ResilientEventBus;
  readonly defaultBus: ResilientEventBus;
  readonly schedule: ResilientSchedule;
  readonly groupedSchedule: ResilientSchedule;
  readonly table: CircuitBreakerTable;
  readonly queue: ResilientQueue;
}

export function everyKind(stack: Stack): EveryKind {
  const provisioned = echoFunction(stack, {
    provisionedConcurrency: ProvisionedConcurrency.fixed(2),
    warming: { schedules: [{ name: 'Day', schedule: events.Schedule.rate(Duration.minutes(5)), concurrency: 4 }] },
  }, 'Provisioned');
  const plain = echoFunction(stack, { timeout: Duration.seconds(20) }, 'Plain');
  const table = new CircuitBreakerTable(stack, 'Breakers');
  table.grantBreaker(provisioned, { circuits: ['pricing', 'stock'] });
  table.grantBreaker(plain); // any circuit: function-wide figures

  const rest = new ResilientRestApi(stack, 'Rest');
  const http = new ResilientHttpApi(stack, 'Http');
  const customBus = new ResilientEventBus(stack, 'Orders');
  const defaultBus = new ResilientEventBus(stack, 'Default', { eventBus: events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default') });
  const schedule = new ResilientSchedule(stack, 'Nightly', { schedule: scheduler.ScheduleExpression.rate(Duration.hours(24)), target: plain });
  const group = new scheduler.ScheduleGroup(stack, 'Reports');
  const groupedSchedule = new ResilientSchedule(stack, 'Weekly', { schedule: scheduler.ScheduleExpression.rate(Duration.days(7)), target: plain, scheduleGroup: group });

  // Added after the constructs were created: routes and rules.
  rest.addRoute('GET', '/items', plain, { auth: RouteAuth.none() });
  http.addRoute('GET', '/items', plain, { auth: RouteAuth.none() });
  customBus.addRule('Placed', { eventPattern: { source: ['shop.orders'] }, target: plain });
  customBus.addRule('Cancelled', { eventPattern: { source: ['shop.cancellations'] }, target: provisioned });
  defaultBus.addRule('Ec2', { eventPattern: { source: ['aws.ec2'] }, target: plain });
  const queue = new ResilientQueue(stack, 'Jobs');
  queue.addConsumer(plain);
  return { stack, provisioned, plain, rest, http, customBus, defaultBus, schedule, groupedSchedule, table, queue };
}
