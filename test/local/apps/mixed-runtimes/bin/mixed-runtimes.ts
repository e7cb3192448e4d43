#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { MixedRuntimesStack } from '../lib/mixed-runtimes-stack';

const app = new App();
new MixedRuntimesStack(app, 'MixedRuntimes');
