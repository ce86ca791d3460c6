/**
 * The inspection of a restored copy (safeguard I1): from what the control plane says of the resource a restore test
 * created (never a record or an object) to the list of failed checks. A restored copy must be usable and keep the
 * safeguards of the store it copies: encrypted with the PHI key, private, in the data tier. Pure: no AWS call.
 */

/** What the restored copy must keep (the function's environment). */
export interface RestoreExpectations {
  /** ARN of the PHI key: the restored database's storage and the restored objects' encryption. */
  readonly phiKeyArn: string;
  /** DB subnet group of the restore testing plan (the data tier). */
  readonly dbSubnetGroupName: string;
  /** Security group of the restored database (no ingress). */
  readonly securityGroupId: string;
}

/** What DescribeDBInstances (instance) or DescribeDBClusters (cluster) says of the restored database. */
export interface RestoredDatabaseFacts {
  readonly kind: 'instance' | 'cluster';
  readonly status?: string;
  readonly storageEncrypted?: boolean;
  readonly kmsKeyId?: string;
  readonly publiclyAccessible?: boolean;
  readonly dbSubnetGroupName?: string;
  readonly securityGroupIds: readonly string[];
}

/** How one sampled restored object is encrypted (HeadObject: ServerSideEncryption, SSEKMSKeyId; never its key). */
export interface RestoredObjectEncryption {
  readonly sseAlgorithm?: string;
  readonly kmsKeyId?: string;
}

/**
 * What GetBucketVersioning, GetPublicAccessBlock, ListObjectsV2 (MaxKeys RESTORED_OBJECT_SAMPLE) and HeadObject of each
 * listed object say.
 */
export interface RestoredBucketFacts {
  readonly versioning?: string;
  readonly publicAccessBlock?: {
    readonly blockPublicAcls?: boolean;
    readonly ignorePublicAcls?: boolean;
    readonly blockPublicPolicy?: boolean;
    readonly restrictPublicBuckets?: boolean;
  };
  /** KeyCount of the sampling ListObjectsV2 (0 to RESTORED_OBJECT_SAMPLE), never object names. */
  readonly keyCount?: number;
  /** The encryption of each sampled object, in listing order (no key, no content). */
  readonly objects?: readonly RestoredObjectEncryption[];
}

/** How many restored objects the inspection samples (one listing page, one HeadObject each). */
export const RESTORED_OBJECT_SAMPLE = 5;

/** The restored resource a CreatedResourceArn names. */
export type RestoredResource =
  | { readonly kind: 'db-instance'; readonly identifier: string }
  | { readonly kind: 'db-cluster'; readonly identifier: string }
  | { readonly kind: 'bucket'; readonly bucket: string };

/** Parses a restore job's CreatedResourceArn: an RDS instance or cluster, or an S3 bucket; undefined otherwise. */
export function restoredResourceOf(arn: string): RestoredResource | undefined {
  const rds = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(db|cluster):([A-Za-z][A-Za-z0-9-]{0,62})$/.exec(arn);
  if (rds)
    return rds[1] === 'db' ? { kind: 'db-instance', identifier: rds[2]! } : { kind: 'db-cluster', identifier: rds[2]! };
  const s3 = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/.exec(arn);
  if (s3) return { kind: 'bucket', bucket: s3[1]! };
  return undefined;
}

/** Whether `found` names the key `arn` (its ARN, or its id; AWS reports either). */
function sameKey(found: string | undefined, arn: string): boolean {
  if (found === undefined || found === '') return false;
  if (found === arn) return true;
  const id = /:key\/([A-Za-z0-9-]+)$/.exec(arn)?.[1];
  return id !== undefined && (found === id || found.endsWith(`:key/${id}`));
}

const shown = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** One failed check: the property, what it must be, what was found (configuration only, no data). */
const failed = (property: string, expected: string, found: unknown): string =>
  `${property}: expected ${expected}, found ${shown(found)}`;

