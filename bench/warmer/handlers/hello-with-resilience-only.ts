// The baseline wrapped for warming, importing only the warm-up part of the runtime.
import { withResilience } from '../../../lib/runtime/warmup';

export const handler = withResilience(async () => ({ statusCode: 200, body: 'Hello, Serverless!' }));
