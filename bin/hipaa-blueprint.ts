#!/usr/bin/env node
/**
 * The CDK app. The only place that reads context: `-c env=NAME` picks the environment (default dev);
 * `-c phiReplicaBootstrap=true` builds only step 1 of a first deploy (the PHI replica, see buildBlueprint).
 * Config is validated before any construct is added; an invalid config prints every problem and
 * exits non-zero without writing a template.
 */
import { App } from 'aws-cdk-lib';
import { buildBlueprint } from '../lib/blueprint-app';
import { BlueprintConfig, ConfigValidationError, loadConfig } from '../lib/config';

const app = new App();
const envName = String(app.node.tryGetContext('env') ?? 'dev');
let config: BlueprintConfig;
try {
  config = loadConfig(envName);
} catch (e) {
  if (!(e instanceof ConfigValidationError)) throw e;
  console.error(e.message);
  // process.exit skips the App's automatic synthesis at exit: nothing is written.
  process.exit(1);
}
// Step 1 of an environment's first deploy only (see README, "Deploy"): `-c phiReplicaBootstrap=true`.
const phiReplicaBootstrap = String(app.node.tryGetContext('phiReplicaBootstrap') ?? 'false') === 'true';
buildBlueprint(app, config, { phiReplicaBootstrap });
app.synth();
