import { isDomainKey, Json, keyOutput, one, Probe } from './probe';

/**
 * CloudFormation's string forms: CloudFormation takes "true" for a Boolean and "1" for an Integer, and so does a
 * hand-edited template (or an `addPropertyOverride` in a fork). A rule that reads only typed values would let them past.
 * (ECS Exec turned on as "true" is pinned in test/compliance/gate/assembly/interface-endpoints-present.test.ts: in the
 * prod assembly its endpoints are required for other reasons too, so no probe here could tell.)
 */
export const PROBES: readonly Probe[] = [
  {
    name: 'I1 the cross-region backup copy kept "1" day (a string) against the replica vault lock',
    safeguards: ['I1'],
    mutate: (t) => {
      const rules = one(t, 'data', 'AWS::Backup::BackupPlan')[1].Properties.BackupPlan.BackupPlanRule as Json[];
      const copies = rules.flatMap((r) => (r.CopyActions ?? []) as Json[]);
      if (copies.length === 0) throw new Error('probe: the backup plan has no copy action');
      for (const c of copies) c.Lifecycle = { ...(c.Lifecycle ?? {}), DeleteAfterDays: '1' };
    },
    caughtBy: /BackupCopiedToLockedVault\[\w+::copy-retention-below-lock\]/,
  },
  {
    name: 'E1 E2 Performance Insights enabled as "true" (a string) under the backup key',
    safeguards: ['E1', 'E2'],
    mutate: (t) => {
      const [backupKey] = one(t, 'keys', 'AWS::KMS::Key', isDomainKey('backup'));
      const db = one(t, 'data', 'AWS::RDS::DBInstance')[1];
      db.Properties.EnablePerformanceInsights = 'true';
      db.Properties.PerformanceInsightsKMSKeyId = keyOutput(t.keys!, backupKey);
    },
    caughtBy: /PhiStoreKeyDomain\[PerformanceInsightsKMSKeyId::backup\]/,
  },
];
