// @ts-check
/*
 * Response streaming: the `awslambda` global the Node.js runtime installs (streamifyResponse, HttpResponseStream)
 * and the writable stream a streaming handler writes its response to.
 */
'use strict';
const { Writable } = require('node:stream');

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/**
 * The stream handed to a streaming handler. Bytes go to `sink.chunk` as they are written; the content type
 * (default application/octet-stream) goes first, before the first byte.
 * @param {{ contentType: (type: string) => void, chunk: (data: Buffer) => void }} sink
 * @param {number | undefined} highWaterMark
 */
function createResponseStream(sink, highWaterMark) {
  let contentType = 'application/octet-stream';
  let started = false;
  /** @type {((write: (data: string | Uint8Array) => void) => void) | undefined} */
  let beforeFirstWrite;
  /** @param {string | Uint8Array} data */
  const emit = (data) => {
    if (!started) {
      started = true;
      sink.contentType(contentType);
      const hook = beforeFirstWrite;
      beforeFirstWrite = undefined;
      if (hook) hook(emit);
    }
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.length > 0) sink.chunk(bytes);
  };
  const stream = new Writable({
    ...(highWaterMark ? { highWaterMark } : {}),
    write(chunk, _encoding, done) {
      emit(chunk);
      done();
    },
    final(done) {
      if (!started) emit(Buffer.alloc(0));
      done();
    },
  });
  Object.defineProperties(stream, {
    setContentType: {
      value: (/** @type {string} */ type) => {
        if (started) throw new Error('Content-Type can only be set before the first write');
        contentType = type;
      },
    },
    // HttpResponseStream.from installs its prelude writer here.
    _onBeforeFirstWrite: {
      set: (/** @type {(write: (data: string | Uint8Array) => void) => void} */ hook) => {
        beforeFirstWrite = hook;
      },
    },
  });
  return stream;
}

const HttpResponseStream = {
  /**
   * Function URLs read the HTTP status, headers and cookies from a JSON prelude followed by 8 NUL bytes.
   * @param {any} underlyingStream @param {Record<string, unknown>} prelude
   */
  from(underlyingStream, prelude) {
    underlyingStream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const json = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (/** @type {(data: string | Uint8Array) => void} */ write) => {
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
