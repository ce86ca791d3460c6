import { MIN_PITR_DAYS } from '../../../../constructs/core/backup-floors';
import { findingsOf, KEY_ARN, template } from './rule-fixtures';

const SNAPSHOT = { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' } as const;
/** The PHI database as PhiDatabase ships it (RDS for PostgreSQL instance), with `props` changed. */
const instance = (props: Record<string, unknown> = {}) => ({
  Type: 'AWS::RDS::DBInstance',
  ...SNAPSHOT,
  Metadata: { 'HipaaBlueprint::PhiStore': true },
  Properties: {
    Engine: 'postgres',
    DBInstanceClass: 'db.t4g.medium',
    AllocatedStorage: '20',
    StorageEncrypted: true,
    KmsKeyId: KEY_ARN,
    BackupRetentionPeriod: MIN_PITR_DAYS,
    DeleteAutomatedBackups: false,
    DeletionProtection: true,
    ...props,
  },
});
const cluster = (props: Record<string, unknown> = {}) => ({
  Type: 'AWS::RDS::DBCluster',
  ...SNAPSHOT,
  Properties: {
    Engine: 'aurora-postgresql',
    DBClusterIdentifier: 'app-prod-phi',
    StorageEncrypted: true,
    KmsKeyId: KEY_ARN,
    BackupRetentionPeriod: MIN_PITR_DAYS,
    DeleteAutomatedBackups: false,
    ...props,
  },
});
const recoverable = (resources: Record<string, Record<string, unknown>>): string[] =>
  findingsOf('PhiDatabaseRecoverable', {
    ...template(resources),
    Conditions: { C: { 'Fn::Equals': ['a', 'a'] } },
    Parameters: { Days: { Type: 'Number' } },
  });

describe('PhiDatabaseRecoverable', () => {
  test('I1 I2 the shipped shape passes: 35 days of automated backups, kept when the instance is deleted', () => {
    expect(recoverable({ Db: instance() })).toEqual([]);
    expect(recoverable({ Db: instance({ BackupRetentionPeriod: '35', DeleteAutomatedBackups: 'false' }) })).toEqual([]);
    expect(recoverable({ Cluster: cluster() })).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string[]]>([
    ['automated backups kept 1 day', { BackupRetentionPeriod: 1 }, ['[BackupRetentionPeriod::1] Db']],
    [
      'automated backups kept 34 days (string form)',
      { BackupRetentionPeriod: '34' },
      ['[BackupRetentionPeriod::34] Db'],
    ],
    [
      'automated backups unset (CloudFormation: 1 day)',
      { BackupRetentionPeriod: undefined },
      ['[BackupRetentionPeriod::absent] Db'],
    ],
    [
      'automated backups from a parameter',
      { BackupRetentionPeriod: { Ref: 'Days' } },
      ['[BackupRetentionPeriod::unresolved] Db'],
    ],
    [
      'automated backups 1 day in a branch of a condition',
      { BackupRetentionPeriod: { 'Fn::If': ['C', 35, 1] } },
      ['[BackupRetentionPeriod::1] Db'],
    ],
    [
      'automated backups deleted with the instance',
      { DeleteAutomatedBackups: true },
      ['[DeleteAutomatedBackups::true] Db'],
    ],
    [
      'DeleteAutomatedBackups unset (RDS deletes them)',
      { DeleteAutomatedBackups: undefined },
      ['[DeleteAutomatedBackups::absent] Db'],
    ],
    [
      'DeleteAutomatedBackups from a condition',
      { DeleteAutomatedBackups: { 'Fn::If': ['C', false, true] } },
      ['[DeleteAutomatedBackups::true] Db'],
    ],
  ])('I1 I2 %s is a finding', (_name, change, expected) => {
    expect(recoverable({ Db: instance(change) })).toEqual(expected);
  });

  test('I1 an Aurora cluster keeps the floor; its member instances defer to it', () => {
    expect(recoverable({ Cluster: cluster({ BackupRetentionPeriod: 7 }) })).toEqual([
      '[BackupRetentionPeriod::7] Cluster',
    ]);
    expect(recoverable({ Cluster: cluster({ DeleteAutomatedBackups: undefined }) })).toEqual([
      '[DeleteAutomatedBackups::absent] Cluster',
    ]);
    const member = instance({ Engine: 'aurora-postgresql', DBClusterIdentifier: { Ref: 'Cluster' } });
    delete (member.Properties as Record<string, unknown>).BackupRetentionPeriod;
    delete (member.Properties as Record<string, unknown>).DeleteAutomatedBackups;
    expect(recoverable({ Cluster: cluster(), Member: member })).toEqual([]);
  });
});
