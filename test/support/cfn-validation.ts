/**
 * The built-in CloudFormation validation of aws-cdk-lib is off in every test worker (CDK_VALIDATION=false,
 * test/support/cdk-context.js). withCfnValidation runs `fn` with it back on (an App created with
 * builtinCloudFormationValidation true then validates its templates at synth), and restores the setting after.
 */
export function withCfnValidation<T>(fn: () => T): T {
  const before = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = before;
  }
}
