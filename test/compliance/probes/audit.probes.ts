import { dropGrants, Json, one, Probe, remove } from './probe';

const trail = (t: Parameters<Probe['mutate']>[0]): Json => one(t, 'audit', 'AWS::CloudTrail::Trail')[1];
const archive = (t: Parameters<Probe['mutate']>[0]): Json =>
  one(t, 'audit', 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::AuditArchive'] !== undefined)[1];
const containerLogs = (t: Parameters<Probe['mutate']>[0]): Json =>
  one(t, 'app', 'AWS::Logs::LogGroup', (_r, id) => id.startsWith('ApiServiceLogs') && !id.includes('Findings'))[1];

/** A new encrypted, versioned bucket named `name` whose objects expire after 90 days (no log bucket marker). */
function shortLivedBucket(name: string): Json {
  return {
    Type: 'AWS::S3::Bucket',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      BucketName: name,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 90 }] },
    },
  };
}

/** A log bucket's marker removed and its first lifecycle rule cut to 90 days: only its shape says it keeps logs. */
function unmarkedShortLived(bucket: Json): void {
  delete bucket.Metadata['HipaaBlueprint::LogBucket'];
  bucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays = 90;
}

/** Audit controls: U1 trail, U2 archive, U3 retention, U4 no PHI in logs. */

