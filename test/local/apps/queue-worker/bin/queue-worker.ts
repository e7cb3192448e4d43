#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { QueueWorkerStack } from '../lib/queue-worker-stack';

const app = new App();
new QueueWorkerStack(app, 'QueueWorker');
