import {
  isPhiStore,
  isPhiStoreIn,
  isUnwritableBootstrapBucket,
  phiLogGroupIds,
} from '../../../../lib/compliance/gate/core/phi-shapes';
import { TemplateJson } from '../../../../lib/compliance/gate/core/template-json';

const NAME = 'hipaa-prod-phi-replica-123456789012-us-west-2';
const denyWrites = {
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: ['s3:PutObject', 's3:ReplicateObject', 's3:RestoreObject'],
  Resource: '*',
};
const bootstrap = (opts: { declared?: boolean; marked?: boolean; statements?: unknown[] } = {}): TemplateJson => ({
  Metadata: {
    HipaaBlueprint: {
      appName: 'hipaa',
      envName: 'prod',
      ...(opts.declared === false ? {} : { phiReplicaBootstrap: true }),
    },
  },
  Resources: {
    Replica: {
      Type: 'AWS::S3::Bucket',
      ...(opts.marked ? { Metadata: { 'HipaaBlueprint::PhiStore': true } } : {}),
      Properties: { BucketName: NAME },
    },
    Policy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: { Bucket: { Ref: 'Replica' }, PolicyDocument: { Statement: opts.statements ?? [denyWrites] } },
    },
  },
});

describe('PHI stores and PHI log groups by marker and by shape', () => {
  test('V2 a database, a backup vault and a bucket named like the PHI buckets are PHI stores without a marker', () => {
    expect(isPhiStore({ Type: 'AWS::RDS::DBInstance' })).toBe(true);
    expect(isPhiStore({ Type: 'AWS::Backup::BackupVault' })).toBe(true);
    expect(isPhiStore({ Type: 'AWS::S3::Bucket', Properties: { BucketName: NAME } })).toBe(true);
    expect(isPhiStore({ Type: 'AWS::S3::Bucket', Properties: { BucketName: 'records' } }, ['records'])).toBe(true);
    expect(isPhiStore({ Type: 'AWS::S3::Bucket', Properties: { BucketName: 'access-logs' } })).toBe(false);
    // A name joined or substituted from pseudo parameters (as a fork might render it) is read too.
    const joined = {
      'Fn::Join': ['', ['hipaa-prod-phi-data-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
    };
    expect(isPhiStore({ Type: 'AWS::S3::Bucket', Properties: { BucketName: joined } })).toBe(true);
    const sub = { 'Fn::Sub': 'hipaa-prod-phi-replica-${AWS::AccountId}-us-west-2' };
    expect(isPhiStore({ Type: 'AWS::S3::Bucket', Properties: { BucketName: sub } })).toBe(true);
    const configured = { 'Fn::Sub': 'records-${AWS::AccountId}' };
    expect(
      isPhiStore({ Type: 'AWS::S3::Bucket', Properties: { BucketName: configured } }, ['records-123456789012']),
    ).toBe(true);
  });

  test('V2 only the unmarked, unwritable replica bucket of a bootstrap template is exempt from the name shape', () => {
    expect(isUnwritableBootstrapBucket(bootstrap(), 'Replica')).toBe(true);
    expect(isPhiStoreIn(bootstrap(), 'Replica')).toBe(false);
    for (const t of [bootstrap({ declared: false }), bootstrap({ marked: true }), bootstrap({ statements: [] })]) {
      expect(isUnwritableBootstrapBucket(t, 'Replica')).toBe(false);
      expect(isPhiStoreIn(t, 'Replica')).toBe(true);
    }
    expect(
      isPhiStoreIn(
        bootstrap({ statements: [{ ...denyWrites, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }),
        'Replica',
      ),
    ).toBe(true);
  });

  test('V2 I1 the exemption needs every object write denied on every object: a put deny alone lets replication write PHI', () => {
    const only = (actions: string[], resource: unknown = '*'): TemplateJson =>
      bootstrap({ statements: [{ ...denyWrites, Action: actions, Resource: resource }] });
    for (const t of [
      only(['s3:PutObject']),
      only(['s3:PutObject', 's3:ReplicateObject']),
      only(['s3:PutObject', 's3:RestoreObject']),
      // One folder of the bucket, or another bucket's objects.
      only(['s3:*'], { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Replica', 'Arn'] }, '/staging/*']] }),
      only(['s3:*'], { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Other', 'Arn'] }, '/*']] }),
      bootstrap({ statements: [{ ...denyWrites, NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' } }] }),
    ]) {
      expect(isUnwritableBootstrapBucket(t, 'Replica')).toBe(false);
      expect(isPhiStoreIn(t, 'Replica')).toBe(true);
    }
    // Wildcards covering the three, on the bucket's objects as CDK renders them, count.
    for (const t of [
      only(['s3:*']),
      only(['s3:Put*', 's3:Replicate*', 's3:Restore*']),
      only(['s3:*'], { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Replica', 'Arn'] }, '/*']] }),
    ]) {
      expect(isUnwritableBootstrapBucket(t, 'Replica')).toBe(true);
    }
  });

  test('U4 log groups written by a container, ECS Exec or Session Manager, or named like RDS and WAF logs, can hold PHI', () => {
    const t: TemplateJson = {
      Resources: {
        Rds: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/rds/instance/db/postgresql' } },
        Exec: { Type: 'AWS::Logs::LogGroup', Properties: {} },
        Flow: { Type: 'AWS::Logs::LogGroup', Properties: {} },
        // A name completed at deploy time: its literal beginning is read.
        Waf: {
          Type: 'AWS::Logs::LogGroup',
          Properties: { LogGroupName: { 'Fn::Join': ['', ['aws-waf-logs-app-alb-', { Ref: 'AWS::StackId' }]] } },
        },
        Other: {
          Type: 'AWS::Logs::LogGroup',
          Properties: { LogGroupName: { 'Fn::Join': ['', ['app-logs-', { Ref: 'AWS::StackId' }]] } },
        },
        Cluster: {
          Type: 'AWS::ECS::Cluster',
          Properties: {
            Configuration: {
              ExecuteCommandConfiguration: { LogConfiguration: { CloudWatchLogGroupName: { Ref: 'Exec' } } },
            },
          },
        },
      },
    };
    expect([...phiLogGroupIds(t)].sort()).toEqual(['Exec', 'Rds', 'Waf']);
  });
});
