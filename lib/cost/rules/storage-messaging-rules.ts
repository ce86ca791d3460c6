import { UsageCharge } from '../core/model';
import { RuleSet, props } from './pricing-rule';

/** S3 buckets, SNS topics, SQS queues, Firehose streams, Athena workgroups, AWS Backup vaults. */
export const STORAGE_MESSAGING_RULES: RuleSet = {
  'AWS::S3::Bucket': (_r, ctx) => ({
    usage: [
      ctx.usage(
        's3.standard.gbMonth',
        'Amazon S3',
        'storage (Standard)',
        'objects kept, including noncurrent versions and replicas; plus requests',
      ),
    ],
  }),

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
