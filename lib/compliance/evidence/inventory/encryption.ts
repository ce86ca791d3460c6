/**
 * Encryption at rest of a resource, read from its template properties, with the key followed
 * through Ref / Fn::GetAtt / Fn::GetStackOutput and aliases to the KMS key resource and its alias.
 * What is not a customer-managed key is said explicitly: SSE-S3, AWS-managed, none, or not assessed.
 */
import { isClusterMember } from './retention';
import { IndexedResource, InventoryStack, TemplateIndex } from './template-index';

/** The key a property names. */
export type KeyRef =
  | {
      readonly kind: 'customer-managed';
      /** Stack path and logical id of the AWS::KMS::Key. */
      readonly stack: string;
      readonly logicalId: string;
      readonly constructPath?: string;
      /** Its aliases in this synth (`alias/...`). */
      readonly aliases: readonly string[];
      /** How a cross-stack or alias reference was followed. */
      readonly via?: string;
    }
  | { readonly kind: 'aws-managed'; readonly alias: string }
  | { readonly kind: 'unresolved'; readonly text: string; readonly reason: string };

/** One property of a resource that names a key. */
export interface KeyUse {
  readonly property: string;
  readonly key: KeyRef;
}

/** How a resource is encrypted at rest. */
export type EncryptionStatus =
  'customer-managed-key' | 'aws-managed-key' | 'SSE-S3' | 'none' | 'unresolved' | 'key-itself' | 'not-assessed';

export interface EncryptionAtRest {
  readonly status: EncryptionStatus;
  /** The keys the resource's properties name (the storage key first). */
  readonly keys: readonly KeyUse[];
  /** One line for people. */
  readonly summary: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});

/** The KMS key a key-valued property designates (key id, key ARN, alias name or alias ARN). */
export function resolveKey(index: TemplateIndex, value: unknown, stack: InventoryStack): KeyRef {
  const refs = index.references(value, stack);
  for (const ref of refs) {
    if (ref.kind !== 'resource') continue;
    const found = keyOf(index, ref.target, ref.via);
    if (found) return found;
  }
  const firstUnresolved = refs.find((r) => r.kind === 'unresolved');
  if (firstUnresolved?.kind === 'unresolved') {
    return { kind: 'unresolved', text: firstUnresolved.text, reason: firstUnresolved.reason };
  }
  const resourceRef = refs.find((r) => r.kind === 'resource');
  if (resourceRef?.kind === 'resource') {
    return {
      kind: 'unresolved',
      text: `${resourceRef.target.stack.stackPath}/${resourceRef.target.logicalId}`,
      reason: `refers to a ${resourceRef.target.type}, not a KMS key or alias`,
    };
  }
  const text = index.flatten(value, stack);
  if (text === undefined)
    return { kind: 'unresolved', text: JSON.stringify(value), reason: 'not a literal or reference' };
  const alias = /(?:^|:)(alias\/.+)$/.exec(text)?.[1];
  if (alias) {
    if (alias.startsWith('alias/aws/')) return { kind: 'aws-managed', alias };
    const region = /^arn:[^:]*:kms:([^:]*):/.exec(text)?.[1] || stack.region;
    const candidates = index
      .ofType('AWS::KMS::Alias')
      .filter((a) => index.flatten(a.properties.AliasName, a.stack) === alias)
      .filter((a) => region === undefined || a.stack.region === undefined || a.stack.region === region);
    for (const a of candidates) {
      const found = keyOf(index, a, `alias ${alias}${region ? ` in ${region}` : ''}`);
      if (found) return found;
    }
    return {
      kind: 'unresolved',
      text,
      reason: `no AWS::KMS::Alias ${alias}${region ? ` in ${region}` : ''} in this synth`,
    };
  }
  return { kind: 'unresolved', text, reason: 'a literal key id or ARN: the key is not defined in this synth' };
}

