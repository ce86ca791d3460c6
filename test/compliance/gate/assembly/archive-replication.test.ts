/**
 * archiveReplicationProblems (I2, through FindingsArchivePresent on the synthetic assembly; AccessAuditChannel uses
 * the same function, see access-audit-channel-present.test.ts and the access-audit probes): the findings archive
 * replicates every SSE-KMS object, no delete markers, as a named role, into the object-locked audit replica bucket of
 * another stack under the audit replica key, and only that role may write there.
 */
import { FindingsArchivePresent } from '../../../../lib/compliance/gate/assembly/findings-archive-present';
import { findingsOf, Mutable } from './assembly-fixture';

type T = Record<string, Mutable>;
const source = (t: T) => t.audit.Resources.FindingsArchive.Properties;
const rule = (t: T) => source(t).ReplicationConfiguration.Rules[0];
const replica = (t: T) => t.phiReplica.Resources.AuditArchiveReplica;
const replicaDenies = (t: T): Mutable[] =>
  t.phiReplica.Resources.AuditArchiveReplicaPolicy.Properties.PolicyDocument.Statement;
const run = (mutate: (t: T) => void) =>
  findingsOf(FindingsArchivePresent, mutate).filter((f) => f.includes('Replication::'));

describe('archiveReplicationProblems (FindingsArchivePresent)', () => {
  test('I2 D2 the fixture archive replicates into the locked audit replica bucket: no finding', () => {
    expect(findingsOf(FindingsArchivePresent)).toEqual([]);
  });

  test.each<[string, (t: T) => void, string[]]>([
    ['no replication', (t) => delete source(t).ReplicationConfiguration, ['[Replication::none] FindingsArchive']],
    ['the rule disabled', (t) => (rule(t).Status = 'Disabled'), ['[Replication::not-every-object] FindingsArchive']],
    [
      'a prefix filter (not every object)',
      (t) => (rule(t).Filter = { Prefix: 'securityhub/' }),
      ['[Replication::not-every-object] FindingsArchive'],
    ],
    [
      'SSE-KMS objects not selected',
      (t) => (rule(t).SourceSelectionCriteria.SseKmsEncryptedObjects.Status = 'Disabled'),
      ['[Replication::not-every-object] FindingsArchive'],
    ],
    [
      'delete markers replicated',
      (t) => (rule(t).DeleteMarkerReplication.Status = 'Enabled'),
      ['[Replication::delete-markers] FindingsArchive'],
    ],
    [
      'a destination outside the assembly',
      (t) => (rule(t).Destination.Bucket = 'arn:aws:s3:::someone-elses-bucket'),
      ['[Replication::destination-outside-assembly] FindingsArchive'],
    ],
    [
      'replicas under a key alias the replica stack does not hold',
      (t) =>
        (rule(t).Destination.EncryptionConfiguration.ReplicaKmsKeyID =
          'arn:aws:kms:us-west-2:123456789012:alias/aws/s3'),
      ['[Replication::replica-key-no-alias-alias/aws/s3] FindingsArchive'],
    ],
    [
      'replicas without a replica key',
      (t) => delete rule(t).Destination.EncryptionConfiguration,
      ['[Replication::replica-key-none] FindingsArchive'],
    ],
    [
      'a role without a fixed name',
      (t) => delete t.audit.Resources.AuditReplicationRole.Properties.RoleName,
      ['[Replication::replica-writers] FindingsArchive', '[Replication::role-not-named] FindingsArchive'],
    ],
    [
      'the replica without Object Lock',
      (t) => delete replica(t).Properties.ObjectLockConfiguration,
      ['[Replication::replica-not-locked] FindingsArchive'],
    ],
    [
      'the replica in GOVERNANCE mode',
      (t) => (replica(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention.Mode = 'GOVERNANCE'),
      ['[Replication::replica-mode-GOVERNANCE] FindingsArchive'],
    ],
    [
      'the replica kept 365 days',
      (t) => (replica(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days = 365),
      ['[Replication::replica-retention] FindingsArchive'],
    ],
    [
      'the replica kept "365" days (a string, as CloudFormation reads it: 365)',
      (t) => (replica(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days = '365'),
      ['[Replication::replica-retention] FindingsArchive'],
    ],
    [
      'the replica kept a number of days only deploy resolves',
      (t) =>
        (replica(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days = {
          'Fn::If': ['Short', 1, 2192],
        }),
      ['[Replication::replica-retention] FindingsArchive'],
    ],
    [
      'the replica not an audit archive',
      (t) => delete replica(t).Metadata,
      ['[Replication::replica-not-audit-archive] FindingsArchive'],
    ],
    [
      'the replica not versioned',
      (t) => delete replica(t).Properties.VersioningConfiguration,
      ['[Replication::replica-not-versioned] FindingsArchive'],
    ],
    [
      'the replica under the primary audit key',
      (t) => {
        t.phiReplica.Resources.AuditReplicaKey.Metadata['HipaaBlueprint::KeyDomain'] = 'audit';
      },
      ['[Replication::replica-encryption-audit] FindingsArchive', '[Replication::replica-key-audit] FindingsArchive'],
    ],
    [
      'the replica letting anyone delete',
      (t) => t.phiReplica.Resources.AuditArchiveReplicaPolicy.Properties.PolicyDocument.Statement.shift(),
      ['[Replication::replica-denies-s3:DeleteObject,s3:DeleteObjectVersion] FindingsArchive'],
    ],
    [
      'the replica letting anyone put objects',
      (t) => replicaDenies(t).splice(2, 1),
      ['[Replication::replica-denies-s3:PutObject,s3:ReplicateDelete] FindingsArchive'],
    ],
    [
      'the replica admitting another role to replicate',
      (t) =>
        (replicaDenies(t)[3].Condition.ArnNotEquals['aws:PrincipalArn'] =
          'arn:aws:iam::123456789012:role/app-prod-findings-archive-delivery'),
      ['[Replication::replica-writers] FindingsArchive'],
    ],
    [
      'the replica admitting every principal to replicate',
      (t) => replicaDenies(t).splice(3, 1),
      ['[Replication::replica-writers] FindingsArchive'],
    ],
    [
      'the replica letting anyone delete in all but one prefix (the deny narrowed)',
      (t) =>
        (replicaDenies(t).find((s: Mutable) => s.Sid === 'DenyObjectDeletes')!.Resource = {
          'Fn::Join': ['', [{ 'Fn::GetAtt': ['AuditArchiveReplica', 'Arn'] }, '/nothing-here/*']],
        }),
      ['[Replication::replica-denies-s3:DeleteObject,s3:DeleteObjectVersion] FindingsArchive'],
    ],
    [
      'the replica letting anyone move objects to another key (UpdateObjectEncryption)',
      (t) => replicaDenies(t).splice(4, 1),
      ['[Replication::replica-denies-s3:UpdateObjectEncryption] FindingsArchive'],
    ],
  ])('I2 D2 %s is a finding', (_what, mutate, expected) => {
    expect(run(mutate).sort()).toEqual(expected.sort());
  });

  test('I2 the replica’s Object Lock and retention in their string forms ("true", "2192", "6" years) are what CloudFormation reads: no finding', () => {
    expect(
      run((t) => {
        replica(t).Properties.ObjectLockEnabled = 'true';
        replica(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days = '2192';
      }),
    ).toEqual([]);
    expect(
      run((t) => {
        const retention = replica(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention;
        delete retention.Days;
        retention.Years = '6';
      }),
    ).toEqual([]);
    expect(run((t) => (replica(t).Properties.ObjectLockEnabled = 'false'))).toEqual([
      '[Replication::replica-not-locked] FindingsArchive',
    ]);
  });

  test('I2 a destination matched by a literal account in the replica name is accepted too', () => {
    expect(
      run(
        (t) =>
          (rule(t).Destination.Bucket = {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':s3:::app-prod-audit-replica-123456789012-us-west-2'],
            ],
          }),
      ),
    ).toEqual([]);
  });
});
