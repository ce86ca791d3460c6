import { Template } from 'aws-cdk-lib/assertions';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { KeyUsage } from '../../constructs/key-usage';
import { ADMIN_ACTIONS, ManagedKey, READ_ACTIONS } from '../../constructs/managed-key';
import { NagRuleCompliance } from 'cdk-nag';
import { KmsKeySafeguards, useActionsAllowedBy } from '../../lib/compliance/gate/rules/kms-key-safeguards';
import { buildTestBlueprint, testConfig } from '../support/blueprint';

const { stage } = buildTestBlueprint();
const stack = stage.keys;
const template = Template.fromStack(stack);

/** A key resource as the template holds it. */
interface KeyResource {
  readonly Type: string;
  readonly Properties: {
    readonly KeyPolicy: { readonly Statement: Array<{ Sid?: string; Condition?: Record<string, unknown> }> };
  };
}

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

  const DEPLOYMENT = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1';
  const ROOT_USER = 'arn:aws:iam::123456789012:root';

  it('E1 key policies separate administration from use: only key metadata is open to the account', () => {
    for (const id of Object.keys(template.findResources('AWS::KMS::Key'))) {
      const statements = keyPolicyOf(id).Statement;
      const admin = statements.find((s) => s.Sid === 'KeyAdministrationByNamedRoles')!;
      expect(admin).toBeDefined();
      for (const use of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:*']) {
        expect(admin.Action as string[]).not.toContain(use);
      }
      const read = statements.find((s) => s.Sid === 'KeyMetadataReadableInThisAccount')!;
      expect(read.Action).toEqual([...READ_ACTIONS].sort());
      expect((read.Action as string[]).flatMap(useActionsAllowedBy)).toEqual([]);
      expect((read.Action as string[]).filter((a) => ADMIN_ACTIONS.includes(a))).toEqual([]);
      // Every other statement (administration and use) carries a condition naming who or through what.
      for (const s of statements.filter((st) => st !== read)) expect(s.Condition).toBeDefined();
    }
  });

  it('E1 key administration is listed action by action, only by the deployment role and the key admins; root only as lockout', () => {
    for (const id of Object.keys(template.findResources('AWS::KMS::Key'))) {
      const statements = keyPolicyOf(id).Statement;
      const admin = statements.find((s) => s.Sid === 'KeyAdministrationByNamedRoles')!;
      const actions = admin.Action as string[];
      expect(actions).toEqual([...ADMIN_ACTIONS].sort());
      expect(actions.filter((a) => /[*?]/.test(a))).toEqual([]);
      expect(actions.flatMap(useActionsAllowedBy)).toEqual([]);
      // CloudFormation updates the policy on deploy: the execution role keeps PutKeyPolicy.
      expect(actions).toContain('kms:PutKeyPolicy');
      expect(admin.Principal).toEqual({ AWS: ROOT_USER });
      expect(admin.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': [DEPLOYMENT] } });
      // The root user itself (not every IAM principal of the account): the documented lockout path.
      expect(statements.find((s) => s.Sid === 'RootUserLockoutPath')).toEqual({
        Sid: 'RootUserLockoutPath',
        Effect: 'Allow',
        Principal: { AWS: ROOT_USER },
        Action: [...ADMIN_ACTIONS].sort(),
        Resource: '*',
        Condition: { ArnEquals: { 'aws:PrincipalArn': ROOT_USER } },
      });
    }
  });

  it('E1 key administrators from config administer every key, with the deployment role', () => {
    const admins = ['arn:aws:iam::123456789012:role/KeyAdmin'];
    const withAdmins = buildTestBlueprint(testConfig('dev', { keyAdminRoleArns: admins })).stage.keys;
    const t = Template.fromStack(withAdmins).toJSON();
    for (const r of Object.values(t.Resources as Record<string, KeyResource>)) {
      if (r.Type !== 'AWS::KMS::Key') continue;
      const admin = r.Properties.KeyPolicy.Statement.find((s) => s.Sid === 'KeyAdministrationByNamedRoles')!;
      expect(admin.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': [...admins, DEPLOYMENT] } });
    }
  });

  it('E1 grants are created only through the named services, only for AWS resources', () => {
    for (const id of Object.keys(template.findResources('AWS::KMS::Key'))) {
      const statements = keyPolicyOf(id).Statement;
      const withCreateGrant = statements.filter((s) =>
        ([] as unknown[]).concat(s.Action).some((a) => useActionsAllowedBy(a).includes('kms:CreateGrant')),
      );
      for (const s of withCreateGrant) {
        if (s.Sid === 'FargateGrantsDecryptOfEphemeralStorageOfThisAccountsClusters') continue;
        expect(s.Sid).toMatch(
          /^Grants(ThroughNamedServicesForAwsResources|Through\w+ByNamedPrincipalsForAwsResources)$/,
        );
        expect(s.Action).toBe('kms:CreateGrant');
        expect(s.Condition).toEqual(
          expect.objectContaining({
            StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': expect.anything() },
            Bool: { 'kms:GrantIsForAWSResource': 'true' },
          }),
        );
      }
      for (const use of statements.filter((s) => /^UseThrough/.test(s.Sid as string))) {
        expect(use.Action).not.toContain('kms:CreateGrant');
      }
    }
  });

  it('E1 the PHI key is usable only through S3, RDS and Backup, each by its named principals only', () => {
    const id = stack.getLogicalId(stack.node.findChild('PhiDataKey').node.findChild('Key').node.defaultChild as CfnKey);
    const statements = keyPolicyOf(id).Statement;
    const use = statements.filter(
      (s) =>
        !['KeyMetadataReadableInThisAccount', 'KeyAdministrationByNamedRoles', 'RootUserLockoutPath'].includes(
          s.Sid as string,
        ),
    );
    const role = (name: string): string => `arn:aws:iam::123456789012:role/${name}`;
    const through = (service: string, principals: string[]): Record<string, unknown> => ({
      StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': `${service}.us-east-1.amazonaws.com` },
      ArnEquals: { 'aws:PrincipalArn': principals },
    });
    const s3 = [
      role('hipaa-dev-api-task'),
      role('hipaa-dev-phi-data-replication'),
      role('hipaa-dev-phi-replica-replication'),
      role('hipaa-dev-phi-backup'),
    ];
    const rds = [DEPLOYMENT, role('hipaa-dev-phi-backup')];
    const backup = [role('hipaa-dev-phi-backup')];
    const grants = (c: Record<string, unknown>): Record<string, unknown> => ({
      ...c,
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
    });
    expect(use).toEqual([
      expect.objectContaining({ Sid: 'UseThroughS3ByNamedPrincipals', Condition: through('s3', s3) }),
      expect.objectContaining({
        Sid: 'GrantsThroughS3ByNamedPrincipalsForAwsResources',
        Condition: grants(through('s3', s3)),
      }),
      expect.objectContaining({ Sid: 'UseThroughRdsByNamedPrincipals', Condition: through('rds', rds) }),
      expect.objectContaining({
        Sid: 'GrantsThroughRdsByNamedPrincipalsForAwsResources',
        Condition: grants(through('rds', rds)),
      }),
      expect.objectContaining({ Sid: 'UseThroughBackupByNamedPrincipals', Condition: through('backup', backup) }),
      expect.objectContaining({
        Sid: 'GrantsThroughBackupByNamedPrincipalsForAwsResources',
        Condition: grants(through('backup', backup)),
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

  it('E1 database administrators from config use the PHI key through RDS only; audit readers the audit key only', () => {
    const dba = 'arn:aws:iam::123456789012:role/Dba';
    const reader = 'arn:aws:iam::123456789012:role/Auditor';
    const keys = buildTestBlueprint(testConfig('dev', { databaseAdminRoleArns: [dba], auditReaderRoleArns: [reader] }))
      .stage.keys;
    const t = Template.fromStack(keys).toJSON().Resources as Record<string, KeyResource>;
    const naming = (id: string, who: string): string[] =>
      t[id]!.Properties.KeyPolicy.Statement.filter((s) =>
        JSON.stringify(s.Condition?.ArnEquals ?? {}).includes(who),
      ).map((s) => s.Sid as string);
    expect(naming('PhiDataKeyE6603588', dba)).toEqual([
      'UseThroughRdsByNamedPrincipals',
      'GrantsThroughRdsByNamedPrincipalsForAwsResources',
    ]);
    expect(naming('AuditKey55555D67', dba)).toEqual([]);
    expect(naming('AuditKey55555D67', reader)).toEqual([
      'UseThroughS3ByNamedPrincipals',
      'GrantsThroughS3ByNamedPrincipalsForAwsResources',
      'NamedPrincipalsDecryptTrailLogs',
    ]);
    expect(naming('PhiDataKeyE6603588', reader)).toEqual([]);
    expect(naming('BackupKey1226E6A1', reader)).toEqual([]);
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