function keyOf(index: TemplateIndex, r: IndexedResource, via: string | undefined): KeyRef | undefined {
  if (r.type === 'AWS::KMS::Key') {
    return {
      kind: 'customer-managed',
      stack: r.stack.stackPath,
      logicalId: r.logicalId,
      ...(r.constructPath ? { constructPath: r.constructPath } : {}),
      aliases: index.aliasesOf(r),
      ...(via ? { via } : {}),
    };
  }
  if (r.type === 'AWS::KMS::Alias') {
    const name = index.flatten(r.properties.AliasName, r.stack);
    const target = index.resolveOne(r.properties.TargetKeyId, r.stack);
    if (target?.kind === 'resource' && target.target.type === 'AWS::KMS::Key') {
      return keyOf(index, target.target, via ?? (name ? `alias ${name}` : undefined));
    }
    if (name?.startsWith('alias/aws/')) return { kind: 'aws-managed', alias: name };
    return { kind: 'unresolved', text: name ?? r.logicalId, reason: 'the alias target is not a key in this synth' };
  }
  return undefined;
}

/** `alias/hipaa-dev/phi (Dev/Keys PhiDataKeyE6603588)` */
export function describeKey(k: KeyRef): string {
  switch (k.kind) {
    case 'customer-managed':
      return `${k.aliases.length > 0 ? `${k.aliases.join(', ')} ` : ''}(${k.stack} ${k.logicalId})`;
    case 'aws-managed':
      return `AWS-managed ${k.alias}`;
    case 'unresolved':
      return `unresolved: ${k.text} (${k.reason})`;
  }
}

type Ctx = { index: TemplateIndex; r: IndexedResource; p: Record<string, unknown> };

function withKeys(
  ctx: Ctx,
  props: readonly [string, unknown][],
  fallback: Omit<EncryptionAtRest, 'keys'>,
): EncryptionAtRest {
  const keys: KeyUse[] = props
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([property, v]) => ({ property, key: resolveKey(ctx.index, v, ctx.r.stack) }));
  const primary = keys[0];
  if (!primary) return { ...fallback, keys: [] };
  const status: EncryptionStatus =
    primary.key.kind === 'customer-managed'
      ? 'customer-managed-key'
      : primary.key.kind === 'aws-managed'
        ? 'aws-managed-key'
        : 'unresolved';
  return { status, keys, summary: keys.map((k) => `${k.property}: ${describeKey(k.key)}`).join('; ') };
}

const NONE = (summary: string): Omit<EncryptionAtRest, 'keys'> => ({ status: 'none', summary });
const AWS = (summary: string): Omit<EncryptionAtRest, 'keys'> => ({ status: 'aws-managed-key', summary });
const SSE_S3 = (summary: string): Omit<EncryptionAtRest, 'keys'> => ({ status: 'SSE-S3', summary });

