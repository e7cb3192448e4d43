import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ExampleStack } from './example-stack';

// No account or region: the app synthesizes offline, environment-agnostic.
const app = new App();
new ExampleStack(app, 'ResilientExample');
// cdk-nag runs at every synth of the example; findings land in cdk.out/validation-report.json.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
app.synth();
