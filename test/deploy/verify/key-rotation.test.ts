import { GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyKeyRotation } from '../../../lib/deploy/verify/key-rotation';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState, regionOf } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const kms = mockClient(KMSClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => kms.restore());
beforeEach(() => kms.reset());

const config = testConfig('prod');
const stacks = deployedState(
  deployedStack('hipaa-prod-keys', 'us-east-1', [
    ['PhiDataKey', 'AWS::KMS::Key', 'key-phi'],
    ['AuditKey', 'AWS::KMS::Key', 'key-audit'],
    ['PhiDataKeyAlias', 'AWS::KMS::Alias', 'alias/hipaa-prod/phi'],
  ]),
  deployedStack('hipaa-prod-phi-replica', 'us-west-2', [['PhiReplicaKey', 'AWS::KMS::Key', 'key-replica']]),
);

describe('verify E1: key rotation on every key of the environment', () => {
  it('PASS for each key, asked in its own region', async () => {
    const asked: string[] = [];
    kms.on(GetKeyRotationStatusCommand).callsFake(async (input, getClient) => {
      asked.push(`${await regionOf(getClient)} ${input.KeyId}`);
      return { KeyRotationEnabled: true, RotationPeriodInDays: 365 };
    });
    const rows = await verifyKeyRotation(verifyContext(config, stacks));
    expect(rows.map((r) => [r.check, r.status])).toEqual([
      ['key rotation hipaa-prod-keys/PhiDataKey', 'PASS'],
      ['key rotation hipaa-prod-keys/AuditKey', 'PASS'],
      ['key rotation hipaa-prod-phi-replica/PhiReplicaKey', 'PASS'],
    ]);
    expect(asked).toEqual(['us-east-1 key-phi', 'us-east-1 key-audit', 'us-west-2 key-replica']);
  });

  it('FAIL for a key with rotation off, with the command that turns it on', async () => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
    kms.on(GetKeyRotationStatusCommand, { KeyId: 'key-audit' }).resolves({ KeyRotationEnabled: false });
    const rows = await verifyKeyRotation(verifyContext(config, stacks));
    expect(rows[1]).toEqual({
      safeguard: 'E1',
      check: 'key rotation hipaa-prod-keys/AuditKey',
      status: 'FAIL',
      detail: 'key-audit: rotation OFF: `aws kms enable-key-rotation --key-id key-audit --region us-east-1`',
    });
  });

  it('FAIL when a key stack is not deployed', async () => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
    const rows = await verifyKeyRotation(verifyContext(config, deployedState(stacks.get('hipaa-prod-keys')!)));
    expect(rows[2]).toEqual({
      safeguard: 'E1',
      check: 'key rotation (hipaa-prod-phi-replica)',
      status: 'FAIL',
      detail: 'no keys: stack hipaa-prod-phi-replica is not deployed',
    });
  });
});
