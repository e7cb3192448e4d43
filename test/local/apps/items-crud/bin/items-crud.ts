#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ItemsStack } from '../lib/items-stack';

const app = new App();
new ItemsStack(app, 'ItemsCrud');
