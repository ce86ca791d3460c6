import { GetUserCommand } from '@aws-sdk/client-iam';
import { error, Finding, warning } from '../core/finding';
import { isError } from '../core/sdk-error';
import { CONFIG_FILE } from '../core/stacks';
import { PreflightCheck } from './context';

const CHECK = 'break-glass principals';

/** Account and user name of an IAM user ARN (`arn:PARTITION:iam::ACCOUNT:user/PATH/NAME`). */
export function parseUserArn(arn: string): { account: string; userName: string } | undefined {
  const m = /^arn:[^:]+:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? { account: m[1], userName: m[2] } : undefined;
}

/**
 * Break-glass principals (breakGlassPrincipalArns, IAM user ARNs). The role's trust names each user's
 * account and matches the user by `aws:PrincipalArn` (constructs/break-glass-role.ts, breakGlassTrust), so
 * IAM creates the role whether or not the users exist yet; but only a user whose ARN is exactly the configured
 * one (path included) can use it. Each user of the caller's account is looked up (IAM GetUser): a missing
 * user is an error in production (no emergency access, A5) and a warning elsewhere; a user whose real ARN
 * differs (another path) is an error. Users of other accounts cannot be checked from here: a warning says
 * what must exist.
 */
export const checkBreakGlass: PreflightCheck = async (ctx) => {
  const { config, identity } = ctx;
  const findings: Finding[] = [];
  const elsewhere: string[] = [];
  for (const [i, arn] of config.breakGlassPrincipalArns.entries()) {
    const user = parseUserArn(arn);
    if (!user) {
      findings.push(
        error(CHECK, `breakGlassPrincipalArns[${i}] = '${arn}': not an IAM user ARN (arn:aws:iam::ACCOUNT:user/NAME)`),
      );
      continue;
    }
    if (user.account !== identity.account) {
      elsewhere.push(arn);
      continue;
    }
    let actualArn: string | undefined;
    try {
      const out = await ctx.clients.iam(config.region).send(new GetUserCommand({ UserName: user.userName }));
      actualArn = out.User?.Arn;
    } catch (e) {
      if (!isError(e, 'NoSuchEntityException', 'NoSuchEntity')) throw e;
      const missing =
        `breakGlassPrincipalArns[${i}] = '${arn}': no IAM user '${user.userName}' in account ${user.account}. The ` +
        'break-glass role deploys (its trust names the account), but nobody can assume it until the user exists: ' +
        `create it (hardware MFA, credentials sealed) or remove it from ${CONFIG_FILE}`;
      findings.push(
        config.production ? error(CHECK, `${missing} (production: no emergency access, A5)`) : warning(CHECK, missing),
      );
      continue;
    }
    if (actualArn !== undefined && actualArn !== arn) {
      findings.push(
        error(
          CHECK,
          `breakGlassPrincipalArns[${i}] = '${arn}': the IAM user '${user.userName}' is '${actualArn}'. The role's trust ` +
            `matches aws:PrincipalArn exactly (path included), so this user could never assume it: set '${actualArn}' in ${CONFIG_FILE}`,
        ),
      );
    }
  }
  if (elsewhere.length > 0) {
    findings.push(
      warning(
        CHECK,
        `not checked from account ${identity.account}: ${elsewhere.join(', ')}. Each account must exist (IAM rejects a ` +
          'trust policy naming a nonexistent account, and the audit stack fails); each user must exist there with exactly ' +
          'this ARN, path included, or nobody can use break-glass; that account must also give it hardware MFA and ' +
          'sts:AssumeRole on the break-glass role',
      ),
    );
  }
  return findings;
};
