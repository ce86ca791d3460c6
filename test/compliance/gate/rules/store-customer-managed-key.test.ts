import { findingsOf, KEY_ARN, RETAIN, template } from './rule-fixtures';

const sse = (algorithm: string, key?: unknown) => ({
  ServerSideEncryptionConfiguration: [
    {
      ServerSideEncryptionByDefault: { SSEAlgorithm: algorithm, ...(key !== undefined ? { KMSMasterKeyID: key } : {}) },
    },
  ],
});
const database = (props: Record<string, unknown>) => ({
  Type: 'AWS::RDS::DBInstance',
  DeletionPolicy: 'Snapshot',
  UpdateReplacePolicy: 'Snapshot',
  Properties: {
    Engine: 'postgres',
    DBInstanceClass: 'db.t4g.medium',
    AllocatedStorage: '20',
    StorageEncrypted: true,
    KmsKeyId: KEY_ARN,
    EnablePerformanceInsights: true,
    PerformanceInsightsKMSKeyId: KEY_ARN,
    ManageMasterUserPassword: true,
    MasterUsername: 'dbadmin',
    MasterUserSecret: { KmsKeyId: KEY_ARN },
    ...props,
  },
});
const GOOD = {
  Db: database({}),
  PhiBucket: {
    Type: 'AWS::S3::Bucket',
    ...RETAIN,
    Properties: { BucketName: 'app-prod-phi-data-123456789012-us-east-1', BucketEncryption: sse('aws:kms', KEY_ARN) },
  },
  LogBucket: { Type: 'AWS::S3::Bucket', ...RETAIN, Properties: { BucketEncryption: sse('AES256') } },
  Vault: {
    Type: 'AWS::Backup::BackupVault',
    ...RETAIN,
    Properties: { BackupVaultName: 'v', EncryptionKeyArn: KEY_ARN, LockConfiguration: { MinRetentionDays: 35 } },
  },
  Logs: { Type: 'AWS::Logs::LogGroup', ...RETAIN, Properties: { RetentionInDays: 2192, KmsKeyId: KEY_ARN } },
  Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: KEY_ARN } },
  Queue: { Type: 'AWS::SQS::Queue', ...RETAIN, Properties: { KmsMasterKeyId: KEY_ARN } },
  Secret: { Type: 'AWS::SecretsManager::Secret', ...RETAIN, Properties: { KmsKeyId: KEY_ARN } },
  Images: {
    Type: 'AWS::ECR::Repository',
    ...RETAIN,
    Properties: { EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: KEY_ARN } },
  },
  Cluster: {
    Type: 'AWS::ECS::Cluster',
    Properties: {
      Configuration: {
        ManagedStorageConfiguration: { FargateEphemeralStorageKmsKeyId: '11111111-2222-3333-4444-555555555555' },
      },
    },
  },
};
type Resources = Record<string, Record<string, unknown>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type R = Record<string, any>;
const withChange = (id: keyof typeof GOOD, change: (r: R) => void): unknown => {
  const resources = JSON.parse(JSON.stringify(GOOD)) as Resources;
  change(resources[id]!);
  return template(resources);
};

/** A change switching `property` on in its string form ("true") and removing the key property `keyProperty`. */
const switchedOnAsString =
  (property: string, keyProperty: string) =>
  (r: R): void => {
    r.Properties[property] = 'true';
    delete r.Properties[keyProperty];
  };

