import { App, Aws, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { PhiBucket, PhiBucketProps } from '../../constructs/phi-bucket';
import { PHI_STORE_METADATA } from '../../constructs/core';
import { HIPAA_MIN_RETENTION_DAYS } from '../../lib/config';

const REPLICATION = {
  destinationBucketName: `app-env-phi-replica-${Aws.ACCOUNT_ID}-us-west-2`,
  destinationRegion: 'us-west-2',
  destinationKeyAliasArn: `arn:${Aws.PARTITION}:kms:us-west-2:${Aws.ACCOUNT_ID}:alias/app-env/phi-replica`,
};

function build(overrides: Partial<PhiBucketProps> = {}): { stack: Stack; phi: PhiBucket } {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const retention = {
    logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
    auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
    auditLockMode: 'COMPLIANCE' as const,
  };
  const phi = new PhiBucket(stack, 'PhiBucket', {
    bucketName: 'app-env-phi-data-123456789012-us-east-1',
    encryptionKey: new Key(stack, 'Key'),
    accessLogs: new AccessLogBucket(stack, 'AccessLogs', { retention }),
    accessLogPrefix: 'phi-data/',
    noncurrentVersionExpirationDays: HIPAA_MIN_RETENTION_DAYS,
    replication: REPLICATION,
    access: {
      objectPrincipalArns: ['arn:aws:iam::123456789012:role/app-env-api-task'],
      policyAdministratorArns: ['arn:aws:iam::123456789012:role/Deployment'],
    },
    ...overrides,
  });
  return { stack, phi };
}

const marked = (c: { node: { metadata: Array<{ type: string }> } }): boolean =>
  c.node.metadata.some((m) => m.type === PHI_STORE_METADATA);

/** A request's condition keys; a value is a string or an unresolved CloudFormation token (compared as JSON). */
type RequestContext = Record<string, unknown>;
interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * One condition operator on one key, with IAM's rules for a key missing from the request: Null tests
 * presence; StringEquals is false; the negated StringNotEquals is TRUE; any ...IfExists is TRUE.
 */
function conditionHolds(operator: string, key: string, expected: unknown, context: RequestContext): boolean {
  const present = key in context;
  const value = context[key];
  switch (operator) {
    case 'Null':
      return String(expected) === 'true' ? !present : present;
    case 'StringEquals':
      return present && list(expected).some((e) => same(e, value));
    case 'StringNotEquals':
      return !present || !list(expected).some((e) => same(e, value));
    case 'StringEqualsIfExists':
      return !present || list(expected).some((e) => same(e, value));
    case 'StringNotEqualsIfExists':
      return !present || !list(expected).some((e) => same(e, value));
    default:
      throw new Error(`condition operator ${operator} not modelled by this evaluator`);
  }
}

/** Whether a statement matches `action` with every condition (all operators, all keys: AND) true. */
function statementApplies(statement: Statement, action: string, context: RequestContext): boolean {
  if (!list(statement.Action).includes(action)) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, expected, context)),
  );
}

