import { isDomainKey, Json, keyOutput, one, Probe, suppress } from './probe';

const isPhiBucket = (r: Json) => r.Metadata?.['HipaaBlueprint::PhiStore'] === true;
const phiBucketPolicy = (t: Parameters<Probe['mutate']>[0]): Json => {
  const [bucketId] = one(t, 'data', 'AWS::S3::Bucket', isPhiBucket);
  return one(t, 'data', 'AWS::S3::BucketPolicy', (r) => r.Properties.Bucket?.Ref === bucketId)[1];
};

/** The PHI bucket policy's statement `sid` (throws when there is none: a renamed statement cannot pass silently). */
const phiBucketStatement = (t: Parameters<Probe['mutate']>[0], sid: string): Json => {
  const found = phiBucketPolicy(t).Properties.PolicyDocument.Statement.find((s: Json) => s.Sid === sid);
  if (!found) throw new Error(`probe: no statement ${sid} on the PHI bucket`);
  return found;
};

/** Removes the PHI bucket policy's statement `sid` (throws when there is none). */
const withoutPhiBucketStatement = (t: Parameters<Probe['mutate']>[0], sid: string): void => {
  const policy = phiBucketPolicy(t);
  const statements = policy.Properties.PolicyDocument.Statement;
  policy.Properties.PolicyDocument.Statement = statements.filter((s: Json) => s !== phiBucketStatement(t, sid));
};

