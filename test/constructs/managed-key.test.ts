import { Template } from 'aws-cdk-lib/assertions';
import { KEY_DOMAINS, KeyUsage } from '../../constructs/key-usage';
import { ADMIN_ACTIONS, ManagedKey } from '../../constructs/managed-key';
import { useActionsAllowedBy } from '../../lib/compliance/gate/rules/kms-key-safeguards';
import { fixtureStack } from '../support/construct-fixtures';
import { domainKeys } from '../support/key-fixtures';

// One ManagedKey per data domain (every kind of use statement ManagedKey writes), in a stack of their own.
const { template, keyPolicyOf } = domainKeys();

describe('ManagedKey', () => {
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

  it('E1 refuses an alias that is malformed or in the aws/ namespace, naming the field and value', () => {
    const s = fixtureStack();
    const props = { description: 'd', usage: KEY_DOMAINS.backup.usage };
    expect(() => new ManagedKey(s, 'Reserved', { ...props, alias: 'aws/phi' })).toThrow(
      "ManagedKey S/Reserved: alias = 'aws/phi': must be [a-zA-Z0-9/_-]+ and not start with aws/",
    );
    expect(() => new ManagedKey(s, 'Spaces', { ...props, alias: 'my key' })).toThrow("alias = 'my key'");
  });

  it('E1 the alias and description are the given ones; adminRoleArns join the account root in administration, never in use', () => {
    const s = fixtureStack();
    new ManagedKey(s, 'Key', {
      alias: 'test/ops',
      description: 'Operations',
      usage: KEY_DOMAINS.backup.usage,
      adminRoleArns: ['arn:aws:iam::123456789012:role/KeyAdmin'],
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/test/ops' });
    t.hasResourceProperties('AWS::KMS::Key', { Description: 'Operations' });
    const [key] = Object.values(t.findResources('AWS::KMS::Key'));
    const statements = key.Properties.KeyPolicy.Statement as Array<Record<string, unknown>>;
    const admin = statements.find((st) => st.Sid === 'KeyAdministrationWithoutUse')!;
    expect(admin.Principal).toEqual({
      AWS: ['arn:aws:iam::123456789012:role/KeyAdmin', 'arn:aws:iam::123456789012:root'],
    });
    const others = statements.filter((st) => st !== admin);
    expect(JSON.stringify(others)).not.toContain('role/KeyAdmin');
  });
});