/**
 * The failed checks of a restored database: status 'available'; StorageEncrypted with the PHI key; not publicly
 * accessible (an Aurora cluster restored without instances may report nothing: only true fails); in the restore
 * testing plan's DB subnet group; with the restore security group. IAM database authentication is not checked: a
 * restore test restores with the metadata AWS Backup infers, and the selection's overrides do not set it, so a test copy
 * may come up without it and would then fail every week; the copy has no ingress and is deleted after the validation
 * window. A recovery restore must turn it on (README, data stack row).
 */
export function inspectDatabase(db: RestoredDatabaseFacts, expected: RestoreExpectations): string[] {
  const out: string[] = [];
  if (db.status !== 'available') out.push(failed('Status', "'available'", db.status));
  if (db.storageEncrypted !== true) out.push(failed('StorageEncrypted', 'true', db.storageEncrypted));
  if (!sameKey(db.kmsKeyId, expected.phiKeyArn)) out.push(failed('KmsKeyId', 'the PHI key', db.kmsKeyId));
  const publicOk = db.kind === 'instance' ? db.publiclyAccessible === false : db.publiclyAccessible !== true;
  if (!publicOk) out.push(failed('PubliclyAccessible', 'false', db.publiclyAccessible));
  if ((db.dbSubnetGroupName ?? '').toLowerCase() !== expected.dbSubnetGroupName.toLowerCase()) {
    out.push(failed('DBSubnetGroup', "the restore testing plan's subnet group (data tier)", db.dbSubnetGroupName));
  }
  if (db.securityGroupIds.length !== 1 || db.securityGroupIds[0] !== expected.securityGroupId) {
    out.push(failed('VpcSecurityGroups', 'the restore security group only', db.securityGroupIds));
  }
  return out;
}

/**
 * The failed checks of a restored bucket: versioning Enabled; the four public access block settings true; at least one
 * object (a restore that created an empty bucket from a recovery point of the PHI bucket, which is never empty once in
 * use, is a failed restore; counts only); and each sampled object encrypted aws:kms with the PHI key (what the restore
 * testing selection's encryption override asks for). The bucket's default encryption is not checked: AWS Backup
 * creates the restore bucket without setting one (its S3 restore policy has no s3:PutEncryptionConfiguration), so S3
 * applies SSE-S3 to the bucket while the restored objects carry the PHI key.
 */
export function inspectBucket(bucket: RestoredBucketFacts, expected: RestoreExpectations): string[] {
  const out: string[] = [];
  if (bucket.versioning !== 'Enabled') out.push(failed('Versioning', "'Enabled'", bucket.versioning));
  const pab = bucket.publicAccessBlock ?? {};
  for (const [name, value] of [
    ['BlockPublicAcls', pab.blockPublicAcls],
    ['IgnorePublicAcls', pab.ignorePublicAcls],
    ['BlockPublicPolicy', pab.blockPublicPolicy],
    ['RestrictPublicBuckets', pab.restrictPublicBuckets],
  ] as const) {
    if (value !== true) out.push(failed(`PublicAccessBlock.${name}`, 'true', value));
  }
  if (bucket.keyCount === undefined || bucket.keyCount < 1) {
    out.push(failed('KeyCount', 'at least 1 object (the recovery point is not empty)', bucket.keyCount));
  }
  const objects = bucket.objects ?? [];
  objects.forEach((o, i) => {
    const which = `Object ${i + 1} of ${objects.length} sampled`;
    if (o.sseAlgorithm !== 'aws:kms') out.push(failed(`${which}.ServerSideEncryption`, "'aws:kms'", o.sseAlgorithm));
    else if (!sameKey(o.kmsKeyId, expected.phiKeyArn))
      out.push(failed(`${which}.SSEKMSKeyId`, 'the PHI key', o.kmsKeyId));
  });
  return out;
}
