/**
 * Restore validation Lambda (safeguard I1). Two events:
 * - an AWS Backup "Restore Job State Change" event -> DescribeRestoreJob -> validateRestore (pure) -> the restore
 *   duration and the outcome (1 SUCCESSFUL, 0 FAILED) as CloudWatch metrics per resource type (the duration is alarmed
 *   against the recovery time objective) and PutRestoreValidationResult;
 * - a scheduled event (the freshness check) -> ListRestoreJobs of the restore testing plan -> hoursSinceValidated
 *   (pure) -> per resource type, the hours since a restore test was last validated SUCCESSFUL (alarmed when longer
 *   than the plan's schedule allows; CloudWatch alarms cannot look back more than 7 days themselves). Reads restore job metadata only, never the restored data; logs carry
 * the job id, status and duration only. Environment: RTO_HOURS, METRIC_NAMESPACE.
 */
import {
  BackupClient,
  DescribeRestoreJobCommand,
  paginateListRestoreJobs,
  PutRestoreValidationResultCommand,
} from '@aws-sdk/client-backup';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { hoursSinceValidated, ListedRestoreJob } from './freshness';
import {
  inspectBucket,
  inspectDatabase,
  RESTORED_OBJECT_SAMPLE,
  RestoredDatabaseFacts,
  RestoredObjectEncryption,
  restoredResourceOf,
  RestoreExpectations,
} from './inspect';
import { RestoreValidation, validateRestore, withInspection } from './validate';

/** The metric the restore-duration alarm reads. */
export const RESTORE_DURATION_METRIC = 'RestoreTestDurationHours';
/** 1 for a restore test validated SUCCESSFUL, 0 for FAILED. */
export const RESTORE_SUCCEEDED_METRIC = 'RestoreTestSucceeded';
/** Hours since a restore test of the type was last validated SUCCESSFUL (the freshness check's gauge). */
export const HOURS_SINCE_VALIDATED_METRIC = 'HoursSinceValidatedRestoreTest';
/** How far back the freshness check lists restore jobs: the gauge is capped at this many hours. */
export const FRESHNESS_LOOKBACK_HOURS = 14 * 24;

/** What the freshness check needs besides the clients. */
export interface FreshnessSettings {
  /** ARN of the restore testing plan whose jobs are listed. */
  readonly planArn: string;
  /** The restore tested resource types (RDS, Aurora, S3): one gauge each. */
  readonly resourceTypes: readonly string[];
  readonly now: () => Date;
}

/** What the inspection of a restored copy needs. */
export interface InspectionDeps {
  readonly rds: RDSClient;
  readonly s3: S3Client;
  readonly expectations: RestoreExpectations;
}

/** The clients the handler uses (replaced by mocks in tests). */
export interface RestoreValidationDeps {
  readonly backup: BackupClient;
  readonly cloudWatch: CloudWatchClient;
  /** The inspection of the restored copy; without it a restore test is never SUCCESSFUL. */
  readonly inspection?: InspectionDeps;
  readonly rtoHours: number;
  readonly namespace: string;
  readonly log: (message: string, fields: Record<string, string | number>) => void;
  /** Settings of the freshness check (scheduled events). */
  readonly freshness?: FreshnessSettings;
}

/** Whether the event is the schedule's (the freshness check) rather than a restore job's. */
export function isScheduledEvent(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const e = event as Record<string, unknown>;
  return e.source === 'aws.events' && e['detail-type'] === 'Scheduled Event';
}

/**
 * The freshness check: lists the completed restore jobs of the plan of the last FRESHNESS_LOOKBACK_HOURS and publishes,
 * per resource type, the hours since one was validated SUCCESSFUL. Returns what it published.
 */
