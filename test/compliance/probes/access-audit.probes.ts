import { idsOf, Json, one, Probe, remove } from './probe';

type Templates = Parameters<Probe['mutate']>[0];

const channelBucket = (t: Templates): Json =>
  one(t, 'audit', 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::AccessAuditBucket'] !== undefined)[1];
const stream = (t: Templates): [string, Json] => one(t, 'audit', 'AWS::KinesisFirehose::DeliveryStream');
const appendPolicy = (t: Templates): Json =>
  one(t, 'app', 'AWS::IAM::ManagedPolicy', (r) => String(r.Properties?.Description).startsWith('Append-only'))[1];
const lockRetention = (t: Templates): Json => channelBucket(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention;

/** U5 application access audit: the channel's lock, key and retention, and the task role's append-only right. */
export const PROBES: readonly Probe[] = [
  {
    name: 'U5 the access-audit bucket without Object Lock',
    safeguards: ['U5'],
    mutate: (t) => {
      delete channelBucket(t).Properties.ObjectLockEnabled;
      delete channelBucket(t).Properties.ObjectLockConfiguration;
    },
    caughtBy: /AccessAuditChannel\[Bucket::(ObjectLockEnabled::false|DefaultRetention::none)\]/,
  },
  {
    name: 'U5 the access-audit retention cut to one year',
    safeguards: ['U5'],
    mutate: (t) => (lockRetention(t).Days = 365),
    caughtBy: /AccessAuditChannel\[Bucket::DefaultRetention::365d\]/,
  },
  {
    name: 'U5 the access-audit lock in GOVERNANCE mode in production',
    safeguards: ['U5'],
    mutate: (t) => (lockRetention(t).Mode = 'GOVERNANCE'),
    caughtBy: /AccessAuditChannel\[Bucket::DefaultRetention\.Mode::GOVERNANCE\]/,
  },
  {
    name: 'U5 the access-audit bucket off the audit key',
    safeguards: ['U5'],
    mutate: (t) => {
      channelBucket(t).Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault =
        { SSEAlgorithm: 'AES256' };
    },
    caughtBy: /AccessAuditChannel\[Bucket::Encryption::none\]/,
  },
  {
    name: 'U5 the access-audit stream without server-side encryption',
    safeguards: ['U5'],
    mutate: (t) => delete stream(t)[1].Properties.DeliveryStreamEncryptionConfigurationInput,
    caughtBy: /AccessAuditChannel\[Stream::encryption-none\]/,
  },
  {
    name: 'U5 the access-audit stream removed',
    safeguards: ['U5'],
    mutate: (t) => remove(t, 'audit', [stream(t)[0]]),
    caughtBy: /AccessAuditChannel\[Stream::missing\]/,
  },
  {
    name: 'U5 the task role widened to every Firehose action',
    safeguards: ['U5', 'A3'],
    mutate: (t) => (appendPolicy(t).Properties.PolicyDocument.Statement[0].Action = 'firehose:*'),
    caughtBy: /AccessAuditChannel\[TaskRole::firehose-beyond-append:firehose:\*\]/,
  },
  {
    name: 'U5 the task role given reads on every bucket',
    safeguards: ['U5', 'A3'],
    mutate: (t) =>
      appendPolicy(t).Properties.PolicyDocument.Statement.push({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
      }),
    caughtBy: /AccessAuditChannel\[TaskRole::bucket-access\]/,
  },
  {
    name: 'U5 the access-audit silence alarm removed',
    safeguards: ['U5', 'D1'],
    mutate: (t) =>
      remove(
        t,
        'app',
        idsOf(t, 'app', 'AWS::CloudWatch::Alarm', (_r, id) => id.includes('AccessAuditAlarmsSilence')),
      ),
    caughtBy: /AccessAuditChannel\[Stream::no-silence-alarm\]/,
  },
  {
    name: 'U5 the access-audit volume check schedule removed',
    safeguards: ['U5', 'D1'],
    mutate: (t) =>
      remove(t, 'audit', [one(t, 'audit', 'AWS::Events::Rule', (_r, id) => id.includes('AccessAuditVolume'))[0]]),
    caughtBy: /AccessAuditChannel\[VolumeCheck::no-schedule\]/,
  },
  {
    name: 'U5 the access-audit volume anomaly alarm removed',
    safeguards: ['U5', 'D1'],
    mutate: (t) =>
      remove(t, 'audit', [
        one(t, 'audit', 'AWS::CloudWatch::Alarm', (r) => r.Properties?.MetricName === 'UsersOverThreshold')[0],
      ]),
    caughtBy: /AccessAuditChannel\[VolumeCheck::no-alarm\]/,
  },
  {
    // The attacker review of 2026-12-03: an auditor's query results (user and record ids) to another account, SSE-S3.
    name: "U5 E2 the access-audit search results sent to another account's bucket, encrypted with SSE-S3",
    safeguards: ['U5', 'E2'],
    mutate: (t) => {
      const results = one(t, 'audit', 'AWS::Athena::WorkGroup')[1].Properties.WorkGroupConfiguration
        .ResultConfiguration;
      results.OutputLocation = 's3://results-bucket-of-999999999999/athena/';
      results.EncryptionConfiguration = { EncryptionOption: 'SSE_S3' };
    },
    caughtBy: /AccessAuditChannel\[WorkGroup::results-outside-template\]/,
  },
  {
    name: 'U5 the access-audit search letting each query choose its results location',
    safeguards: ['U5'],
    mutate: (t) =>
      (one(t, 'audit', 'AWS::Athena::WorkGroup')[1].Properties.WorkGroupConfiguration.EnforceWorkGroupConfiguration =
        false),
    caughtBy: /AccessAuditChannel\[WorkGroup::not-enforced\]/,
  },
  {
    // The second review of 2026-12-03: the account's primary workgroup keeps results wherever its settings say.
    name: "U5 the access-audit volume check querying the account's primary workgroup",
    safeguards: ['U5'],
    mutate: (t) =>
      (one(
        t,
        'audit',
        'AWS::Lambda::Function',
        (r) => r.Properties?.Environment?.Variables?.ATHENA_WORKGROUP,
      )[1].Properties.Environment.Variables.ATHENA_WORKGROUP = 'primary'),
    caughtBy: /AccessAuditChannel\[VolumeCheck::workgroup-outside-assembly\]/,
  },
  {
    name: 'U5 the access-audit volume check function removed',
    safeguards: ['U5', 'D1'],
    mutate: (t) =>
      remove(t, 'audit', [
        one(t, 'audit', 'AWS::Lambda::Function', (r) => r.Properties?.Environment?.Variables?.ATHENA_WORKGROUP)[0],
      ]),
    caughtBy: /AccessAuditChannel\[VolumeCheck::no-function\]/,
  },
  {
    name: 'U5 I2 the access-audit bucket no longer replicated to the replica region',
    safeguards: ['U5', 'I2'],
    mutate: (t) => delete channelBucket(t).Properties.ReplicationConfiguration,
    caughtBy: /S3BucketReplicationEnabled/,
  },
  {
    name: 'U5 I2 the access-audit bucket replicates only part of its objects',
    safeguards: ['U5', 'I2'],
    mutate: (t) => (channelBucket(t).Properties.ReplicationConfiguration.Rules[0].Filter = { Prefix: 'errors/' }),
    caughtBy: /AccessAuditChannel\[Bucket::Replication::not-every-object\]/,
  },
  {
    name: 'U5 I2 access-audit replicas no longer under the audit replica key',
    safeguards: ['U5', 'I2'],
    mutate: (t) =>
      delete channelBucket(t).Properties.ReplicationConfiguration.Rules[0].Destination.EncryptionConfiguration,
    caughtBy: /AccessAuditChannel\[Bucket::Replication::replica-key-none\]/,
  },
];
