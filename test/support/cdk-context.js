/**
 * Jest setup: gives every App under test the context `cdk synth` gives it (the feature flags in
 * cdk.json), the same way the CDK CLI does, through CDK_CONTEXT_JSON. Tests then check the
 * templates that are really deployed.
 *
 * It also turns off aws-cdk-lib's built-in CloudFormation validation for every App a test creates
 * (CDK_VALIDATION=false, read by aws-cdk-lib at synth): loading its schemas costs ~5 s per test file
 * and ~1.4 s per whole-app synth, and no unit test is about it. The shipped dev environment's `cdk synth` form,
 * which the globalSetup synthesizes with it on as `cdk synth` does (test/support/global-setup.ts), shows that it
 * runs and passes (test/compliance/apply-compliance.test.ts).
 *
 * And it turns off the creation stack trace aws-cdk-lib records for every CloudFormation element (context
 * `aws:cdk:disable-creation-stack-traces`, as bin/hipaa-blueprint.ts gives its App): under tsx each one was a captured
 * and source-mapped call stack, about 5 s of a run's CPU time.
 */
const { DISABLE_CREATION_STACK_TRACES } = require('aws-cdk-lib/cx-api');
const { context } = require('../../cdk.json');
process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...context, [DISABLE_CREATION_STACK_TRACES]: true });
process.env.CDK_VALIDATION = 'false';
