import * as path from 'node:path';
import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Construct } from 'constructs';

/** An items table behind a REST API: one function per operation, as the usual CRUD samples have it. */
export class ItemsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const table = new dynamodb.Table(this, 'Items', {
      partitionKey: { name: 'itemId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // NodejsFunction's defaults: @aws-sdk/* stays external, the Lambda runtime provides it.
    const crudFunction = (name: string, file: string) => new NodejsFunction(this, name, {
      entry: path.join(__dirname, '..', 'handlers', file),
      runtime: lambda.Runtime.NODEJS_22_X,
      environment: { TABLE_NAME: table.tableName, PRIMARY_KEY: 'itemId' },
    });
    const createItem = crudFunction('CreateItem', 'create.ts');
    const getItem = crudFunction('GetItem', 'get-one.ts');
    const listItems = crudFunction('ListItems', 'list.ts');
    const updateItem = crudFunction('UpdateItem', 'update.ts');
    const deleteItem = crudFunction('DeleteItem', 'delete.ts');
    table.grantReadData(getItem);
    table.grantReadData(listItems);
    table.grantWriteData(createItem);
    table.grantReadWriteData(updateItem);
    table.grantWriteData(deleteItem);

    const api = new apigateway.RestApi(this, 'ItemsApi', { restApiName: 'Items Service' });
    const items = api.root.addResource('items');
    items.addMethod('GET', new apigateway.LambdaIntegration(listItems));
    items.addMethod('POST', new apigateway.LambdaIntegration(createItem));
    const item = items.addResource('{id}');
    item.addMethod('GET', new apigateway.LambdaIntegration(getItem));
    item.addMethod('PATCH', new apigateway.LambdaIntegration(updateItem));
    item.addMethod('DELETE', new apigateway.LambdaIntegration(deleteItem));
  }
}
