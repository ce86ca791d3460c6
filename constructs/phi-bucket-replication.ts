import { Aws, Stack, Token } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Where a PHI bucket replicates to: another region of this account, named (no cross-region references). */
export interface PhiReplicationDestination {
  /** Name of the destination bucket; the account may be the AWS::AccountId pseudo-parameter. */
  readonly destinationBucketName: string;
  /** Region of the destination bucket; differs from the source's region. */
  readonly destinationRegion: string;
  /**
   * ARN of the alias of the destination region's PHI key, `arn:aws:kms:REGION:ACCOUNT:alias/NAME`
   * (S3 accepts an alias ARN as ReplicaKmsKeyID; the role is scoped to that alias, see the class comment).
   */
  readonly destinationKeyAliasArn: string;
}

/** Props of PhiBucketReplication. */
export interface PhiBucketReplicationProps extends PhiReplicationDestination {
  /** The source PHI bucket (in this stack). */
  readonly source: IBucket;
  /** The source bucket's PHI key (in this region). */
  readonly sourceKey: IKey;
  /**
   * The source bucket has S3 Object Lock (the audit archive): the role also reads each version's retention and
   * legal hold, which replication copies to the (object-locked) destination.
   * @default false
   */
  readonly objectLock?: boolean;
  /**
   * What is replicated, for the role's and policy's descriptions.
   * @default 'one PHI bucket'
   */
  readonly purpose?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ALIAS_ARN = /^arn:[^:]+:kms:([^:]+):[^:]+:(alias\/[a-zA-Z0-9/_-]+)$/;

/**
 * Cross-region replication of a PHI bucket (safeguards I1, I2, E2): a role S3 assumes for this
 * account only, with one customer-managed policy (no inline, no AWS managed policy), and the
 * bucket's ReplicationConfiguration (V2 schema).
 *
 * The policy: read the source's replication configuration and list it; read object versions, their
 * ACLs and tags under `source/*`; replicate objects, deletes and tags under `destination/*`; decrypt
 * with the source key only through S3 in the source region; encrypt with the destination key only
 * through S3 in the destination region. The destination key is in another region and named by alias
 * only: IAM matches a key's alias through `kms:ResourceAliases` (an alias ARN in `Resource` would
 * not authorize use of the key), so that statement is `key/*` of the destination region conditioned
 * on the alias. `bucket/*` and that `key/*` are the register's only IAM5 entries on this policy.
 *
 * Every object encrypted with SSE-KMS replicates (V2: empty prefix filter), replica modifications
 * sync back (two-way replication for failover), delete markers do not replicate (a delete in one
 * region never hides the object in the other).
 */
export class PhiBucketReplication extends Construct {
  public readonly role: Role;
  public readonly policy: ManagedPolicy;
  /** The bucket's ReplicationConfiguration (set by the PhiBucket on its CfnBucket). */
  public readonly configuration: CfnBucket.ReplicationConfigurationProperty;

  constructor(scope: Construct, id: string, props: PhiBucketReplicationProps) {
    super(scope, id);
    const where = `PhiBucketReplication ${this.node.path}`;
    const { region: sourceRegion, account } = Stack.of(this);
    if (!REGION.test(props.destinationRegion)) {
      throw new Error(
        `${where}: destinationRegion = '${props.destinationRegion}': must be an AWS region, e.g. us-west-2`,
      );
    }
    if (!Token.isUnresolved(sourceRegion) && props.destinationRegion === sourceRegion) {
      throw new Error(
        `${where}: destinationRegion = '${props.destinationRegion}': must differ from the source region (cross-region replication)`,
      );
    }
    if (props.destinationBucketName.length === 0 || /[*?/]/.test(props.destinationBucketName)) {
      throw new Error(`${where}: destinationBucketName = '${props.destinationBucketName}': must be a bucket name`);
    }
    const alias = ALIAS_ARN.exec(props.destinationKeyAliasArn);
    if (!alias || alias[1] !== props.destinationRegion) {
      throw new Error(
        `${where}: destinationKeyAliasArn = '${props.destinationKeyAliasArn}': must be a KMS alias ARN in ${props.destinationRegion} (arn:aws:kms:${props.destinationRegion}:ACCOUNT:alias/NAME)`,
      );
    }
    const aliasName = alias[2];
    const destinationArn = `arn:${Aws.PARTITION}:s3:::${props.destinationBucketName}`;

    this.role = new Role(this, 'Role', {
      description: `S3 replication of ${props.source.node.path} to ${props.destinationRegion}`,
      assumedBy: new ServicePrincipal('s3.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': account },
      }),
    });
    this.policy = new ManagedPolicy(this, 'Policy', {
      // The PHI policy's description is unchanged (a new description replaces a managed policy).
      description:
        props.purpose === undefined
          ? `S3 replication of one PHI bucket to ${props.destinationRegion}: scoped to the two buckets and the two PHI keys`
          : `S3 replication of ${props.purpose} to ${props.destinationRegion}: scoped to the two buckets and their two keys`,
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'ReadSourceReplicationConfiguration',
          actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          resources: [props.source.bucketArn],
        }),
        new PolicyStatement({
          sid: 'ReadSourceObjectVersions',
          actions: [
            's3:GetObjectVersionForReplication',
            's3:GetObjectVersionAcl',
            's3:GetObjectVersionTagging',
            ...(props.objectLock ? ['s3:GetObjectRetention', 's3:GetObjectLegalHold'] : []),
          ],
          resources: [props.source.arnForObjects('*')],
        }),
        new PolicyStatement({
          sid: 'ReplicateToDestination',
          actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
          resources: [`${destinationArn}/*`],
        }),
        new PolicyStatement({
          sid: 'DecryptWithSourceKeyThroughS3',
          actions: ['kms:Decrypt'],
          resources: [props.sourceKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${sourceRegion}.amazonaws.com` } },
        }),
        new PolicyStatement({
          sid: 'EncryptWithDestinationKeyThroughS3',
          actions: ['kms:Encrypt'],
          resources: [`arn:${Aws.PARTITION}:kms:${props.destinationRegion}:${Aws.ACCOUNT_ID}:key/*`],
          conditions: {
            StringEquals: { 'kms:ViaService': `s3.${props.destinationRegion}.amazonaws.com` },
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [aliasName] },
          },
        }),
      ],
    });

    this.configuration = {
      role: this.role.roleArn,
      rules: [
        {
          id: `ReplicateTo-${props.destinationRegion}`,
          status: 'Enabled',
          priority: 1,
          filter: { prefix: '' },
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: {
            sseKmsEncryptedObjects: { status: 'Enabled' },
            replicaModifications: { status: 'Enabled' },
          },
          destination: {
            bucket: destinationArn,
            encryptionConfiguration: { replicaKmsKeyId: props.destinationKeyAliasArn },
          },
        },
      ],
    };
  }
}
