// Unit tests skip aws-cdk-lib's built-in CloudFormation validator (about 4 s per process); the tests that
// check templates turn it back on for their own file.
process.env.CDK_VALIDATION ??= 'false';
process.env.CDK_DISABLE_CLI_TELEMETRY = '1';
// The runner takes each runtime's Node.js from npm into a cache; tests use the project's Node 24 (npm run node24:install).
process.env.CDK_RESILIENT_LOCAL_NODE_CACHE ??= require('node:path').join(__dirname, '..');
