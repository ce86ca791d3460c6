import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { isAuditArchive, isPhiStore } from '../core/phi-shapes';
import { clusterMembership, defersToCluster } from '../core/rds-cluster-member';
import { stringForms, UNKNOWN_PART } from '../core/string-forms';
import {
  cfnAlternatives,
  cfnBoolean,
  cfnSwitchMayBeOn,
  isObject,
  Json,
  JsonResource,
  TemplateJson,
} from '../core/template-json';
import { viewOf } from './template-view';

/** A key property's state: '' when it names a customer-managed key (or a reference to one), else the problem. */
export function keyProblem(value: unknown): '' | 'absent' | 'aws-managed' {
  if (value === undefined || value === null || value === '') return 'absent';
  if (typeof value === 'string' && /(^|:)alias\/aws\//.test(value)) return 'aws-managed';
  return '';
}

const at = (o: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), o);

/**
 * The key properties each store type must set, as [name in the finding, value]; [] when the type is not a store.
 * `template` is the resource's own (where an instance's cluster is found).
 */
function keyProperties(resource: JsonResource, template: TemplateJson): Array<[string, unknown]> {
  const p: Json = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::RDS::DBInstance': {
      const out: Array<[string, unknown]> = [];
      // An Aurora member's storage is its cluster's: only a member of a cluster of the template on a customer-managed
      // key leaves it to the cluster. AWS::NoValue, a condition or a parameter may be no cluster, and a cluster outside
      // the template cannot be judged: the instance is checked itself.
      if (!defersToCluster(template, resource, (_, cluster) => keyProblem(cluster.Properties?.KmsKeyId) === ''))
        out.push(['KmsKeyId', p.KmsKeyId]);
      if (cfnSwitchMayBeOn(p.EnablePerformanceInsights))
        out.push(['PerformanceInsightsKMSKeyId', p.PerformanceInsightsKMSKeyId]);
      if (cfnSwitchMayBeOn(p.ManageMasterUserPassword))
        out.push(['MasterUserSecret.KmsKeyId', at(p, 'MasterUserSecret', 'KmsKeyId')]);
      return out;
    }
    case 'AWS::RDS::DBCluster': {
      const out: Array<[string, unknown]> = [['KmsKeyId', p.KmsKeyId]];
      if (cfnSwitchMayBeOn(p.PerformanceInsightsEnabled))
        out.push(['PerformanceInsightsKmsKeyId', p.PerformanceInsightsKmsKeyId]);
      if (cfnSwitchMayBeOn(p.ManageMasterUserPassword))
        out.push(['MasterUserSecret.KmsKeyId', at(p, 'MasterUserSecret', 'KmsKeyId')]);
      return out;
    }
    case 'AWS::Backup::BackupVault':
      return [['EncryptionKeyArn', p.EncryptionKeyArn]];
    case 'AWS::Logs::LogGroup':
      return [['KmsKeyId', p.KmsKeyId]];
    case 'AWS::SNS::Topic':
      return [['KmsMasterKeyId', p.KmsMasterKeyId]];
    case 'AWS::SQS::Queue':
      return [['KmsMasterKeyId', p.KmsMasterKeyId]];
    case 'AWS::SecretsManager::Secret':
      return [['KmsKeyId', p.KmsKeyId]];
    case 'AWS::ECR::Repository':
      return [['EncryptionConfiguration.KmsKey', at(p, 'EncryptionConfiguration', 'KmsKey')]];
    case 'AWS::ECS::Cluster':
      return [
        [
          'ManagedStorageConfiguration.FargateEphemeralStorageKmsKeyId',
          at(p, 'Configuration', 'ManagedStorageConfiguration', 'FargateEphemeralStorageKmsKeyId'),
        ],
      ];
    default:
      return [];
  }
}

/** Findings of a bucket: SSE-KMS with a named customer-managed key; SSE-S3 is a finding on PHI stores and the audit archive. */
function bucketFindings(resource: JsonResource): string[] {
  const rules = at(resource.Properties, 'BucketEncryption', 'ServerSideEncryptionConfiguration');
  const byDefault = Array.isArray(rules) ? at(rules[0], 'ServerSideEncryptionByDefault') : undefined;
  const algorithm = at(byDefault, 'SSEAlgorithm');
  if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
    const problem = keyProblem(at(byDefault, 'KMSMasterKeyID'));
    return problem ? [`KMSMasterKeyID::${problem}`] : [];
  }
  // SSE-S3 (or no configuration: S3 applies SSE-S3). On other buckets cdk-nag's S3DefaultEncryptionKMS reports it
  // (acknowledged for the access log buckets, which AWS delivers to only with SSE-S3).
  if (isPhiStore(resource) || isAuditArchive(resource)) return [`SSEAlgorithm::${String(algorithm ?? 'none')}`];
  return [];
}

