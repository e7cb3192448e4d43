#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { GreetingsStack } from '../lib/greetings-stack';

const app = new App();
new GreetingsStack(app, 'GreetingsLayer');