export async function checkFreshness(deps: RestoreValidationDeps): Promise<Record<string, number>> {
  const settings = deps.freshness;
  if (settings === undefined) throw new Error('checkFreshness: no freshness settings (RESTORE_TESTING_PLAN_ARN)');
  const now = settings.now();
  const jobs: ListedRestoreJob[] = [];
  for await (const page of paginateListRestoreJobs(
    { client: deps.backup },
    {
      ByRestoreTestingPlanArn: settings.planArn,
      ByStatus: 'COMPLETED',
      ByCompleteAfter: new Date(now.getTime() - FRESHNESS_LOOKBACK_HOURS * 3_600_000),
    },
  )) {
    for (const j of page.RestoreJobs ?? []) {
      jobs.push({
        resourceType: j.ResourceType,
        completionDate: j.CompletionDate,
        validationStatus: j.ValidationStatus,
      });
    }
  }
  const hours = hoursSinceValidated(jobs, settings.resourceTypes, now, FRESHNESS_LOOKBACK_HOURS);
  await deps.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: deps.namespace,
      MetricData: Object.entries(hours).map(([type, value]) => ({
        MetricName: HOURS_SINCE_VALIDATED_METRIC,
        Dimensions: [{ Name: 'ResourceType', Value: type }],
        Value: value,
        Unit: 'None' as const,
      })),
    }),
  );
  deps.log('restore test freshness', { jobs: jobs.length, ...hours });
  return hours;
}

/** The restore job id of an AWS Backup restore job event, or undefined. */
export function restoreJobIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const detail = (event as { detail?: unknown }).detail;
  if (typeof detail !== 'object' || detail === null) return undefined;
  const id = (detail as { restoreJobId?: unknown }).restoreJobId;
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,128}$/.test(id) ? id : undefined;
}

/** Error names (and HTTP statuses) that a retry may cure: thrown, so the invocation is retried, never recorded. */
const TRANSIENT =
  /^(Throttling|ThrottlingException|TooManyRequestsException|RequestLimitExceeded|SlowDown|InternalError|ServiceUnavailable|RequestTimeout|TimeoutError)$/;

/** Whether an AWS SDK error is transient (throttling, a server error, a timeout). */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return (
    e.$retryable !== undefined ||
    (typeof e.name === 'string' && TRANSIENT.test(e.name)) ||
    (typeof status === 'number' && status >= 500)
  );
}

/** The name of an error (never its message, which may carry a resource name). */
const errorName = (error: unknown): string =>
  typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
    ? (error as { name: string }).name
    : 'UnknownError';

/**
 * Runs one control-plane call of the inspection: its result, or the failed check `<call>: <error name>` (transient
 * errors are thrown).
 */
async function call<T>(name: string, failures: string[], run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (isTransient(error)) throw error;
    failures.push(`${name}: ${errorName(error)}`);
    return undefined;
  }
}

/**
 * Inspects the restored copy a restore test created (control-plane calls only) and returns its failed checks (empty:
 * usable and keeping the safeguards). Without inspection settings, one failed check says so.
 */
