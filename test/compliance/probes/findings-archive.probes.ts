import { idsOf, Json, one, Probe, remove, Templates } from './probe';

const MARKER = 'HipaaBlueprint::FindingsArchive';
const archive = (t: Templates): [string, Json] =>
  one(t, 'audit', 'AWS::S3::Bucket', (r) => r.Metadata?.[MARKER] !== undefined);
const retention = (t: Templates): Json => archive(t)[1].Properties.ObjectLockConfiguration.Rule.DefaultRetention;
const stream = (t: Templates): [string, Json] =>
  one(
    t,
    'audit',
    'AWS::KinesisFirehose::DeliveryStream',
    (r) => r.Metadata?.[MARKER] !== undefined && r.Properties.DeliveryStreamName === 'hipaa-prod-findings-archive',
  );
const securityHubRule = (t: Templates): [string, Json] =>
  one(t, 'audit', 'AWS::Events::Rule', (r) =>
    JSON.stringify(r.Properties.EventPattern ?? {}).includes('aws.securityhub'),
  );
const forwardedRule = (t: Templates): [string, Json] =>
  one(t, 'audit', 'AWS::Events::Rule', (r) =>
    JSON.stringify(r.Properties.EventPattern ?? {}).includes('aws.guardduty'),
  );
const role = (t: Templates, name: string): Json =>
  one(t, 'audit', 'AWS::IAM::Role', (r) => r.Properties.RoleName === name)[1].Properties;
/** The findings archive's alarm on `metricName` whose dimension value is `value` (a name, or a JSON fragment). */
const alarm = (t: Templates, metricName: string, value: string): Json =>
  one(
    t,
    'audit',
    'AWS::CloudWatch::Alarm',
    (r) => r.Properties.MetricName === metricName && JSON.stringify(r.Properties.Dimensions[0].Value).includes(value),
  )[1].Properties;
const archivePolicy = (t: Templates): Json =>
  one(
    t,
    'audit',
    'AWS::S3::BucketPolicy',
    (r) => JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: archive(t)[0] }),
  )[1].Properties.PolicyDocument;

