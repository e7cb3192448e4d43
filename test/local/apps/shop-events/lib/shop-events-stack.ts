import * as path from 'node:path';
import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';

/**
 * Orders come in over an HTTP API, leave as events on the shop's bus, and a rule records them; a daily
 * EventBridge Scheduler schedule counts them.
 */
export class ShopEventsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const orders = new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const bus = new events.EventBus(this, 'ShopBus', { eventBusName: 'shop' });

    const handler = (id: string, file: string, environment: Record<string, string>) => new NodejsFunction(this, id, {
      entry: path.join(__dirname, '..', 'handlers', file),
      runtime: lambda.Runtime.NODEJS_24_X,
      environment,
    });
    const placeOrder = handler('PlaceOrder', 'place-order.ts', { BUS_NAME: bus.eventBusName });
    const recordOrder = handler('RecordOrder', 'record-order.ts', { ORDERS_TABLE: orders.tableName });
    const getOrder = handler('GetOrder', 'get-order.ts', { ORDERS_TABLE: orders.tableName });
    const dailyReport = handler('DailyReport', 'daily-report.ts', { ORDERS_TABLE: orders.tableName });
    bus.grantPutEventsTo(placeOrder);
    orders.grantWriteData(recordOrder);
    orders.grantReadData(getOrder);
    orders.grantReadData(dailyReport);

    const api = new apigwv2.HttpApi(this, 'ShopApi');
    api.addRoutes({ path: '/orders', methods: [apigwv2.HttpMethod.POST], integration: new HttpLambdaIntegration('PlaceOrderIntegration', placeOrder) });
    api.addRoutes({ path: '/orders/{orderId}', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('GetOrderIntegration', getOrder) });

    new events.Rule(this, 'OrderPlacedRule', {
      eventBus: bus,
      eventPattern: { source: ['shop.orders'], detailType: ['OrderPlaced'] },
      targets: [new eventsTargets.LambdaFunction(recordOrder)],
    });

    new scheduler.Schedule(this, 'DailyReportSchedule', {
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: '6' }),
      target: new schedulerTargets.LambdaInvoke(dailyReport, { input: scheduler.ScheduleTargetInput.fromObject({ report: 'daily' }) }),
      description: 'Counts the orders every morning',
    });
  }
}
