import { deployTargetProblems } from '../../lib/preflight/deploy-target';
import { testConfig } from '../support/blueprint';

const config = testConfig('prod');

describe('preflight deploy target check', () => {
  it('passes for a role session in the configured account and region', () => {
    expect(
      deployTargetProblems(
        config,
        { account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Deployer/session' },
        'us-east-1',
      ),
    ).toEqual([]);
  });

  it('A1 refuses another account, another region, IAM user keys and root', () => {
    expect(
      deployTargetProblems(
        config,
        { account: '999999999999', arn: 'arn:aws:iam::999999999999:user/alice' },
        'eu-west-1',
      ),
    ).toEqual([
      "credentials account = 999999999999: environment 'prod' deploys to account 123456789012",
      "AWS region = eu-west-1: environment 'prod' deploys to us-east-1",
      'credentials = IAM user: deploy with a role session (SSO or assumed role), never IAM user keys (safeguard A1)',
    ]);
    expect(
      deployTargetProblems(config, { account: '123456789012', arn: 'arn:aws:iam::123456789012:root' }, undefined),
    ).toEqual(['credentials = root user: never deploy as root (safeguard A1)']);
  });
});
