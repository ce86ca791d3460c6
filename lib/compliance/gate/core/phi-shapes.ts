/**
 * What a resource is FOR, read from the template alone: the blueprint's markers (constructs/core/markers.ts), and
 * the shapes that identify a PHI store or a PHI log group even when a marker was deleted by hand (a database, a
 * backup vault, a bucket named like the PHI buckets, a log group a container, an ECS Exec or Session Manager
 * session, the database or WAF writes to).
 */
import {
  AUDIT_ARCHIVE_METADATA,
  PHI_LOG_GROUP_METADATA,
  PHI_STORE_TEMPLATE_METADATA,
} from '../../../../constructs/core/markers';
import { literalForms, sameBucketName } from './bucket-names';
import {
  asList,
  isObject,
  JsonResource,
  localTarget,
  metadataOf,
  TemplateJson,
  templateDeclaration,
} from './template-json';
import { deniesToEveryone, PolicyStatementJson, unconditional } from './policy-json';

/**
 * Names of the PHI buckets as lib/config/names.ts derives them: `<app>-<env>-phi-data-<account>-<region>` and
 * `<app>-<env>-phi-replica-<account>-<region>` (the account possibly as the AWS::AccountId pseudo-parameter).
 */
export const PHI_BUCKET_NAME = /-phi-(data|replica)-(\d{12}|<AWS::AccountId>)-([a-z0-9-]+|<AWS::Region>)$/;

/** Resource types that hold PHI whatever their metadata says (the PHI database, its snapshots' vault). */
export const PHI_STORE_TYPES: readonly string[] = [
  'AWS::RDS::DBInstance',
  'AWS::RDS::DBCluster',
  'AWS::Backup::BackupVault',
];

/**
 * Whether the resource is a PHI store: marked, of a PHI store type, or a bucket named as a PHI bucket: by a literal,
 * or by any string its name's join or substitution of pseudo parameters may be (`<AWS::AccountId>`), read in `template`
 * (its own, for a substitution's variables; without it, pseudo parameters and literals only).
 */
export function isPhiStore(
  resource: JsonResource,
  phiBucketNames: readonly string[] = [],
  template: TemplateJson = { Resources: {} },
): boolean {
  if (metadataOf(resource, PHI_STORE_TEMPLATE_METADATA) === true) return true;
  if (PHI_STORE_TYPES.includes(resource.Type)) return true;
  if (resource.Type !== 'AWS::S3::Bucket') return false;
  return literalForms(resource.Properties?.BucketName, template).some(
    (name) => PHI_BUCKET_NAME.test(name) || phiBucketNames.some((configured) => sameBucketName(configured, name)),
  );
}

/**
 * What step 1 of a first deploy (PhiReplicaBootstrapStage) may hold: the replica stack's keys, aliases, buckets,
 * their policies and the copy vault, nothing that detects, alerts, computes or connects.
 */
export const PHI_REPLICA_BOOTSTRAP_TYPES: readonly string[] = [
  'AWS::CDK::Metadata',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::Backup::BackupVault',
];

/** Whether `template` declares phiReplicaBootstrap (what PhiReplicaBootstrapStage's stack writes). */
export function declaresPhiReplicaBootstrap(template: TemplateJson): boolean {
  return templateDeclaration(template)?.phiReplicaBootstrap === true;
}

/** The resource types of `template` step 1 of a first deploy may not hold (PHI_REPLICA_BOOTSTRAP_TYPES), sorted. */
export function typesBeyondPhiReplicaBootstrap(template: TemplateJson): string[] {
  const types = new Set(Object.values(template.Resources).map((r) => r.Type));
  return [...types].filter((t) => !PHI_REPLICA_BOOTSTRAP_TYPES.includes(t)).sort();
}

/**
 * Whether `templates` are step 1 of a first deploy: one template only, declaring phiReplicaBootstrap, and holding
 * nothing but what PhiReplicaBootstrapStage synthesizes (keys, buckets, their policies, the copy vault). A whole
 * environment with the declaration is not, nor one template a fork merged everything into. (The stack's name and
 * region are compared with config by ReplicaBootstrapAlone, which knows them.)
 */
export function isPhiReplicaBootstrap(templates: readonly TemplateJson[]): boolean {
  return (
    templates.length === 1 &&
    declaresPhiReplicaBootstrap(templates[0]!) &&
    typesBeyondPhiReplicaBootstrap(templates[0]!).length === 0
  );
}

/** The object writes S3 knows: a put (and copy, multipart upload), a replica arriving, a restored archive copy. */
export const OBJECT_WRITE_ACTIONS: readonly string[] = ['s3:PutObject', 's3:ReplicateObject', 's3:RestoreObject'];