/** Encryption: E1 keys, E2 customer-managed keys per store, E3 TLS. */
export const PROBES: readonly Probe[] = [
  {
    name: 'E1 key rotation off',
    safeguards: ['E1'],
    mutate: (t) => (one(t, 'keys', 'AWS::KMS::Key')[1].Properties.EnableKeyRotation = false),
    caughtBy: /KmsKeySafeguards\[EnableKeyRotation::false\]/,
  },
  {
    name: 'E1 key deletion window 7 days',
    safeguards: ['E1'],
    mutate: (t) => (one(t, 'keys', 'AWS::KMS::Key')[1].Properties.PendingWindowInDays = 7),
    caughtBy: /KmsKeySafeguards\[PendingWindowInDays::7\]/,
  },
  {
    name: 'E1 PHI key policy gives the account decrypt without a condition',
    safeguards: ['E1'],
    mutate: (t) =>
      one(t, 'keys', 'AWS::KMS::Key', isDomainKey('phi'))[1].Properties.KeyPolicy.Statement.push({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::222222222222:root' },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    caughtBy: /KmsKeySafeguards\[KeyPolicy::/,
  },
  {
    name: 'E1 E2 the database moved to the backup key',
    safeguards: ['E1', 'E2'],
    mutate: (t) => {
      const [backupKey] = one(t, 'keys', 'AWS::KMS::Key', isDomainKey('backup'));
      one(t, 'data', 'AWS::RDS::DBInstance')[1].Properties.KmsKeyId = keyOutput(t.keys!, backupKey);
    },
    caughtBy: /PhiStoreKeyDomain\[KmsKeyId::backup\]/,
  },
  {
    name: 'E1 E2 the PHI bucket moved to the audit key',
    safeguards: ['E1', 'E2'],
    mutate: (t) => {
      const [auditKey] = one(t, 'keys', 'AWS::KMS::Key', isDomainKey('audit'));
      one(
        t,
        'data',
        'AWS::S3::Bucket',
        isPhiBucket,
      )[1].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID =
        keyOutput(t.keys!, auditKey);
    },
    caughtBy: /PhiStoreKeyDomain\[KMSMasterKeyID::audit\]/,
  },
  {
    name: 'E2 the database on the AWS-managed key (KmsKeyId removed)',
    safeguards: ['E2'],
    mutate: (t) => delete one(t, 'data', 'AWS::RDS::DBInstance')[1].Properties.KmsKeyId,
    caughtBy: /StoreCustomerManagedKey\[KmsKeyId::absent\]/,
  },
  {
    name: 'E2 Performance Insights on the aws/rds key',
    safeguards: ['E2'],
    mutate: (t) => (one(t, 'data', 'AWS::RDS::DBInstance')[1].Properties.PerformanceInsightsKMSKeyId = 'alias/aws/rds'),
    caughtBy: /StoreCustomerManagedKey\[PerformanceInsightsKMSKeyId::aws-managed\]/,
  },
  {
    name: 'E2 database storage unencrypted',
    safeguards: ['E2'],
    mutate: (t) => {
      const db = one(t, 'data', 'AWS::RDS::DBInstance')[1];
      db.Properties.StorageEncrypted = false;
      delete db.Properties.KmsKeyId;
    },
    caughtBy: /RDSStorageEncrypted/,
  },
  {
    name: 'E2 the master user secret on the default Secrets Manager key',
    safeguards: ['E2'],
    mutate: (t) => delete one(t, 'data', 'AWS::RDS::DBInstance')[1].Properties.MasterUserSecret,
    caughtBy: /StoreCustomerManagedKey\[MasterUserSecret\.KmsKeyId::absent\]/,
  },
  {
    name: 'E2 a log group without a key',
    safeguards: ['E2'],
    mutate: (t) => delete one(t, 'audit', 'AWS::Logs::LogGroup')[1].Properties.KmsKeyId,
    caughtBy: /CloudWatchLogGroupEncrypted|StoreCustomerManagedKey\[KmsKeyId::absent\]/,
  },
  {
    name: 'E2 a new secret on the default key',
    safeguards: ['E2'],
    mutate: (t) =>
      (t.data!.Resources.ProbeSecret = {
        Type: 'AWS::SecretsManager::Secret',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { GenerateSecretString: { ExcludePunctuation: true } },
      }),
    caughtBy: /StoreCustomerManagedKey\[KmsKeyId::absent\]/,
  },
  {
    name: 'E2 the image repository on AES256',
    safeguards: ['E2'],
    mutate: (t) => delete one(t, 'app', 'AWS::ECR::Repository')[1].Properties.EncryptionConfiguration,
    caughtBy: /StoreCustomerManagedKey\[EncryptionConfiguration\.EncryptionType::AES256\]/,
  },
  {
    name: 'E2 Fargate ephemeral storage back on the AWS-owned key',
    safeguards: ['E2'],
    mutate: (t) => delete one(t, 'app', 'AWS::ECS::Cluster')[1].Properties.Configuration.ManagedStorageConfiguration,
    caughtBy: /StoreCustomerManagedKey\[ManagedStorageConfiguration\.FargateEphemeralStorageKmsKeyId::absent\]/,
  },
  {
    name: 'E2 V2 the PHI bucket switched to SSE-S3, its findings suppressed by hand and its marker removed',
    safeguards: ['E2', 'V2'],
    mutate: (t) => {
      const bucket = one(t, 'data', 'AWS::S3::Bucket', isPhiBucket)[1];
      bucket.Properties.BucketEncryption = {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      };
      delete bucket.Metadata['HipaaBlueprint::PhiStore'];
      suppress(bucket, [
        'HIPAA.Security-S3DefaultEncryptionKMS',
        'NIST.800.53.R5-S3DefaultEncryptionKMS',
        'Blueprint-StoreCustomerManagedKey[SSEAlgorithm::AES256]',
      ]);
    },
    caughtBy: /UnregisteredAcknowledgement\[HIPAA\.Security-S3DefaultEncryptionKMS\]/,
  },
  {
    name: "E2 the PHI bucket's deny of writes under another KMS key removed",
    safeguards: ['E2'],
    mutate: (t) => withoutPhiBucketStatement(t, 'DenyObjectWritesWithAnotherKey'),
    caughtBy: /PhiBucketWritesUnderItsKey\[WriteEncryption::another-key-not-denied\]/,
  },
  {
    name: "E2 the PHI bucket's deny of writes under another KMS key exempting the backup key too",
    safeguards: ['E2'],
    mutate: (t) => {
      const [backupKey] = one(t, 'keys', 'AWS::KMS::Key', isDomainKey('backup'));
      const deny = phiBucketStatement(t, 'DenyObjectWritesWithAnotherKey');
      const own = deny.Condition.StringNotEquals['s3:x-amz-server-side-encryption-aws-kms-key-id'];
      deny.Condition.StringNotEquals['s3:x-amz-server-side-encryption-aws-kms-key-id'] = [
        own,
        keyOutput(t.keys!, backupKey),
      ];
    },
    caughtBy: /PhiBucketWritesUnderItsKey\[WriteEncryption::another-key-not-denied\]/,
  },
  {
    name: "E2 the PHI bucket's SSE-S3 deny given an exception for principals with a tag",
    safeguards: ['E2'],
    mutate: (t) => {
      phiBucketStatement(t, 'DenyObjectWritesNotSseKms').Condition.StringNotEquals['aws:PrincipalTag/team'] = 'etl';
    },
    caughtBy: /PhiBucketWritesUnderItsKey\[WriteEncryption::sse-s3-not-denied\]/,
  },
  {
    name: 'E1 E2 A3 the PHI bucket, its marker deleted, named by an import (the PHI rules would not know it), its write denies removed',
    safeguards: ['E1', 'E2', 'A3'],
    mutate: (t) => {
      const [, bucket] = one(t, 'data', 'AWS::S3::Bucket', isPhiBucket);
      withoutPhiBucketStatement(t, 'DenyObjectWritesWithAnotherKey');
      delete bucket.Metadata['HipaaBlueprint::PhiStore'];
      bucket.Properties.BucketName = { 'Fn::ImportValue': 'hipaa-prod-phi-data-bucket-name' };
    },
    caughtBy: /BucketNamedInTemplate\[BucketName::not-in-template\]/,
  },
  {
    name: "E1 A3 the PHI bucket's object keys sent to another account: a daily inventory, event notifications to its queue",
    safeguards: ['E1', 'A3'],
    mutate: (t) => {
      const [, bucket] = one(t, 'data', 'AWS::S3::Bucket', isPhiBucket);
      bucket.Properties.InventoryConfigurations = [
        {
          Id: 'daily',
          Enabled: true,
          IncludedObjectVersions: 'All',
          ScheduleFrequency: 'Daily',
          Destination: { BucketArn: 'arn:aws:s3:::collector', BucketAccountId: '999999999999', Format: 'CSV' },
        },
      ];
      bucket.Properties.NotificationConfiguration.QueueConfigurations = [
        { Event: 's3:ObjectCreated:*', Queue: 'arn:aws:sqs:us-east-1:999999999999:collector' },
      ];
    },
    caughtBy: /PhiBucketListingsStayInside\[(Inventory::configured|Notifications::QueueConfigurations)\]/,
  },
  {
    name: "E1 A3 the PHI bucket's object events (each with its key) forwarded to another account's event bus",
    safeguards: ['E1', 'A3'],
    mutate: (t) => {
      const [bucketId] = one(t, 'data', 'AWS::S3::Bucket', isPhiBucket);
      t.data!.Resources.ForwardObjectEvents = {
        Type: 'AWS::Events::Rule',
        Properties: {
          State: 'ENABLED',
          EventPattern: {
            source: ['aws.s3'],
            'detail-type': ['Object Created'],
            detail: { bucket: { name: [{ Ref: bucketId }] } },
          },
          Targets: [{ Id: 'Collector', Arn: 'arn:aws:events:us-east-1:999999999999:event-bus/default' }],
        },
      };
    },
    caughtBy: /EventTargetsInAccount\[Target::another-account\]/,
  },
  {
    name: "I1 D2 the PHI bucket's EventBridge notifications off (AWS Backup and malware scanning no longer see new objects)",
    safeguards: ['I1', 'D2'],
    mutate: (t) => {
      const [, bucket] = one(t, 'data', 'AWS::S3::Bucket', isPhiBucket);
      delete bucket.Properties.NotificationConfiguration;
    },
    caughtBy: /PhiBucketListingsStayInside\[Notifications::eventbridge-off\]/,
  },
  {
    name: "E2 the PHI bucket's SSE-C deny removed",
    safeguards: ['E2'],
    mutate: (t) => withoutPhiBucketStatement(t, 'DenyObjectWritesSseC'),
    caughtBy: /PhiBucketWritesUnderItsKey\[WriteEncryption::sse-c-not-denied\]/,
  },
  {
    name: 'E1 E2 E3 a second policy on the PHI bucket, without its denies (either may deploy last and replace the other)',
    safeguards: ['E1', 'E2', 'E3'],
    mutate: (t) => {
      const policy = phiBucketPolicy(t);
      t.data!.Resources.SecondPhiBucketPolicy = {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: policy.Properties.Bucket,
          PolicyDocument: {
            Version: '2012-10-17',
            // Its allows and TLS denies (the packs see TLS in force), none of the PHI bucket's other denies.
            Statement: policy.Properties.PolicyDocument.Statement.filter(
              (s: Json) => s.Effect === 'Allow' || s.Condition?.Bool || s.Condition?.NumericLessThan,
            ),
          },
        },
      };
    },
    caughtBy: /OnePolicyPerBucket\[Bucket::several-policies\]/,
  },
  {
    name: 'E1 E2 E3 a policy for the PHI bucket, by its name, in the application stack',
    safeguards: ['E1', 'E2', 'E3'],
    mutate: (t) => {
      const [, bucket] = one(t, 'data', 'AWS::S3::Bucket', isPhiBucket);
      const arn = `arn:aws:s3:::${bucket.Properties.BucketName}`;
      t.app!.Resources.PhiBucketPolicyFromApp = {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: bucket.Properties.BucketName,
          PolicyDocument: {
            Version: '2012-10-17',
            // The PHI bucket's TLS denies (the packs see TLS in force) on its name's ARNs, and nothing else.
            Statement: phiBucketPolicy(t)
              .Properties.PolicyDocument.Statement.filter(
                (s: Json) => s.Condition?.Bool || s.Condition?.NumericLessThan,
              )
              .map((s: Json) => ({ ...s, Resource: [arn, `${arn}/*`] })),
          },
        },
      };
    },
    caughtBy: /OnePolicyPerBucket\[Bucket::not-a-bucket-of-this-template\]/,
  },
  {
    name: "E1 the PHI bucket's policy changes also allowed to the database users function's role (its code could rewrite the policy after deploy)",
    safeguards: ['E1'],
    mutate: (t) => {
      const deny = phiBucketStatement(t, 'DenyBucketPolicyChangesExceptDeployment');
      const [role] = one(t, 'data', 'AWS::IAM::Role', (_r, id) => id.startsWith('DatabaseUsers'));
      deny.Condition.ArnNotEquals['aws:PrincipalArn'] = [
        ...[deny.Condition.ArnNotEquals['aws:PrincipalArn']].flat(),
        { 'Fn::GetAtt': [role, 'Arn'] },
      ];
    },
    caughtBy: /PhiBucketPrincipalAllowList\[PolicyChanges::not-denied\]/,
  },
  {
    name: "E2 the replica's replication back into the PHI data bucket encrypting replicas with the operations key (by alias)",
    safeguards: ['E2'],
    mutate: (t) => {
      const [, replica] = one(t, 'phiReplica', 'AWS::S3::Bucket', isPhiBucket);
      const encryption = replica.Properties.ReplicationConfiguration.Rules[0].Destination.EncryptionConfiguration;
      encryption.ReplicaKmsKeyID = JSON.parse(
        JSON.stringify(encryption.ReplicaKmsKeyID).replace(/alias\/([a-z0-9-]+)\/phi"/, 'alias/$1/operations"'),
      );
    },
    caughtBy: /PhiStoreKeyDomain\[ReplicaKmsKeyID::operations\]/,
  },
  {
    name: "E2 the PHI bucket's default encryption open to changes by anyone (header-less writes would follow it to SSE-S3)",
    safeguards: ['E2'],
    mutate: (t) => {
      const deny = phiBucketStatement(t, 'DenyConfigurationChangesExceptDeployment');
      deny.Action = deny.Action.filter((a: string) => a !== 's3:PutEncryptionConfiguration');
    },
    caughtBy: /PhiBucketWritesUnderItsKey\[DefaultEncryption::changes-not-denied\]/,
  },
  {
    name: "E1 the PHI bucket's policy changes also allowed to the bootstrap execution role's name in another region (a template could create it there)",
    safeguards: ['E1'],
    mutate: (t) => {
      const deny = phiBucketStatement(t, 'DenyBucketPolicyChangesExceptDeployment');
      const [role] = [deny.Condition.ArnNotEquals['aws:PrincipalArn']].flat() as string[];
      deny.Condition.ArnNotEquals['aws:PrincipalArn'] = [role, role!.replace(/-[a-z]+-[a-z]+-\d$/, '-ap-south-2')];
    },
    caughtBy: /PhiBucketPrincipalAllowList\[PolicyChanges::not-denied\]/,
  },
  {
    name: 'E3 the PHI bucket TLS 1.2 floor removed',
    safeguards: ['E3'],
    mutate: (t) => {
      const policy = phiBucketPolicy(t);
      policy.Properties.PolicyDocument.Statement = policy.Properties.PolicyDocument.Statement.filter(
        (s: Json) => s.Condition?.NumericLessThan === undefined,
      );
    },
    caughtBy: /BucketTlsOnlyPolicy\[BucketPolicy::no-deny-below-TLS-1\.2\]/,
  },
  {
    name: 'E3 the PHI bucket TLS-only deny removed',
    safeguards: ['E3'],
    mutate: (t) => {
      const policy = phiBucketPolicy(t);
      policy.Properties.PolicyDocument.Statement = policy.Properties.PolicyDocument.Statement.filter(
        (s: Json) => s.Condition?.Bool?.['aws:SecureTransport'] === undefined,
      );
    },
    caughtBy: /S3BucketSSLRequestsOnly|BucketTlsOnlyPolicy\[BucketPolicy::no-deny-without-TLS\]/,
  },
  {
    name: 'E3 the PHI bucket TLS-only deny narrowed to a principal tag nobody has (it denies nothing)',
    safeguards: ['E3'],
    mutate: (t) => {
      const policy = phiBucketPolicy(t);
      const deny = policy.Properties.PolicyDocument.Statement.find(
        (s: Json) => s.Condition?.Bool?.['aws:SecureTransport'] !== undefined,
      );
      if (!deny) throw new Error('probe: no TLS-only deny on the PHI bucket');
      deny.Condition.StringEquals = { 'aws:PrincipalTag/team': 'nobody' };
    },
    caughtBy: /BucketTlsOnlyPolicy\[BucketPolicy::no-deny-without-TLS\]/,
  },
  {
    name: 'E3 the HTTPS listener on a TLS 1.0 policy',
    safeguards: ['E3'],
    mutate: (t) =>
      (one(
        t,
        'app',
        'AWS::ElasticLoadBalancingV2::Listener',
        (r) => r.Properties.Protocol === 'HTTPS',
      )[1].Properties.SslPolicy = 'ELBSecurityPolicy-2016-08'),
    caughtBy: /AlbTlsPolicyAllowList\[SslPolicy::ELBSecurityPolicy-2016-08\]/,
  },
  {
    name: 'E3 the port 80 listener forwards instead of redirecting',
    safeguards: ['E3'],
    mutate: (t) => {
      const [targets] = one(t, 'app', 'AWS::ElasticLoadBalancingV2::TargetGroup');
      one(
        t,
        'app',
        'AWS::ElasticLoadBalancingV2::Listener',
        (r) => r.Properties.Protocol === 'HTTP',
      )[1].Properties.DefaultActions = [{ Type: 'forward', TargetGroupArn: { Ref: targets } }];
    },
    caughtBy: /NoHttpForwardListener|ALBHttpToHttpsRedirection/,
  },
  {
    name: 'E3 the target group speaks plain HTTP to the tasks',
    safeguards: ['E3'],
    mutate: (t) => {
      const tg = one(t, 'app', 'AWS::ElasticLoadBalancingV2::TargetGroup')[1];
      tg.Properties.Protocol = 'HTTP';
      tg.Properties.HealthCheckProtocol = 'HTTP';
    },
    caughtBy: /NoHttpTargetGroup/,
  },
  {
    name: 'E3 rds.force_ssl 0',
    safeguards: ['E3'],
    mutate: (t) => (one(t, 'data', 'AWS::RDS::DBParameterGroup')[1].Properties.Parameters['rds.force_ssl'] = '0'),
    caughtBy: /RdsForceSsl\[rds\.force_ssl::0\]/,
  },
  {
    name: 'E3 the database without its parameter group (engine default allows clear text)',
    safeguards: ['E3'],
    mutate: (t) => delete one(t, 'data', 'AWS::RDS::DBInstance')[1].Properties.DBParameterGroupName,
    caughtBy: /RdsForceSsl\[ParameterGroup::none\]/,
  },
  {
    name: 'D3 E2 the alert topic without its key',
    safeguards: ['D3', 'E2'],
    mutate: (t) => delete one(t, 'alerting', 'AWS::SNS::Topic')[1].Properties.KmsMasterKeyId,
    caughtBy: /SNSEncryptedKMS|StoreCustomerManagedKey\[KmsMasterKeyId::absent\]/,
  },
  {
    name: 'D3 E2 the alert dead-letter queue on SQS-managed encryption',
    safeguards: ['D3', 'E2'],
    mutate: (t) => {
      const queue = one(t, 'alerting', 'AWS::SQS::Queue')[1];
      delete queue.Properties.KmsMasterKeyId;
      queue.Properties.SqsManagedSseEnabled = true;
    },
    caughtBy: /StoreCustomerManagedKey\[KmsMasterKeyId::absent\]/,
  },
];
