#!/usr/bin/env node
/**
 * Deploy an environment: `npm run deploy -- --env NAME`. Checks every prerequisite (credentials first,
 * then synth through the compliance gate, then preflight), deploys in order (the PHI replica bootstrap on a
 * first deploy), runs the post-deploy steps CloudFormation cannot express and prints a summary.
 * The only place that reads the environment: AWS_REGION / AWS_DEFAULT_REGION (checked against the config) and
 * CDK_DOCKER (the Docker client the CDK CLI builds image assets with, probed by preflight).
 */
import { cliMain } from '../lib/deploy/cli-main';

// The SDK's notice that its future releases need Node 22 concerns whoever upgrades the pinned SDK
// (package.json), not the operator: keep it out of this command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

cliMain('deploy', process.argv.slice(2), {
  shellRegion: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
  cdkDocker: process.env.CDK_DOCKER,
}).then((code) => {
  process.exitCode = code;
});
