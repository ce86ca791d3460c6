import { Template } from 'aws-cdk-lib/assertions';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { KeyUsage } from '../../constructs/key-usage';
import { ADMIN_ACTIONS, ManagedKey } from '../../constructs/managed-key';
import { NagRuleCompliance } from 'cdk-nag';
import { KmsKeySafeguards, useActionsAllowedBy } from '../../lib/compliance/gate/rules/kms-key-safeguards';
import { buildTestBlueprint } from '../support/blueprint';

const { stage } = buildTestBlueprint();
const stack = stage.keys;
const template = Template.fromStack(stack);

function keyPolicyOf(logicalId: string): { Statement: Array<Record<string, unknown>> } {
  return template.toJSON().Resources[logicalId].Properties.KeyPolicy;
}

describe('KeysStack', () => {
  it('E1 creates one customer-managed key per data domain, with aliases', () => {
    template.resourceCountIs('AWS::KMS::Key', 4);
    for (const domain of ['phi', 'audit', 'backup', 'operations']) {
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/hipaa-dev/${domain}` });
    }
  });

  it('E1 keys rotate and wait 30 days before deletion', () => {
    template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true, PendingWindowInDays: 30 });
  });

  it('I2 keys are retained on deletion and replacement', () => {
    const keys = template.findResources('AWS::KMS::Key');
    for (const key of Object.values(keys)) {
      expect(key.DeletionPolicy).toBe('Retain');
      expect(key.UpdateReplacePolicy).toBe('Retain');
    }
  });

  it('E1 key policies separate administration from use', () => {
    for (const id of Object.keys(template.findResources('AWS::KMS::Key'))) {
      const statements = keyPolicyOf(id).Statement;
      const admin = statements.find((s) => s.Sid === 'KeyAdministrationWithoutUse')!;
      expect(admin).toBeDefined();
      const adminActions = admin.Action as string[];
      for (const use of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:*']) {
        expect(adminActions).not.toContain(use);
      }
      // Every statement that grants use carries a condition (a service, this account).
      for (const s of statements.filter((st) => st !== admin)) {
        expect(s.Condition).toBeDefined();
      }
    }
  });

  it('E1 key administration is listed action by action: no wildcard, no grant creation, no use', () => {
    for (const id of Object.keys(template.findResources('AWS::KMS::Key'))) {
      const admin = keyPolicyOf(id).Statement.find((s) => s.Sid === 'KeyAdministrationWithoutUse')!;
      const actions = admin.Action as string[];
      expect(actions).toEqual([...ADMIN_ACTIONS].sort());
      expect(actions.filter((a) => /[*?]/.test(a))).toEqual([]);
      expect(actions.flatMap(useActionsAllowedBy)).toEqual([]);
      // IAM in the account (the CloudFormation execution role among it) can still update the policy.
      expect(actions).toContain('kms:PutKeyPolicy');
      expect(admin.Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:root' });
      expect(admin.Condition).toBeUndefined();
    }
  });

  it('E1 grants are created only through the named services, only for AWS resources', () => {
    for (const id of Object.keys(template.findResources('AWS::KMS::Key'))) {
      const statements = keyPolicyOf(id).Statement;
      const withCreateGrant = statements.filter((s) =>
        ([] as unknown[]).concat(s.Action).some((a) => useActionsAllowedBy(a).includes('kms:CreateGrant')),
      );
      for (const s of withCreateGrant) {
        if (s.Sid === 'GrantsThroughNamedServicesForAwsResources') {
          expect(s.Action).toBe('kms:CreateGrant');
          expect(s.Condition).toEqual({
            StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': expect.any(Array) },
            Bool: { 'kms:GrantIsForAWSResource': 'true' },
          });
        } else {
          // Fargate's own grants for ephemeral storage: Decrypt only, this account's clusters only.
          expect(s.Sid).toBe('FargateGrantsDecryptOfEphemeralStorageOfThisAccountsClusters');
        }
      }
      const use = statements.find((s) => s.Sid === 'UseThroughNamedServicesInThisAccount');
      expect(use?.Action).not.toContain('kms:CreateGrant');
    }
  });

  it('E1 the PHI key is usable only through S3, RDS and Backup in this account', () => {
    const id = stack.getLogicalId(stack.node.findChild('PhiDataKey').node.findChild('Key').node.defaultChild as CfnKey);
    const statements = keyPolicyOf(id).Statement;
    const use = statements.filter((s) => s.Sid !== 'KeyAdministrationWithoutUse');
    const viaThisAccount = {
      'kms:CallerAccount': '123456789012',
      'kms:ViaService': ['s3.us-east-1.amazonaws.com', 'rds.us-east-1.amazonaws.com', 'backup.us-east-1.amazonaws.com'],
    };
    expect(use).toEqual([
      expect.objectContaining({
        Sid: 'UseThroughNamedServicesInThisAccount',
        Condition: { StringEquals: viaThisAccount },
      }),
      expect.objectContaining({
        Sid: 'GrantsThroughNamedServicesForAwsResources',
        Condition: { StringEquals: viaThisAccount, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
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

  it('E1 a CloudWatch Logs prefix must be a name prefix without wildcards, and only with cloudWatchLogs', () => {
    const statements = (usage: Partial<KeyUsage>): unknown =>
      ManagedKey.useStatements({ viaServices: [], ...usage }, '123456789012', 'us-east-1');
    expect(() => statements({ cloudWatchLogs: true, cloudWatchLogGroupPrefix: '/aws/*' })).toThrow(
      "ManagedKey: cloudWatchLogGroupPrefix = '/aws/*': must be a log group name prefix without wildcards, and only with cloudWatchLogs",
    );
    expect(() => statements({ cloudWatchLogGroupPrefix: '/aws/rds/' })).toThrow(
      "cloudWatchLogGroupPrefix = '/aws/rds/'",
    );
    expect(statements({ cloudWatchLogs: true, cloudWatchLogGroupPrefix: '/aws/rds/' })).toHaveLength(1);
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

  it('E1 every key of the stack passes KmsKeySafeguards (each use statement scoped)', () => {
    const keys = stack.node.findAll().filter((c): c is CfnKey => c instanceof CfnKey);
    expect(keys).toHaveLength(4);
    for (const key of keys) expect(KmsKeySafeguards(key)).toBe(NagRuleCompliance.COMPLIANT);
  });

  it('I2 pins the logical IDs of the keys', () => {
    expect(Object.keys(template.findResources('AWS::KMS::Key')).sort()).toEqual([
      'AuditKey55555D67',
      'BackupKey1226E6A1',
      'OperationsKeyC8E359A5',
      'PhiDataKeyE6603588',
    ]);
  });

  it('I2 has termination protection', () => {
    expect(stack.terminationProtection).toBe(true);
  });

  it('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