/**
 * Step 1 of a first deploy (the template declares phiReplicaBootstrap): the replica bucket exists before anything
 * can replicate into it and denies every object write to everyone (PhiBucket `replicationPending`), and the
 * construct deliberately does not mark it a PHI store. A PHI-named bucket is exempt from the PHI store shape only
 * then: unmarked, in a bootstrap template, and unwritable by its own policy: a deny to everyone, without condition,
 * of every object write (a put, a replica, a restore: OBJECT_WRITE_ACTIONS) on every object of it. (A put deny alone
 * left replication writing PHI into an exempt bucket.) A declaration anywhere but in step 1 is a finding of
 * ReplicaBootstrapAlone.
 */
export function isUnwritableBootstrapBucket(template: TemplateJson, logicalId: string): boolean {
  const resource = template.Resources[logicalId];
  if (resource?.Type !== 'AWS::S3::Bucket' || metadataOf(resource, PHI_STORE_TEMPLATE_METADATA) === true) return false;
  if (!declaresPhiReplicaBootstrap(template)) return false;
  const statements = Object.values(template.Resources).flatMap((r) => {
    if (r.Type !== 'AWS::S3::BucketPolicy' || localTarget(r.Properties?.Bucket) !== logicalId) return [];
    const doc = r.Properties?.PolicyDocument;
    return asList(isObject(doc) ? doc.Statement : undefined).filter(isObject) as PolicyStatementJson[];
  });
  return deniesToEveryone(statements, OBJECT_WRITE_ACTIONS, 'objects', unconditional, logicalId);
}

/** Whether the resource `logicalId` of `template` is a PHI store (isPhiStore), bootstrap exemption applied. */
export function isPhiStoreIn(
  template: TemplateJson,
  logicalId: string,
  phiBucketNames: readonly string[] = [],
): boolean {
  const resource = template.Resources[logicalId];
  return (
    resource !== undefined &&
    isPhiStore(resource, phiBucketNames, template) &&
    !isUnwritableBootstrapBucket(template, logicalId)
  );
}

/** Whether the bucket is the audit archive (or its replica). */
export function isAuditArchive(resource: JsonResource): boolean {
  return resource.Type === 'AWS::S3::Bucket' && metadataOf(resource, AUDIT_ARCHIVE_METADATA) !== undefined;
}

/** Log group name prefixes of log groups that receive PHI whatever writes them: RDS exports and WAF logs. */
export const PHI_LOG_GROUP_NAME_PREFIXES: readonly string[] = ['/aws/rds/', 'aws-waf-logs-'];

/**
 * Logical ids of the log groups of `template` that can receive PHI: marked `HipaaBlueprint::PhiLogGroup`, named
 * like the database's exports or WAF's logs, or named by what writes there: a container's awslogs driver, the ECS
 * cluster's ECS Exec session log, the Session Manager preferences document.
 */
export function phiLogGroupIds(template: TemplateJson): Set<string> {
  const ids = new Set<string>();
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::Logs::LogGroup') continue;
    const name = literalPrefix(r.Properties?.LogGroupName);
    if (
      metadataOf(r, PHI_LOG_GROUP_METADATA) === true ||
      (name !== undefined && PHI_LOG_GROUP_NAME_PREFIXES.some((p) => name.startsWith(p)))
    ) {
      ids.add(id);
    }
  }
  const add = (value: unknown): void => {
    const target = localTarget(value);
    if (target !== undefined && template.Resources[target]?.Type === 'AWS::Logs::LogGroup') ids.add(target);
  };
  for (const r of Object.values(template.Resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::ECS::TaskDefinition') {
      for (const c of asList(p.ContainerDefinitions)) {
        const options = isObject(c) && isObject(c.LogConfiguration) ? c.LogConfiguration.Options : undefined;
        if (isObject(options)) add(options['awslogs-group']);
      }
    } else if (r.Type === 'AWS::ECS::Cluster') {
      const exec = isObject(p.Configuration) ? p.Configuration.ExecuteCommandConfiguration : undefined;
      const logging = isObject(exec) ? exec.LogConfiguration : undefined;
      if (isObject(logging)) add(logging.CloudWatchLogGroupName);
    } else if (r.Type === 'AWS::SSM::Document' && p.DocumentType === 'Session') {
      const content = typeof p.Content === 'string' ? safeJson(p.Content) : p.Content;
      const inputs = isObject(content) ? content.inputs : undefined;
      if (isObject(inputs)) add(inputs.cloudWatchLogGroupName);
    }
  }
  return ids;
}

/**
 * The literal beginning of a name: the string itself, or the leading literal of an `Fn::Join` with an empty
 * delimiter (a name completed at deploy time, e.g. `aws-waf-logs-<app>-` followed by part of the stack id).
 */
function literalPrefix(name: unknown): string | undefined {
  if (typeof name === 'string') return name;
  const join = isObject(name) ? name['Fn::Join'] : undefined;
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return undefined;
  const first: unknown = join[1][0];
  return typeof first === 'string' ? first : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