describe('PhiBucket', () => {
  const { stack, phi } = build();
  const template = Template.fromStack(stack);

  it('I2 is retained on deletion and replacement', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: { BucketName: 'app-env-phi-data-123456789012-us-east-1' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('rejects noncurrent version expiration below six years', () => {
    expect(() => build({ noncurrentVersionExpirationDays: 90 })).toThrow(
      /noncurrentVersionExpirationDays = 90: must be at least 2192/,
    );
  });

  it('I1 replicates every SSE-KMS object to the destination with its key alias (V2 rule, replica modifications, no delete markers)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'app-env-phi-data-123456789012-us-east-1',
      ReplicationConfiguration: {
        Role: { 'Fn::GetAtt': [stack.getLogicalId(phi.replication!.role.node.defaultChild as never), 'Arn'] },
        Rules: [
          {
            Id: 'ReplicateTo-us-west-2',
            Status: 'Enabled',
            Priority: 1,
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            SourceSelectionCriteria: {
              SseKmsEncryptedObjects: { Status: 'Enabled' },
              ReplicaModifications: { Status: 'Enabled' },
            },
            Destination: {
              Bucket: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':s3:::app-env-phi-replica-',
                    { Ref: 'AWS::AccountId' },
                    '-us-west-2',
                  ],
                ],
              },
              EncryptionConfiguration: {
                ReplicaKmsKeyID: {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':kms:us-west-2:',
                      { Ref: 'AWS::AccountId' },
                      ':alias/app-env/phi-replica',
                    ],
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  describe('E2 encryption denies, evaluated with IAM condition semantics', () => {
    const keyArn = {
      'Fn::GetAtt': [stack.getLogicalId(phi.node.scope!.node.findChild('Key').node.defaultChild as never), 'Arn'],
    };
    const bucketId = stack.getLogicalId(phi.bucket.node.defaultChild as never);
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
    );
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    const denies = statements.filter((st) => typeof st.Sid === 'string' && st.Sid.startsWith('DenyObjectWrites'));
    const SSE = 's3:x-amz-server-side-encryption';
    const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
    const SSE_C = 's3:x-amz-server-side-encryption-customer-algorithm';
    const deniedBy = (action: string, context: RequestContext): string[] =>
      denies.filter((st) => statementApplies(st, action, context)).map((st) => st.Sid!);

    it('are the four object-write denies, on s3:PutObject only', () => {
      expect(denies.map((st) => [st.Sid, st.Effect, st.Principal, st.Action])).toEqual([
        ['DenyObjectWritesNotSseKms', 'Deny', { AWS: '*' }, 's3:PutObject'],
        ['DenyObjectWritesWithAnotherKey', 'Deny', { AWS: '*' }, 's3:PutObject'],
        ['DenyObjectWritesSseKmsWithoutKeyId', 'Deny', { AWS: '*' }, 's3:PutObject'],
        ['DenyObjectWritesSseC', 'Deny', { AWS: '*' }, 's3:PutObject'],
      ]);
    });

    it('E2 a PutObject without encryption headers is not denied (bucket default SSE-KMS with the PHI key applies)', () => {
      expect(deniedBy('s3:PutObject', {})).toEqual([]);
    });

    it('E2 SSE-S3 (AES256) and DSSE-KMS are denied', () => {
      expect(deniedBy('s3:PutObject', { [SSE]: 'AES256' })).toEqual(['DenyObjectWritesNotSseKms']);
      expect(deniedBy('s3:PutObject', { [SSE]: 'aws:kms:dsse', [KEY_ID]: keyArn })).toEqual([
        'DenyObjectWritesNotSseKms',
      ]);
    });

    it('E2 aws:kms with another key ARN is denied; with this key ARN it is not', () => {
      const other = 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000';
      expect(deniedBy('s3:PutObject', { [SSE]: 'aws:kms', [KEY_ID]: other })).toEqual([
        'DenyObjectWritesWithAnotherKey',
      ]);
      expect(deniedBy('s3:PutObject', { [SSE]: 'aws:kms', [KEY_ID]: keyArn })).toEqual([]);
    });

    it('E2 aws:kms without a key id is denied (S3 would use the AWS managed aws/s3 key)', () => {
      expect(deniedBy('s3:PutObject', { [SSE]: 'aws:kms' })).toEqual(['DenyObjectWritesSseKmsWithoutKeyId']);
    });

    it('E2 SSE-C (customer-provided key) is denied', () => {
      expect(deniedBy('s3:PutObject', { [SSE_C]: 'AES256' })).toEqual(['DenyObjectWritesSseC']);
    });

    it('I1 replication writes (s3:ReplicateObject) are not denied, whatever key they carry', () => {
      expect(deniedBy('s3:ReplicateObject', { [SSE]: 'aws:kms', [KEY_ID]: 'arn:aws:kms:us-west-2:1:key/x' })).toEqual(
        [],
      );
      expect(JSON.stringify(policy.Properties.PolicyDocument)).not.toContain('s3:ReplicateObject');
    });

    it('the evaluator applies IAM missing-key semantics (StringNotEqualsIfExists alone denies header-less writes)', () => {
      const ifExists: Statement = {
        Effect: 'Deny',
        Action: 's3:PutObject',
        Condition: { StringNotEqualsIfExists: { [SSE]: 'aws:kms' } },
      };
      expect(statementApplies(ifExists, 's3:PutObject', {})).toBe(true);
      expect(
        statementApplies({ ...ifExists, Condition: { StringNotEquals: { [SSE]: 'aws:kms' } } }, 's3:PutObject', {}),
      ).toBe(true);
      expect(
        statementApplies({ ...ifExists, Condition: { StringEquals: { [SSE]: 'aws:kms' } } }, 's3:PutObject', {}),
      ).toBe(false);
      expect(statementApplies({ ...ifExists, Condition: { Null: { [SSE]: 'true' } } }, 's3:PutObject', {})).toBe(true);
    });
  });

  it('a replicating PHI bucket is marked a PHI store (construct and bucket)', () => {
    expect(marked(phi)).toBe(true);
    expect(marked(phi.bucket.node.defaultChild as never)).toBe(true);
  });

  it('I1 a PHI bucket without replication is refused unless replicationPending', () => {
    expect(() => build({ replication: undefined })).toThrow(
      /replication = undefined: required: a PHI bucket must replicate to a second region/,
    );
    expect(() => build({ replicationPending: true })).toThrow(/replicationPending = true with replication set/);
  });

  describe('replicationPending (bootstrap of a replica)', () => {
    const pending = build({ replication: undefined, replicationPending: true });
    const pendingTemplate = Template.fromStack(pending.stack);

    it('has no replication, no replication role, and is not marked a PHI store', () => {
      const [bucket] = Object.values(
        pendingTemplate.findResources('AWS::S3::Bucket', {
          Properties: { BucketName: 'app-env-phi-data-123456789012-us-east-1' },
        }),
      );
      expect(bucket.Properties.ReplicationConfiguration).toBeUndefined();
      pendingTemplate.resourceCountIs('AWS::IAM::Role', 0);
      expect(pending.phi.replication).toBeUndefined();
      expect(pending.phi.node.findAll().some(marked)).toBe(false);
    });

    it('denies every object write to every principal (empty and unwritable until replication exists)', () => {
      pendingTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: pending.stack.getLogicalId(pending.phi.bucket.node.defaultChild as never) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'DenyObjectWritesUntilReplicationIsConfigured',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: ['s3:PutObject', 's3:ReplicateObject', 's3:RestoreObject'],
              Resource: Match.anyValue(),
            },
          ]),
        },
      });
    });

    it('keeps the other safeguards (SSE-KMS, versioning, Retain)', () => {
      pendingTemplate.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({
          BucketName: 'app-env-phi-data-123456789012-us-east-1',
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: Match.objectLike({
            ServerSideEncryptionConfiguration: [Match.objectLike({ BucketKeyEnabled: true })],
          }),
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });
});

describe('PhiBucket object access allow-list (E1, A3)', () => {
  const access = {
    objectPrincipalArns: ['arn:aws:iam::123456789012:role/app-env-api-task'],
    policyAdministratorArns: ['arn:aws:iam::123456789012:role/Deployment'],
  };

  test('E1 A3 refuses an empty, wildcard or inconsistent allow-list, naming the field', () => {
    expect(() => build({ access: { ...access, objectPrincipalArns: [] } })).toThrow(
      /access.objectPrincipalArns = \[\]: must name at least one principal/,
    );
    expect(() => build({ access: { ...access, objectPrincipalArns: ['arn:aws:iam::123456789012:role/*'] } })).toThrow(
      /access.objectPrincipalArns\[0\] = 'arn:aws:iam::123456789012:role\/\*': must be an exact IAM role ARN/,
    );
    expect(() => build({ access: { ...access, policyAdministratorArns: [] } })).toThrow(
      /access.policyAdministratorArns = \[\]: must name at least one principal/,
    );
    expect(() =>
      build({
        access: { ...access, vpcOnly: { principalArns: ['arn:aws:iam::123456789012:role/Other'], vpcId: 'vpc-1' } },
      }),
    ).toThrow(
      /access.vpcOnly.principalArns\[0\] = 'arn:aws:iam::123456789012:role\/Other': must also be in access.objectPrincipalArns/,
    );
  });
});
