import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';
import { KEY_DOMAINS, KeyDomain } from '../../constructs/key-usage';
import { ADMIN_ACTIONS, READ_ACTIONS } from '../../constructs/managed-key';
import { KmsKeySafeguards, useActionsAllowedBy } from '../../lib/compliance/gate/rules/kms-key-safeguards';
import { validateConfig } from '../../lib/config';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { buildTestBlueprint, testConfig } from '../support/blueprint';
import { DOMAIN_KEY_IDS } from '../support/key-fixtures';
import { includedStack, logicalIdAt, synthesizedStack, synthesizedTemplate } from '../support/synthesized';

// The keys stack as the shared dev synth wrote it (test/support/global-setup.ts): the stage's own props, the gate on.
const template = synthesizedTemplate('dev', 'Keys');

function keyPolicyOf(logicalId: string): { Statement: Array<Record<string, unknown>> } {
  return template.toJSON().Resources[logicalId].Properties.KeyPolicy;
}

/** A key resource as the template holds it. */
interface KeyResource {
  readonly Type: string;
  readonly Properties: {
    readonly KeyPolicy: { readonly Statement: Array<{ Sid?: string; Condition?: Record<string, unknown> }> };
  };
}

/** The CDK CloudFormation execution role (the deployment role) and the account's root user, of the test account. */
const DEPLOYMENT = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1';
const ROOT_USER = 'arn:aws:iam::123456789012:root';

/** Roles that dev's config names in its three role lists, for the tests of what each list is given. */
const KEY_ADMIN = 'arn:aws:iam::123456789012:role/KeyAdmin';
const DBA = 'arn:aws:iam::123456789012:role/Dba';
const AUDIT_READER = 'arn:aws:iam::123456789012:role/Auditor';
let withRoles: Record<string, KeyResource> | undefined;
/**
 * The keys stack's resources in the whole blueprint of dev with all three role lists set (built once, on first use):
 * each list's test asserts exact lists, so a role given more than its list allows still fails it.
 */
function keysWithRoles(): Record<string, KeyResource> {
  withRoles ??= Template.fromStack(
    buildTestBlueprint(
      testConfig('dev', {
        keyAdminRoleArns: [KEY_ADMIN],
        databaseAdminRoleArns: [DBA],
        auditReaderRoleArns: [AUDIT_READER],
      }),
    ).stage.keys,
  ).toJSON().Resources as Record<string, KeyResource>;
  return withRoles;
}

describe('KeysStack', () => {
  // ManagedKey and KEY_DOMAINS are tested in test/constructs/{managed-key,key-usage}.test.ts; here, the stack.
  it('E1 creates one customer-managed key per data domain, with aliases', () => {
    template.resourceCountIs('AWS::KMS::Key', 4);
    for (const domain of ['phi', 'audit', 'backup', 'operations']) {
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/hipaa-dev/${domain}` });
    }
  });

  it("E1 each domain's key carries that domain's description, administration by named roles and the root user lockout path", () => {
    for (const domain of Object.keys(KEY_DOMAINS) as KeyDomain[]) {
      const key = logicalIdAt('dev', 'Keys', `Dev/Keys/${DOMAIN_KEY_IDS[domain]}/Key/Resource`);
      const resource = template.toJSON().Resources[key];
      expect([
        domain,
        keyPolicyOf(key)
          .Statement.slice(0, 3)
          .map((s) => s.Sid),
      ]).toEqual([
        domain,
        ['KeyMetadataReadableInThisAccount', 'KeyAdministrationByNamedRoles', 'RootUserLockoutPath'],
      ]);
      expect(resource.Properties.Description).toContain(KEY_DOMAINS[domain].description);
    }
  });

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
    const keys = Object.values(keysWithRoles()).filter((r) => r.Type === 'AWS::KMS::Key');
    expect(keys).toHaveLength(4);
    for (const r of keys) {
      const admin = r.Properties.KeyPolicy.Statement.find((s) => s.Sid === 'KeyAdministrationByNamedRoles')!;
      expect(admin.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': [KEY_ADMIN, DEPLOYMENT] } });
    }
  });

  it('E1 the PHI key is usable only through S3, RDS and Backup, each by its named principals only', () => {
    const id = logicalIdAt('dev', 'Keys', 'Dev/Keys/PhiDataKey/Key/Resource');
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
      // D2: GuardDuty Malware Protection reads the PHI bucket's new objects through S3.
      role('hipaa-dev-phi-malware-scan'),
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
    const [dba, reader] = [DBA, AUDIT_READER];
    const t = keysWithRoles();
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

  it('E1 every key of the stack passes KmsKeySafeguards (each use statement scoped)', () => {
    const included = includedStack('dev', 'Keys');
    const keys = included.stack.node.findAll().filter((c): c is CfnKey => c instanceof CfnKey);
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
    expect(synthesizedStack('dev', 'Keys').terminationProtection).toBe(true);
  });

  it('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('KeysStack: an isolated copy vault of another account (I1)', () => {
  const phiKeySids = (isolatedCopyVaultArn: string | undefined): string[] => {
    const config = validateConfig(testConfig('dev', { backup: { isolatedCopyVaultArn } }));
    const keys = new KeysStack(new Construct(new App({ builtinCloudFormationValidation: false }), 'Dev'), 'Keys', {
      config,
    });
    const key =
      Template.fromStack(keys).toJSON().Resources[keys.getLogicalId(keys.keys.phi.node.defaultChild as CfnKey)];
    return (key.Properties.KeyPolicy.Statement as Array<{ Sid: string }>).map((s) => s.Sid);
  };

  it("I1 shares the PHI key with that account's AWS Backup service-linked role; a vault of this account shares nothing", () => {
    expect(phiKeySids('arn:aws:backup:us-east-1:333333333333:backup-vault:phi-airgap')).toEqual(
      expect.arrayContaining(['CrossAccountBackupCopy', 'CrossAccountBackupCopyGrants']),
    );
    expect(phiKeySids('arn:aws:backup:us-west-2:123456789012:backup-vault:phi-airgap')).not.toContain(
      'CrossAccountBackupCopy',
    );
    expect(phiKeySids(undefined)).not.toContain('CrossAccountBackupCopy');
  });
});
