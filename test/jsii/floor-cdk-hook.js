// Preloaded (NODE_OPTIONS=--require) into the TypeScript app the Python app is compared with: sends every
// `aws-cdk-lib` require to the floor copy in test/floor/pinned, the version the Python app installs from
// PyPI, so the two templates differ only if the library behaves differently under jsii.
const Module = require('module');
const path = require('path');

const floor = path.join(__dirname, '..', 'floor', 'pinned', 'node_modules', 'aws-cdk-lib');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'aws-cdk-lib' || request.startsWith('aws-cdk-lib/')) {
    return resolve.call(this, floor + request.slice('aws-cdk-lib'.length), ...rest);
  }
  return resolve.call(this, request, ...rest);
};
