// `npm run test:floor` (run-jest.js): the suite with aws-cdk-lib mapped to the floor copy in
// test/floor/pinned/node_modules, everything else (constructs, cdk-nag, jest) from the project's node_modules.
// The mapping also applies to modules required from node_modules (cdk-nag's `require('aws-cdk-lib')`),
// so the library, the tests and cdk-nag share the one floor copy.
const path = require('path');

const root = path.join(__dirname, '..', '..');
const base = require(path.join(root, 'package.json')).jest;
const cdk = path.join(__dirname, 'pinned', 'node_modules', 'aws-cdk-lib');

module.exports = {
  ...base,
  rootDir: root,
  moduleNameMapper: {
    ...base.moduleNameMapper,
    '^aws-cdk-lib$': cdk,
    '^aws-cdk-lib/(.*)$': `${cdk}/$1`,
    '^constructs$': path.join(root, 'node_modules', 'constructs'),
  },
  testPathIgnorePatterns: [
    '/node_modules/',
    // These spawn processes (node, npm pack, language apps) that load the root copy, not the mapped one;
    // floor-consumer installs the floor itself from the registry and runs in the normal run.
    '<rootDir>/test/package/',
    '<rootDir>/test/docs/',
    '<rootDir>/test/jsii/',
    '<rootDir>/test/floor/floor-consumer\\.test\\.ts$',
    // Code that never loads aws-cdk-lib: handlers (the runtime, the warmer) and cost formulas.
    '<rootDir>/test/runtime/',
    '<rootDir>/test/warmer/handler/',
    '<rootDir>/test/cost/formulas\\.test\\.ts$',
    // The local runner: what it reads (the template) depends on aws-cdk-lib, how it runs functions, serves
    // HTTP, authorizes, watches and draws does not. The floor run keeps the template-reading half: the model,
    // intrinsics, the example world end to end and the apps built from plain constructs.
    '<rootDir>/test/local/(?!(e2e|apps|model|intrinsics)/)',
  ],
  // Read by floor-version.test.ts: this run must be on the floor.
  globals: { ...base.globals, __AWS_CDK_LIB_FLOOR_RUN__: true },
};
