import { GetKeyRotationStatusCommand } from '@aws-sdk/client-kms';
import { liveResources } from '../core/deployed-state';
import { stackRef, StackRole } from '../core/stacks';
import { VerifyCheck, VerifyRow } from './context';

/** The stacks that hold the environment's keys. */
const KEY_STACKS: readonly StackRole[] = ['keys', 'phiReplica'];

/** E1: automatic rotation is on for every KMS key of the environment (GetKeyRotationStatus). */
export const verifyKeyRotation: VerifyCheck = async (ctx) => {
  const rows: VerifyRow[] = [];
  for (const role of KEY_STACKS) {
    const ref = stackRef(ctx.config, role);
    const keys = liveResources(ctx.deployed.get(ref.stackName), 'AWS::KMS::Key');
    if (keys.length === 0) {
      rows.push({
        safeguard: 'E1',
        check: `key rotation (${ref.stackName})`,
        status: 'FAIL',
        detail: `no keys: stack ${ref.stackName} is not deployed`,
      });
      continue;
    }
    for (const key of keys) {
      const out = await ctx.clients.kms(ref.region).send(new GetKeyRotationStatusCommand({ KeyId: key.physicalId }));
      rows.push({
        safeguard: 'E1',
        check: `key rotation ${ref.stackName}/${key.logicalId}`,
        status: out.KeyRotationEnabled ? 'PASS' : 'FAIL',
        detail: out.KeyRotationEnabled
          ? `${key.physicalId}: rotation on${out.RotationPeriodInDays ? ` every ${out.RotationPeriodInDays} days` : ''}`
          : `${key.physicalId}: rotation OFF: \`aws kms enable-key-rotation --key-id ${key.physicalId} --region ${ref.region}\``,
      });
    }
  }
  return rows;
};
