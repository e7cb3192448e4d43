import type { ServerResponse } from 'node:http';
import { streamEvent } from './event-stream';
import type { FunctionPool } from './function-pool';

/**
 * Lambda's InvokeWithResponseStream over a pool: a streaming handler's bytes go out as `PayloadChunk` events as it
 * writes them, then one `InvokeComplete` event, which carries the error (ErrorCode: the error type, ErrorDetails:
 * its message) when the invocation failed, even after bytes went out. The HTTP Content-Type is the stream's
 * (what the SDK reports as ResponseStreamContentType). A handler that does not stream answers with its JSON
 * result as one chunk, as Lambda does. Throttling is an ordinary 429 error before any event.
 */
export async function invokeWithResponseStream(pool: FunctionPool, event: unknown, qualifier: string | undefined, res: ServerResponse): Promise<void> {
  const headers: Record<string, string> = { 'X-Amz-Executed-Version': pool.functionVersion };
  const open = (contentType: string) => {
    if (!res.headersSent) res.writeHead(200, { ...headers, 'Content-Type': contentType });
  };
  const result = await pool.invoke(event, {
    ...(qualifier ? { qualifier } : {}),
    stream: {
      start: (contentType) => open(contentType),
      chunk: (data) => res.write(streamEvent('PayloadChunk', 'application/octet-stream', data)),
    },
  });
  if (result.facts.throttled) {
    const body = JSON.stringify({ Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' });
    res.writeHead(429, { 'x-amzn-ErrorType': 'TooManyRequestsException', 'x-amzn-RequestId': result.facts.requestId, 'Content-Type': 'application/json' });
    res.end(body);
    return;
  }
  open('application/octet-stream');
  if (!result.error && result.payload !== undefined) {
    // A handler that returned instead of streaming: its result is the one chunk.
    res.write(streamEvent('PayloadChunk', 'application/octet-stream', Buffer.from(JSON.stringify(result.payload) ?? 'null')));
  }
  const complete = result.error ? { ErrorCode: result.error.errorType, ErrorDetails: result.error.errorMessage } : {};
  res.end(streamEvent('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(complete))));
}
