import type { APIGatewayProxyEvent } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEvent) => ({
  statusCode: 200,
  headers: { 'content-type': 'text/plain' },
  body: `${process.env.GREETING}, ${decodeURIComponent(event.pathParameters?.name ?? 'nobody')}!`,
});
