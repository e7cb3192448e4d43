// A response-streaming handler for a function URL (InvokeMode RESPONSE_STREAM). It writes a first chunk, then
// waits until the client shows it received that chunk (the test creates `event.gate`), then writes the rest.
import { existsSync } from 'node:fs';

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const gate = event.queryStringParameters.gate;
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-probe': 'streamed' }, cookies: ['flavour=oat'] });
  stream.write('first;');
  while (!existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 10));
  stream.write('second');
  stream.end();
});
