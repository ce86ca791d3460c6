/**
 * Retention of a resource as its template states it: log group days, bucket lifecycle, Object Lock
 * and versioning, backup plan rules and vault lock, database backup retention, queue retention, and
 * what CloudFormation does with it when it is deleted or replaced.
 */
import { clusterMembership } from '../../gate/core/rds-cluster-member';
import { TemplateJson } from '../../gate/core/template-json';
import { IndexedResource, TemplateIndex } from './template-index';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** What an RDS DB instance's DBClusterIdentifier says of its cluster (clusterMembership, the gate's reading). */
const membershipOf = (r: IndexedResource): string =>
  clusterMembership(r.stack.template as TemplateJson, { Type: r.type, Properties: { ...r.properties } }).kind;

/**
 * Whether an RDS DB instance surely is a member of a cluster: its DBClusterIdentifier names a cluster of its template
 * or is a literal identifier. Absent, `{"Ref": "AWS::NoValue"}` or empty is a standalone instance; a value only deploy
 * resolves (a condition, a parameter) may be one.
 */
export function isClusterMember(r: IndexedResource): boolean {
  return r.type === 'AWS::RDS::DBInstance' && ['cluster', 'outside'].includes(membershipOf(r));
}

/** What CloudFormation does on stack deletion (DeletionPolicy, with its documented defaults). */
export function deletionPolicyOf(r: IndexedResource): string {
  if (r.deletionPolicy) return r.deletionPolicy;
  if (r.type === 'AWS::RDS::DBCluster') return 'Snapshot (CloudFormation default)';
  if (r.type === 'AWS::RDS::DBInstance') {
    // Snapshot for an instance that specifies no cluster (AWS::NoValue is none), Delete for a cluster's member.
    const kind = membershipOf(r);
    if (kind === 'standalone') return 'Snapshot (CloudFormation default)';
    if (kind === 'unknown') {
      return 'Snapshot if standalone, Delete if a cluster member (CloudFormation default; its DBClusterIdentifier only deploy resolves)';
    }
  }
  return 'Delete (CloudFormation default)';
}

/** What CloudFormation does with the old resource on replacement. */
export function updateReplacePolicyOf(r: IndexedResource): string {
  return r.updateReplacePolicy ?? 'Delete (CloudFormation default)';
}

function days(n: unknown): string {
  return `${String(n)} days`;
}

function bucketRetention(index: TemplateIndex, r: IndexedResource): string[] {
  const p = r.properties;
  const out: string[] = [];
  const lock = obj(p.ObjectLockConfiguration);
  const dflt = obj(obj(lock.Rule).DefaultRetention);
  if (p.ObjectLockEnabled === true || lock.ObjectLockEnabled === 'Enabled') {
    const span =
      dflt.Days !== undefined ? days(dflt.Days) : dflt.Years !== undefined ? `${String(dflt.Years)} years` : undefined;
    out.push(
      span
        ? `Object Lock ${String(dflt.Mode ?? '?')} ${span} (default retention)`
        : 'Object Lock enabled, no default retention',
    );
  }
  const versioning = index.flatten(obj(p.VersioningConfiguration).Status, r.stack);
  out.push(versioning === 'Enabled' ? 'versioned' : `not versioned${versioning ? ` (${versioning})` : ''}`);
  const rules = list(obj(p.LifecycleConfiguration).Rules).map(obj);
  const enabled = rules.filter((rule) => rule.Status === 'Enabled');
  if (enabled.length === 0) out.push('no lifecycle expiration (objects kept until deleted)');
  for (const rule of enabled) {
    const parts: string[] = [];
    if (rule.ExpirationInDays !== undefined) parts.push(`current versions expire after ${days(rule.ExpirationInDays)}`);
    if (rule.ExpirationDate !== undefined) parts.push(`current versions expire on ${String(rule.ExpirationDate)}`);
    const nc = obj(rule.NoncurrentVersionExpiration);
    const ncDays = nc.NoncurrentDays ?? rule.NoncurrentVersionExpirationInDays;
    if (ncDays !== undefined) parts.push(`noncurrent versions expire after ${days(ncDays)}`);
    if (parts.length === 0) parts.push('no expiration');
    out.push(`lifecycle ${String(rule.Id ?? '(unnamed)')}: ${parts.join(', ')}`);
  }
  return out;
}