const RULES: Readonly<Record<string, (ctx: Ctx) => EncryptionAtRest>> = {
  'AWS::S3::Bucket': (ctx) => {
    const rule = obj((obj(ctx.p.BucketEncryption).ServerSideEncryptionConfiguration as unknown[] | undefined)?.[0]);
    const sse = obj(rule.ServerSideEncryptionByDefault);
    const algorithm = ctx.index.flatten(sse.SSEAlgorithm, ctx.r.stack);
    if (algorithm === undefined) return { ...SSE_S3('SSE-S3 (S3 default encryption; no BucketEncryption)'), keys: [] };
    if (algorithm === 'AES256') return { ...SSE_S3('SSE-S3 (AES256)'), keys: [] };
    return withKeys(ctx, [['KMSMasterKeyID', sse.KMSMasterKeyID]], AWS(`${algorithm} with the AWS-managed key aws/s3`));
  },
  'AWS::Logs::LogGroup': (ctx) =>
    withKeys(ctx, [['KmsKeyId', ctx.p.KmsKeyId]], AWS('AWS-managed (CloudWatch Logs service encryption, no KmsKeyId)')),
  'AWS::RDS::DBInstance': (ctx) => {
    // Only an instance that surely is a cluster's member is encrypted as its cluster is; AWS::NoValue (no cluster) or
    // a DBClusterIdentifier only deploy resolves leaves the instance's own storage settings to say it.
    if (isClusterMember(ctx.r)) {
      return { status: 'not-assessed', keys: [], summary: 'member of a DB cluster: encrypted as the cluster is' };
    }
    return rdsStorage(ctx);
  },
  'AWS::RDS::DBCluster': (ctx) => rdsStorage(ctx),
  'AWS::SNS::Topic': (ctx) =>
    withKeys(ctx, [['KmsMasterKeyId', ctx.p.KmsMasterKeyId]], NONE('none (no KmsMasterKeyId)')),
  'AWS::SQS::Queue': (ctx) =>
    withKeys(
      ctx,
      [['KmsMasterKeyId', ctx.p.KmsMasterKeyId]],
      ctx.p.SqsManagedSseEnabled === false ? NONE('none (SqsManagedSseEnabled false)') : AWS('AWS-managed (SSE-SQS)'),
    ),
  'AWS::Backup::BackupVault': (ctx) =>
    withKeys(ctx, [['EncryptionKeyArn', ctx.p.EncryptionKeyArn]], AWS('AWS-managed (aws/backup)')),
  'AWS::CloudTrail::Trail': (ctx) =>
    withKeys(ctx, [['KMSKeyId', ctx.p.KMSKeyId]], SSE_S3('SSE-S3 (log files; no KMSKeyId)')),
  'AWS::ECR::Repository': (ctx) => {
    const c = obj(ctx.p.EncryptionConfiguration);
    const type = ctx.index.flatten(c.EncryptionType, ctx.r.stack);
    if (type === undefined || type === 'AES256') return { ...SSE_S3('SSE-S3 (AES256, ECR default)'), keys: [] };
    return withKeys(ctx, [['KmsKey', c.KmsKey]], AWS(`${type} with the AWS-managed key aws/ecr`));
  },
  'AWS::Lambda::Function': (ctx) =>
    withKeys(ctx, [['KmsKeyArn', ctx.p.KmsKeyArn]], AWS('AWS-managed (environment variables, no KmsKeyArn)')),
  'AWS::SecretsManager::Secret': (ctx) =>
    withKeys(ctx, [['KmsKeyId', ctx.p.KmsKeyId]], AWS('AWS-managed (aws/secretsmanager)')),
  'AWS::DynamoDB::Table': (ctx) => {
    const sse = obj(ctx.p.SSESpecification);
    if (sse.SSEEnabled !== true) return { ...AWS('AWS-owned key (DynamoDB default)'), keys: [] };
    return withKeys(ctx, [['KMSMasterKeyId', sse.KMSMasterKeyId]], AWS('AWS-managed (aws/dynamodb)'));
  },
  'AWS::ECS::Cluster': (ctx) => {
    const storage = obj(obj(ctx.p.Configuration).ManagedStorageConfiguration);
    const exec = obj(obj(ctx.p.Configuration).ExecuteCommandConfiguration);
    return withKeys(
      ctx,
      [
        ['FargateEphemeralStorageKmsKeyId', storage.FargateEphemeralStorageKmsKeyId],
        ['ManagedStorageConfiguration.KmsKeyId', storage.KmsKeyId],
        ['ExecuteCommandConfiguration.KmsKeyId', exec.KmsKeyId],
      ],
      AWS('AWS-owned key (Fargate ephemeral storage default)'),
    );
  },
  'AWS::EC2::Volume': (ctx) =>
    ctx.p.Encrypted === true
      ? withKeys(ctx, [['KmsKeyId', ctx.p.KmsKeyId]], AWS('AWS-managed (aws/ebs)'))
      : { ...NONE('none (Encrypted is not true; the account EBS default may still apply)'), keys: [] },
  'AWS::EFS::FileSystem': (ctx) =>
    ctx.p.Encrypted === true
      ? withKeys(ctx, [['KmsKeyId', ctx.p.KmsKeyId]], AWS('AWS-managed (aws/elasticfilesystem)'))
      : { ...NONE('none (Encrypted is not true)'), keys: [] },
  'AWS::Kinesis::Stream': (ctx) => {
    const e = obj(ctx.p.StreamEncryption);
    return e.EncryptionType === 'KMS'
      ? withKeys(ctx, [['KeyId', e.KeyId]], AWS('AWS-managed (aws/kinesis)'))
      : { ...NONE('none (no StreamEncryption)'), keys: [] };
  },
  'AWS::KinesisFirehose::DeliveryStream': (ctx) => {
    const e = obj(ctx.p.DeliveryStreamEncryptionConfigurationInput);
    return e.KeyType === 'CUSTOMER_MANAGED_CMK'
      ? withKeys(ctx, [['KeyARN', e.KeyARN]], NONE('none'))
      : e.KeyType === 'AWS_OWNED_CMK'
        ? { ...AWS('AWS-owned key'), keys: [] }
        : { ...NONE('none (no DeliveryStreamEncryptionConfigurationInput)'), keys: [] };
  },
  'AWS::Config::DeliveryChannel': (ctx) =>
    withKeys(ctx, [['S3KmsKeyArn', ctx.p.S3KmsKeyArn]], {
      status: 'SSE-S3',
      summary: "the delivery bucket's default encryption (no S3KmsKeyArn)",
    }),
  'AWS::Cognito::UserPool': () => ({
    status: 'aws-managed-key',
    keys: [],
    summary: 'AWS-managed (Cognito encrypts user pool data at rest)',
  }),
  'AWS::KMS::Key': (ctx) => {
    const aliases = ctx.index.aliasesOf(ctx.r);
    return {
      status: 'key-itself',
      keys: [],
      summary: `is a customer-managed key${aliases.length ? `, alias ${aliases.join(', ')}` : ', no alias in this synth'}`,
    };
  },
};

