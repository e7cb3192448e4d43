// @ts-check
/*
 * `--inspect`: the environment opens its own V8 inspector (one debug target per environment, since each is its
 * own thread with its own module registry), on the first free port from the one asked for, so a debugger that
 * attaches to that port finds the first environment, the next port the second one, and so on. Port 0 takes an
 * ephemeral port. Works in a worker thread of the runner and in one of a runtime host (another Node.js major).
 */
'use strict';
const inspector = require('node:inspector');
const net = require('node:net');

const PORTS_TRIED = 100;

/** Whether the port can be listened on now (inspector.open only prints to stderr when it cannot). @param {string} host @param {number} port */
function isFree(host, port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Opens the inspector; resolves with its WebSocket URL, or the reason it could not.
 * @param {{ host: string, port: number }} wanted
 * @returns {Promise<{ url: string } | { problem: string }>}
 */
async function openInspector(wanted) {
  const last = wanted.port === 0 ? 0 : Math.min(65535, wanted.port + PORTS_TRIED - 1);
  for (let port = wanted.port; port <= last; port++) {
    if (port !== 0 && !(await isFree(wanted.host, port))) continue;
    inspector.open(port, wanted.host, false);
    const url = inspector.url();
    if (url) return { url };
  }
  return { problem: `no free port from ${wanted.host}:${wanted.port} to ${last}` };
}

module.exports = { openInspector };
