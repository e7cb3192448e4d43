import type { ServerResponse } from 'node:http';
import type { InvocationResult, StreamListener } from '../execution';
import type { LocalFunctions, ResolvedFunction } from '../functions/local-functions';
import type { HttpAnswer } from './http-answer';

/** The content type under which a stream starts with HttpResponseStream's JSON prelude and 8 NUL bytes. */
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);
/** API Gateway reads the prelude from the first 16 KB of the stream at most. */
const REST_PRELUDE_LIMIT = 16 * 1024;

/** Who reads the stream, which decides how its prelude is read. */
export type StreamReader = 'function-url' | 'rest';

export interface StreamedResponseOptions {
  /**
   * `function-url`: the prelude is read only when the handler used HttpResponseStream.from (its content type says
   * so); otherwise the bytes are the body, 200, with the stream's content type. `rest`: API Gateway always expects
   * the prelude (statusCode, headers, multiValueHeaders, cookies) within the first 16 KB, else it answers 502.
   */
  readonly reader: StreamReader;
  /** The gateway's own answers before the first byte: a failed or throttled invocation, a timeout. */
  readonly answers: { readonly failed: HttpAnswer; readonly throttled: HttpAnswer; readonly timedOut: HttpAnswer };
  readonly isHead: boolean;
  /** Headers the gateway adds to every response (REST request ids, a function URL's CORS headers) unless the prelude set them, as name, value, name, value… */
  readonly gatewayHeaders: readonly string[];
  /** The longest the whole response may take (a REST integration's timeout). @default - as long as the function runs */
  readonly timeoutMs?: number;
  /** The longest the stream may stay silent once it started (API Gateway: 5 minutes on regional endpoints). @default - no limit */
  readonly idleTimeoutMs?: number;
}

/**
 * Serves one request whose function streams its response (a function URL in RESPONSE_STREAM mode, a REST route
 * in STREAM transfer mode): the handler's bytes reach the client as they are written (chunked transfer), with
 * the status, headers and cookies of its HttpResponseStream prelude. Before the first byte a failure gets the
 * gateway's error answer; after it (a handler error, the function's timeout, the gateway's timeouts) the
 * response is cut off without its last chunk, so the client sees it end early rather than complete.
 */
export async function serveStreamedResponse(
  functions: LocalFunctions, fn: ResolvedFunction, event: unknown, res: ServerResponse, options: StreamedResponseOptions,
): Promise<{ status: number; result: InvocationResult }> {
  const gateway = new StreamGateway(res, options);
  const stopTimers = gateway.startTimers();
  const result = await functions.invoke(fn, event, gateway.listener);
  // After finish(): a handler that did not stream has its result written there, which starts the idle clock.
  const status = gateway.finish(result);
  stopTimers();
  return { status, result };
}

