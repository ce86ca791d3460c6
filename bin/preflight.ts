#!/usr/bin/env node
/**
 * `npm run preflight -- --env NAME`: credentials, synth (compliance gate) and every deploy prerequisite
 * (account, region, partition, bootstrap, service-linked roles, Lambda concurrency, account singletons,
 * domain, break-glass users, leftovers, stack states). Deploys nothing.
 * The only place that reads the environment: AWS_REGION / AWS_DEFAULT_REGION (checked against the config) and
 * CDK_DOCKER (the Docker client the CDK CLI builds image assets with, probed by preflight).
 */
import { cliMain } from '../lib/deploy/cli-main';

// The SDK's notice that its future releases need Node 22 concerns whoever upgrades the pinned SDK
// (package.json), not the operator: keep it out of this command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

cliMain('preflight', process.argv.slice(2), {
  shellRegion: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
  cdkDocker: process.env.CDK_DOCKER,
}).then((code) => {
  process.exitCode = code;
});
