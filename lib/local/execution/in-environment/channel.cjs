// @ts-check
/*
 * The link between an environment and its pool, the same for both ways an environment runs: a worker thread
 * (setup in workerData, messages on parentPort) or a child process on another Node.js binary (setup as the
 * first argument, messages over the IPC channel).
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');

/**
 * @returns {{ setup: any, send: (message: object) => void, onMessage: (listener: (message: any) => void) => void,
 *   ref: () => void, unref: () => void, isChildProcess: boolean }}
 */
function openChannel() {
  if (parentPort) {
    const port = parentPort;
    return {
      setup: workerData,
      send: (message) => port.postMessage(message),
      onMessage: (listener) => port.on('message', listener),
      ref: () => port.ref(),
      unref: () => port.unref(),
      isChildProcess: false,
    };
  }
  if (typeof process.send !== 'function') throw new Error('environment-worker.cjs runs only as a worker thread or a forked child process');
  const send = process.send.bind(process);
  return {
    setup: JSON.parse(process.argv[2]),
    send: (message) => send(message),
    onMessage: (listener) => process.on('message', listener),
    ref: () => process.channel?.ref(),
    unref: () => process.channel?.unref(),
    isChildProcess: true,
  };
}

module.exports = { openChannel };
