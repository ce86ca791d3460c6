import { Aws, Stack } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RetentionPolicy } from './core';
import { EncryptedLogGroup } from './encrypted-log-group';

/** Props of an AuditTrail. */
export interface AuditTrailProps {
  /** Trail name; the audit archive's bucket policy admits exactly this trail (aws:SourceArn). */
  readonly trailName: string;
  /** The audit archive the trail delivers to. */
  readonly bucket: IBucket;
  /** The audit-domain key: encrypts log files (CloudTrail SSE-KMS) and the log group (E2). */
  readonly encryptionKey: IKey;
  /** Retention of the trail's log group (>= 2192 days, U3). */
  readonly retention: RetentionPolicy;
  /**
   * Names of the buckets whose object-level reads and writes are recorded (S3 data events, U1).
   * Names, not references: the PHI buckets may live in a stack deployed after this one.
   */
  readonly dataEventBucketNames: readonly string[];
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * S3 data events the trail records on its own audit archive (U2, U6): deletes and the object-level changes
 * that weaken protection, as write-only data events. CloudTrail delivers log and digest files with
 * s3:PutObject only (the archive's policy admits it nothing else), and PutObject is not selected, so the
 * trail never records its own deliveries: no logging loop. Filtering by eventName needs advanced event
 * selectors (AWS::CloudTrail::Trail DataResource, CloudFormation User Guide).
 */
export const ARCHIVE_WRITE_EVENTS: readonly string[] = [
  'DeleteObject',
  'DeleteObjects',
  'DeleteObjectTagging',
  'PutObjectAcl',
  'PutObjectLegalHold',
  'PutObjectRetention',
  'PutObjectTagging',
];

/**
 * The account's CloudTrail trail with safeguard U1 built in: multi-region, global service events,
 * log file validation, SSE-KMS with the audit key, delivered to a KMS-encrypted six-year log group
 * (through a role whose only permission is a customer-managed policy), management events read and
 * write, S3 data events read and write on every named PHI bucket, and the deletes and protection changes
 * in its own archive (ARCHIVE_WRITE_EVENTS, never its deliveries).
 *
 * Built on CfnTrail: the Trail L2 gives its log delivery role an inline policy and adds its own
 * bucket policy statements without aws:SourceAccount; the audit archive writes the exact policy.
 */
export class AuditTrail extends Construct {
  public readonly trail: CfnTrail;
  public readonly logGroup: EncryptedLogGroup;
  public readonly trailArn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    if (props.dataEventBucketNames.length === 0) {
      throw new Error(
        `AuditTrail ${this.node.path}: dataEventBucketNames = []: must name every PHI bucket (safeguard U1)`,
      );
    }
    for (const [i, name] of props.dataEventBucketNames.entries()) {
      if (!BUCKET_NAME.test(name)) {
        throw new Error(`AuditTrail ${this.node.path}: dataEventBucketNames[${i}] = '${name}': not an S3 bucket name`);
      }
    }
    const stack = Stack.of(this);
    this.trailArn = `arn:${Aws.PARTITION}:cloudtrail:${stack.region}:${stack.account}:trail/${props.trailName}`;

    this.logGroup = new EncryptedLogGroup(this, 'LogGroup', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    });

    const deliveryPolicy = new ManagedPolicy(this, 'LogDeliveryPolicy', {
      description: 'CloudTrail delivers events to its own log group, nothing else',
      statements: [
        new PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroup.logGroupArn],
        }),
      ],
    });
    const deliveryRole = new Role(this, 'LogDeliveryRole', {
      description: 'CloudTrail to CloudWatch Logs delivery for the audit trail',
      assumedBy: new ServicePrincipal('cloudtrail.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      managedPolicies: [deliveryPolicy],
    });

    this.trail = new CfnTrail(this, 'Trail', {
      trailName: props.trailName,
      s3BucketName: props.bucket.bucketName,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: deliveryRole.roleArn,
      // Advanced event selectors (a trail takes either these or basic ones): every management event, every
      // object read and write on the PHI buckets, and the archive's deletes without its deliveries.
      advancedEventSelectors: [
        { name: 'ManagementEvents', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] },
        {
          name: 'PhiObjectReadsAndWrites',
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
            {
              field: 'resources.ARN',
              startsWith: props.dataEventBucketNames.map((name) => `arn:${Aws.PARTITION}:s3:::${name}/`),
            },
          ],
        },
        {
          name: 'AuditArchiveDeletes',
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
            { field: 'readOnly', equalTo: ['false'] },
            { field: 'resources.ARN', startsWith: [`${props.bucket.bucketArn}/`] },
            { field: 'eventName', equalTo: [...ARCHIVE_WRITE_EVENTS] },
          ],
        },
      ],
      // Safeguards last.
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      kmsKeyId: props.encryptionKey.keyArn,
    });
    // CloudTrail checks bucket policy and role when the trail is created.
    const policy = props.bucket.policy;
    if (policy) this.trail.node.addDependency(policy);
    this.trail.node.addDependency(deliveryPolicy, deliveryRole);
  }
}
