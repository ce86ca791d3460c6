import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsClients } from '../core/aws-clients';
import { error, Finding } from '../core/finding';
import { describeError, errorMessage, errorName, isAccessDenied, isError } from '../core/sdk-error';
import { CallerIdentity } from './context';

/** The outcome of the credentials check: who the caller is, or why there is no usable caller. */
export type CredentialsResult =
  { readonly ok: true; readonly identity: CallerIdentity } | { readonly ok: false; readonly finding: Finding };

const CHECK = 'credentials';

const SIGN_IN =
  'sign in first, e.g. `aws sso login --profile NAME` then `export AWS_PROFILE=NAME` ' +
  '(or export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN of a role session), and run the command again';

/** Why the credentials cannot be used, as a message that says what to do. */
export function credentialsProblem(e: unknown, region: string): string {
  const name = errorName(e);
  const message = errorMessage(e);
  if (isError(e, 'ExpiredToken', 'ExpiredTokenException') || /expired/i.test(message)) {
    return `AWS credentials expired (${name}): ${SIGN_IN}`;
  }
  if (
    name === 'CredentialsProviderError' ||
    name === 'TokenProviderError' ||
    /could not load credentials/i.test(message)
  ) {
    return (
      'no AWS credentials found (looked at environment variables, AWS_PROFILE and the shared config and credentials ' +
      `files, SSO, web identity, container and instance roles): ${SIGN_IN}`
    );
  }
  if (
    isError(e, 'InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'IncompleteSignature')
  ) {
    return (
      `AWS credentials rejected by STS in ${region} (${name}): the keys are wrong, revoked, or belong to another ` +
      `partition than ${region}; ${SIGN_IN}`
    );
  }
  if (isAccessDenied(e)) {
    return (
      `access denied to sts:GetCallerIdentity in ${region} (${name}): a service control policy or permissions ` +
      'boundary blocks the deploy identity; deploy with a role that may call STS'
    );
  }
  return `could not ask STS in ${region} who the credentials are: ${describeError(e)}; check the network and the credentials`;
}

/**
 * STS GetCallerIdentity in the config's region: the first check of every command, before any CDK
 * command runs. Distinguishes no credentials, expired, rejected and access denied.
 */
export async function checkCredentials(clients: AwsClients, region: string): Promise<CredentialsResult> {
  try {
    const out = await clients.sts(region).send(new GetCallerIdentityCommand({}));
    if (!out.Account || !out.Arn) {
      return { ok: false, finding: error(CHECK, `STS in ${region} returned no account or ARN for the credentials`) };
    }
    return { ok: true, identity: { account: out.Account, arn: out.Arn } };
  } catch (e) {
    return { ok: false, finding: error(CHECK, credentialsProblem(e, region)) };
  }
}
