import * as path from 'path';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { CircuitBreakerTable, ProvisionedConcurrency, ResilientFunction } from '../lib';

export interface ExampleStackProps extends StackProps {
  /** The downstream pricing service the quote function calls through the circuit breaker. */
  readonly pricingUrl?: string;
}

/** The example app's stack: the seed's "Hello, Serverless!" function and friends, production-ready. */
export class ExampleStack extends Stack {
  public readonly hello: ResilientFunction;
  public readonly quote: ResilientFunction;
  public readonly breakers: CircuitBreakerTable;

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
  }
}
