import { App } from 'aws-cdk-lib';
import { ExampleStack } from './example-stack';

// No account or region: the app synthesizes offline, environment-agnostic.
const app = new App();
new ExampleStack(app, 'ResilientExample');
app.synth();
