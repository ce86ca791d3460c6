#!/usr/bin/env node
/**
 * Pre-deploy check: `npm run preflight -- prod`. Asks STS who the current credentials are and
 * refuses when they belong to another account, are an IAM user's keys, or are root. The only
 * command of the blueprint that needs AWS credentials; synth and tests never call it.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ConfigValidationError, loadConfig } from '../lib/config';
import { deployTargetProblems } from '../lib/preflight/deploy-target';

async function main(): Promise<number> {
  const envName = process.argv[2] ?? 'dev';
  try {
    const config = loadConfig(envName);
    const sts = new STSClient({ region: config.region });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    const problems = deployTargetProblems(config, { account: identity.Account, arn: identity.Arn }, region);
    if (problems.length > 0) {
      console.error(`Preflight failed for '${envName}':\n${problems.map((p) => `  - ${p}`).join('\n')}`);
      return 1;
    }
    console.log(`Preflight ok: account ${config.account}, region ${config.region}, caller is a role session.`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigValidationError) {
      console.error(e.message);
      return 1;
    }
    console.error(`Preflight could not ask STS who you are: ${(e as Error).name}. Are credentials configured?`);
    return 2;
  }
}

main().then((code) => process.exit(code));