describe('StoreCustomerManagedKey', () => {
  test('E2 every store on a customer-managed key passes (an SSE-S3 log bucket is cdk-nag s business, acknowledged)', () => {
    expect(findingsOf('StoreCustomerManagedKey', template(GOOD))).toEqual([]);
  });

  test.each([
    [
      'the database on the AWS-managed key (KmsKeyId removed)',
      'Db',
      (r: R) => delete r.Properties.KmsKeyId,
      '[KmsKeyId::absent] Db',
    ],
    [
      'Performance Insights on the AWS-managed key',
      'Db',
      (r: R) => (r.Properties.PerformanceInsightsKMSKeyId = 'alias/aws/rds'),
      '[PerformanceInsightsKMSKeyId::aws-managed] Db',
    ],
    [
      // CloudFormation reads "true" as true: Performance Insights is on, so its key is required.
      'Performance Insights switched on in string form ("true") without a key',
      'Db',
      switchedOnAsString('EnablePerformanceInsights', 'PerformanceInsightsKMSKeyId'),
      '[PerformanceInsightsKMSKeyId::absent] Db',
    ],
    [
      'the master secret managed by RDS ("true") on the default key',
      'Db',
      switchedOnAsString('ManageMasterUserPassword', 'MasterUserSecret'),
      '[MasterUserSecret.KmsKeyId::absent] Db',
    ],
    [
      'the master secret on the default key',
      'Db',
      (r: R) => delete r.Properties.MasterUserSecret,
      '[MasterUserSecret.KmsKeyId::absent] Db',
    ],
    [
      'the PHI bucket switched to SSE-S3',
      'PhiBucket',
      (r: R) => (r.Properties.BucketEncryption = sse('AES256')),
      '[SSEAlgorithm::AES256] PhiBucket',
    ],
    [
      'the PHI bucket on SSE-KMS without a key (aws/s3)',
      'PhiBucket',
      (r: R) => (r.Properties.BucketEncryption = sse('aws:kms')),
      '[KMSMasterKeyID::absent] PhiBucket',
    ],
    [
      'a bucket on the aws/s3 alias',
      'LogBucket',
      (r: R) => (r.Properties.BucketEncryption = sse('aws:kms', 'arn:aws:kms:us-east-1:123456789012:alias/aws/s3')),
      '[KMSMasterKeyID::aws-managed] LogBucket',
    ],
    [
      'the backup vault on the AWS-managed key',
      'Vault',
      (r: R) => delete r.Properties.EncryptionKeyArn,
      '[EncryptionKeyArn::absent] Vault',
    ],
    ['a log group without a key', 'Logs', (r: R) => delete r.Properties.KmsKeyId, '[KmsKeyId::absent] Logs'],
    [
      'a topic on alias/aws/sns',
      'Topic',
      (r: R) => (r.Properties.KmsMasterKeyId = 'alias/aws/sns'),
      '[KmsMasterKeyId::aws-managed] Topic',
    ],
    [
      'a queue on SQS-managed encryption',
      'Queue',
      (r: R) => {
        delete r.Properties.KmsMasterKeyId;
        r.Properties.SqsManagedSseEnabled = true;
      },
      '[KmsMasterKeyId::absent] Queue',
    ],
    ['a secret on the default key', 'Secret', (r: R) => delete r.Properties.KmsKeyId, '[KmsKeyId::absent] Secret'],
    [
      'an image repository on AES256',
      'Images',
      (r: R) => delete r.Properties.EncryptionConfiguration,
      '[EncryptionConfiguration.EncryptionType::AES256] Images',
    ],
    [
      'an image repository on the AWS-managed ECR key',
      'Images',
      (r: R) => delete r.Properties.EncryptionConfiguration.KmsKey,
      '[EncryptionConfiguration.KmsKey::absent] Images',
    ],
    [
      'Fargate ephemeral storage on the AWS-owned key',
      'Cluster',
      (r: R) => delete r.Properties.Configuration,
      '[ManagedStorageConfiguration.FargateEphemeralStorageKmsKeyId::absent] Cluster',
    ],
  ])('E2 %s is a finding', (_name, id, change, expected) => {
    expect(findingsOf('StoreCustomerManagedKey', withChange(id as keyof typeof GOOD, change))).toEqual([expected]);
  });

  test('E2 Performance Insights switched by a condition only deploy resolves needs its key', () => {
    const t = JSON.parse(JSON.stringify(withChange('Db', (r: R) => delete r.Properties.PerformanceInsightsKMSKeyId)));
    t.Conditions = { Insights: { 'Fn::Equals': ['on', 'on'] } };
    t.Resources.Db.Properties.EnablePerformanceInsights = { 'Fn::If': ['Insights', true, false] };
    expect(findingsOf('StoreCustomerManagedKey', t)).toEqual(['[PerformanceInsightsKMSKeyId::absent] Db']);
    t.Resources.Db.Properties.EnablePerformanceInsights = 'false';
    expect(findingsOf('StoreCustomerManagedKey', t)).toEqual([]);
  });

  describe('an instance defers its storage key to a cluster only when it surely is a member of one', () => {
    const cluster = (props: Record<string, unknown> = {}) => ({
      Type: 'AWS::RDS::DBCluster',
      ...RETAIN,
      Properties: {
        Engine: 'aurora-postgresql',
        DBClusterIdentifier: 'app-prod-phi',
        StorageEncrypted: true,
        KmsKeyId: KEY_ARN,
        ManageMasterUserPassword: true,
        MasterUserSecret: { KmsKeyId: KEY_ARN },
        ...props,
      },
    });
    /** The database without its own key, member of whatever `clusterIdentifier` names, beside `resources`. */
    const member = (clusterIdentifier: unknown, resources: Record<string, Record<string, unknown>> = {}): unknown => {
      const db = database({ Engine: 'aurora-postgresql', DBClusterIdentifier: clusterIdentifier });
      delete (db.Properties as R).KmsKeyId;
      return {
        ...template({ Db: db, ...resources }),
        Conditions: { Aurora: { 'Fn::Equals': ['aurora', 'aurora'] } },
        Parameters: { ClusterName: { Type: 'String' } },
      };
    };

    test.each<[string, unknown, Record<string, Record<string, unknown>>, string[]]>([
      ['AWS::NoValue (no cluster at all)', { Ref: 'AWS::NoValue' }, {}, ['[KmsKeyId::absent] Db']],
      [
        'a condition only deploy resolves (member or not)',
        { 'Fn::If': ['Aurora', { Ref: 'Cluster' }, { Ref: 'AWS::NoValue' }] },
        { Cluster: cluster() },
        ['[KmsKeyId::absent] Db'],
      ],
      ['a parameter', { Ref: 'ClusterName' }, {}, ['[KmsKeyId::absent] Db']],
      [
        'a reference to a resource that is not a cluster',
        { Ref: 'Topic' },
        { Topic: GOOD.Topic },
        ['[KmsKeyId::absent] Db'],
      ],
      [
        'a cluster of the template without a key',
        { Ref: 'Cluster' },
        { Cluster: cluster({ KmsKeyId: undefined }) },
        ['[KmsKeyId::absent] Cluster', '[KmsKeyId::absent] Db'],
      ],
      [
        'the literal identifier of a cluster of the template without a key',
        'APP-PROD-PHI',
        { Cluster: cluster({ KmsKeyId: undefined }) },
        ['[KmsKeyId::absent] Cluster', '[KmsKeyId::absent] Db'],
      ],
      // A cluster the template does not hold cannot be judged: the instance is checked itself (fail closed).
      ['the literal identifier of a cluster outside the template', 'legacy-cluster', {}, ['[KmsKeyId::absent] Db']],
    ])('E2 a database whose DBClusterIdentifier is %s needs its own key', (_name, identifier, resources, expected) => {
      expect(findingsOf('StoreCustomerManagedKey', member(identifier, resources))).toEqual(expected);
    });

    test.each<[string, unknown, Record<string, Record<string, unknown>>]>([
      ['a Ref to a cluster of the template on its key', { Ref: 'Cluster' }, { Cluster: cluster() }],
      ['its literal identifier', 'app-prod-phi', { Cluster: cluster() }],
    ])('E2 a database whose DBClusterIdentifier is %s defers to the cluster', (_name, identifier, resources) => {
      expect(findingsOf('StoreCustomerManagedKey', member(identifier, resources))).toEqual([]);
    });
  });

  test('E2 an Aurora cluster with Performance Insights switched on in string form ("true") needs its key', () => {
    const cluster = (props: Record<string, unknown>) =>
      template({
        Cluster: {
          Type: 'AWS::RDS::DBCluster',
          ...RETAIN,
          Properties: {
            Engine: 'aurora-postgresql',
            StorageEncrypted: true,
            KmsKeyId: KEY_ARN,
            ManageMasterUserPassword: true,
            MasterUserSecret: { KmsKeyId: KEY_ARN },
            ...props,
          },
        },
      });
    expect(findingsOf('StoreCustomerManagedKey', cluster({ PerformanceInsightsEnabled: 'true' }))).toEqual([
      '[PerformanceInsightsKmsKeyId::absent] Cluster',
    ]);
    expect(
      findingsOf(
        'StoreCustomerManagedKey',
        cluster({ PerformanceInsightsEnabled: 'true', PerformanceInsightsKmsKeyId: KEY_ARN }),
      ),
    ).toEqual([]);
  });

  describe('E2 A1 the master password is in Secrets Manager, never in the template', () => {
    /** The template with the condition C its values may name. */
    const conditional = (t: unknown): unknown => ({
      ...(t as object),
      Conditions: { C: { 'Fn::Equals': ['a', 'a'] } },
    });
    const reference = {
      'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'Secret' }, ':SecretString:password::}}']],
    };
    /** The database with the RDS-managed secret replaced by `password` (MasterUserPassword). */
    const withPassword = (password: unknown): unknown =>
      conditional(
        withChange('Db', (r: R) => {
          delete r.Properties.ManageMasterUserPassword;
          delete r.Properties.MasterUserSecret;
          r.Properties.MasterUserPassword = password;
        }),
      );

    test('E2 A1 a dynamic reference to a Secrets Manager secret passes, literal or joined', () => {
      expect(
        findingsOf(
          'StoreCustomerManagedKey',
          withPassword('{{resolve:secretsmanager:db-master:SecretString:password}}'),
        ),
      ).toEqual([]);
      expect(findingsOf('StoreCustomerManagedKey', withPassword(reference))).toEqual([]);
    });

    test.each<[string, unknown, string[]]>([
      ['a literal password', 'Sup3rSecretPassw0rd!', ['[MasterUserPassword::literal] Db']],
      ['a number', 12345678, ['[MasterUserPassword::literal] Db']],
      ['an SSM parameter reference', '{{resolve:ssm:/db/password}}', ['[MasterUserPassword::literal] Db']],
      [
        'a condition with a literal branch',
        { 'Fn::If': ['C', '{{resolve:secretsmanager:db-master}}', 'Sup3rSecretPassw0rd!'] },
        ['[MasterUserPassword::literal] Db'],
      ],
      ['another stack output', { 'Fn::ImportValue': 'db-password' }, ['[MasterUserPassword::unresolved] Db']],
      [
        'a literal around a reference',
        { 'Fn::Join': ['', ['x', { Ref: 'Secret' }]] },
        ['[MasterUserPassword::unresolved] Db'],
      ],
    ])('E2 A1 %s is a finding', (_name, password, expected) => {
      const found = findingsOf('StoreCustomerManagedKey', withPassword(password));
      expect(found.filter((f) => f.includes('MasterUserPassword'))).toEqual(expected);
    });

    test('E2 A1 without a password, RDS manages it (ManageMasterUserPassword true) unless the database has a source', () => {
      const off = withChange('Db', (r: R) => {
        delete r.Properties.ManageMasterUserPassword;
        delete r.Properties.MasterUserSecret;
      });
      expect(findingsOf('StoreCustomerManagedKey', off)).toEqual(['[ManageMasterUserPassword::not-true] Db']);
      const switched = conditional(
        withChange('Db', (r: R) => {
          r.Properties.ManageMasterUserPassword = { 'Fn::If': ['C', true, false] };
        }),
      );
      expect(findingsOf('StoreCustomerManagedKey', switched)).toEqual(['[ManageMasterUserPassword::not-true] Db']);
      const replica = withChange('Db', (r: R) => {
        delete r.Properties.ManageMasterUserPassword;
        delete r.Properties.MasterUserSecret;
        r.Properties.SourceDBInstanceIdentifier = 'arn:aws:rds:us-east-1:123456789012:db:source';
      });
      expect(findingsOf('StoreCustomerManagedKey', replica)).toEqual([]);
    });
  });
});
