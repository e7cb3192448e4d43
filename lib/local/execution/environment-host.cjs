// @ts-check
/*
 * A child process on the Node.js major of a function's runtime that hosts the function's execution
 * environments as worker threads (each its own module registry and process.env, as environment-worker.cjs runs
 * them in the runner itself). One process per function keeps the working directory the code directory
 * (LAMBDA_TASK_ROOT, as in Lambda) at the memory cost of one Node.js process, not one per environment.
 * The pool talks to it over IPC: {start, id, setup, env}, {to, id, message}, {kill, id}; it answers
 * {from, id, message}, {output, id, stream, data} and {exit, id, code, outOfMemory}.
 */
'use strict';
const { join } = require('node:path');
const { Worker } = require('node:worker_threads');

/** @type {Map<string, Worker>} */
const workers = new Map();
const send = /** @type {(message: object) => void} */ (process.send?.bind(process));

/** @param {string} id @param {any} setup @param {Record<string, string>} env */
function start(id, setup, env) {
  const worker = new Worker(join(__dirname, 'environment-worker.cjs'), {
    workerData: setup,
    env,
    stdout: true,
    stderr: true,
    execArgv: [],
    // The function's memory size bounds each environment's heap, as Lambda's memory limit would.
    resourceLimits: { maxOldGenerationSizeMb: setup.memoryMb },
  });
  workers.set(id, worker);
  let outOfMemory = false;
  worker.on('message', (message) => send({ type: 'from', id, message }));
  for (const stream of /** @type {const} */ (['stdout', 'stderr'])) {
    worker[stream].setEncoding('utf8');
    worker[stream].on('data', (/** @type {string} */ data) => send({ type: 'output', id, stream, data }));
  }
  worker.on('error', (/** @type {Error & { code?: string }} */ err) => {
    if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') outOfMemory = true;
  });
  worker.on('exit', (code) => {
    workers.delete(id);
    send({ type: 'exit', id, code, outOfMemory });
  });
}

process.on('message', (/** @type {any} */ command) => {
  if (command.type === 'start') start(command.id, command.setup, command.env);
  else if (command.type === 'to') workers.get(command.id)?.postMessage(command.message);
  else if (command.type === 'kill') void workers.get(command.id)?.terminate();
});
// The runner went away: nothing here may outlive it.
process.on('disconnect', () => process.exit(0));
