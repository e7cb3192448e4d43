// Preloaded (NODE_OPTIONS=--require) into the TypeScript quick start that a language app is compared with:
// sends every `aws-cdk-lib` require to the copy in $CDK_LIB_DIR (the aws-cdk-lib version that language's app
// installs), so the two templates differ only if the library behaves differently under jsii.
const Module = require('module');

const cdkLib = process.env.CDK_LIB_DIR;
if (!cdkLib) throw new Error('cdk-lib-hook.js: set CDK_LIB_DIR to the aws-cdk-lib folder to load');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'aws-cdk-lib' || request.startsWith('aws-cdk-lib/')) {
    return resolve.call(this, cdkLib + request.slice('aws-cdk-lib'.length), ...rest);
  }
  return resolve.call(this, request, ...rest);
};
