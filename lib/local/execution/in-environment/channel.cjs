// @ts-check
/*
 * The link between an environment and its pool. An environment is always a worker thread: of the runner itself
 * (the host's Node.js major) or of environment-host.cjs in a child process on the runtime's major, which relays
 * the messages; either way the setup is the workerData and messages travel on parentPort.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

/**
 * @returns {{ setup: any, send: (message: object) => void, onMessage: (listener: (message: any) => void) => void,
 *   ref: () => void, unref: () => void }}
 */
function openChannel() {
  if (!parentPort) throw new Error('environment-worker.cjs runs only as a worker thread (of the runner or of environment-host.cjs)');
  const port = parentPort;
  return {
    setup: workerData,
    send: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    ref: () => port.ref(),
    unref: () => port.unref(),
  };
}

module.exports = { openChannel };
