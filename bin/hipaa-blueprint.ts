#!/usr/bin/env node
/**
 * The CDK app. The only place that reads context: `-c env=NAME` picks the environment (default dev) from
 * lib/config/environments.ts; `-c config=FILE` adds an environment from a JSON file (checked against
 * lib/config/blueprint-config.schema.json, and selected by its envName unless -c env says otherwise);
 * `-c phiReplicaBootstrap=true` builds only step 1 of a first deploy. An invalid config prints every problem
 * and exits non-zero before any construct exists, so no template is written.
 */
import { startValidationWorker } from '../lib/compliance/cfn-validation/validation-worker-start';

// aws-cdk-lib's built-in CloudFormation validation, in a worker thread (lib/compliance/cfn-validation/) started before
// anything else loads: the worker loads aws-cdk-lib and starts its engine, with the resource types of the templates a
// previous synth left in the output folder (CDK_OUTDIR, set by the CDK CLI), while this thread loads the blueprint and
// builds the constructs. CDK_VALIDATION=false turns it off, as it turns off aws-cdk-lib's own.
const validationWorker =
  process.env.CDK_VALIDATION === 'false' ? undefined : startValidationWorker({ prewarmFrom: process.env.CDK_OUTDIR });

// Required here, after the worker started, rather than imported (imports would load them first).
/* eslint-disable @typescript-eslint/no-require-imports */
const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
const { ParallelCloudFormationValidation } =
  require('../lib/compliance/cfn-validation/parallel-validation') as typeof import('../lib/compliance/cfn-validation/parallel-validation');
const { ConfigValidationError, ENVIRONMENTS } = require('../lib/config') as typeof import('../lib/config');
const { APP_CONTEXT_DEFAULTS, environmentFromFile, refuseSynthesis, synthesizeEnvironment, unknownContextProblem } =
  require('../lib/synthesize') as typeof import('../lib/synthesize');
/* eslint-enable @typescript-eslint/no-require-imports */

const cfnValidation = validationWorker && new ParallelCloudFormationValidation({ started: validationWorker });
// The app's context defaults (lib/synthesize.ts: no creation stack traces), under what the CDK CLI passes.
const app = new App({ context: { ...APP_CONTEXT_DEFAULTS } });
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined ? undefined : String(value);
};
// A mistyped key (-c envv=prod) would build dev: refused, like a config mistake, before anything is built or written.
const contextProblem = unknownContextProblem(app.node.getAllContext() as Record<string, unknown>);
const refuse = (message: string): never => process.exit(refuseSynthesis(app.outdir, message, console));
if (contextProblem !== undefined) refuse(contextProblem);
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
    refuse(e.message);
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
