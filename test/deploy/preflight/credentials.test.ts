import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsClients } from '../../../lib/deploy/core/aws-clients';
import { checkCredentials } from '../../../lib/deploy/preflight/credentials';
import { fakeClients, sdkError } from '../../support/deploy';

const sts = mockClient(STSClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => sts.restore());

async function problem(e: Error): Promise<string> {
  sts.on(GetCallerIdentityCommand).rejects(e);
  const result = await checkCredentials(fakeClients(), 'us-east-1');
  if (result.ok) throw new Error('expected a refusal');
  expect(result.finding.level).toBe('error');
  return result.finding.message;
}

describe('credentials check (first, before any CDK command)', () => {
  beforeEach(() => sts.reset());

  it('passes with the caller account and ARN', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/D/s' });
    await expect(checkCredentials(fakeClients(), 'us-east-1')).resolves.toEqual({
      ok: true,
      identity: { account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/D/s' },
    });
  });

  it('says when there are no credentials at all', async () => {
    expect(
      await problem(sdkError('CredentialsProviderError', 'Could not load credentials from any providers')),
    ).toMatch(
      /^no AWS credentials found \(looked at environment variables, AWS_PROFILE .*\): sign in first, e\.g\. `aws sso login/,
    );
  });

  it('says when they expired (STS token or SSO session)', async () => {
    expect(
      await problem(sdkError('ExpiredTokenException', 'The security token included in the request is expired')),
    ).toMatch(/^AWS credentials expired \(ExpiredTokenException\): sign in first/);
    expect(
      await problem(
        sdkError(
          'CredentialsProviderError',
          'The SSO session associated with this profile has expired or is otherwise invalid.',
        ),
      ),
    ).toMatch(/^AWS credentials expired \(CredentialsProviderError\)/);
  });

  it('says when STS rejects them, or denies access', async () => {
    expect(
      await problem(sdkError('InvalidClientTokenId', 'The security token included in the request is invalid.')),
    ).toMatch(
      /^AWS credentials rejected by STS in us-east-1 \(InvalidClientTokenId\): the keys are wrong, revoked, or belong to another partition/,
    );
    expect(await problem(sdkError('AccessDenied', 'not authorized', 403))).toMatch(
      /^access denied to sts:GetCallerIdentity in us-east-1 \(AccessDenied\)/,
    );
  });

  it('anything else names the SDK error', async () => {
    expect(await problem(sdkError('TimeoutError', 'socket hang up'))).toBe(
      'could not ask STS in us-east-1 who the credentials are: TimeoutError: socket hang up; check the network and the credentials',
    );
  });
});

describe('credentials check with the real SDK middleware (no mock)', () => {
  beforeAll(() => sts.restore());

  it('a failing credential provider is reported as missing credentials, before any request', async () => {
    const noCredentials = new AwsClients({
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      },
      maxAttempts: 1,
    });
    const result = await checkCredentials(noCredentials, 'us-east-1');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.finding.message).toMatch(/^no AWS credentials found/);
  });
});
