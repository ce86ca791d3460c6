import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { encryptionOf, resolveKey } from '../../../../lib/compliance/evidence/inventory/encryption';
import { TemplateIndex } from '../../../../lib/compliance/evidence/inventory/template-index';
import { fixtureStack, pathApp, synthStacks } from '../../../support/inventory-stacks';

const env = { account: '123456789012', region: 'us-east-1' };

describe('key resolution across stacks (real synth, weak references)', () => {
  const app = pathApp();
  const keys = new Stack(app, 'Keys', { env, stackName: 'test-keys' });
  const key = new kms.Key(keys, 'DataKey', { alias: 'alias/test/data' });
  const data = new Stack(app, 'Data', { env, stackName: 'test-data' });
  new s3.Bucket(data, 'Store', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  new logs.LogGroup(data, 'Logs', { encryptionKey: key, retention: logs.RetentionDays.SIX_YEARS });
  const index = new TemplateIndex(synthStacks(app));
  const of = (type: string) => index.ofType(type).find((r) => r.stack.stackPath === 'Data')!;

  test('V2 a bucket key given as Fn::GetStackOutput resolves to the key resource and its alias', () => {
    const store = of('AWS::S3::Bucket');
    expect(JSON.stringify(store.properties.BucketEncryption)).toContain('Fn::GetStackOutput');
    const enc = encryptionOf(index, store);
    expect(enc.status).toBe('customer-managed-key');
    expect(enc.keys[0]).toMatchObject({
      property: 'KMSMasterKeyID',
      key: {
        kind: 'customer-managed',
        stack: 'Keys',
        aliases: ['alias/test/data'],
        constructPath: 'Keys/DataKey/Resource',
      },
    });
    expect(enc.summary).toContain('alias/test/data');
  });

  test('V2 a log group key given as Fn::GetStackOutput resolves the same way', () => {
    const enc = encryptionOf(index, of('AWS::Logs::LogGroup'));
    expect(enc.keys.map((k) => k.key.kind)).toEqual(['customer-managed']);
  });
});

describe('what is not a customer-managed key is said explicitly', () => {
  const keysStack = fixtureStack(
    'App/Keys',
    {
      Resources: {
        ReplicaKey: { Type: 'AWS::KMS::Key', Properties: {} },
        ReplicaAlias: {
          Type: 'AWS::KMS::Alias',
          Properties: { AliasName: 'alias/app/replica', TargetKeyId: { 'Fn::GetAtt': ['ReplicaKey', 'Arn'] } },
        },
      },
      Outputs: { KeyArn: { Value: { 'Fn::GetAtt': ['ReplicaKey', 'Arn'] } } },
    },
    { region: 'us-west-2', stackName: 'app-keys' },
  );
  const stack = fixtureStack('App/Stores', {
    Resources: {
      Default: { Type: 'AWS::S3::Bucket', Properties: {} },
      Aes: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        },
      },
      AwsKms: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
          },
        },
      },
      AwsAlias: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/aws/sns' } },
      Plain: { Type: 'AWS::SNS::Topic', Properties: {} },
      Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres' } },
      DbDefaultKey: { Type: 'AWS::RDS::DBInstance', Properties: { StorageEncrypted: true } },
      Lost: {
        Type: 'AWS::Logs::LogGroup',
        Properties: {
          KmsKeyId: { 'Fn::GetStackOutput': { StackName: 'gone', Region: 'us-east-1', OutputName: 'KeyArn' } },
        },
      },
      ByAliasArn: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              {
                ServerSideEncryptionByDefault: {
                  SSEAlgorithm: 'aws:kms',
                  KMSMasterKeyID: {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':kms:us-west-2:',
                        { Ref: 'AWS::AccountId' },
                        ':alias/app/replica',
                      ],
                    ],
                  },
                },
              },
            ],
          },
        },
      },
      Cluster: {
        Type: 'AWS::ECS::Cluster',
        Properties: {
          Configuration: {
            ManagedStorageConfiguration: {
              FargateEphemeralStorageKmsKeyId: {
                'Fn::Select': [
                  1,
                  {
                    'Fn::Split': [
                      '/',
                      {
                        'Fn::Select': [
                          5,
                          {
                            'Fn::Split': [
                              ':',
                              {
                                'Fn::GetStackOutput': {
                                  StackName: 'app-keys',
                                  Region: 'us-west-2',
                                  OutputName: 'KeyArn',
                                },
                              },
                            ],
                          },
                        ],
                      },
                    ],
                  },
                ],
              },
            },
          },
        },
      },
      Repo: { Type: 'AWS::ECR::Repository', Properties: {} },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
    },
  });
  const index = new TemplateIndex([stack, keysStack]);
  const enc = (id: string) => encryptionOf(index, index.get(`App/Stores::${id}`)!);

  test('V2 SSE-S3, AWS-managed and none are stated, not left blank', () => {
    expect(enc('Default')).toMatchObject({ status: 'SSE-S3', summary: expect.stringContaining('no BucketEncryption') });
    expect(enc('Aes').status).toBe('SSE-S3');
    expect(enc('AwsKms')).toMatchObject({ status: 'aws-managed-key', summary: expect.stringContaining('aws/s3') });
    expect(enc('AwsAlias')).toMatchObject({
      status: 'aws-managed-key',
      keys: [{ key: { kind: 'aws-managed', alias: 'alias/aws/sns' } }],
    });
    expect(enc('Plain').status).toBe('none');
    expect(enc('Db')).toMatchObject({
      status: 'none',
      summary: expect.stringContaining('StorageEncrypted is not true'),
    });
    expect(enc('DbDefaultKey')).toMatchObject({
      status: 'aws-managed-key',
      summary: expect.stringContaining('aws/rds'),
    });
    expect(enc('Repo').status).toBe('SSE-S3');
    expect(enc('Role').status).toBe('not-assessed');
  });

  test('V2 an alias ARN in another region resolves to the key holding that alias in that region', () => {
    expect(enc('ByAliasArn').keys[0]!.key).toMatchObject({
      kind: 'customer-managed',
      stack: 'App/Keys',
      logicalId: 'ReplicaKey',
      aliases: ['alias/app/replica'],
      via: 'alias alias/app/replica in us-west-2',
    });
    // The same alias name asked for in another region is not that key.
    const other = resolveKey(index, 'arn:aws:kms:eu-west-1:123456789012:alias/app/replica', stack);
    expect(other).toMatchObject({ kind: 'unresolved', reason: expect.stringContaining('eu-west-1') });
  });

  test('V2 a key id cut out of a cross-stack ARN with Fn::Select/Fn::Split still resolves', () => {
    expect(enc('Cluster')).toMatchObject({
      status: 'customer-managed-key',
      keys: [{ property: 'FargateEphemeralStorageKmsKeyId', key: { logicalId: 'ReplicaKey' } }],
    });
  });

  test('V2 an unresolvable key reference is shown as unresolved with the reference and the reason', () => {
    expect(enc('Lost')).toMatchObject({
      status: 'unresolved',
      keys: [
        {
          key: {
            kind: 'unresolved',
            text: 'Fn::GetStackOutput gone@us-east-1.KeyArn',
            reason: 'no stack of that name in this synth',
          },
        },
      ],
    });
  });
});

