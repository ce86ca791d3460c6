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
 * Break-glass principals (breakGlassPrincipalArns, IAM user ARNs): IAM refuses to create a role whose
 * trust policy names a user that does not exist, so each user in the caller's account must exist
 * (IAM GetUser). Users of other accounts cannot be checked from here: a warning says what must exist.
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
    try {
      await ctx.clients.iam(config.region).send(new GetUserCommand({ UserName: user.userName }));
    } catch (e) {
      if (!isError(e, 'NoSuchEntityException', 'NoSuchEntity')) throw e;
      findings.push(
        error(
          CHECK,
          `breakGlassPrincipalArns[${i}] = '${arn}': no IAM user '${user.userName}' in account ${user.account}; IAM ` +
            `rejects the break-glass role's trust policy (invalid principal) and the audit stack fails. Create the user ` +
            `(hardware MFA, credentials sealed) or remove it from ${CONFIG_FILE}`,
        ),
      );
    }
  }
  if (elsewhere.length > 0) {
    findings.push(
      warning(
        CHECK,
        `not checked from account ${identity.account}: ${elsewhere.join(', ')}. Each IAM user must already exist in its ` +
          'own account (IAM rejects a trust policy naming a missing user and the audit stack fails); that account must ' +
          'also give it hardware MFA and sts:AssumeRole on the break-glass role',
      ),
    );
  }
  return findings;
};
