import * as path from 'path';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { Construct } from 'constructs';
import { ProvisionedConcurrency, ResilientFunction } from '../lib';

/** The example app's stack: the seed's "Hello, Serverless!" function, production-ready. */
export class ExampleStack extends Stack {
  public readonly hello: ResilientFunction;

  constructor(scope: Construct, id: string, props?: StackProps) {
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
  }
}
