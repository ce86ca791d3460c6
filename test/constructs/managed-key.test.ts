import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { KEY_DOMAINS, KeyUsage } from '../../constructs/key-usage';
import {
  ADMIN_ACTIONS,
  BACKUP_COPY_ACCOUNT_ACTIONS,
  BACKUP_SERVICE_LINKED_ROLE,
  ManagedKey,
  ManagedKeyProps,
} from '../../constructs/managed-key';
import { useActionsAllowedBy } from '../../lib/compliance/gate/rules/kms-key-safeguards';
import { fixtureStack } from '../support/construct-fixtures';
import { domainKeys, FIXTURE_ADMINISTRATOR } from '../support/key-fixtures';

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
      const admin = statements.find((s) => s.Sid === 'KeyAdministrationByNamedRoles')!;
      expect(admin).toBeDefined();
      const adminActions = admin.Action as string[];
      for (const use of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:*']) {
        expect(adminActions).not.toContain(use);
      }
      // Every statement that grants use carries a condition (a service, this account, named principals).
      const grantsUse = (st: Record<string, unknown>): boolean =>
        ([] as unknown[]).concat(st.Action).some((a) => useActionsAllowedBy(a).length > 0);
      for (const s of statements.filter(grantsUse)) {
        expect(s.Condition).toBeDefined();
      }
    }
  });

  it('E1 key administration is listed action by action: no wildcard, no grant creation, no use', () => {
    for (const id of Object.keys(template.findResources('AWS::KMS::Key'))) {
      const statements = keyPolicyOf(id).Statement;
      const admin = statements.find((s) => s.Sid === 'KeyAdministrationByNamedRoles')!;
      const actions = admin.Action as string[];
      expect(actions).toEqual([...ADMIN_ACTIONS].sort());
      expect(actions.filter((a) => /[*?]/.test(a))).toEqual([]);
      expect(actions.flatMap(useActionsAllowedBy)).toEqual([]);
      // Only the named administrators (the CloudFormation execution role among them) can update the policy,
      // and the root user itself as the lockout path, never every principal the account delegates to.
      expect(actions).toContain('kms:PutKeyPolicy');
      expect(admin.Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:root' });
      expect(admin.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': [FIXTURE_ADMINISTRATOR] } });
      const root = statements.find((s) => s.Sid === 'RootUserLockoutPath')!;
      expect(root.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:root' } });
    }
  });

  it('E1 grants are created only through the named services, only for AWS resources', () => {
    for (const id of Object.keys(template.findResources('AWS::KMS::Key'))) {
      const statements = keyPolicyOf(id).Statement;
      const withCreateGrant = statements.filter((s) =>
        ([] as unknown[]).concat(s.Action).some((a) => useActionsAllowedBy(a).includes('kms:CreateGrant')),
      );
      for (const s of withCreateGrant) {
        const sid = s.Sid as string;
        if (/^GrantsThrough\w+ForAwsResources$/.test(sid)) {
          expect(s.Action).toBe('kms:CreateGrant');
          const condition = s.Condition as Record<string, Record<string, unknown>>;
          expect(condition.StringEquals).toEqual({
            'kms:CallerAccount': '123456789012',
            'kms:ViaService': expect.anything(),
          });
          expect(condition.Bool).toEqual({ 'kms:GrantIsForAWSResource': 'true' });
          // Keys limited to named users also name who may create the grant (the operations key does not).
          if (sid.includes('ByNamedPrincipals')) expect(condition.ArnEquals?.['aws:PrincipalArn']).toBeDefined();
        } else {
          // Fargate's own grants for ephemeral storage: Decrypt only, this account's clusters only.
          expect(sid).toBe('FargateGrantsDecryptOfEphemeralStorageOfThisAccountsClusters');
        }
      }
      for (const use of statements.filter((s) => /^UseThrough/.test(s.Sid as string))) {
        expect(use.Action).not.toContain('kms:CreateGrant');
      }
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
    const props = {
      description: 'd',
      usage: KEY_DOMAINS.backup.usage,
      administratorArns: [FIXTURE_ADMINISTRATOR],
      users: { backup: ['arn:aws:iam::123456789012:role/Backup'] },
    };
    expect(() => new ManagedKey(s, 'Reserved', { ...props, alias: 'aws/phi' })).toThrow(
      "ManagedKey S/Reserved: alias = 'aws/phi': must be [a-zA-Z0-9/_-]+ and not start with aws/",
    );
    expect(() => new ManagedKey(s, 'Spaces', { ...props, alias: 'my key' })).toThrow("alias = 'my key'");
  });

  it('E1 the alias and description are the given ones; administrators administer and never use', () => {
    const s = fixtureStack();
    new ManagedKey(s, 'Key', {
      alias: 'test/ops',
      description: 'Operations',
      usage: KEY_DOMAINS.backup.usage,
      administratorArns: ['arn:aws:iam::123456789012:role/KeyAdmin'],
      users: { backup: ['arn:aws:iam::123456789012:role/Backup'] },
    });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/test/ops' });
    t.hasResourceProperties('AWS::KMS::Key', { Description: 'Operations' });
    const [key] = Object.values(t.findResources('AWS::KMS::Key'));
    const statements = key.Properties.KeyPolicy.Statement as Array<Record<string, unknown>>;
    const admin = statements.find((st) => st.Sid === 'KeyAdministrationByNamedRoles')!;
    expect(admin.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/KeyAdmin'] } });
    const others = statements.filter((st) => st !== admin);
    expect(JSON.stringify(others)).not.toContain('role/KeyAdmin');
  });
});

const ACCOUNT = '123456789012';
const DEPLOY = `arn:aws:iam::${ACCOUNT}:role/Deployment`;

function namedKey(props: Partial<ManagedKeyProps>): Stack {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Keys', {
    env: { account: ACCOUNT, region: 'us-east-1' },
  });
  new ManagedKey(stack, 'K', {
    alias: 'test/k',
    description: 'd',
    usage: KEY_DOMAINS.backup.usage,
    administratorArns: [DEPLOY],
    users: { backup: [`arn:aws:iam::${ACCOUNT}:role/Backup`] },
    ...props,
  });
  return stack;
}

describe('ManagedKey: named administrators and users', () => {
  test('E1 a key limited to named users refuses to be built without them', () => {
    expect(() => namedKey({ users: undefined })).toThrow(
      /users = undefined: required: the key's usage admits named principals only \(namedUsersOnly\), one list per service of \["backup"\]/,
    );
  });

  test('E1 users must name exactly the services of the usage', () => {
    expect(() => namedKey({ users: { backup: [], s3: [] } })).toThrow(
      /users = \["backup","s3"\]: must name exactly the services of usage.viaServices \["backup"\]/,
    );
    expect(() => namedKey({ users: {} })).toThrow(/users = \[\]: must name exactly the services/);
  });

  test('E1 administrators and users are exact role ARNs: no wildcard, no account', () => {
    expect(() => namedKey({ administratorArns: [] })).toThrow(
      /administratorArns = \[\]: must name at least the CloudFormation execution role/,
    );
    expect(() => namedKey({ administratorArns: [`arn:aws:iam::${ACCOUNT}:role/*`] })).toThrow(
      /administratorArns\[0\] = 'arn:aws:iam::123456789012:role\/\*': must be an exact IAM role ARN/,
    );
    expect(() => namedKey({ users: { backup: [ACCOUNT] } })).toThrow(
      /users.backup\[0\] = '123456789012': must be an exact IAM role ARN/,
    );
  });

  test('E1 a service with no named principals gets no use statement: nobody uses the key through it', () => {
    const [resource] = Object.values(
      Template.fromStack(namedKey({ users: { backup: [] } })).findResources('AWS::KMS::Key'),
    );
    const sids = (resource!.Properties.KeyPolicy.Statement as Array<{ Sid: string }>).map((s) => s.Sid);
    expect(sids).toEqual(['KeyMetadataReadableInThisAccount', 'KeyAdministrationByNamedRoles', 'RootUserLockoutPath']);
  });

  test('E1 the key is marked for KeyUseByNamedPrincipals only when its usage says named users only', () => {
    const marked = (s: Stack): unknown =>
      Object.values(Template.fromStack(s).findResources('AWS::KMS::Key'))[0]!.Metadata?.[
        'HipaaBlueprint::NamedKeyUsers'
      ];
    expect(marked(namedKey({}))).toEqual({ safeguards: ['E1'] });
    expect(marked(namedKey({ usage: KEY_DOMAINS.operations.usage, users: undefined }))).toBeUndefined();
  });
});

describe('ManagedKey: a cross-account backup copy', () => {
  type Statement = { Sid: string; Action: unknown; Condition: unknown };
  const statementsOf = (s: Stack): Statement[] =>
    Object.values(Template.fromStack(s).findResources('AWS::KMS::Key'))[0]!.Properties.KeyPolicy.Statement;

  test("I1 the destination account's AWS Backup service-linked role alone may use the key, and grant for AWS resources", () => {
    const statements = statementsOf(namedKey({ backupCopyAccounts: ['333333333333'] }));
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    const role = `arn:aws:iam::333333333333:role/${BACKUP_SERVICE_LINKED_ROLE}`;
    expect(bySid.CrossAccountBackupCopy).toEqual({
      Sid: 'CrossAccountBackupCopy',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::333333333333:root' },
      Action: [...BACKUP_COPY_ACCOUNT_ACTIONS],
      Resource: '*',
      Condition: { ArnEquals: { 'aws:PrincipalArn': [role] } },
    });
    expect(bySid.CrossAccountBackupCopyGrants.Action).toBe('kms:CreateGrant');
    expect(bySid.CrossAccountBackupCopyGrants.Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': [role] },
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
    });
    // Without a destination account, nothing is shared.
    expect(statementsOf(namedKey({})).map((s) => s.Sid)).not.toContain('CrossAccountBackupCopy');
  });

  test('I1 the destination must be another account, as a 12-digit id', () => {
    expect(() => namedKey({ backupCopyAccounts: [ACCOUNT] })).toThrow(
      /backupCopyAccounts = \["123456789012"\]: '123456789012' must be the 12-digit id of another account/,
    );
    expect(() => namedKey({ backupCopyAccounts: ['arn:aws:iam::333333333333:root'] })).toThrow(
      /must be the 12-digit id of another account/,
    );
  });
});
