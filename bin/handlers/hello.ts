import type { APIGatewayProxyResult } from 'aws-lambda';

/** The seed's handler: answers every request with a greeting. */
export const handler = async (): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  headers: { 'content-type': 'text/plain' },
  body: 'Hello, Serverless!',
});
