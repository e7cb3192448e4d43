// @ts-check
/*
 * Response streaming: the `awslambda` global the Node.js runtime installs (streamifyResponse, HttpResponseStream)
 * and the writable stream a streaming handler writes its response to, with the runtime interface client's quirks:
 * - a chunk that is not a string, Buffer or Uint8Array is written as its JSON text;
 * - HttpResponseStream.from's prelude goes out before the first `write()` only: a stream ended with `end(data)`
 *   or `end()` and never written sends no prelude (aws-lambda-nodejs-runtime-interface-client#97; a function URL
 *   then answers 502 or an unadorned 200, API Gateway 502), and the runner does the same so it shows up locally;
 * - the content type can be set until the first `write()`.
 */
'use strict';
const { Writable } = require('node:stream');

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/** @param {unknown} chunk */
function toBytes(chunk) {
  if (typeof chunk === 'string') return Buffer.from(chunk);
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(JSON.stringify(chunk)));
}

/**
 * The stream handed to a streaming handler. Bytes go to `sink.chunk` as they are written; the content type
 * (default application/octet-stream) goes first, before the first byte or when the stream ends empty.
 * @param {{ contentType: (type: string) => void, chunk: (data: Buffer) => void }} sink
 * @param {number | undefined} highWaterMark
 */
function createResponseStream(sink, highWaterMark) {
  let contentType = 'application/octet-stream';
  let headerSent = false;
  let writeCalled = false;
  /** @type {((write: (data: unknown) => void) => void) | undefined} */
  let beforeFirstWrite;
  const send = (/** @type {Buffer} */ bytes) => {
    if (!headerSent) {
      headerSent = true;
      sink.contentType(contentType);
    }
    if (bytes.length > 0) sink.chunk(bytes);
  };
  const stream = new Writable({
    ...(highWaterMark ? { highWaterMark } : {}),
    write(chunk, _encoding, done) {
      send(chunk);
      done();
    },
    final(done) {
      send(Buffer.alloc(0));
      done();
    },
  });
  const writeThrough = stream.write.bind(stream);
  Object.defineProperties(stream, {
    write: {
      value: (/** @type {unknown} */ chunk, /** @type {any} */ encoding, /** @type {any} */ callback) => {
        if (!writeCalled) {
          writeCalled = true;
          const hook = beforeFirstWrite;
          beforeFirstWrite = undefined;
          if (hook) hook((data) => writeThrough(toBytes(data)));
        }
        return writeThrough(toBytes(chunk), encoding, callback);
      },
    },
    setContentType: {
      value: (/** @type {string} */ type) => {
        if (writeCalled || headerSent) throw new Error('Cannot set content-type, too late.');
        contentType = type;
      },
    },
    // HttpResponseStream.from installs its prelude writer here.
    _onBeforeFirstWrite: {
      get: () => beforeFirstWrite,
      set: (/** @type {(write: (data: unknown) => void) => void} */ hook) => {
        beforeFirstWrite = hook;
      },
    },
  });
  return stream;
}

const HttpResponseStream = {
  /**
   * Function URLs and API Gateway read the HTTP status, headers and cookies from a JSON prelude followed by 8 NUL
   * bytes, which this writes before the first `write()`.
   * @param {any} underlyingStream @param {Record<string, unknown>} prelude
   */
  from(underlyingStream, prelude) {
    underlyingStream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const json = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (/** @type {(data: unknown) => void} */ write) => {
      write(json);
      write(new Uint8Array(8));
    };
    return underlyingStream;
  },
};

/** Installs `globalThis.awslambda` unless AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA opts out, as the runtime does. */
function installAwsLambdaGlobal() {
  const optOut = process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (optOut === '1' || optOut === 'true') return;
  const g = /** @type {any} */ (globalThis);
  g.awslambda = {
    ...g.awslambda,
    /** @param {any} handler @param {{ highWaterMark?: number }} [options] */
    streamifyResponse(handler, options) {
      handler[STREAMING] = 'response';
      if (typeof options?.highWaterMark === 'number') handler[HIGH_WATER_MARK] = Math.trunc(options.highWaterMark);
      return handler;
    },
    HttpResponseStream,
  };
}

module.exports = { createResponseStream, installAwsLambdaGlobal, HIGH_WATER_MARK };
