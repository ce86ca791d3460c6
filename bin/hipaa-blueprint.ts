#!/usr/bin/env node
/**
 * The CDK app. The only place that reads context: `-c env=NAME` picks the environment (default dev) from
 * lib/config/environments.ts; `-c config=FILE` adds an environment from a JSON file (checked against
 * lib/config/blueprint-config.schema.json, and selected by its envName unless -c env says otherwise);
 * `-c phiReplicaBootstrap=true` builds only step 1 of a first deploy. An invalid config prints every problem
 * and exits non-zero before any construct exists, so no template is written.
 */
import { App } from 'aws-cdk-lib';
import { ParallelCloudFormationValidation } from '../lib/compliance/cfn-validation/parallel-validation';
import { ConfigValidationError, ENVIRONMENTS } from '../lib/config';
import { environmentFromFile, synthesizeEnvironment } from '../lib/synthesize';

// aws-cdk-lib's built-in CloudFormation validation, in a worker thread started before anything else so that its
// engine starts while the constructs are built (lib/compliance/cfn-validation/parallel-validation.ts).
// CDK_VALIDATION=false turns it off, as it turns off aws-cdk-lib's own.
const cfnValidation = process.env.CDK_VALIDATION === 'false' ? undefined : new ParallelCloudFormationValidation();
const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined ? undefined : String(value);
};
let environments: Readonly<Record<string, unknown>> = ENVIRONMENTS;
let envName = context('env');
const file = context('config');
if (file !== undefined) {
  try {
    const fromFile = environmentFromFile(file);
    environments = { ...ENVIRONMENTS, [fromFile.envName]: fromFile.input };
    envName ??= fromFile.envName;
  } catch (e) {
    if (!(e instanceof ConfigValidationError)) throw e;
    console.error(e.message);
    process.exit(1);
  }
}
// process.exit skips the App's automatic synthesis at exit: after a refusal nothing more is written.
process.exit(
  synthesizeEnvironment(app, {
    envName: envName ?? 'dev',
    environments,
    phiReplicaBootstrap: context('phiReplicaBootstrap') === 'true',
    cfnValidation,
  }),
);
