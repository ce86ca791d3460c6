import { App, Stack } from 'aws-cdk-lib';
import { IVpc, Vpc } from 'aws-cdk-lib/aws-ec2';
import { IKey, Key } from 'aws-cdk-lib/aws-kms';
import { RetentionPolicy } from '../../constructs/core/retention';

/** Fixed test environment (STYLE 19). */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/** The blueprint's retention floor as RetentionPolicy (what the shipped configs use). */
export const RETENTION: RetentionPolicy = {
  logRetentionDays: 2192,
  auditRetentionDays: 2192,
  auditLockMode: 'COMPLIANCE',
};

/** A stack of its own in a fresh app (CloudFormation validation off), in the test environment. */
export function fixtureStack(id = 'S'): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), id, { env: TEST_ENV });
}

/** ARN of a key that exists outside the fixture stack (a stand-in for the keys stack's keys). */
export const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** An imported key: no key resource and no key policy in the fixture template. */
export function importedKey(scope: Stack, id = 'Key', arn = KEY_ARN): IKey {
  return Key.fromKeyArn(scope, id, arn);
}

/** CIDR of the imported fixture VPC. */
export const VPC_CIDR = '10.10.0.0/16';
/** Subnet ids of the fixture VPC's application tier. */
export const APPLICATION_SUBNET_IDS = ['subnet-0a0000000000000a1', 'subnet-0a0000000000000a2'];

/**
 * An imported VPC (no VPC resources in the fixture template) with a public and an isolated application
 * tier in two AZs, like the PHI VPC's.
 */
export function importedVpc(scope: Stack, id = 'Vpc'): IVpc {
  return Vpc.fromVpcAttributes(scope, id, {
    vpcId: 'vpc-0a000000000000001',
    vpcCidrBlock: VPC_CIDR,
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnetIds: ['subnet-0b0000000000000b1', 'subnet-0b0000000000000b2'],
    publicSubnetNames: ['Public'],
    publicSubnetRouteTableIds: ['rtb-0b0000000000000b1', 'rtb-0b0000000000000b2'],
    isolatedSubnetIds: APPLICATION_SUBNET_IDS,
    isolatedSubnetNames: ['Application'],
    isolatedSubnetRouteTableIds: ['rtb-0a0000000000000a1', 'rtb-0a0000000000000a2'],
  });
}