export async function inspectRestoredCopy(createdResourceArn: string, deps: RestoreValidationDeps): Promise<string[]> {
  const inspection = deps.inspection;
  if (inspection === undefined) return ['Inspection: not configured, the restored copy was not inspected'];
  const restored = restoredResourceOf(createdResourceArn);
  if (restored === undefined)
    return ['CreatedResourceArn: expected an RDS database or an S3 bucket, found another type'];
  const failures: string[] = [];
  const expected = inspection.expectations;
  if (restored.kind === 'db-instance') {
    const out = await call('DescribeDBInstances', failures, () =>
      inspection.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: restored.identifier })),
    );
    if (out === undefined) return failures;
    const db = out.DBInstances?.[0];
    if (db === undefined) return ['DescribeDBInstances: the restored instance is not found'];
    const facts: RestoredDatabaseFacts = {
      kind: 'instance',
      status: db.DBInstanceStatus,
      storageEncrypted: db.StorageEncrypted,
      kmsKeyId: db.KmsKeyId,
      publiclyAccessible: db.PubliclyAccessible,
      dbSubnetGroupName: db.DBSubnetGroup?.DBSubnetGroupName,
      securityGroupIds: (db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? ''),
    };
    return inspectDatabase(facts, expected);
  }
  if (restored.kind === 'db-cluster') {
    const out = await call('DescribeDBClusters', failures, () =>
      inspection.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: restored.identifier })),
    );
    if (out === undefined) return failures;
    const db = out.DBClusters?.[0];
    if (db === undefined) return ['DescribeDBClusters: the restored cluster is not found'];
    return inspectDatabase(
      {
        kind: 'cluster',
        status: db.Status,
        storageEncrypted: db.StorageEncrypted,
        kmsKeyId: db.KmsKeyId,
        publiclyAccessible: db.PubliclyAccessible,
        dbSubnetGroupName: db.DBSubnetGroup,
        securityGroupIds: (db.VpcSecurityGroups ?? []).map((g) => g.VpcSecurityGroupId ?? ''),
      },
      expected,
    );
  }
  // The bucket must be this account's (the PHI key's account).
  const owner = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):/.exec(expected.phiKeyArn)?.[1];
  const bucket = { Bucket: restored.bucket, ExpectedBucketOwner: owner };
  const s3 = inspection.s3;
  const versioning = await call('GetBucketVersioning', failures, () => s3.send(new GetBucketVersioningCommand(bucket)));
  const pab = await call('GetPublicAccessBlock', failures, () => s3.send(new GetPublicAccessBlockCommand(bucket)));
  const listed = await call('ListObjectsV2', failures, () =>
    s3.send(new ListObjectsV2Command({ ...bucket, MaxKeys: RESTORED_OBJECT_SAMPLE })),
  );
  // HeadObject of each sampled object: its encryption only (no body; the role has no kms:Decrypt). The keys stay in
  // memory: a failure names the object by its position in the sample, never by its key.
  const objects: RestoredObjectEncryption[] = [];
  const keys = (listed?.Contents ?? []).map((o) => o.Key).filter((k): k is string => k !== undefined);
  const sample = keys.slice(0, RESTORED_OBJECT_SAMPLE);
  for (const [i, key] of sample.entries()) {
    const head = await call(`HeadObject (object ${i + 1} of ${sample.length} sampled)`, failures, () =>
      s3.send(new HeadObjectCommand({ ...bucket, Key: key })),
    );
    if (head !== undefined) objects.push({ sseAlgorithm: head.ServerSideEncryption, kmsKeyId: head.SSEKMSKeyId });
  }
  const block = pab?.PublicAccessBlockConfiguration;
  const checks = inspectBucket(
    {
      versioning: versioning?.Status,
      publicAccessBlock: block && {
        blockPublicAcls: block.BlockPublicAcls,
        ignorePublicAcls: block.IgnorePublicAcls,
        blockPublicPolicy: block.BlockPublicPolicy,
        restrictPublicBuckets: block.RestrictPublicBuckets,
      },
      keyCount: listed?.KeyCount,
      objects,
    },
    expected,
  );
  // A call that failed already names the check; its empty facts would only repeat it.
  const failedCalls = new Set(failures.map((f) => f.split(':')[0]));
  const covered: Record<string, string> = {
    Versioning: 'GetBucketVersioning',
    PublicAccessBlock: 'GetPublicAccessBlock',
    KeyCount: 'ListObjectsV2',
  };
  return [...failures, ...checks.filter((c) => !failedCalls.has(covered[c.split(/[.:]/)[0]!] ?? ''))];
}

/** Handles one event; returns what it decided (for tests and logs). */
export async function handleRestoreEvent(event: unknown, deps: RestoreValidationDeps): Promise<RestoreValidation> {
  const restoreJobId = restoreJobIdOf(event);
  if (restoreJobId === undefined) return { action: 'skip', reason: 'not a restore job event' };
  const job = await deps.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
  const timed = validateRestore(
    {
      status: job.Status,
      resourceType: job.ResourceType,
      createdResourceArn: job.CreatedResourceArn,
      creationDate: job.CreationDate,
      completionDate: job.CompletionDate,
      restoreTestingPlanArn: job.CreatedBy?.RestoreTestingPlanArn,
    },
    deps.rtoHours,
  );
  // A reported test with a created resource: the restored copy is inspected too.
  const failedChecks =
    timed.action === 'report' && job.CreatedResourceArn !== undefined && job.CreatedResourceArn !== ''
      ? await inspectRestoredCopy(job.CreatedResourceArn, deps)
      : [];
  const decision = withInspection(timed, failedChecks);
  if (decision.action === 'skip') {
    deps.log('restore validation skipped', { restoreJobId, reason: decision.reason });
    return decision;
  }
  const dimensions = [{ Name: 'ResourceType', Value: job.ResourceType ?? 'unknown' }];
  await deps.cloudWatch.send(
    new PutMetricDataCommand({
      Namespace: deps.namespace,
      MetricData: [
        ...(decision.durationHours !== undefined
          ? [
              {
                MetricName: RESTORE_DURATION_METRIC,
                Dimensions: dimensions,
                Value: decision.durationHours,
                Unit: 'None' as const,
              },
            ]
          : []),
        {
          MetricName: RESTORE_SUCCEEDED_METRIC,
          Dimensions: dimensions,
          Value: decision.status === 'SUCCESSFUL' ? 1 : 0,
          Unit: 'Count',
        },
      ],
    }),
  );
  await deps.backup.send(
    new PutRestoreValidationResultCommand({
      RestoreJobId: restoreJobId,
      ValidationStatus: decision.status,
      ValidationStatusMessage: decision.message,
    }),
  );
  deps.log('restore validated', {
    restoreJobId,
    status: decision.status,
    durationHours: decision.durationHours ?? -1,
    failedChecks: failedChecks.length,
  });
  return decision;
}

