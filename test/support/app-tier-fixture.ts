import { App, Stack } from 'aws-cdk-lib';
import { IVpc, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AppUserPoolProps } from '../../constructs/app-user-pool';
import { testConfig } from './blueprint';

/** The blueprint's retention policy, for app-tier construct tests. */
export const retention = testConfig().retention;

/** A fresh stack in the test environment with a two-tier VPC ('Public', 'Application') and a key. */
export function appTierFixture(): { stack: Stack; vpc: IVpc; key: Key } {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new Vpc(stack, 'Vpc', {
    maxAzs: 2,
    subnetConfiguration: [
      { name: 'Public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Application', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  return { stack, vpc, key: new Key(stack, 'Key') };
}

/** Valid AppUserPool props. */
export const userPoolProps: AppUserPoolProps = {
  userPoolName: 'test-users',
  domainPrefix: 'test-signin',
  applicationHost: 'app.example.org',
  sessionTimeoutMinutes: 15,
};
