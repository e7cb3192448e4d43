// Probe handlers for the execution conformance tests: each shows one runtime behaviour.
exports.returnsValue = (event) => ({ returned: event.value });
exports.usesCallback = (event, context, callback) => callback(null, { viaCallback: true });
exports.succeedsThroughContext = (event, context) => context.succeed({ viaContext: typeof context.succeed });
exports.throwsString = async () => {
  throw 'x';
};
exports.throwsObject = async () => {
  throw {};
};
exports.throwsTypeError = async () => {
  console.error('about to fail');
  throw new TypeError('the order has no id');
};
exports.uncaughtRangeError = async () => {
  setImmediate(() => {
    throw new RangeError('index out of range');
  });
  await new Promise(() => undefined);
};
exports.sleeps = async (event) => {
  const ms = event.ms ?? Number(event.queryStringParameters?.ms);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { slept: ms };
};
exports.logs = async () => {
  console.log('an info line');
  console.warn('a warning');
  console.error('an error');
  console.debug('a debug line');
  console.info('two\nlines');
  return 'logged';
};
exports.environment = async (event, context) => ({
  node: process.version,
  cwd: process.cwd(),
  env: Object.fromEntries(['_HANDLER', 'LAMBDA_TASK_ROOT', 'AWS_EXECUTION_ENV', 'AWS_SESSION_TOKEN', 'LANG', 'TZ', '_X_AMZN_TRACE_ID', 'AWS_LAMBDA_FUNCTION_VERSION'].map((k) => [k, process.env[k]])),
  contextMethods: ['succeed', 'fail', 'done'].filter((m) => typeof context[m] === 'function'),
});
exports.rejectsUnhandled = async () => {
  Promise.reject(new Error('nobody waits for this'));
  await new Promise(() => undefined);
};
