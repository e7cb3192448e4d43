import * as path from 'path';
import { Duration, Stack, StackProps, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { CircuitBreakerTable, ProvisionedConcurrency, ResilientFunction } from '../lib';
import { ResilientEventBus, ResilientHttpApi, ResilientRestApi, ResilientSchedule, RouteAuth } from '../lib';

export interface ExampleStackProps extends StackProps {
  /** The downstream pricing service the quote function calls through the circuit breaker. */
  readonly pricingUrl?: string;
}

/** The example app's stack: the seed's "Hello, Serverless!" function and friends, production-ready. */
export class ExampleStack extends Stack {
  public readonly hello: ResilientFunction;
  public readonly quote: ResilientFunction;
  public readonly breakers: CircuitBreakerTable;
  // Entry points (API Gateway, EventBridge): see the block at the end of the constructor.
  public readonly httpApi: ResilientHttpApi;
  public readonly restApi: ResilientRestApi;
  public readonly orderProcessor: ResilientFunction;
  public readonly orders: ResilientEventBus;
  public readonly nightlyReport: ResilientFunction;
  public readonly nightlySchedule: ResilientSchedule;

  constructor(scope: Construct, id: string, props: ExampleStackProps = {}) {
    super(scope, id, props);
    this.hello = new ResilientFunction(this, 'Hello', {
      entry: path.join(__dirname, 'handlers', 'hello.ts'),
      description: 'Answers "Hello, Serverless!"',
      provisionedConcurrency: ProvisionedConcurrency.autoscaled({
        minCapacity: 1,
        maxCapacity: 10,
        utilizationTarget: 0.7,
        schedules: [
          { name: 'BusinessHours', schedule: appscaling.Schedule.cron({ minute: '0', hour: '8', weekDay: 'MON-FRI' }), minCapacity: 5, maxCapacity: 20 },
          { name: 'Night', schedule: appscaling.Schedule.cron({ minute: '0', hour: '19', weekDay: 'MON-FRI' }), minCapacity: 1, maxCapacity: 10 },
        ],
      }),
    });

    // A downstream call protected by the shared circuit breaker, kept warm by the stack's warmer.
    this.breakers = new CircuitBreakerTable(this, 'Breakers');
    this.quote = new ResilientFunction(this, 'Quote', {
      entry: path.join(__dirname, 'handlers', 'quote.ts'),
      description: 'Quotes a price from the pricing service through the circuit breaker',
      environment: { PRICING_URL: props.pricingUrl ?? 'https://pricing.example.com/quote' },
      circuitBreaker: { table: this.breakers, circuits: ['pricing'] },
      warming: {
        schedules: [
          { name: 'BusinessHours', schedule: events.Schedule.expression('cron(0/5 8-17 ? * MON-FRI *)'), concurrency: 10 },
          { name: 'Nights', schedule: events.Schedule.expression('cron(0/5 0-7,18-23 ? * * *)'), concurrency: 2 },
        ],
      },
    });

    // --- Entry points ---------------------------------------------------------------------------
    // GET /hello through both API kinds, so both event payloads (REST v1, HTTP 2.0) reach the handler.
    // The route is public on purpose: RouteAuth.none() is the explicit choice (and the nag acknowledgement).
    this.httpApi = new ResilientHttpApi(this, 'HttpApi', { description: 'Example HTTP API (payload 2.0)' });
    this.httpApi.addRoute('GET', '/hello', this.hello, { auth: RouteAuth.none() });
    // The quote route answers 503 while the pricing circuit is open, instead of waiting on a dead downstream.
    this.httpApi.addRoute('GET', '/quote', this.quote, { auth: RouteAuth.none() });
    this.restApi = new ResilientRestApi(this, 'RestApi', { description: 'Example REST API (payload 1.0)' });
    this.restApi.addRoute('GET', '/hello', this.hello, { auth: RouteAuth.none(), throttle: { rateLimit: 100, burstLimit: 200 } });

    // Order events on a custom bus, archived 30 days for replay, to a processor function.
    this.orderProcessor = new ResilientFunction(this, 'ProcessOrder', {
      entry: path.join(__dirname, 'handlers', 'process-order.ts'),
      description: 'Processes OrderPlaced events',
    });
    this.orders = new ResilientEventBus(this, 'Orders', { archive: { retention: Duration.days(30) } });
    this.orders.addRule('OrderPlaced', {
      // Only orders with an id reach the processor; the runner builds its suggested event from this pattern.
      eventPattern: { source: ['example.orders'], detailType: ['OrderPlaced'], detail: { orderId: [{ prefix: 'o-' }] } },
      target: this.orderProcessor,
      description: 'Placed orders to the order processor',
    });

    // A nightly job on EventBridge Scheduler, 02:00 Paris time, started within a 15-minute window.
    this.nightlyReport = new ResilientFunction(this, 'NightlyReport', {
      entry: path.join(__dirname, 'handlers', 'nightly-report.ts'),
      description: 'Writes the nightly report',
      timeout: Duration.minutes(5),
    });
    this.nightlySchedule = new ResilientSchedule(this, 'NightlyReportSchedule', {
      schedule: scheduler.ScheduleExpression.expression('cron(0 2 * * ? *)', TimeZone.EUROPE_PARIS),
      target: this.nightlyReport,
      flexibleTimeWindow: Duration.minutes(15),
      description: 'Runs the nightly report',
    });
  }
}
