import { KEY_DOMAINS, PHI_REPLICA_KEY } from '../../constructs/key-usage';
import { ManagedKey } from '../../constructs/managed-key';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { Template } from 'aws-cdk-lib/assertions';
import { fixtureStack } from '../support/construct-fixtures';
import { domainKeys, FIXTURE_ADMINISTRATOR } from '../support/key-fixtures';

// KEY_DOMAINS as ManagedKey renders it: one key per domain, with the construct ids KeysStack uses.
const { stack, template, keyPolicyOf } = domainKeys();

const ADMIN_SIDS = ['KeyMetadataReadableInThisAccount', 'KeyAdministrationByNamedRoles', 'RootUserLockoutPath'];
const USER = 'arn:aws:iam::123456789012:role/User';
/** A use statement's condition: through `service` of this account, by the named principals only. */
const through = (service: string, principals: string[]): Record<string, unknown> => ({
  StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': `${service}.us-east-1.amazonaws.com` },
  ArnEquals: { 'aws:PrincipalArn': principals },
});
const grants = (condition: Record<string, unknown>): Record<string, unknown> => ({
  ...condition,
  Bool: { 'kms:GrantIsForAWSResource': 'true' },
});

describe('KEY_DOMAINS: who may use each key', () => {
  it('E1 the PHI key is usable only through S3, RDS and Backup, each by its named principals only', () => {
    const id = stack.getLogicalId(stack.node.findChild('PhiDataKey').node.findChild('Key').node.defaultChild as CfnKey);
    const statements = keyPolicyOf(id).Statement;
    const use = statements.filter((s) => !ADMIN_SIDS.includes(s.Sid as string));
    expect(use).toEqual([
      expect.objectContaining({ Sid: 'UseThroughS3ByNamedPrincipals', Condition: through('s3', [USER]) }),
      expect.objectContaining({
        Sid: 'GrantsThroughS3ByNamedPrincipalsForAwsResources',
        Condition: grants(through('s3', [USER])),
      }),
      expect.objectContaining({ Sid: 'UseThroughRdsByNamedPrincipals', Condition: through('rds', [USER]) }),
      expect.objectContaining({
        Sid: 'GrantsThroughRdsByNamedPrincipalsForAwsResources',
        Condition: grants(through('rds', [USER])),
      }),
      expect.objectContaining({ Sid: 'UseThroughBackupByNamedPrincipals', Condition: through('backup', [USER]) }),
      expect.objectContaining({
        Sid: 'GrantsThroughBackupByNamedPrincipalsForAwsResources',
        Condition: grants(through('backup', [USER])),
      }),
      // E1: CloudWatch Logs, for the database's log groups only (tested below).
      expect.objectContaining({ Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups' }),
      // D2: Macie's service-linked role may decrypt PHI objects to classify them, and nothing else.
      {
        Sid: 'MacieServiceLinkedRoleDecryptsForDiscovery',
        Effect: 'Allow',
        Principal: { AWS: expect.anything() },
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: {
          ArnLike: {
            'aws:PrincipalArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':iam::123456789012:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie',
                ],
              ],
            },
          },
        },
      },
      expect.objectContaining({ Sid: 'FargateEncryptsEphemeralStorageOfThisAccountsClusters' }),
      expect.objectContaining({ Sid: 'FargateGrantsDecryptOfEphemeralStorageOfThisAccountsClusters' }),
    ]);
  });

  it("E1 only the PHI key lets Fargate encrypt ephemeral storage, for this account's clusters, Decrypt grants only", () => {
    const withFargate = Object.keys(template.findResources('AWS::KMS::Key')).filter((id) =>
      keyPolicyOf(id).Statement.some((s) => JSON.stringify(s.Principal).includes('fargate.amazonaws.com')),
    );
    expect(withFargate).toEqual(['PhiDataKeyE6603588']);
    const fargate = keyPolicyOf('PhiDataKeyE6603588').Statement.filter((s) =>
      JSON.stringify(s.Principal).includes('fargate.amazonaws.com'),
    );
    const thisAccountsClusters = { 'kms:EncryptionContext:aws:ecs:clusterAccount': ['123456789012'] };
    expect(fargate).toEqual([
      {
        Sid: 'FargateEncryptsEphemeralStorageOfThisAccountsClusters',
        Effect: 'Allow',
        Principal: { Service: 'fargate.amazonaws.com' },
        Action: 'kms:GenerateDataKeyWithoutPlaintext',
        Resource: '*',
        Condition: { StringEquals: thisAccountsClusters },
      },
      {
        Sid: 'FargateGrantsDecryptOfEphemeralStorageOfThisAccountsClusters',
        Effect: 'Allow',
        Principal: { Service: 'fargate.amazonaws.com' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: {
          StringEquals: thisAccountsClusters,
          'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] },
        },
      },
    ]);
  });

  it('U2 CloudTrail may describe the audit key without an encryption context (DescribeKey carries none)', () => {
    const audit = keyPolicyOf('AuditKey55555D67').Statement;
    const encrypt = audit.find((s) => s.Sid === 'CloudTrailEncryptsThisAccountsTrails')!;
    expect(encrypt.Action).toBe('kms:GenerateDataKey*');
    expect(audit.find((s) => s.Sid === 'CloudTrailDescribesKeyForThisAccount')).toEqual({
      Sid: 'CloudTrailDescribesKeyForThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
  });

  it('D2 only the PHI key lets Macie decrypt', () => {
    const keys = Object.values(template.findResources('AWS::KMS::Key')) as Array<{
      Properties: { KeyPolicy: { Statement: Array<{ Sid?: string }> } };
    }>;
    const withMacie = keys.filter((k) =>
      k.Properties.KeyPolicy.Statement.some((s) => s.Sid === 'MacieServiceLinkedRoleDecryptsForDiscovery'),
    );
    expect(withMacie).toHaveLength(1);
  });

  const logsStatementOf = (id: string): Record<string, unknown> | undefined =>
    keyPolicyOf(id).Statement.find((s) => s.Sid === 'CloudWatchLogsEncryptsThisAccountsLogGroups');
  const logsStatement = (logGroups: string): Record<string, unknown> => ({
    Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
    Effect: 'Allow',
    Principal: { Service: 'logs.us-east-1.amazonaws.com' },
    Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
    Resource: '*',
    Condition: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:us-east-1:123456789012:log-group:${logGroups}`]],
        },
      },
    },
  });

  it('E1 the audit and operations keys let CloudWatch Logs encrypt any log group of this account', () => {
    expect(logsStatementOf('AuditKey55555D67')).toEqual(logsStatement('*'));
    expect(logsStatementOf('OperationsKeyC8E359A5')).toEqual(logsStatement('*'));
    expect(logsStatementOf('BackupKey1226E6A1')).toBeUndefined();
  });

  it("E1 the PHI key lets CloudWatch Logs encrypt only the database's log groups (/aws/rds/*)", () => {
    expect(logsStatementOf('PhiDataKeyE6603588')).toEqual(logsStatement('/aws/rds/*'));
  });

  it('E3 only the operations key lets Session Manager and ECS Exec sessions encrypt, with the session context only', () => {
    const withSessions = Object.keys(template.findResources('AWS::KMS::Key')).filter((id) =>
      keyPolicyOf(id).Statement.some((s) => s.Sid === 'SessionManagerEncryptsSessionsInThisAccount'),
    );
    expect(withSessions).toEqual(['OperationsKeyC8E359A5']);
    // The client (GenerateDataKey) and the SSM agent (Decrypt) call KMS directly: no kms:ViaService.
    expect(
      keyPolicyOf('OperationsKeyC8E359A5').Statement.find(
        (s) => s.Sid === 'SessionManagerEncryptsSessionsInThisAccount',
      ),
    ).toEqual({
      Sid: 'SessionManagerEncryptsSessionsInThisAccount',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:CallerAccount': '123456789012' },
        StringLike: { 'kms:EncryptionContext:aws:ssm:SessionId': '*', 'kms:EncryptionContext:aws:ssm:TargetId': '*' },
      },
    });
  });

  it('E1 the PHI replica key is usable only through S3 and Backup of its region, by its named principals only', () => {
    const s = fixtureStack();
    new ManagedKey(s, 'Replica', {
      alias: 'test/replica',
      description: 'd',
      usage: PHI_REPLICA_KEY.usage,
      administratorArns: [FIXTURE_ADMINISTRATOR],
      users: { s3: ['arn:aws:iam::123456789012:role/Replication'], backup: ['arn:aws:iam::123456789012:role/Backup'] },
    });
    const [key] = Object.values(Template.fromStack(s).findResources('AWS::KMS::Key'));
    const statements = key.Properties.KeyPolicy.Statement as Array<Record<string, unknown>>;
    expect(statements.map((st) => st.Sid)).toEqual([
      ...ADMIN_SIDS,
      'UseThroughS3ByNamedPrincipals',
      'GrantsThroughS3ByNamedPrincipalsForAwsResources',
      'UseThroughBackupByNamedPrincipals',
      'GrantsThroughBackupByNamedPrincipalsForAwsResources',
    ]);
    expect(statements[3]!.Condition).toEqual(through('s3', ['arn:aws:iam::123456789012:role/Replication']));
    expect(statements[5]!.Condition).toEqual(through('backup', ['arn:aws:iam::123456789012:role/Backup']));
  });

  it('E1 the backup key is usable only through AWS Backup, by its named principals (no logs, no service principal)', () => {
    const statements = keyPolicyOf('BackupKey1226E6A1').Statement;
    expect(statements.map((st) => st.Sid)).toEqual([
      ...ADMIN_SIDS,
      'UseThroughBackupByNamedPrincipals',
      'GrantsThroughBackupByNamedPrincipalsForAwsResources',
    ]);
    expect(statements[3]!.Condition).toEqual(through('backup', [USER]));
    expect(Object.keys(KEY_DOMAINS).sort()).toEqual(['audit', 'backup', 'operations', 'phi']);
  });
});
