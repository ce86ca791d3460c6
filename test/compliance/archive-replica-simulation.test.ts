/**
 * I2 D2 U5 U6: the synthesized prod audit replica bucket (the replica region's copy of the audit archive, the findings
 * archive and the access-audit bucket) evaluated as AWS would (@cloud-copilot/iam-simulate). Every IAM principal
 * holds AdministratorAccess (the worst case), so what is denied is denied by the replica's bucket policy alone: nobody
 * (workload, administrator, deployment role, root user, the delivery roles, the replication role itself) deletes a
 * replicated finding or access event or weakens its lock; nobody writes directly; only the audit replication role
 * replicates into it, and with its own policy it may replicate objects but not deletes.
 */
import { deploymentRoleArn, rootUserArn, taskRoleArns, validateConfig } from '../../lib/config';
import {
  accessAuditDeliveryRoleName,
  auditReplicationRoleName,
  findingsArchiveDeliveryRoleName,
} from '../../lib/config/names';
import { TEST_ACCOUNT, testConfig } from '../support/blueprint';
import { ADMINISTRATOR_ACCESS, Decision, PolicyDocument, simulate } from '../support/iam-simulation';
import { bucketNameOf, DeployTarget, resolveIntrinsics } from '../support/resolve-intrinsics';
import { templateJson } from '../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const A = TEST_ACCOUNT;
const role = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
const config = validateConfig(testConfig('prod'));
const REPLICA: DeployTarget = { account: A, region: 'us-west-2', partition: 'aws' };
const MAIN: DeployTarget = { account: A, region: 'us-east-1', partition: 'aws' };
const replicaStack = templateJson('prod', 'PhiReplica') as Json;
const audit = templateJson('prod', 'Audit') as Json;

const only = (template: Json, type: string, pick: (r: Json, id: string) => boolean): string => {
  const ids = Object.entries(template.Resources as Record<string, Json>)
    .filter(([id, r]) => r.Type === type && pick(r, id))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0]!;
};
const replicaId = only(replicaStack, 'AWS::S3::Bucket', (_r, id) => id.startsWith('AuditArchiveReplicaBucket'));
const policyId = only(
  replicaStack,
  'AWS::S3::BucketPolicy',
  (r) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: replicaId }),
);
const bucketPolicy = resolveIntrinsics(
  replicaStack.Resources[policyId].Properties.PolicyDocument,
  replicaStack,
  REPLICA,
) as PolicyDocument;
const bucket = bucketNameOf(replicaStack, replicaId);
const replicationPolicy = resolveIntrinsics(
  audit.Resources[only(audit, 'AWS::IAM::ManagedPolicy', (_r, id) => id.startsWith('AuditArchiveReplicationPolicy'))]
    .Properties.PolicyDocument,
  audit,
  MAIN,
) as PolicyDocument;

/** One replicated object of each source (the keys S3 replication keeps). */
const OBJECTS: Record<string, string> = {
  'a replicated Security Hub finding': 'securityhub/date=2026-01-01/hipaa-prod-findings-archive-1-2026-01-01-0001.gz',
  'a replicated GuardDuty finding': `AWSLogs/${A}/GuardDuty/us-east-1/2026/01/01/finding-0001.jsonl.gz`,
  'a replicated access event': 'events/service=sample/date=2026-01-01/hipaa-prod-access-sample-1-0001',
  'a replicated trail log': `AWSLogs/${A}/CloudTrail/us-east-1/2026/01/01/${A}_CloudTrail_us-east-1_0001.json.gz`,
};
const WHO: Record<string, string> = {
  'account administrator': role('Administrator'),
  'deployment role (replica region)': deploymentRoleArn(config, 'us-west-2'),
  'root user': rootUserArn(config),
  'task role': taskRoleArns(config)[0]!,
  'findings archive delivery role': role(findingsArchiveDeliveryRoleName(config)),
  'access-audit delivery role': role(accessAuditDeliveryRoleName(config)),
  'audit replication role': role(auditReplicationRoleName(config)),
};

const onReplica = (principal: string, action: string, key: string, identity: PolicyDocument = ADMINISTRATOR_ACCESS) =>
  simulate({
    principal,
    action,
    resource: `arn:aws:s3:::${bucket}/${key}`,
    resourceAccount: A,
    resourcePolicy: bucketPolicy,
    identityPolicies: [identity],
    context: { 's3:TlsVersion': '1.3' },
  });

describe('audit replica bucket policy simulation (findings archive and access-audit replicas)', () => {
  test.each(
    Object.keys(WHO).flatMap((who) =>
      Object.keys(OBJECTS).flatMap((object) =>
        [
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:PutObjectRetention',
          's3:PutObjectLegalHold',
          's3:BypassGovernanceRetention',
        ].map((action) => [who, action, object] as const),
      ),
    ),
  )('I2 U6 %s: %s on %s is denied', async (who, action, object) => {
    expect(await onReplica(WHO[who]!, action, OBJECTS[object]!)).toBe<Decision>('ExplicitlyDenied');
  });

  test.each(Object.keys(WHO))('I2 U6 %s cannot write or overwrite a replica directly (s3:PutObject)', async (who) => {
    for (const key of Object.values(OBJECTS)) {
      expect(await onReplica(WHO[who]!, 's3:PutObject', key)).toBe<Decision>('ExplicitlyDenied');
    }
  });

  test.each(Object.keys(WHO).filter((w) => w !== 'audit replication role'))(
    'I2 U6 %s cannot replicate into the replica (s3:ReplicateObject, s3:ReplicateTags)',
    async (who) => {
      for (const action of ['s3:ReplicateObject', 's3:ReplicateTags']) {
        expect(await onReplica(WHO[who]!, action, OBJECTS['a replicated access event']!)).toBe('ExplicitlyDenied');
      }
    },
  );

  test.each(Object.keys(OBJECTS))(
    'I2 D2 U5 the audit replication role, with its own policy, replicates %s; it never replicates a delete',
    async (object) => {
      const replication = WHO['audit replication role']!;
      expect(await onReplica(replication, 's3:ReplicateObject', OBJECTS[object]!, replicationPolicy)).toBe('Allowed');
      expect(await onReplica(replication, 's3:ReplicateDelete', OBJECTS[object]!, replicationPolicy)).toBe(
        'ExplicitlyDenied',
      );
    },
  );
});
