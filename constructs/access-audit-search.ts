import { Duration, Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Bucket, IBucket, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { ACCESS_AUDIT_EVENTS_PREFIX } from './access-audit-channel';
import {
  bucketSafeguards,
  denyObjectEncryptionUpdates,
  denyObjectVersionDeletes,
  retainOnReplace,
} from './bucket-safeguards';
import { assertRetention, RetentionPolicy, tagSafeguards } from './core';

/** Props of AccessAuditSearch. */
export interface AccessAuditSearchProps {
  /** The access-audit bucket (AccessAuditChannel.bucket) the table reads. */
  readonly eventsBucket: IBucket;
  /** The services whose events the table shows (its `stream_service` partition values). */
  readonly services: readonly string[];
  /** The audit key: query results are SSE-KMS with it. */
  readonly encryptionKey: IKey;
  /** The retention policy: query results are kept auditRetentionDays (>= 2192). */
  readonly retention: RetentionPolicy;
  /** Where the results bucket's S3 server access logs go. */
  readonly accessLogs: AccessLogBucket;
  /** Physical name of the Athena workgroup. */
  readonly workGroupName: string;
  /** Name of the Glue database (lower case letters, digits and underscores). */
  readonly databaseName: string;
}

/** Name of the Glue table of the access-audit events. */
export const ACCESS_AUDIT_TABLE = 'events';

/** Prefix of the results bucket's server access logs in the access log bucket. */
export const ACCESS_AUDIT_RESULTS_ACCESS_LOG_PREFIX = 'access-audit-results/';

const DATABASE = /^[a-z0-9_]{1,255}$/;
const WORKGROUP = /^[a-zA-Z0-9._-]{1,128}$/;
const SERVICE = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * The reviewers' search path over the access-audit events (U5): a Glue table over the bucket's JSON lines (event
 * format v1, services/sample-api/src/access-audit/FORMAT.md), partitioned by service and day through partition
 * projection (no crawler, no partition maintenance), and an Athena workgroup whose configuration is enforced: every
 * query's results go to a results bucket, SSE-KMS with the audit key, kept for the audit retention (versioned, version
 * deletes denied, never expired before the retention), CloudWatch metrics on.
 *
 * Who may query: principals with Athena and Glue read rights in IAM, s3:GetObject on the events bucket and the audit
 * key through S3 (the audit readers of the config: the key admits them). The workload has none of these.
 */
export class AccessAuditSearch extends Construct {
  public readonly resultsBucket: Bucket;
  public readonly workGroup: CfnWorkGroup;
  public readonly database: CfnDatabase;
  public readonly table: CfnTable;

  constructor(scope: Construct, id: string, props: AccessAuditSearchProps) {
    super(scope, id);
    const where = `AccessAuditSearch ${this.node.path}`;
    assertRetention(props.retention, where);
    if (!DATABASE.test(props.databaseName)) {
      throw new Error(
        `${where}: databaseName = '${props.databaseName}': must be 1-255 lower-case letters, digits and underscores`,
      );
    }
    if (!WORKGROUP.test(props.workGroupName)) {
      throw new Error(`${where}: workGroupName = '${props.workGroupName}': must be 1-128 of [a-zA-Z0-9._-]`);
    }
    props.services.forEach((s, i) => {
      if (!SERVICE.test(s)) throw new Error(`${where}: services[${i}] = '${s}': must be lower-case kebab-case`);
    });
    const { account } = Stack.of(this);
    const days = props.retention.auditRetentionDays;

    this.resultsBucket = new Bucket(this, 'ResultsBucket', {
      lifecycleRules: [
        {
          id: 'InstantRetrievalNoExpirationBeforeRetention',
          enabled: true,
          transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }],
          expiration: Duration.days(days),
          noncurrentVersionExpiration: Duration.days(days),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      ...bucketSafeguards(props.encryptionKey),
    });
    retainOnReplace(this.resultsBucket);
    denyObjectVersionDeletes(this.resultsBucket);
    denyObjectEncryptionUpdates(this.resultsBucket);
    props.accessLogs.receiveServerAccessLogsFrom(this.resultsBucket, ACCESS_AUDIT_RESULTS_ACCESS_LOG_PREFIX);

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description:
        'Search of the application access-audit events (U5): results SSE-KMS with the audit key, kept six years',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/results/`,
          expectedBucketOwner: account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.encryptionKey.keyArn },
        },
      },
    });

    this.database = new CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: props.databaseName,
        description: 'Application access-audit events (U5)',
      },
    });
    const location = `s3://${props.eventsBucket.bucketName}/${ACCESS_AUDIT_EVENTS_PREFIX}`;
    const years = Math.ceil(days / 365) + 1;
    this.table = new CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: props.databaseName,
      tableInput: {
        name: ACCESS_AUDIT_TABLE,
        description: 'Access-audit events, format v1 (JSON lines), one partition per service and day',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.stream_service.type': 'enum',
          'projection.stream_service.values': props.services.length > 0 ? props.services.join(',') : 'none',
          'projection.day.type': 'date',
          'projection.day.format': 'yyyy-MM-dd',
          'projection.day.range': `NOW-${years}YEARS,NOW`,
          'projection.day.interval': '1',
          'projection.day.interval.unit': 'DAYS',
          'storage.location.template': `${location}service=\${stream_service}/date=\${day}/`,
        },
        partitionKeys: [
          { name: 'stream_service', type: 'string' },
          { name: 'day', type: 'string' },
        ],
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' },
          columns: [
            { name: 'version', type: 'int' },
            { name: 'eventid', type: 'string' },
            { name: 'time', type: 'string' },
            { name: 'service', type: 'string' },
            { name: 'who', type: 'struct<userid:string>' },
            { name: 'what', type: 'struct<resourcetype:string,recordid:string,action:string,outcome:string>' },
            { name: 'where', type: 'struct<clientip:string,useragent:string,requestid:string>' },
          ],
        },
      },
    });
    this.table.node.addDependency(this.database);
    tagSafeguards(this, ['U5']);
  }
}