describe('a DB instance is encrypted as its cluster is only when it surely is a member', () => {
  const db = (identifier: unknown) => ({
    Type: 'AWS::RDS::DBInstance',
    Properties: { Engine: 'aurora-postgresql', DBClusterIdentifier: identifier },
  });
  const stack = fixtureStack('App/Data', {
    Resources: {
      Cluster: {
        Type: 'AWS::RDS::DBCluster',
        Properties: { DBClusterIdentifier: 'app-prod-phi', StorageEncrypted: true, KmsKeyId: 'alias/app/phi' },
      },
      Member: db({ Ref: 'Cluster' }),
      ByName: db('app-prod-phi'),
      NoCluster: db({ Ref: 'AWS::NoValue' }),
      Maybe: db({ 'Fn::If': ['Clustered', 'app-prod-phi', { Ref: 'AWS::NoValue' }] }),
    },
  });
  const index = new TemplateIndex([stack]);
  const enc = (id: string) => encryptionOf(index, index.get(`App/Data::${id}`)!);

  test('V2 E2 a member (a Ref to the cluster, or its identifier) is encrypted as the cluster is', () => {
    expect(enc('Member')).toMatchObject({ status: 'not-assessed', summary: expect.stringContaining('member of') });
    expect(enc('ByName').status).toBe('not-assessed');
  });

  test.each([
    ['AWS::NoValue (no cluster)', 'NoCluster'],
    ['a condition only deploy resolves (member or not)', 'Maybe'],
  ])('V2 E2 an instance whose DBClusterIdentifier is %s is judged on its own storage', (_name, id) => {
    expect(enc(id)).toMatchObject({ status: 'none', summary: expect.stringContaining('StorageEncrypted is not true') });
  });
});
