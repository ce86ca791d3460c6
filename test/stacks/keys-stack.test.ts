import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
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

  it('E1 the PHI key is usable only through S3, RDS and Backup in this account', () => {
    const id = stack.getLogicalId(stack.node.findChild('PhiDataKey').node.findChild('Key').node.defaultChild as CfnKey);
    const statements = keyPolicyOf(id).Statement;
    const use = statements.filter((s) => s.Sid !== 'KeyAdministrationWithoutUse');
    expect(use).toEqual([
      expect.objectContaining({
        Sid: 'UseThroughNamedServicesInThisAccount',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': '123456789012',
            'kms:ViaService': [
              's3.us-east-1.amazonaws.com',
              'rds.us-east-1.amazonaws.com',
              'backup.us-east-1.amazonaws.com',
            ],
          },
        },
      }),
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
    ]);
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

  it('E1 only the audit and operations keys let CloudWatch Logs encrypt, scoped to this account', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
            Principal: { Service: 'logs.us-east-1.amazonaws.com' },
            Condition: {
              ArnLike: {
                'kms:EncryptionContext:aws:logs:arn': {
                  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']],
                },
              },
            },
          }),
        ]),
      },
    });
    const withLogs = Object.keys(template.findResources('AWS::KMS::Key')).filter((id) =>
      keyPolicyOf(id).Statement.some((s) => s.Sid === 'CloudWatchLogsEncryptsThisAccountsLogGroups'),
    );
    expect(withLogs).toHaveLength(2);
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
