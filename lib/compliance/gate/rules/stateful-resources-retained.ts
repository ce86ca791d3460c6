import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { clusterMembership } from '../core/rds-cluster-member';
import { viewOf } from './template-view';

const RETAIN: readonly string[] = ['Retain'];
/** Stores CloudFormation can snapshot before deleting: a final snapshot keeps the data. */
const RETAIN_OR_SNAPSHOT: readonly string[] = ['Retain', 'Snapshot'];

/**
 * Resource types that hold data (PHI, audit records, findings, identities, backups) and the DeletionPolicy and
 * UpdateReplacePolicy values that keep it when the stack is deleted or the resource replaced. A GuardDuty detector, a
 * Security Hub hub and a Macie session hold their findings: deleting one deletes them. KMS keys and log groups have
 * their own rules (KmsKeySafeguards, LogGroupSixYearRetention), log buckets theirs as well (LogBucketRetention).
 */
export const STATEFUL_TYPES: Readonly<Record<string, readonly string[]>> = {
  'AWS::S3::Bucket': RETAIN,
  'AWS::S3Express::DirectoryBucket': RETAIN,
  'AWS::S3Tables::TableBucket': RETAIN,
  'AWS::HealthLake::FHIRDatastore': RETAIN,
  'AWS::CloudTrail::EventDataStore': RETAIN,
  'AWS::Backup::LogicallyAirGappedBackupVault': RETAIN,
  'AWS::GuardDuty::Detector': RETAIN,
  'AWS::SecurityHub::Hub': RETAIN,
  'AWS::Macie::Session': RETAIN,
  'AWS::RDS::DBInstance': RETAIN_OR_SNAPSHOT,
  'AWS::RDS::DBCluster': RETAIN_OR_SNAPSHOT,
  'AWS::DocDB::DBCluster': RETAIN_OR_SNAPSHOT,
  'AWS::Neptune::DBCluster': RETAIN_OR_SNAPSHOT,
  'AWS::EC2::Volume': RETAIN_OR_SNAPSHOT,
  'AWS::DynamoDB::Table': RETAIN,
  'AWS::DynamoDB::GlobalTable': RETAIN,
  'AWS::EFS::FileSystem': RETAIN,
  'AWS::OpenSearchService::Domain': RETAIN,
  'AWS::Kinesis::Stream': RETAIN,
  'AWS::SQS::Queue': RETAIN,
  'AWS::Backup::BackupVault': RETAIN,
  'AWS::Cognito::UserPool': RETAIN,
};

const show = (value: unknown): string =>
  value === undefined ? 'absent' : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * I2: a resource that holds data is kept when its stack is deleted and when an update replaces it: DeletionPolicy and
 * UpdateReplacePolicy `Retain` (or `Snapshot`, for a store CloudFormation snapshots first), read from the template as
 * written (an override to `Delete`, a policy removed by hand, a value only deploy resolves: each a finding). CloudFormation
 * deletes a resource without a policy. A DB instance of an Aurora cluster of its template holds no data of its own
 * (the cluster does, and is judged): it is not applicable.
 */
export function StatefulResourcesRetained(node: CfnResource): NagRuleResult {
  const allowed = STATEFUL_TYPES[node.cfnResourceType];
  if (allowed === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack } = viewOf(node);
  if (resource.Type === 'AWS::RDS::DBInstance' && clusterMembership(stack.template, resource).kind === 'cluster') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const findings: string[] = [];
  for (const attribute of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
    const value: unknown = resource[attribute];
    if (typeof value !== 'string' || !allowed.includes(value)) findings.push(`${attribute}::${show(value)}`);
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
