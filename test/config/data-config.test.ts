import { configProblems } from '../../lib/config';
import { testConfig } from '../support/blueprint';

function problemsOf(...args: Parameters<typeof testConfig>): string[] {
  return configProblems(testConfig(...args));
}

describe('data tier config validation names field, value and rule', () => {
  it('AwsSolutions-RDS11 rejects the PostgreSQL default port', () => {
    expect(problemsOf('dev', { network: { databasePort: 5432 } })).toEqual([
      'network.databasePort = 5432: must not be the PostgreSQL default port (AwsSolutions-RDS11 on the PHI database), e.g. 5433',
    ]);
  });

  it('rejects an unknown engine and a malformed instance class', () => {
    expect(problemsOf('dev', { database: { engine: 'mysql' as never, instanceClass: 'db.r6g.large' } })).toEqual([
      "database.engine = 'mysql': must be 'postgresql' (or 'aurora-postgresql' once cdk-nag#1627 is fixed)",
      "database.instanceClass = 'db.r6g.large': must be an instance class without 'db.', e.g. 'r6g.large'",
    ]);
  });

  it('rejects Aurora until the gate can pass it without an acknowledgement on a PHI store', () => {
    expect(problemsOf('prod', { database: { engine: 'aurora-postgresql', instanceClass: 'r6g.large' } })).toEqual([
      "database.engine = 'aurora-postgresql': not available yet: cdk-nag RDSInBackupPlan flags Aurora member instances (cdklabs/cdk-nag#1627) and no acknowledgement may sit on a PHI store; use 'postgresql'",
    ]);
  });

  it('I1 rejects fewer than 35 days of point-in-time recovery', () => {
    expect(problemsOf('dev', { database: { backupRetentionDays: 7 } })).toEqual([
      'database.backupRetentionDays = 7: must be at least 35 days of point-in-time recovery (safeguard I1)',
    ]);
  });

  it('rejects more than the RDS maximum of 35 days', () => {
    expect(problemsOf('dev', { database: { backupRetentionDays: 60 } })).toEqual([
      'database.backupRetentionDays = 60: must be at most 35 (the RDS maximum; longer retention comes from backup.monthlyRetentionDays)',
    ]);
  });

  it('I3 rejects a single-AZ database in production', () => {
    expect(problemsOf('prod', { database: { multiAz: false } })).toEqual([
      'database.multiAz = false: must be true in a production environment (safeguard I3)',
    ]);
    expect(problemsOf('dev', { database: { multiAz: false } })).toEqual([]);
  });

  it('rejects allocated storage below 20 GiB', () => {
    expect(problemsOf('dev', { database: { allocatedStorageGiB: 5 } })).toEqual([
      'database.allocatedStorageGiB = 5: must be an integer of at least 20 (GiB)',
    ]);
  });

  it('I2 rejects noncurrent PHI versions kept less than six years', () => {
    expect(problemsOf('dev', { phiBucket: { noncurrentVersionExpirationDays: 30 } })).toEqual([
      'phiBucket.noncurrentVersionExpirationDays = 30: must be at least 2192 days (six years, HIPAA 164.316(b)(2)(i))',
    ]);
  });

  it('I1 requires a PHI replica region (HIPAA/NIST S3BucketReplicationEnabled, never acknowledged on a PHI store)', () => {
    const config = testConfig('dev');
    const noReplica = { ...config, phiBucket: { ...config.phiBucket, replicaRegion: undefined } } as never;
    expect(configProblems(noReplica)).toEqual([
      'phiBucket.replicaRegion = undefined: required: PHI buckets must replicate to a second region (HIPAA/NIST S3BucketReplicationEnabled; no acknowledgement may sit on a PHI store)',
    ]);
  });

  it('the shipped environments replicate PHI from us-east-1 to us-west-2', () => {
    for (const env of ['dev', 'prod'] as const) {
      expect([testConfig(env).region, testConfig(env).phiBucket.replicaRegion]).toEqual(['us-east-1', 'us-west-2']);
      expect(problemsOf(env)).toEqual([]);
    }
  });

  it('rejects a replica region outside allowedRegions or equal to region', () => {
    expect(problemsOf('dev', { phiBucket: { replicaRegion: 'eu-west-1' } })).toEqual([
      "phiBucket.replicaRegion = 'eu-west-1': must be one of allowedRegions (us-east-1, us-west-2)",
    ]);
    expect(problemsOf('dev', { phiBucket: { replicaRegion: 'us-east-1' } })).toEqual([
      "phiBucket.replicaRegion = 'us-east-1': must differ from region us-east-1",
    ]);
    expect(problemsOf('dev', { phiBucket: { replicaRegion: 'us-west-2' } })).toEqual([]);
  });

  it('I1 rejects daily backups other than 35 days, monthly below a year, and a vault lock outside 35..daily', () => {
    expect(
      problemsOf('dev', { backup: { dailyRetentionDays: 7, monthlyRetentionDays: 90, vaultMinRetentionDays: 7 } }),
    ).toEqual([
      'backup.dailyRetentionDays = 7: must be 35: at least 35 (safeguard I1), at most 35 (continuous backups)',
      'backup.monthlyRetentionDays = 90: must be at least 365 days (safeguard I1)',
      'backup.vaultMinRetentionDays = 7: must be at least 35 days (safeguard I1)',
    ]);
  });

  it('rejects missing data tier sections', () => {
    const bad = { ...testConfig('dev'), database: undefined, phiBucket: undefined, backup: undefined } as never;
    expect(configProblems(bad)).toEqual([
      'database = undefined: is required (engine, instanceClass, backupRetentionDays, multiAz)',
      'phiBucket = undefined: is required (noncurrentVersionExpirationDays, replicaRegion)',
      'backup = undefined: is required (dailyRetentionDays, monthlyRetentionDays, vaultMinRetentionDays)',
    ]);
  });
});
