import { readFileSync } from 'node:fs';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { v4 as uuid } from 'uuid';

// Read once per environment from the layer, at /opt as in Lambda.
const config = JSON.parse(readFileSync('/opt/config.json', 'utf8')) as { greeting: string };

export const handler: APIGatewayProxyHandler = async () => ({
  statusCode: 200,
  body: JSON.stringify({ requestId: uuid(), greeting: `${config.greeting}${process.env.GREETING_SUFFIX ?? ''}`, nodePath: process.env.NODE_PATH }),
});
