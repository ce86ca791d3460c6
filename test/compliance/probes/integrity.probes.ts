import { one, Probe } from './probe';

const db = (t: Parameters<Probe['mutate']>[0]) => one(t, 'data', 'AWS::RDS::DBInstance')[1];
const phiBucket = (t: Parameters<Probe['mutate']>[0], stack = 'data') =>
  one(t, stack, 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::PhiStore'] === true)[1];

/** Integrity and availability: I1 backups, I2 nothing stateful lost, I3 Multi-AZ. */
export const PROBES: readonly Probe[] = [
  {
    name: 'I1 the backup vault lock removed',
    safeguards: ['I1'],
    mutate: (t) => delete one(t, 'data', 'AWS::Backup::BackupVault')[1].Properties.LockConfiguration,
    caughtBy: /BackupVaultLocked\[LockConfiguration::none\]/,
  },
  {
    name: 'I1 the vault lock minimum cut to 7 days',
    safeguards: ['I1'],
    mutate: (t) => (one(t, 'data', 'AWS::Backup::BackupVault')[1].Properties.LockConfiguration.MinRetentionDays = 7),
    caughtBy: /BackupVaultLocked\[LockConfiguration\.MinRetentionDays::7\]/,
  },
  {
    name: 'I1 automated database backups off',
    safeguards: ['I1'],
    mutate: (t) => (db(t).Properties.BackupRetentionPeriod = 0),
    caughtBy: /RDSInstanceBackupEnabled/,
  },
  {
    name: 'I2 database deletion protection off',
    safeguards: ['I2'],
    mutate: (t) => (db(t).Properties.DeletionProtection = false),
    caughtBy: /RDSInstanceDeletionProtectionEnabled/,
  },
  {
    name: 'I2 a key deleted with its stack',
    safeguards: ['I2', 'E1'],
    mutate: (t) => (one(t, 'keys', 'AWS::KMS::Key')[1].DeletionPolicy = 'Delete'),
    caughtBy: /KmsKeySafeguards\[DeletionPolicy::not-Retain\]/,
  },
  {
    name: 'I2 the audit log group deleted with its stack',
    safeguards: ['I2', 'U3'],
    mutate: (t) => (one(t, 'audit', 'AWS::Logs::LogGroup')[1].DeletionPolicy = 'Delete'),
    caughtBy: /LogGroupSixYearRetention\[DeletionPolicy::not-Retain\]/,
  },
  {
    name: 'I2 the PHI bucket deleted with its stack and on replacement',
    safeguards: ['I2'],
    mutate: (t) => {
      phiBucket(t).DeletionPolicy = 'Delete';
      phiBucket(t).UpdateReplacePolicy = 'Delete';
    },
    caughtBy: /StatefulResourcesRetained\[DeletionPolicy::Delete\]/,
  },
  {
    name: 'I2 the database replaced without a final snapshot',
    safeguards: ['I2'],
    mutate: (t) => (db(t).UpdateReplacePolicy = 'Delete'),
    caughtBy: /StatefulResourcesRetained\[UpdateReplacePolicy::Delete\]/,
  },
  {
    name: 'I2 the backup vault deleted with its stack (recovery points with it)',
    safeguards: ['I2', 'I1'],
    mutate: (t) => delete one(t, 'data', 'AWS::Backup::BackupVault')[1].DeletionPolicy,
    caughtBy: /StatefulResourcesRetained\[DeletionPolicy::absent\]/,
  },
  {
    name: 'I2 D2 the GuardDuty detector deleted with its stack (its findings with it)',
    safeguards: ['I2', 'D2'],
    mutate: (t) => (one(t, 'detection', 'AWS::GuardDuty::Detector')[1].DeletionPolicy = 'Delete'),
    caughtBy: /StatefulResourcesRetained\[DeletionPolicy::Delete\]/,
  },
  {
    name: "I2 the PHI bucket's current objects expired by lifecycle after 30 days",
    safeguards: ['I2'],
    mutate: (t) => (phiBucket(t).Properties.LifecycleConfiguration.Rules[0].ExpirationInDays = 30),
    caughtBy: /PhiBucketKeepsVersions\[Rule\[\w+\]\.ExpirationInDays::current-objects-expire\]/,
  },
  {
    name: "I2 the PHI replica's noncurrent versions expired after a day",
    safeguards: ['I2'],
    mutate: (t) =>
      (phiBucket(
        t,
        'phiReplica',
      ).Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration.NoncurrentDays = 1),
    caughtBy: /PhiBucketKeepsVersions\[Rule\[\w+\]\.NoncurrentVersionExpiration::1\]/,
  },
  {
    name: 'I2 the PHI bucket versioning suspended',
    safeguards: ['I2'],
    mutate: (t) => (phiBucket(t).Properties.VersioningConfiguration.Status = 'Suspended'),
    caughtBy: /PhiBucketKeepsVersions\[VersioningConfiguration::Suspended\]/,
  },
  {
    name: 'I3 the database not Multi-AZ',
    safeguards: ['I3'],
    mutate: (t) => (db(t).Properties.MultiAZ = false),
    caughtBy: /RDSMultiAZSupport/,
  },
];