/** The resource types whose encryption at rest this module reads. Others are 'not-assessed'. */
export const ASSESSED_TYPES: readonly string[] = Object.keys(RULES).sort();

function rdsStorage(ctx: Ctx): EncryptionAtRest {
  const extra: [string, unknown][] = [
    ['PerformanceInsightsKMSKeyId', ctx.p.PerformanceInsightsKMSKeyId],
    ['MasterUserSecret.KmsKeyId', obj(ctx.p.MasterUserSecret).KmsKeyId],
  ];
  if (ctx.p.StorageEncrypted !== true && ctx.p.KmsKeyId === undefined) {
    const rest = withKeys(ctx, extra, NONE('none'));
    return {
      status: 'none',
      keys: rest.keys,
      summary: `storage: none (StorageEncrypted is not true)${rest.keys.length ? `; ${rest.summary}` : ''}`,
    };
  }
  const keys = withKeys(ctx, [['KmsKeyId', ctx.p.KmsKeyId], ...extra], AWS('AWS-managed (aws/rds)'));
  if (ctx.p.KmsKeyId === undefined) {
    return {
      status: 'aws-managed-key',
      keys: keys.keys,
      summary: `storage: AWS-managed (aws/rds)${keys.keys.length ? `; ${keys.summary}` : ''}`,
    };
  }
  return keys;
}

/** How `r` is encrypted at rest. */
export function encryptionOf(index: TemplateIndex, r: IndexedResource): EncryptionAtRest {
  const rule = RULES[r.type];
  if (!rule)
    return {
      status: 'not-assessed',
      keys: [],
      summary: 'not assessed (no data at rest, or type not in ASSESSED_TYPES)',
    };
  return rule({ index, r, p: r.properties as Record<string, unknown> });
}
