// Unit tests skip aws-cdk-lib's built-in CloudFormation validator (about 4 s per process); the tests that
// check templates turn it back on for their own file.
process.env.CDK_VALIDATION ??= 'false';
process.env.CDK_DISABLE_CLI_TELEMETRY = '1';
