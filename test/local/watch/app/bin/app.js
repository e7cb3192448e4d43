// A small app for the --watch tests: two functions behind an HTTP API, plain aws-cdk-lib, plain JavaScript.
const path = require('node:path');
const { App, Stack } = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const apigw = require('aws-cdk-lib/aws-apigatewayv2');
const { HttpLambdaIntegration } = require('aws-cdk-lib/aws-apigatewayv2-integrations');
const settings = require('./settings.json');

const app = new App();
const stack = new Stack(app, 'WatchApp');
const fn = (id, folder, environment) => new lambda.Function(stack, id, {
  runtime: lambda.Runtime.NODEJS_20_X,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(path.join(__dirname, '..', 'handlers', folder)),
  environment,
});
const api = new apigw.HttpApi(stack, 'Api');
const greet = fn('Greet', 'greet', { GREETING: settings.greeting });
api.addRoutes({ path: '/greet', methods: [apigw.HttpMethod.GET], integration: new HttpLambdaIntegration('Greet', greet) });
api.addRoutes({ path: '/other', methods: [apigw.HttpMethod.GET], integration: new HttpLambdaIntegration('Other', fn('Other', 'other')) });
app.synth();