function backupPlanRules(index: TemplateIndex, r: IndexedResource): string[] {
  return list(obj(r.properties.BackupPlan).BackupPlanRule)
    .map(obj)
    .map((rule) => {
      const life = obj(rule.Lifecycle);
      const keep =
        life.DeleteAfterDays !== undefined
          ? `kept ${days(life.DeleteAfterDays)}`
          : 'kept indefinitely (no DeleteAfterDays)';
      const cold =
        life.MoveToColdStorageAfterDays !== undefined ? `, cold after ${days(life.MoveToColdStorageAfterDays)}` : '';
      const pitr = rule.EnableContinuousBackup === true ? ', continuous (PITR)' : '';
      const schedule = index.flatten(rule.ScheduleExpression, r.stack);
      return `backup rule ${String(rule.RuleName ?? '?')}: ${keep}${cold}${pitr}${schedule ? `, ${schedule}` : ''}`;
    });
}

/** Retention facts of `r`, one per line; empty when its type holds nothing to retain. */
export function retentionOf(index: TemplateIndex, r: IndexedResource): string[] {
  const p = r.properties;
  switch (r.type) {
    case 'AWS::Logs::LogGroup':
      return [p.RetentionInDays === undefined ? 'log events never expire' : `log events ${days(p.RetentionInDays)}`];
    case 'AWS::S3::Bucket':
      return bucketRetention(index, r);
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
      return [
        `automated backups ${days(p.BackupRetentionPeriod ?? 1)}${p.BackupRetentionPeriod === undefined ? ' (default)' : ''}`,
        ...(p.DeleteAutomatedBackups === false ? ['automated backups kept after deletion'] : []),
        `deletion protection ${p.DeletionProtection === true ? 'on' : 'off'}`,
      ];
    case 'AWS::Backup::BackupPlan':
      return backupPlanRules(index, r);
    case 'AWS::Backup::BackupVault': {
      const lock = obj(p.LockConfiguration);
      if (Object.keys(lock).length === 0) return ['no vault lock'];
      const mode = lock.ChangeableForDays !== undefined ? 'compliance mode' : 'governance mode';
      return [
        `vault lock (${mode}): min ${days(lock.MinRetentionDays)}${lock.MaxRetentionDays !== undefined ? `, max ${days(lock.MaxRetentionDays)}` : ''}`,
      ];
    }
    case 'AWS::SQS::Queue': {
      const seconds = Number(p.MessageRetentionPeriod ?? 345600);
      return [
        `messages ${Math.round((seconds / 86400) * 100) / 100} days${p.MessageRetentionPeriod === undefined ? ' (default)' : ''}`,
      ];
    }
    case 'AWS::ECR::Repository': {
      const text = obj(p.LifecyclePolicy).LifecyclePolicyText;
      if (typeof text !== 'string') return ['images kept until deleted (no lifecycle policy)'];
      try {
        const rules = list(obj(JSON.parse(text)).rules).map(obj);
        return rules.map((rule) => `image lifecycle: ${String(rule.description ?? JSON.stringify(rule.selection))}`);
      } catch {
        return ['image lifecycle policy (not parseable)'];
      }
    }
    case 'AWS::DynamoDB::Table':
      return [
        `point-in-time recovery ${obj(p.PointInTimeRecoverySpecification).PointInTimeRecoveryEnabled === true ? 'on' : 'off'}`,
      ];
    case 'AWS::Kinesis::Stream':
      return [`records ${String(p.RetentionPeriodHours ?? 24)} hours`];
    default:
      return [];
  }
}
