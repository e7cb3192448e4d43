// Handler `src/app.main`: the module lives below the code directory.
exports.main = async () => ({ handler: process.env._HANDLER, taskRoot: process.env.LAMBDA_TASK_ROOT, cwd: process.cwd() });