/** A whole Secrets Manager dynamic reference: `{{resolve:secretsmanager:<secret>...}}`. */
const SECRETS_MANAGER_REFERENCE = /^\{\{resolve:secretsmanager:[^{}]+\}\}$/;
/** Properties that create a database from another one (a snapshot, a source, a point in time): its password is the source's. */
const FROM_A_SOURCE: readonly string[] = [
  'SourceDBInstanceIdentifier',
  'SourceDBClusterIdentifier',
  'SourceDbiResourceId',
  'DBSnapshotIdentifier',
  'DBClusterSnapshotIdentifier',
  'SnapshotIdentifier',
  'RestoreType',
  'RestoreTime',
  'UseLatestRestorableTime',
  'ReplicationSourceIdentifier',
  'GlobalClusterIdentifier',
];

/**
 * Findings of a database's master password: kept in Secrets Manager, under a key the rule judges. MasterUserPassword,
 * where it may be present (any branch of a condition), is in every string form a whole `{{resolve:secretsmanager:...}}`
 * reference (the secret is a resource this rule judges); a literal is a finding (`literal`: the password would sit in
 * the template, CloudFormation and the assets bucket, readable by whoever reads those, under no key of ours, and shared
 * by whoever reads it: A1), and so is a form with a part only deploy knows (`unresolved`). Absent, RDS manages the
 * password in Secrets Manager (ManageMasterUserPassword literally true in every branch) unless the database is made from
 * a source (a snapshot, a replica, a restore), whose password it keeps. An Aurora cluster's member has no password.
 */
function masterPasswordFindings(resource: JsonResource, template: TemplateJson): string[] {
  const p: Json = resource.Properties ?? {};
  if (resource.Type === 'AWS::RDS::DBInstance' && clusterMembership(template, resource).kind === 'cluster') return [];
  const findings = new Set<string>();
  const passwords = cfnAlternatives(p.MasterUserPassword);
  for (const password of passwords) {
    if (password === undefined) continue;
    const { forms, complete } = stringForms(password, template);
    for (const form of complete ? forms : [UNKNOWN_PART]) {
      if (SECRETS_MANAGER_REFERENCE.test(form.trim())) continue;
      findings.add(`MasterUserPassword::${form.includes(UNKNOWN_PART) ? 'unresolved' : 'literal'}`);
    }
  }
  const fromSource = FROM_A_SOURCE.some((k) => cfnAlternatives(p[k]).some((v) => v !== undefined));
  if (
    passwords.includes(undefined) &&
    !fromSource &&
    !cfnAlternatives(p.ManageMasterUserPassword).every((v) => cfnBoolean(v) === true)
  ) {
    findings.add('ManageMasterUserPassword::not-true');
  }
  return [...findings];
}

/**
 * Findings of one resource (empty when compliant, undefined when the rule does not apply): a store of PHI or logs
 * names a customer-managed key, never none (the service's default key) nor an AWS-managed `alias/aws/...`.
 * `template` is the resource's own template.
 */
export function storeKeyFindings(resource: JsonResource, template: TemplateJson): string[] | undefined {
  if (resource.Type === 'AWS::S3::Bucket') return bucketFindings(resource);
  if (resource.Type === 'AWS::ECR::Repository') {
    const type = at(resource.Properties, 'EncryptionConfiguration', 'EncryptionType');
    if (type !== 'KMS' && type !== 'KMS_DSSE')
      return [`EncryptionConfiguration.EncryptionType::${String(type ?? 'AES256')}`];
  }
  const properties = keyProperties(resource, template);
  if (properties.length === 0) return undefined;
  return [
    ...properties.flatMap(([name, value]) => {
      const problem = keyProblem(value);
      return problem ? [`${name}::${problem}`] : [];
    }),
    ...(resource.Type === 'AWS::RDS::DBInstance' || resource.Type === 'AWS::RDS::DBCluster'
      ? masterPasswordFindings(resource, template)
      : []),
  ];
}

/**
 * E2: every store of PHI or logs is encrypted with a customer-managed key: RDS storage, Performance Insights and the
 * RDS-managed master secret (and the master password is in Secrets Manager, never a literal: masterPasswordFindings); S3 (SSE-KMS with a named key; SSE-S3 on a PHI store or the audit archive is a finding);
 * AWS Backup vaults; CloudWatch log groups; SNS topics; SQS queues; Secrets Manager secrets; ECR repositories; the
 * ECS cluster's Fargate ephemeral storage. Which key (the PHI key for PHI stores) is the assembly rule
 * PhiStoreKeyDomain's: a template alone cannot see another stack's key.
 */
export function StoreCustomerManagedKey(node: CfnResource): NagRuleResult {
  const view = viewOf(node);
  const findings = storeKeyFindings(view.resource, view.stack.template);
  if (findings === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
