#!/usr/bin/env node
/**
 * `npm run verify -- --env NAME`: read-only report of each safeguard's runtime state; exit 1 on any FAIL.
 * The only place that reads the environment: AWS_REGION / AWS_DEFAULT_REGION (checked against the config).
 */
import { cliMain } from '../lib/deploy/cli-main';

// The SDK's notice that its future releases need Node 22 concerns whoever upgrades the pinned SDK
// (package.json), not the operator: keep it out of this command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

cliMain('verify', process.argv.slice(2), {
  shellRegion: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
}).then((code) => {
  process.exitCode = code;
});