/** The six-year findings archive (D2, issue 15): GuardDuty's publishing destination, the Security Hub export, the bucket. */
export const PROBES: readonly Probe[] = [
  {
    name: 'A3 U4 the Security Hub export also sends every finding, as it is, to its own dead-letter queue (readable in the account: object keys)',
    safeguards: ['A3', 'U4'],
    mutate: (t) => {
      const target = securityHubRule(t)[1].Properties.Targets[0];
      securityHubRule(t)[1].Properties.Targets.push({ Id: 'copy', Arn: target.DeadLetterConfig.Arn });
    },
    caughtBy: /PhiObjectEventsStayInside\[\w+::routes-object-keys-unformatted\]/,
  },
  {
    name: "A3 U4 a Lambda processor added to the findings archive's stream: a function outside the archive sees every finding",
    safeguards: ['A3', 'U4'],
    mutate: (t) =>
      stream(t)[1].Properties.ExtendedS3DestinationConfiguration.ProcessingConfiguration.Processors.push({
        Type: 'Lambda',
        Parameters: [
          { ParameterName: 'LambdaArn', ParameterValue: 'arn:aws:lambda:us-east-1:123456789012:function:copy' },
        ],
      }),
    caughtBy: /PhiObjectEventsStayInside\[\w+::routes-object-keys-unformatted\]/,
  },
  {
    name: 'D2 the GuardDuty publishing destination removed (findings kept 90 days only)',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'detection', idsOf(t, 'detection', 'AWS::GuardDuty::PublishingDestination')),
    caughtBy: /FindingsArchivePresent\[GuardDuty::no-publishing-destination\]/,
  },
  {
    name: 'D2 GuardDuty exports findings under a key outside the blueprint',
    safeguards: ['D2'],
    mutate: (t) =>
      (one(t, 'detection', 'AWS::GuardDuty::PublishingDestination')[1].Properties.DestinationProperties.KmsKeyArn =
        'arn:aws:kms:us-east-1:222222222222:key/00000000-0000-0000-0000-000000000000'),
    caughtBy: /FindingsArchivePresent\[GuardDuty::destination-key-outside-assembly\]/,
  },
  {
    name: 'D2 GuardDuty exports into a folder of the archive (a folder object nobody may create: the destination fails)',
    safeguards: ['D2'],
    mutate: (t) => {
      const props = one(t, 'detection', 'AWS::GuardDuty::PublishingDestination')[1].Properties.DestinationProperties;
      props.DestinationArn = { 'Fn::Join': ['', [props.DestinationArn, '/guardduty/']] };
    },
    caughtBy: /FindingsArchivePresent\[GuardDuty::destination-folder\]/,
  },
  {
    name: 'D2 the Security Hub export rule removed',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'audit', [securityHubRule(t)[0]]),
    caughtBy: /FindingsArchivePresent\[SecurityHub::no-export\]/,
  },
  {
    name: 'D2 the Security Hub export narrowed to critical findings',
    safeguards: ['D2'],
    mutate: (t) =>
      (securityHubRule(t)[1].Properties.EventPattern.detail = { findings: { Severity: { Label: ['CRITICAL'] } } }),
    caughtBy: /FindingsArchivePresent\[SecurityHub::no-export\]/,
  },
  {
    name: 'D2 the findings archive stream no longer encrypted',
    safeguards: ['D2'],
    mutate: (t) => delete stream(t)[1].Properties.DeliveryStreamEncryptionConfigurationInput,
    caughtBy: /FindingsArchivePresent\[Stream::encryption-none\]/,
  },
  {
    name: 'D2 the findings archive delivery alarm removed',
    safeguards: ['D2'],
    mutate: (t) =>
      remove(
        t,
        'audit',
        idsOf(
          t,
          'audit',
          'AWS::CloudWatch::Alarm',
          (r) => r.Properties.MetricName === 'DeliveryToS3.DataFreshness',
        ).filter((id) => id.startsWith('FindingsArchive')),
      ),
    caughtBy: /FindingsArchivePresent\[Stream::no-delivery-alarm\]/,
  },
  {
    name: 'D2 the findings archive locked in GOVERNANCE mode in prod',
    safeguards: ['D2'],
    mutate: (t) => (retention(t).Mode = 'GOVERNANCE'),
    caughtBy: /FindingsArchivePresent\[Bucket::DefaultRetention\.Mode::GOVERNANCE\]/,
  },
  {
    name: 'D2 the findings archive keeps findings one year',
    safeguards: ['D2'],
    mutate: (t) => (retention(t).Days = 365),
    caughtBy: /FindingsArchivePresent\[Bucket::DefaultRetention::365d\]/,
  },
  {
    name: 'D2 Object Lock removed from the findings archive',
    safeguards: ['D2'],
    mutate: (t) => {
      const p = archive(t)[1].Properties;
      delete p.ObjectLockEnabled;
      delete p.ObjectLockConfiguration;
    },
    caughtBy: /FindingsArchivePresent\[Bucket::ObjectLockEnabled::false\]/,
  },
  {
    name: 'D2 the findings archive encrypted with S3-managed keys',
    safeguards: ['D2'],
    mutate: (t) =>
      (archive(t)[1].Properties.BucketEncryption.ServerSideEncryptionConfiguration = [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ]),
    caughtBy: /FindingsArchivePresent\[Bucket::Encryption::none\]/,
  },
  {
    name: 'D2 the findings archive lets principals delete archived findings',
    safeguards: ['D2'],
    mutate: (t) => {
      const doc = archivePolicy(t);
      doc.Statement = doc.Statement.filter((s: Json) => s.Sid !== 'DenyObjectDeletes');
    },
    caughtBy: /FindingsArchivePresent\[Bucket::TamperDenies::s3:DeleteObject,s3:DeleteObjectVersion\]/,
  },
  {
    name: 'D2 the findings archive, its marker deleted, lets principals move archived findings to another key in place',
    safeguards: ['D2'],
    mutate: (t) => {
      const doc = archivePolicy(t);
      doc.Statement = doc.Statement.filter((s: Json) => s.Sid !== 'DenyObjectEncryptionUpdates');
      delete archive(t)[1].Metadata[MARKER];
    },
    caughtBy: /FindingsArchivePresent\[Bucket::TamperDenies::s3:UpdateObjectEncryption\]/,
  },
  {
    name: 'D2 the findings archive declared off with nobody named to archive findings',
    safeguards: ['D2'],
    mutate: (t) => {
      const declared = (t.detection as Json).Metadata.HipaaBlueprint.detection;
      declared.findingsArchive = false;
      delete declared.providedBy;
      remove(t, 'detection', idsOf(t, 'detection', 'AWS::GuardDuty::PublishingDestination'));
    },
    caughtBy: /FindingsArchivePresent\[FindingsArchive::off-no-provider\]/,
  },
  {
    name: 'D2 I2 the findings archive no longer replicated to the replica region',
    safeguards: ['D2', 'I2'],
    mutate: (t) => delete archive(t)[1].Properties.ReplicationConfiguration,
    caughtBy: /S3BucketReplicationEnabled/,
  },
  {
    name: 'D2 I2 the findings archive replicates delete markers (a delete would hide the replicas)',
    safeguards: ['D2', 'I2'],
    mutate: (t) =>
      (archive(t)[1].Properties.ReplicationConfiguration.Rules[0].DeleteMarkerReplication.Status = 'Enabled'),
    caughtBy: /FindingsArchivePresent\[Replication::delete-markers\]/,
  },
  {
    name: 'D2 I2 the findings archive replicates into a bucket outside the blueprint',
    safeguards: ['D2', 'I2'],
    mutate: (t) =>
      (archive(t)[1].Properties.ReplicationConfiguration.Rules[0].Destination.Bucket =
        'arn:aws:s3:::someone-elses-bucket'),
    caughtBy: /FindingsArchivePresent\[Replication::destination-outside-assembly\]/,
  },
  {
    name: 'D2 I2 the audit replica bucket lets the findings delivery role replicate into it',
    safeguards: ['D2', 'I2'],
    mutate: (t) => {
      const policy = one(t, 'phiReplica', 'AWS::S3::BucketPolicy', (r) =>
        JSON.stringify(r.Properties.Bucket).includes('AuditArchiveReplica'),
      )[1].Properties.PolicyDocument;
      const only = policy.Statement.find((s: Json) => s.Sid === 'DenyReplicationExceptTheArchiveRole');
      only.Condition.ArnNotEquals['aws:PrincipalArn'] =
        'arn:aws:iam::123456789012:role/hipaa-prod-findings-archive-delivery';
    },
    caughtBy: /FindingsArchivePresent\[Replication::replica-writers\]/,
  },
  {
    name: 'D2 the Security Hub export loses its dead-letter queue (undeliverable findings dropped)',
    safeguards: ['D2'],
    mutate: (t) => delete securityHubRule(t)[1].Properties.Targets[0].DeadLetterConfig,
    caughtBy: /FindingsArchivePresent\[Export::no-dead-letter-queue\]/,
  },
  {
    name: 'D2 the findings archive dead-letter alarm removed',
    safeguards: ['D2'],
    mutate: (t) =>
      remove(
        t,
        'audit',
        idsOf(
          t,
          'audit',
          'AWS::CloudWatch::Alarm',
          (r) => r.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
        ).filter((id) => id.startsWith('FindingsArchive')),
      ),
    caughtBy: /FindingsArchivePresent\[Export::no-dead-letter-alarm\]/,
  },
  {
    name: 'D2 the findings archive dead-letter alarm on the Minimum over a day (cannot fire on one dead letter)',
    safeguards: ['D2'],
    mutate: (t) =>
      Object.assign(alarm(t, 'ApproximateNumberOfMessagesVisible', 'FindingsArchiveDeadLetterQueue'), {
        Statistic: 'Minimum',
        Period: 86400,
      }),
    caughtBy: /FindingsArchivePresent\[Export::dead-letter-alarm-cannot-fire\]/,
  },
  {
    name: 'D2 the Security Hub export has no retry policy',
    safeguards: ['D2'],
    mutate: (t) => delete securityHubRule(t)[1].Properties.Targets[0].RetryPolicy,
    caughtBy: /FindingsArchivePresent\[Export::no-retry-policy\]/,
  },
  {
    name: 'D2 the findings archive export role trusted by any rule of the account (aws:SourceArn removed)',
    safeguards: ['D2'],
    mutate: (t) =>
      delete role(t, 'hipaa-prod-findings-archive-export').AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals,
    caughtBy: /FindingsArchivePresent\[Export::role-trust-without-source-arn\]/,
  },
  {
    name: 'D2 the findings archive delivery role trusted by any stream of the account (aws:SourceArn removed)',
    safeguards: ['D2'],
    mutate: (t) =>
      delete role(t, 'hipaa-prod-findings-archive-delivery').AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals,
    caughtBy: /FindingsArchivePresent\[Stream::role-trust-without-source-arn\]/,
  },
  {
    name: 'D2 the findings archive stream without error logging',
    safeguards: ['D2'],
    mutate: (t) => delete stream(t)[1].Properties.ExtendedS3DestinationConfiguration.CloudWatchLoggingOptions,
    caughtBy: /FindingsArchivePresent\[Stream::no-error-logging\]/,
  },
  {
    name: 'D2 the findings archive stream concatenates findings (newline delimiter removed)',
    safeguards: ['D2'],
    mutate: (t) => delete stream(t)[1].Properties.ExtendedS3DestinationConfiguration.ProcessingConfiguration,
    caughtBy: /FindingsArchivePresent\[Stream::no-record-delimiter\]/,
  },
  {
    name: 'D2 the findings archive freshness alarm on the Minimum (a stuck stream hides behind fresh records)',
    safeguards: ['D2'],
    mutate: (t) => (alarm(t, 'DeliveryToS3.DataFreshness', '"hipaa-prod-findings-archive"').Statistic = 'Minimum'),
    caughtBy: /FindingsArchivePresent\[Stream::delivery-alarm-cannot-fire\]/,
  },
  {
    name: 'D2 the Security Hub export failure alarm with actions disabled',
    safeguards: ['D2'],
    mutate: (t) => (alarm(t, 'FailedInvocations', '"hipaa-prod-findings-archive-securityhub"').ActionsEnabled = false),
    caughtBy: /FindingsArchivePresent\[Export::export-alarm-cannot-fire\]/,
  },
  {
    name: 'D2 the Security Hub export failure alarm removed',
    safeguards: ['D2'],
    mutate: (t) =>
      remove(
        t,
        'audit',
        idsOf(t, 'audit', 'AWS::CloudWatch::Alarm', (r) => r.Properties.MetricName === 'FailedInvocations').filter(
          (id) => id.startsWith('FindingsArchive'),
        ),
      ),
    caughtBy: /FindingsArchivePresent\[Export::no-export-alarm\]/,
  },
  {
    name: "D2 the replica region's forwarded GuardDuty findings no longer archived (rule removed)",
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'audit', [forwardedRule(t)[0]]),
    caughtBy: /FindingsArchivePresent\[GuardDuty::forwarded-not-archived\]/,
  },
  {
    name: "D2 the replica region's forwarded GuardDuty archive narrowed to MEDIUM and above",
    safeguards: ['D2'],
    mutate: (t) => (forwardedRule(t)[1].Properties.EventPattern.detail = { severity: [{ numeric: ['>=', 4] }] }),
    caughtBy: /FindingsArchivePresent\[GuardDuty::forwarded-not-archived\]/,
  },
  {
    name: 'D2 the replica region forwards only MEDIUM+ GuardDuty findings again (the archive misses the rest)',
    safeguards: ['D2'],
    mutate: (t) =>
      (one(t, 'replicaDetection', 'AWS::Events::Rule', (r) =>
        JSON.stringify(r.Properties.EventPattern ?? {}).includes('aws.guardduty'),
      )[1].Properties.EventPattern.detail = { severity: [{ numeric: ['>=', 4] }] }),
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::guardDuty-findings-not-forwarded\]/,
  },
  {
    name: 'D2 the replica region forwards only new HIGH/CRITICAL Security Hub findings again',
    safeguards: ['D2'],
    mutate: (t) =>
      (one(t, 'replicaDetection', 'AWS::Events::Rule', (r) =>
        JSON.stringify(r.Properties.EventPattern ?? {}).includes('aws.securityhub'),
      )[1].Properties.EventPattern.detail = { findings: { Severity: { Label: ['HIGH', 'CRITICAL'] } } }),
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::securityHub-findings-not-forwarded\]/,
  },
];
