import { deployTargetFindings, partitionOf } from '../../../lib/deploy/preflight/deploy-target';
import { testConfig } from '../../support/blueprint';

const config = testConfig('prod');
const role = 'arn:aws:sts::123456789012:assumed-role/Deployer/session';

describe('preflight deploy target check', () => {
  it('passes for a role session in the configured account, partition and region', () => {
    expect(deployTargetFindings(config, { account: '123456789012', arn: role }, 'us-east-1')).toEqual([]);
    expect(deployTargetFindings(config, { account: '123456789012', arn: role }, undefined)).toEqual([]);
  });

  it('A1 refuses another account, naming the configured one', () => {
    const [f] = deployTargetFindings(
      config,
      { account: '999999999999', arn: 'arn:aws:sts::999999999999:assumed-role/D/s' },
      undefined,
    );
    expect(f).toEqual({
      level: 'error',
      check: 'deploy target',
      message:
        "credentials account = 999999999999: environment 'prod' (lib/config/environments.ts) deploys to account 123456789012; use credentials of account 123456789012, or fix the account in config",
    });
  });

  it('refuses a shell region that differs from config.region', () => {
    const findings = deployTargetFindings(config, { account: '123456789012', arn: role }, 'eu-west-1');
    expect(findings.map((f) => f.message)).toEqual([
      "AWS_REGION/AWS_DEFAULT_REGION = eu-west-1: environment 'prod' (lib/config/environments.ts) deploys to us-east-1; export AWS_REGION=us-east-1 (or unset it) so every tool talks to the same region",
    ]);
  });

  it("refuses credentials of another partition than the config region's", () => {
    const findings = deployTargetFindings(
      config,
      { account: '123456789012', arn: 'arn:aws-us-gov:sts::123456789012:assumed-role/D/s' },
      undefined,
    );
    expect(findings.map((f) => f.message)).toEqual([
      "credentials partition = aws-us-gov (arn:aws-us-gov:sts::123456789012:assumed-role/D/s): region us-east-1 of environment 'prod' (lib/config/environments.ts) is in partition aws",
    ]);
    expect([partitionOf('us-east-1'), partitionOf('cn-north-1'), partitionOf('us-gov-west-1')]).toEqual([
      'aws',
      'aws-cn',
      'aws-us-gov',
    ]);
  });

  it('A1 refuses IAM user keys and root', () => {
    expect(
      deployTargetFindings(config, { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice' }, undefined),
    ).toEqual([
      {
        level: 'error',
        check: 'deploy target',
        message:
          'credentials = IAM user arn:aws:iam::123456789012:user/alice: deploy with a role session (IAM Identity Center or an assumed role), never IAM user long-term keys (safeguard A1)',
      },
    ]);
    expect(
      deployTargetFindings(config, { account: '123456789012', arn: 'arn:aws:iam::123456789012:root' }, undefined),
    ).toEqual([
      {
        level: 'error',
        check: 'deploy target',
        message:
          'credentials = root user (arn:aws:iam::123456789012:root): never deploy as root; use a role session (safeguard A1)',
      },
    ]);
  });
});
