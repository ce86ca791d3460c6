/**
 * Jest setup: gives every App under test the context `cdk synth` gives it (the feature flags in
 * cdk.json), the same way the CDK CLI does, through CDK_CONTEXT_JSON. Tests then check the
 * templates that are really deployed.
 */
const { context } = require('../../cdk.json');
process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