/** Reads the function's own configuration (its environment), refusing a bad value by name. */
function configuration(): {
  rtoHours: number;
  namespace: string;
  freshness: FreshnessSettings;
  expectations: RestoreExpectations;
} {
  const rtoHours = Number(process.env.RTO_HOURS);
  if (!Number.isFinite(rtoHours) || rtoHours <= 0) {
    throw new Error(`RTO_HOURS = '${process.env.RTO_HOURS ?? ''}': must be a positive number of hours`);
  }
  const namespace = process.env.METRIC_NAMESPACE ?? '';
  if (!/^[A-Za-z0-9/_.-]{1,255}$/.test(namespace)) {
    throw new Error(`METRIC_NAMESPACE = '${namespace}': must be a CloudWatch namespace`);
  }
  const planArn = process.env.RESTORE_TESTING_PLAN_ARN ?? '';
  if (!/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:restore-testing-plan:[A-Za-z0-9_-]+$/.test(planArn)) {
    throw new Error(`RESTORE_TESTING_PLAN_ARN = '${planArn}': must be an AWS Backup restore testing plan ARN`);
  }
  const resourceTypes = (process.env.RESOURCE_TYPES ?? '').split(',').filter((t) => t !== '');
  if (resourceTypes.length === 0 || !resourceTypes.every((t) => /^[A-Za-z0-9]{1,32}$/.test(t))) {
    throw new Error(`RESOURCE_TYPES = '${process.env.RESOURCE_TYPES ?? ''}': must be a comma-separated list of types`);
  }
  const phiKeyArn = process.env.PHI_KEY_ARN ?? '';
  if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(phiKeyArn)) {
    throw new Error(`PHI_KEY_ARN = '${phiKeyArn}': must be a KMS key ARN`);
  }
  const dbSubnetGroupName = process.env.RESTORE_DB_SUBNET_GROUP ?? '';
  if (!/^[A-Za-z0-9 ._-]{1,255}$/.test(dbSubnetGroupName)) {
    throw new Error(`RESTORE_DB_SUBNET_GROUP = '${dbSubnetGroupName}': must be a DB subnet group name`);
  }
  const securityGroupId = process.env.RESTORE_SECURITY_GROUP_ID ?? '';
  if (!/^sg-[0-9a-f]{8,17}$/.test(securityGroupId)) {
    throw new Error(`RESTORE_SECURITY_GROUP_ID = '${securityGroupId}': must be a security group id (sg-...)`);
  }
  return {
    rtoHours,
    namespace,
    freshness: { planArn, resourceTypes, now: () => new Date() },
    expectations: { phiKeyArn, dbSubnetGroupName, securityGroupId },
  };
}

let deps: RestoreValidationDeps | undefined;

/** The Lambda entry point. */
export const handler = async (event: unknown): Promise<RestoreValidation | Record<string, number>> => {
  if (deps === undefined) {
    const { expectations, ...settings } = configuration();
    deps = {
      backup: new BackupClient({}),
      cloudWatch: new CloudWatchClient({}),
      inspection: { rds: new RDSClient({}), s3: new S3Client({}), expectations },
      ...settings,
      log: (message, fields) => console.log(JSON.stringify({ message, ...fields })),
    };
  }
  return isScheduledEvent(event) ? checkFreshness(deps) : handleRestoreEvent(event, deps);
};
