import { UsageCharge } from '../core/model';
import { RuleSet, props } from './pricing-rule';

/** S3 buckets, SNS topics, SQS queues, Firehose streams, Athena workgroups, AWS Backup vaults. */
export const STORAGE_MESSAGING_RULES: RuleSet = {
  /**
   * Storage is usage. S3 Replication metrics are billed as CloudWatch custom metrics, per rule with metrics enabled:
   * BytesPendingReplication, ReplicationLatency and OperationsPendingReplication are published even when nothing
   * replicates (S3 User Guide, "Using S3 Replication metrics"), so they are fixed (3 metric-months a rule, in the
   * destination's region); OperationsFailedReplication is published only when an operation fails: usage.
   */
  'AWS::S3::Bucket': (r, ctx) => {
    const usage: UsageCharge[] = [
      ctx.usage(
        's3.standard.gbMonth',
        'Amazon S3',
        'storage (Standard)',
        'objects kept, including noncurrent versions and replicas; plus requests',
      ),
    ];
    const replication = props(r).ReplicationConfiguration as { Rules?: unknown } | undefined;
    const rules = (Array.isArray(replication?.Rules) ? replication.Rules : []) as {
      Status?: unknown;
      Destination?: { Metrics?: { Status?: unknown } };
    }[];
    const metered = rules.filter(
      (rule) => rule.Status === 'Enabled' && rule.Destination?.Metrics?.Status === 'Enabled',
    );
    if (metered.length === 0) return { usage };
    usage.push(
      ctx.usage(
        'cloudwatch.s3ReplicationMetric.month',
        'Amazon CloudWatch',
        'S3 Replication metric OperationsFailedReplication',
        'hours in which a replication operation fails (prorated by the hour)',
      ),
    );
    return {
      lines: [
        ctx.line({
          category: 'CloudWatch custom metrics',
          billed: `S3 Replication metrics of ${metered.length} rule(s) (bytes pending, latency, operations pending)`,
          group: 'S3 Replication metrics of one rule (3 metrics)',
          priceId: 'cloudwatch.s3ReplicationMetric.month',
          quantity: 3 * metered.length,
          quantityText: `${3 * metered.length} metric-month`,
          note: "published in the destination bucket's region, also when nothing replicates",
        }),
      ],
      usage,
    };
  },

  'AWS::SNS::Topic': (_r, ctx) => {
    const subs = Object.values(ctx.template.Resources ?? {}).filter(
      (x) => x.Type === 'AWS::SNS::Subscription' && props(x).Protocol === 'email',
    ).length;
    const usage: UsageCharge[] = [ctx.usage('sns.publish.perMillion', 'Amazon SNS', 'publishes', 'alerts published')];
    if (subs > 0)
      usage.push(
        ctx.usage('sns.email.per100k', 'Amazon SNS', 'e-mail deliveries', `alerts x ${subs} e-mail subscriptions`),
      );
    return { usage };
  },

  'AWS::SQS::Queue': (_r, ctx) => ({
    usage: [ctx.usage('sqs.requests.perMillion', 'Amazon SQS', 'requests', 'messages sent, received and deleted')],
  }),

  'AWS::KinesisFirehose::DeliveryStream': (_r, ctx) => ({
    usage: [
      ctx.usage(
        'firehose.directPut.gb',
        'Amazon Data Firehose',
        'ingestion (Direct PUT)',
        'access-audit events written',
      ),
    ],
  }),

  'AWS::Athena::WorkGroup': (_r, ctx) => ({
    usage: [ctx.usage('athena.scan.tb', 'Amazon Athena', 'data scanned', 'access-audit searches run by reviewers')],
  }),

  'AWS::Backup::BackupVault': (_r, ctx) => ({
    usage: [
      ctx.usage(
        'backup.rdsSnapshot.gbMonth',
        'AWS Backup',
        'RDS backup storage',
        'database size, change rate and retention',
      ),
      ctx.usage('backup.s3.gbMonth', 'AWS Backup', 'S3 backup storage', 'bucket size, change rate and retention'),
    ],
  }),
};
