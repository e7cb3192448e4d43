// The baseline wrapped for warming.
import { withResilience } from '../../../lib/runtime';

export const handler = withResilience(async () => ({ statusCode: 200, body: 'Hello, Serverless!' }));
