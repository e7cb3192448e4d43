/** A complete HTTP response, ready to write. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

/** API Gateway's own JSON message responses (`{"message":"..."}`). */
export function messageAnswer(status: number, message: string, extraHeaders: ReadonlyArray<readonly [string, string]> = []): HttpAnswer {
  return { status, headers: [['Content-Type', 'application/json'], ...extraHeaders], body: Buffer.from(JSON.stringify({ message })) };
}