export const PROBES: readonly Probe[] = [
  {
    name: 'U1 the trail created but not logging (IsLogging false)',
    safeguards: ['U1'],
    mutate: (t) => (trail(t).Properties.IsLogging = false),
    caughtBy: /TrailCoversPhiBuckets\[Trail::not-logging\]/,
  },
  {
    name: 'U1 the PHI data events narrowed to one event name (reads and writes of PHI objects no longer recorded)',
    safeguards: ['U1'],
    mutate: (t) =>
      trail(t)
        .Properties.AdvancedEventSelectors.find((s: Json) => s.Name === 'PhiObjectReadsAndWrites')
        .FieldSelectors.push({ Field: 'eventName', Equals: ['RestoreObject'] }),
    caughtBy: /TrailCoversPhiBuckets\[DataEvents::/,
  },
  {
    name: 'U1 U6 the management events narrowed to reads (no write API call in the trail: tamper rules and alarms blind)',
    safeguards: ['U1', 'U6'],
    mutate: (t) =>
      trail(t)
        .Properties.AdvancedEventSelectors.find((s: Json) => s.Name === 'ManagementEvents')
        .FieldSelectors.push({ Field: 'readOnly', Equals: ['true'] }),
    caughtBy: /TrailCoversPhiBuckets\[ManagementEvents::not-recorded\]/,
  },
  {
    name: 'U1 D2 a first-deploy bootstrap declaration in a whole environment, with the trail removed (presence rules off)',
    safeguards: ['U1', 'D2'],
    mutate: (t) => {
      (t.phiReplica!.Metadata as Json).HipaaBlueprint.phiReplicaBootstrap = true;
      remove(t, 'audit', [one(t, 'audit', 'AWS::CloudTrail::Trail')[0]]);
    },
    caughtBy: /TrailCoversPhiBuckets\[Trail::absent\]/,
  },
  {
    name: "I1 I2 the bootstrap declaration on the whole environment's PHI replica stack, its bucket unmarked and only its puts denied (replication still writes PHI into a bucket exempt from the PHI store rules)",
    safeguards: ['I1', 'I2'],
    mutate: (t) => {
      (t.phiReplica!.Metadata as Json).HipaaBlueprint.phiReplicaBootstrap = true;
      const [id, bucket] = one(
        t,
        'phiReplica',
        'AWS::S3::Bucket',
        (r) => r.Metadata?.['HipaaBlueprint::PhiStore'] === true,
      );
      delete bucket.Metadata['HipaaBlueprint::PhiStore'];
      const policy = one(t, 'phiReplica', 'AWS::S3::BucketPolicy', (r) => r.Properties.Bucket?.Ref === id)[1];
      policy.Properties.PolicyDocument.Statement.push({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] },
      });
    },
    caughtBy: /ReplicaBootstrapAlone\[Declaration::not-alone\]/,
  },
  {
    name: "D1 U1 the management events moved to a second trail without a log group (the security alarms' log group gets no API call)",
    safeguards: ['D1', 'U1'],
    mutate: (t) => {
      const [id, original] = one(t, 'audit', 'AWS::CloudTrail::Trail');
      const copy = JSON.parse(JSON.stringify(original));
      delete copy.Properties.CloudWatchLogsLogGroupArn;
      delete copy.Properties.CloudWatchLogsRoleArn;
      copy.Properties.TrailName = `${String(copy.Properties.TrailName ?? id)}-management`;
      t.audit!.Resources[`${id}Management`] = copy;
      original.Properties.AdvancedEventSelectors = original.Properties.AdvancedEventSelectors.filter(
        (s: Json) => s.Name !== 'ManagementEvents',
      );
    },
    caughtBy: /SecurityAlarmsPresent\[Trail::no-management-log-group\]/,
  },
  {
    name: 'U1 the trail single-region',
    safeguards: ['U1'],
    mutate: (t) => (trail(t).Properties.IsMultiRegionTrail = false),
    caughtBy: /CloudTrailMultiRegionWithPhiDataEvents\[IsMultiRegionTrail::false\]/,
  },
  {
    name: 'U1 the trail without log file validation',
    safeguards: ['U1'],
    mutate: (t) => (trail(t).Properties.EnableLogFileValidation = false),
    caughtBy: /CloudTrailLogFileValidationEnabled/,
  },
  {
    name: 'U1 the trail without S3 data events',
    safeguards: ['U1'],
    mutate: (t) => {
      const props = trail(t).Properties;
      delete props.EventSelectors;
      props.AdvancedEventSelectors = props.AdvancedEventSelectors.filter(
        (s: Json) => s.Name !== 'PhiObjectReadsAndWrites',
      );
    },
    caughtBy: /CloudTrailMultiRegionWithPhiDataEvents\[S3DataEvents::none\]|TrailCoversPhiBuckets\[DataEvents::/,
  },
  {
    name: 'U1 the replica PHI bucket dropped from the data events',
    safeguards: ['U1'],
    mutate: (t) => {
      const selector = trail(t).Properties.AdvancedEventSelectors.find(
        (s: Json) => s.Name === 'PhiObjectReadsAndWrites',
      );
      const arns = selector.FieldSelectors.find((f: Json) => f.Field === 'resources.ARN');
      arns.StartsWith = arns.StartsWith.filter((v: Json) => !JSON.stringify(v).includes('-phi-replica-'));
    },
    caughtBy: /TrailCoversPhiBuckets\[DataEvents::hipaa-prod-phi-replica-.*-none\]/,
  },
  {
    name: 'U1 the trail removed',
    safeguards: ['U1'],
    mutate: (t) => remove(t, 'audit', [one(t, 'audit', 'AWS::CloudTrail::Trail')[0]]),
    caughtBy: /TrailCoversPhiBuckets\[Trail::absent\]/,
  },
  {
    name: 'U2 Object Lock removed from the audit archive',
    safeguards: ['U2'],
    mutate: (t) => {
      delete archive(t).Properties.ObjectLockEnabled;
      delete archive(t).Properties.ObjectLockConfiguration;
    },
    caughtBy: /AuditBucketObjectLock\[ObjectLockEnabled::false\]/,
  },
  {
    name: 'U2 the audit archive in GOVERNANCE mode in production',
    safeguards: ['U2'],
    mutate: (t) => (archive(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention.Mode = 'GOVERNANCE'),
    caughtBy: /AuditBucketObjectLock\[DefaultRetention\.Mode::GOVERNANCE-not-allowed\]/,
  },
  {
    name: 'U2 the audit archive kept one year',
    safeguards: ['U2'],
    mutate: (t) => (archive(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention.Days = 365),
    caughtBy: /AuditBucketObjectLock\[DefaultRetention::365d\]/,
  },
  {
    name: 'U2 I1 the audit archive no longer replicated to the replica region',
    safeguards: ['U2', 'I1'],
    mutate: (t) => delete archive(t).Properties.ReplicationConfiguration,
    caughtBy: /S3BucketReplicationEnabled/,
  },
  {
    name: 'U2 the audit archive replica without Object Lock',
    safeguards: ['U2'],
    mutate: (t) => {
      const replica = one(
        t,
        'phiReplica',
        'AWS::S3::Bucket',
        (r) => r.Metadata?.['HipaaBlueprint::AuditArchive'] !== undefined,
      )[1];
      delete replica.Properties.ObjectLockEnabled;
      delete replica.Properties.ObjectLockConfiguration;
    },
    caughtBy: /AuditBucketObjectLock\[ObjectLockEnabled::false\]/,
  },
  {
    name: 'U3 a log group kept one year',
    safeguards: ['U3'],
    mutate: (t) => (one(t, 'audit', 'AWS::Logs::LogGroup')[1].Properties.RetentionInDays = 365),
    caughtBy: /LogGroupSixYearRetention\[RetentionInDays::365\]/,
  },
  {
    name: 'U3 an access log bucket expiring objects after 90 days',
    safeguards: ['U3'],
    mutate: (t) => {
      const bucket = one(
        t,
        'data',
        'AWS::S3::Bucket',
        (r) => r.Metadata?.['HipaaBlueprint::LogBucket'] !== undefined,
      )[1];
      bucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays = 90;
    },
    caughtBy: /LogBucketRetention/,
  },
  {
    name: 'U3 an access log bucket given a 90-day rule whose Status only deploy resolves (a condition)',
    safeguards: ['U3'],
    mutate: (t) => {
      t.data!.Conditions = { ...(t.data!.Conditions as object), Short: { 'Fn::Equals': ['short', 'long'] } };
      const bucket = one(
        t,
        'data',
        'AWS::S3::Bucket',
        (r) => r.Metadata?.['HipaaBlueprint::LogBucket'] !== undefined,
      )[1];
      bucket.Properties.LifecycleConfiguration.Rules.push({
        Id: 'Short',
        Status: { 'Fn::If': ['Short', 'Enabled', 'Disabled'] },
        ExpirationInDays: 90,
      });
    },
    caughtBy: /LogBucketRetention\[Rule\[Short\]\.ExpirationInDays::90\]/,
  },
  {
    name: 'U3 an access log bucket expiring objects after 90 days, marker removed',
    safeguards: ['U3'],
    mutate: (t) =>
      unmarkedShortLived(
        one(t, 'data', 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::LogBucket'] !== undefined)[1],
      ),
    // The PHI bucket's access logs go to it (LoggingConfiguration.DestinationBucketName): a log bucket by its shape.
    caughtBy: /LogBucketRetention\[Rule\[[^\]]*\]\.ExpirationInDays::90\]/,
  },
  {
    name: 'U3 the AWS Config delivery bucket expiring objects after 90 days, marker removed (its writer is another stack)',
    safeguards: ['U3'],
    mutate: (t) =>
      unmarkedShortLived(
        one(t, 'audit', 'AWS::S3::Bucket', (r) =>
          JSON.stringify(r.Metadata?.['aws:cdk:path'] ?? '').includes('/ConfigDelivery'),
        )[1],
      ),
    // Its delivery channel is in the detection stack; its bucket policy lets config.amazonaws.com write: a log bucket.
    caughtBy: /LogBucketRetention\[Rule\[[^\]]*\]\.ExpirationInDays::90\]/,
  },
  {
    name: 'U3 the AWS Config delivery bucket expiring objects after 90 days, marker and Config grant removed',
    safeguards: ['U3'],
    mutate: (t) => {
      const [id, bucket] = one(t, 'audit', 'AWS::S3::Bucket', (r) =>
        JSON.stringify(r.Metadata?.['aws:cdk:path'] ?? '').includes('/ConfigDelivery'),
      );
      unmarkedShortLived(bucket);
      // Nothing in its own template says it receives logs any more; the delivery channel is in the detection stack.
      dropGrants(t, 'audit', id, 'config.');
    },
    caughtBy: /LogDestinationsMarked\[ConfigDeliveryBucket[^\]]*::unmarked\]/,
  },
  {
    name: "U3 the WAF web ACL's logs sent to a new S3 bucket kept 90 days, without the log bucket marker",
    safeguards: ['U3'],
    mutate: (t) => {
      t.app.Resources.WafLogs = shortLivedBucket('aws-waf-logs-hipaa-prod-app');
      one(t, 'app', 'AWS::WAFv2::LoggingConfiguration')[1].Properties.LogDestinationConfigs = [
        { 'Fn::GetAtt': ['WafLogs', 'Arn'] },
      ];
    },
    caughtBy: /LogDestinationsMarked\[WafLogs::unmarked\]/,
  },
  {
    name: "U3 the WAF web ACL's logs sent through a new Firehose stream to a new S3 bucket kept 90 days, without the marker",
    safeguards: ['U3'],
    mutate: (t) => {
      t.app.Resources.WafLogs = shortLivedBucket('hipaa-prod-waf-archive');
      t.app.Resources.WafStream = {
        Type: 'AWS::KinesisFirehose::DeliveryStream',
        Properties: {
          DeliveryStreamName: 'aws-waf-logs-hipaa-prod-app',
          ExtendedS3DestinationConfiguration: {
            BucketARN: { 'Fn::GetAtt': ['WafLogs', 'Arn'] },
            RoleARN: 'arn:aws:iam::111111111111:role/waf-firehose',
          },
        },
      };
      one(t, 'app', 'AWS::WAFv2::LoggingConfiguration')[1].Properties.LogDestinationConfigs = [
        { 'Fn::GetAtt': ['WafStream', 'Arn'] },
      ];
    },
    caughtBy: /LogDestinationsMarked\[WafLogs::unmarked\]|LogBucketRetention/,
  },
  {
    name: 'U3 the API container’s logs also sent by a FireLens router to a new S3 bucket kept 90 days, without the marker',
    safeguards: ['U3'],
    mutate: (t) => {
      t.app.Resources.ContainerLogs = shortLivedBucket('hipaa-prod-container-logs');
      const [, task] = one(t, 'app', 'AWS::ECS::TaskDefinition');
      task.Properties.ContainerDefinitions[0].LogConfiguration = {
        LogDriver: 'awsfirelens',
        Options: { Name: 's3', bucket: 'hipaa-prod-container-logs', region: 'us-east-1' },
      };
    },
    caughtBy: /LogDestinationsMarked\[ContainerLogs::unmarked\]|LogBucketRetention/,
  },
  {
    name: 'U3 ECS Exec session logs also written to a new S3 bucket kept 90 days, without the log bucket marker',
    safeguards: ['U3'],
    mutate: (t) => {
      t.app.Resources.ExecLogs = shortLivedBucket('hipaa-prod-exec-logs');
      const cluster = one(t, 'app', 'AWS::ECS::Cluster')[1];
      cluster.Properties.Configuration.ExecuteCommandConfiguration.LogConfiguration.S3BucketName = { Ref: 'ExecLogs' };
    },
    caughtBy: /LogDestinationsMarked\[ExecLogs::unmarked\]/,
  },
  {
    name: 'U3 the audit archive replica (another stack) without its log bucket and audit archive markers, kept 90 days',
    safeguards: ['U3'],
    mutate: (t) => {
      const [, replica] = one(t, 'phiReplica', 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::AuditArchive']);
      delete replica.Metadata['HipaaBlueprint::AuditArchive'];
      unmarkedShortLived(replica);
    },
    caughtBy: /LogDestinationsMarked\[AuditArchiveReplica\w*::unmarked\]/,
  },
  {
    name: 'U3 E2 a Lambda function logging to a group Lambda creates (no LoggingConfig)',
    safeguards: ['U3', 'E2'],
    mutate: (t) => delete one(t, 'alerting', 'AWS::Lambda::Function')[1].Properties.LoggingConfig,
    caughtBy: /LambdaLogsToManagedLogGroup\[LoggingConfig\.LogGroup::unset\]/,
  },
  {
    name: "U4 the PHI database logging every statement's text (log_statement all: the values written and searched for)",
    safeguards: ['U4'],
    mutate: (t) => (one(t, 'data', 'AWS::RDS::DBParameterGroup')[1].Properties.Parameters.log_statement = 'all'),
    caughtBy: /PostgresAuditLogging\[log_statement::all\]/,
  },
  {
    name: 'U1 pgaudit removed from the PHI database (DDL and role changes no longer audited)',
    safeguards: ['U1'],
    mutate: (t) =>
      (one(t, 'data', 'AWS::RDS::DBParameterGroup')[1].Properties.Parameters.shared_preload_libraries =
        'pg_stat_statements'),
    caughtBy: /PostgresAuditLogging\[shared_preload_libraries::pg_stat_statements\]/,
  },
  {
    name: 'U4 the container log group data protection (masking) policy removed',
    safeguards: ['U4'],
    mutate: (t) => delete containerLogs(t).Properties.DataProtectionPolicy,
    caughtBy: /PhiLogGroupDataProtection\[DataProtectionPolicy::none\]/,
  },
  {
    name: 'U4 the container log group no longer masks social security numbers, marker removed',
    safeguards: ['U4'],
    mutate: (t) => {
      const logs = containerLogs(t);
      delete logs.Metadata['HipaaBlueprint::PhiLogGroup'];
      for (const s of logs.Properties.DataProtectionPolicy.Statement) {
        s.DataIdentifier = s.DataIdentifier.filter((d: string) => !d.endsWith('/Ssn-US'));
      }
    },
    caughtBy: /PhiLogGroupDataProtection\[DataProtectionPolicy::not-masked-Ssn-US\]/,
  },
  {
    name: 'U4 the database log export unmasked, marker removed',
    safeguards: ['U4'],
    mutate: (t) => {
      const logs = one(t, 'data', 'AWS::Logs::LogGroup', (r) =>
        String(r.Properties.LogGroupName).startsWith('/aws/rds/'),
      )[1];
      delete logs.Properties.DataProtectionPolicy;
      delete logs.Metadata['HipaaBlueprint::PhiLogGroup'];
    },
    caughtBy: /PhiLogGroupDataProtection\[DataProtectionPolicy::none\]/,
  },
  {
    name: 'U4 the WAF log group unmasked',
    safeguards: ['U4'],
    mutate: (t) =>
      delete one(t, 'app', 'AWS::Logs::LogGroup', (r) =>
        JSON.stringify(r.Properties.LogGroupName ?? '').includes('aws-waf-logs-'),
      )[1].Properties.DataProtectionPolicy,
    caughtBy: /PhiLogGroupDataProtection\[DataProtectionPolicy::none\]/,
  },
];
