import { GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { checkBreakGlass, parseUserArn } from '../../../lib/deploy/preflight/break-glass';
import { testConfig } from '../../support/blueprint';
import { preflightContext, sdkError } from '../../support/deploy';

const iam = mockClient(IAMClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => iam.restore());
beforeEach(() => iam.reset());

const local = 'arn:aws:iam::123456789012:user/emergency/break-glass-1';
const remote = 'arn:aws:iam::333333333333:user/break-glass-2';
const config = testConfig('prod', { breakGlassPrincipalArns: [local, remote] });

describe('preflight: break-glass principals', () => {
  it('parses user ARNs with paths', () => {
    expect(parseUserArn(local)).toEqual({ account: '123456789012', userName: 'break-glass-1' });
    expect(parseUserArn('arn:aws:iam::123456789012:role/x')).toBeUndefined();
  });

  it("checks users of the caller's account with GetUser; users elsewhere are a warning saying what must exist", async () => {
    iam.on(GetUserCommand).resolves({
      User: { UserName: 'break-glass-1', Path: '/', UserId: 'AIDAEXAMPLE', Arn: local, CreateDate: new Date(0) },
    });
    expect(await checkBreakGlass(preflightContext(config))).toEqual([
      {
        level: 'warning',
        check: 'break-glass principals',
        message:
          'not checked from account 123456789012: arn:aws:iam::333333333333:user/break-glass-2. Each account must exist (IAM rejects a trust policy naming a nonexistent account, and the audit stack fails); each user must exist there with exactly this ARN, path included, or nobody can use break-glass; that account must also give it hardware MFA and sts:AssumeRole on the break-glass role',
      },
    ]);
    expect(iam.commandCalls(GetUserCommand).map((c) => c.args[0].input)).toEqual([{ UserName: 'break-glass-1' }]);
  });

  it("refuses in production a user of the caller's account that does not exist (the role deploys, but A5 would not work)", async () => {
    iam
      .on(GetUserCommand)
      .rejects(sdkError('NoSuchEntityException', 'The user with name break-glass-1 cannot be found.', 404));
    const findings = await checkBreakGlass(preflightContext(config));
    expect(findings[0]).toEqual({
      level: 'error',
      check: 'break-glass principals',
      message:
        "breakGlassPrincipalArns[0] = 'arn:aws:iam::123456789012:user/emergency/break-glass-1': no IAM user 'break-glass-1' in account 123456789012. The break-glass role deploys (its trust names the account), but nobody can assume it until the user exists: create it (hardware MFA, credentials sealed) or remove it from lib/config/environments.ts (production: no emergency access, A5)",
    });
  });

  it("outside production a missing user of the caller's account is a warning: the deploy goes on", async () => {
    iam.on(GetUserCommand).rejects(sdkError('NoSuchEntityException', 'not found', 404));
    const findings = await checkBreakGlass(preflightContext(testConfig('dev', { breakGlassPrincipalArns: [local] })));
    expect(findings).toHaveLength(1);
    expect(findings[0].level).toBe('warning');
    expect(findings[0].message).toMatch(
      /no IAM user 'break-glass-1' in account 123456789012\. The break-glass role deploys/,
    );
  });

  it("refuses a configured ARN that is not the user's real ARN (another path): aws:PrincipalArn would never match", async () => {
    iam.on(GetUserCommand).resolves({
      User: {
        UserName: 'break-glass-1',
        Path: '/',
        UserId: 'AIDAEXAMPLE',
        Arn: 'arn:aws:iam::123456789012:user/break-glass-1',
        CreateDate: new Date(0),
      },
    });
    const findings = await checkBreakGlass(preflightContext(testConfig('prod', { breakGlassPrincipalArns: [local] })));
    expect(findings).toEqual([
      {
        level: 'error',
        check: 'break-glass principals',
        message:
          "breakGlassPrincipalArns[0] = 'arn:aws:iam::123456789012:user/emergency/break-glass-1': the IAM user 'break-glass-1' is 'arn:aws:iam::123456789012:user/break-glass-1'. The role's trust matches aws:PrincipalArn exactly (path included), so this user could never assume it: set 'arn:aws:iam::123456789012:user/break-glass-1' in lib/config/environments.ts",
      },
    ]);
  });

  it('no principals: nothing to check', async () => {
    expect(await checkBreakGlass(preflightContext(testConfig('dev', { breakGlassPrincipalArns: [] })))).toEqual([]);
    expect(iam.calls()).toHaveLength(0);
  });
});
