#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ShopEventsStack } from '../lib/shop-events-stack';

const app = new App();
new ShopEventsStack(app, 'ShopEvents');