class StreamGateway {
  /** Bytes held until the prelude's delimiter shows up; undefined once the head is written (or not expected). */
  private prelude: Buffer | undefined;
  private failedAnswer: HttpAnswer | undefined;
  private started = false;
  private abandoned = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly res: ServerResponse, private readonly options: StreamedResponseOptions) {
    // Writes racing a client's disconnect fail on the response; nobody is left to tell.
    res.on('error', () => undefined);
  }

  readonly listener: StreamListener = {
    start: (contentType) => {
      this.started = true;
      if (this.abandoned) return;
      // The idle clock runs from the stream's first byte; before it the integration timeout applies.
      this.touch();
      if (this.options.reader === 'rest' || contentType === HTTP_INTEGRATION_CONTENT_TYPE) {
        this.prelude = Buffer.alloc(0);
        return;
      }
      this.writeHead(200, ['Content-Type', contentType]);
    },
    chunk: (data) => {
      if (this.abandoned) return;
      this.touch();
      if (this.prelude === undefined) return this.writeBody(data);
      this.prelude = Buffer.concat([this.prelude, data]);
      const end = this.prelude.indexOf(DELIMITER);
      if (end < 0) {
        if (this.options.reader === 'rest' && this.prelude.length > REST_PRELUDE_LIMIT) this.fail(this.options.answers.failed);
        return;
      }
      const head = this.readPrelude(this.prelude.subarray(0, end));
      const rest = this.prelude.subarray(end + DELIMITER.length);
      this.prelude = undefined;
      if (!head) return this.fail(this.options.answers.failed);
      this.writeHead(head.status, head.headers);
      this.writeBody(rest);
    },
  };

  /** Starts the gateway's own clocks; returns what stops them. */
  startTimers(): () => void {
    const { timeoutMs } = this.options;
    const overall = timeoutMs === undefined ? undefined : setTimeout(() => this.fail(this.options.answers.timedOut), timeoutMs);
    return () => {
      clearTimeout(overall);
      clearTimeout(this.idleTimer);
    };
  }

  /** Ends the response once the invocation is over; returns the status the client got. */
  finish(result: InvocationResult): number {
    if (this.abandoned) return this.failedAnswer?.status ?? this.res.statusCode;
    if (!this.res.headersSent) {
      if (!this.started && !result.error && !result.facts.throttled) {
        // A handler that is not streamified: Lambda streams its JSON result as the bytes, which are no prelude.
        this.listener.start('application/json');
        this.listener.chunk(Buffer.from(JSON.stringify(result.payload) ?? 'null'));
        if (this.abandoned) return this.failedAnswer?.status ?? this.res.statusCode;
      }
    }
    if (!this.res.headersSent) {
      const answer = result.facts.throttled ? this.options.answers.throttled
        // An unfinished prelude: the gateway's failure answer (AWS: 502 from a function URL and from API Gateway).
        : result.error || this.prelude !== undefined ? this.options.answers.failed : undefined;
      if (answer) return this.answer(answer);
      // The stream ended without a byte or a content type: an empty 200.
      this.writeHead(200, []);
    } else if (result.error) {
      this.cutOff();
      return this.res.statusCode;
    }
    if (!this.res.destroyed) this.res.end();
    return this.res.statusCode;
  }

  private readPrelude(json: Buffer): { status: number; headers: string[] } | undefined {
    let prelude: { statusCode?: unknown; headers?: Record<string, unknown>; multiValueHeaders?: Record<string, unknown>; cookies?: unknown };
    try {
      prelude = JSON.parse(json.toString('utf8')) as typeof prelude;
    } catch {
      // A function URL falls back to its defaults; API Gateway refuses the response.
      return this.options.reader === 'rest' ? undefined : { status: 200, headers: [] };
    }
    if (!prelude || typeof prelude !== 'object') return this.options.reader === 'rest' ? undefined : { status: 200, headers: [] };
    const status = Number(prelude.statusCode ?? 200);
    const headers: string[] = [];
    for (const [name, value] of Object.entries(prelude.headers ?? {})) headers.push(name, String(value));
    if (this.options.reader === 'rest') {
      for (const [name, values] of Object.entries(prelude.multiValueHeaders ?? {})) {
        if (Array.isArray(values)) for (const value of values) headers.push(name, String(value));
      }
    }
    for (const cookie of Array.isArray(prelude.cookies) ? prelude.cookies : []) headers.push('Set-Cookie', String(cookie));
    return { status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : 200, headers };
  }

  private writeHead(status: number, headers: string[]): void {
    const all = [...headers];
    if (this.options.reader === 'rest' && !headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'content-type')) all.push('Content-Type', 'application/json');
    const own = new Set(headers.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase()));
    for (let i = 0; i < this.options.gatewayHeaders.length; i += 2) {
      if (!own.has(this.options.gatewayHeaders[i].toLowerCase())) all.push(this.options.gatewayHeaders[i], this.options.gatewayHeaders[i + 1]);
    }
    this.res.writeHead(status, all);
    // Headers go out now, not with the first body byte: the client sees the status as soon as the prelude arrived.
    this.res.flushHeaders();
  }

  private writeBody(data: Buffer): void {
    // A client that went away stops receiving; the function runs on, as it does in Lambda.
    if (!this.options.isHead && data.length > 0 && !this.res.destroyed) this.res.write(data);
  }

  /** The gateway gives up on the stream: its own answer before the first byte, a cut-off response after it. */
  private fail(answer: HttpAnswer): void {
    if (this.abandoned) return;
    this.abandoned = true;
    this.prelude = undefined;
    if (this.res.headersSent) {
      this.cutOff();
      return;
    }
    this.answer(answer);
  }

  private answer(answer: HttpAnswer): number {
    this.abandoned = true;
    this.failedAnswer = answer;
    const headers = answer.headers.flat() as string[];
    this.res.writeHead(answer.status, [...headers, ...this.options.gatewayHeaders, 'Content-Length', String(answer.body.length)]);
    this.res.end(this.options.isHead ? undefined : answer.body);
    return answer.status;
  }

  private cutOff(): void {
    this.abandoned = true;
    this.res.destroy();
  }

  private touch(): void {
    const { idleTimeoutMs } = this.options;
    if (idleTimeoutMs === undefined) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.fail(this.options.answers.timedOut), idleTimeoutMs);
  }
}
