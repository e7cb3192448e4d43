// Baseline: the smallest useful API handler.
export const handler = async () => ({ statusCode: 200, body: 'Hello, Serverless!' });
