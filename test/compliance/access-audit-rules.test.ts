import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import {
  AccountRootPrincipal,
  ArnPrincipal,
  CfnAccessKey,
  CfnGroup,
  CfnRole,
  CfnUser,
  CfnUserToGroupAddition,
  CompositePrincipal,
  FederatedPrincipal,
  Role,
  ServicePrincipal,
  User,
} from 'aws-cdk-lib/aws-iam';
import { CfnDBCluster, CfnDBClusterParameterGroup, CfnDBInstance, CfnDBParameterGroup } from 'aws-cdk-lib/aws-rds';
import { NagRuleCompliance } from 'cdk-nag';
import { BreakGlassRole } from '../../constructs/break-glass-role';
import { PROJECT_RULES } from '../../lib/compliance/gate/blueprint-checks';
import { checkTemplate } from '../../lib/compliance/gate/template-checker';
import { CloudTrailMultiRegionWithPhiDataEvents } from '../../lib/compliance/gate/rules/cloudtrail-multi-region-with-phi-data-events';
import { HumanRolesRequireMfa } from '../../lib/compliance/gate/rules/human-roles-require-mfa';
import { NoIamUsersOrAccessKeys } from '../../lib/compliance/gate/rules/no-iam-users-or-access-keys';
import { RdsForceSsl } from '../../lib/compliance/gate/rules/rds-force-ssl';
import { buildTestBlueprint } from '../support/blueprint';

const ENV = { account: '123456789012', region: 'us-east-1' };
let counter = 0;
const stack = (): Stack =>
  new Stack(new App({ builtinCloudFormationValidation: false }), `S${counter++}`, { env: ENV });

describe('project rules are registered', () => {
  test('E3 A1 A2 U1 RdsForceSsl, NoIamUsersOrAccessKeys, HumanRolesRequireMfa, CloudTrailMultiRegionWithPhiDataEvents are in PROJECT_RULES', () => {
    const byName = new Map(PROJECT_RULES.map((r) => [r.rule.name, r]));
    expect(byName.get('RdsForceSsl')?.safeguards).toEqual(['E3']);
    expect(byName.get('NoIamUsersOrAccessKeys')?.safeguards).toEqual(['A1']);
    expect(byName.get('HumanRolesRequireMfa')?.safeguards).toEqual(['A2']);
    expect(byName.get('CloudTrailMultiRegionWithPhiDataEvents')?.safeguards).toEqual(['U1']);
  });
});

describe('E3 project rule RdsForceSsl', () => {
  const group = (s: Stack, parameters?: Record<string, string>, family = 'postgres16'): CfnDBParameterGroup =>
    new CfnDBParameterGroup(s, 'Params', { family, description: 'x', parameters });
  const instance = (s: Stack, dbParameterGroupName?: string, engine = 'postgres'): CfnDBInstance =>
    new CfnDBInstance(s, 'Db', { engine, dbInstanceClass: 'db.t4g.medium', dbParameterGroupName });

  test('E3 passes on a postgres parameter group with rds.force_ssl 1 and an instance that references it', () => {
    const s = stack();
    const g = group(s, { 'rds.force_ssl': '1' });
    expect(RdsForceSsl(g)).toBe(NagRuleCompliance.COMPLIANT);
    expect(RdsForceSsl(instance(s, g.ref))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('E3 fires on a postgres parameter group with rds.force_ssl 0 or unset', () => {
    expect(RdsForceSsl(group(stack(), { 'rds.force_ssl': '0' }))).toEqual(['rds.force_ssl::0']);
    expect(RdsForceSsl(group(stack(), { log_connections: '1' }))).toEqual(['rds.force_ssl::unset']);
    expect(RdsForceSsl(group(stack()))).toEqual(['rds.force_ssl::unset']);
  });

  test('E3 fires on a postgres parameter group whose rds.force_ssl is overridden in the template', () => {
    const g = group(stack(), { 'rds.force_ssl': '1' });
    g.addPropertyOverride('Parameters.rds\\.force_ssl', '0');
    expect(RdsForceSsl(g)).toEqual(['rds.force_ssl::0']);
  });

  test('E3 does not apply to other engines', () => {
    expect(RdsForceSsl(group(stack(), {}, 'mysql8.0'))).toBe(NagRuleCompliance.NOT_APPLICABLE);
    expect(RdsForceSsl(instance(stack(), undefined, 'mysql'))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test('E3 fires on an instance that references a parameter group without rds.force_ssl 1', () => {
    const s = stack();
    const g = group(s, { 'rds.force_ssl': '0' });
    expect(RdsForceSsl(instance(s, g.ref))).toEqual(['ParameterGroup.rds.force_ssl::0']);
  });

  test('E3 fires on a postgres instance without a parameter group (the engine default allows clear text)', () => {
    expect(RdsForceSsl(instance(stack()))).toEqual(['ParameterGroup::none']);
  });

  test('E3 fires on a parameter group it cannot resolve: a literal name, or a group of another stack', () => {
    expect(RdsForceSsl(instance(stack(), 'default.postgres16'))).toEqual(['ParameterGroup::unresolved']);
    const app = new App({ builtinCloudFormationValidation: false });
    const other = new Stack(app, 'Params', { env: ENV });
    const g = group(other, { 'rds.force_ssl': '1' });
    const db = instance(new Stack(app, 'Db', { env: ENV }), g.ref);
    expect(RdsForceSsl(db)).toEqual(['ParameterGroup::unresolved']);
  });

  test('E3 Aurora: the cluster parameter group carries rds.force_ssl; member instances defer to the cluster', () => {
    const s = stack();
    const good = new CfnDBClusterParameterGroup(s, 'Good', {
      family: 'aurora-postgresql16',
      description: 'x',
      parameters: { 'rds.force_ssl': '1' },
    });
    const cluster = new CfnDBCluster(s, 'Cluster', {
      engine: 'aurora-postgresql',
      dbClusterParameterGroupName: good.ref,
    });
    const member = new CfnDBInstance(s, 'Member', {
      engine: 'aurora-postgresql',
      dbInstanceClass: 'db.r6g.large',
      dbClusterIdentifier: cluster.ref,
    });
    expect(RdsForceSsl(good)).toBe(NagRuleCompliance.COMPLIANT);
    expect(RdsForceSsl(cluster)).toBe(NagRuleCompliance.COMPLIANT);
    expect(RdsForceSsl(member)).toBe(NagRuleCompliance.NOT_APPLICABLE);
    const bare = new CfnDBCluster(s, 'Bare', { engine: 'aurora-postgresql' });
    expect(RdsForceSsl(bare)).toEqual(['ParameterGroup::none']);
  });

  test('E3 the template checker resolves the Ref to a parameter group of the included template', () => {
    const template = (forceSsl: string, reference: unknown): unknown => ({
      Resources: {
        Params: {
          Type: 'AWS::RDS::DBParameterGroup',
          Properties: { Family: 'postgres16', Description: 'x', Parameters: { 'rds.force_ssl': forceSsl } },
        },
        Db: {
          Type: 'AWS::RDS::DBInstance',
          Properties: { Engine: 'postgres', DBInstanceClass: 'db.t4g.medium', DBParameterGroupName: reference },
        },
      },
    });
    const forceSsl = (t: unknown): string[] =>
      checkTemplate(t)
        .findings.filter((f) => f.ruleId.startsWith('Blueprint-RdsForceSsl'))
        .map((f) => `${f.logicalId} ${f.ruleId}`)
        .sort();
    expect(forceSsl(template('1', { Ref: 'Params' }))).toEqual([]);
    expect(forceSsl(template('0', { Ref: 'Params' }))).toEqual([
      'Db Blueprint-RdsForceSsl[ParameterGroup.rds.force_ssl::0]',
      'Params Blueprint-RdsForceSsl[rds.force_ssl::0]',
    ]);
    expect(forceSsl(template('1', 'default.postgres16'))).toEqual([
      'Db Blueprint-RdsForceSsl[ParameterGroup::unresolved]',
    ]);
  });
});

describe('A1 project rule NoIamUsersOrAccessKeys', () => {
  test('A1 fires on an IAM user, an access key and a user-to-group addition', () => {
    const s = stack();
    const user = new CfnUser(s, 'User', {});
    expect(NoIamUsersOrAccessKeys(user)).toEqual(['IamUser::created']);
    expect(NoIamUsersOrAccessKeys(new CfnAccessKey(s, 'Key', { userName: user.ref }))).toEqual(['IamUser::created']);
    expect(
      NoIamUsersOrAccessKeys(new CfnUserToGroupAddition(s, 'Add', { groupName: 'ops', users: [user.ref] })),
    ).toEqual(['IamUser::created']);
  });

  test('A1 fires on the L2 User construct', () => {
    const user = new User(stack(), 'Person');
    expect(NoIamUsersOrAccessKeys(user.node.defaultChild as CfnResource)).toEqual(['IamUser::created']);
  });

  test('A1 fires on a group a user joins (by Ref or by name), passes on a group without users', () => {
    const s = stack();
    const byRef = new CfnGroup(s, 'ByRef', {});
    const byName = new CfnGroup(s, 'ByName', { groupName: 'operators' });
    const empty = new CfnGroup(s, 'Empty', {});
    new CfnUser(s, 'User', { groups: [byRef.ref] });
    new CfnUserToGroupAddition(s, 'Add', { groupName: 'operators', users: ['someone'] });
    expect(NoIamUsersOrAccessKeys(byRef)).toEqual(['IamUser::created']);
    expect(NoIamUsersOrAccessKeys(byName)).toEqual(['IamUser::created']);
    expect(NoIamUsersOrAccessKeys(empty)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('A1 does not apply to roles', () => {
    const role = new Role(stack(), 'R', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    expect(NoIamUsersOrAccessKeys(role.node.defaultChild as CfnResource)).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });
});

describe('A2 project rule HumanRolesRequireMfa', () => {
  const roleOf = (assumedBy: ConstructorParameters<typeof Role>[2]['assumedBy']): CfnResource =>
    new Role(stack(), 'R', { assumedBy }).node.defaultChild as CfnResource;
  const ARN = 'arn:aws:iam::123456789012:role/Operator';

  test('A2 passes on the break-glass role (MFA present and a maximum MFA age)', () => {
    const bg = new BreakGlassRole(stack(), 'BreakGlass', {
      roleName: 'break-glass',
      principalArns: ['arn:aws:iam::444444444444:user/break-glass-1', 'arn:aws:iam::123456789012:user/Lead'],
    });
    expect(HumanRolesRequireMfa(bg.role.node.defaultChild as CfnResource)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('A2 fires on a role the account root or a role ARN may assume without MFA', () => {
    expect(HumanRolesRequireMfa(roleOf(new AccountRootPrincipal()))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
    expect(HumanRolesRequireMfa(roleOf(new ArnPrincipal(ARN)))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
  });

  test('A2 passes with Bool aws:MultiFactorAuthPresent true, or with NumericLessThan aws:MultiFactorAuthAge', () => {
    const present = new ArnPrincipal(ARN).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } });
    const age = new ArnPrincipal(ARN).withConditions({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } });
    expect(HumanRolesRequireMfa(roleOf(present))).toBe(NagRuleCompliance.COMPLIANT);
    expect(HumanRolesRequireMfa(roleOf(age))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('A2 fires on BoolIfExists and on MultiFactorAuthPresent false (neither requires MFA)', () => {
    const ifExists = new ArnPrincipal(ARN).withConditions({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } });
    const absent = new ArnPrincipal(ARN).withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'false' } });
    expect(HumanRolesRequireMfa(roleOf(ifExists))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
    expect(HumanRolesRequireMfa(roleOf(absent))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
  });

  test('A2 exempts service and federated principals', () => {
    expect(HumanRolesRequireMfa(roleOf(new ServicePrincipal('lambda.amazonaws.com')))).toBe(
      NagRuleCompliance.COMPLIANT,
    );
    expect(HumanRolesRequireMfa(roleOf(new FederatedPrincipal('cognito-identity.amazonaws.com', {})))).toBe(
      NagRuleCompliance.COMPLIANT,
    );
  });

  test('A2 fires on the AWS principal of a composite trust and on Principal *', () => {
    const composite = new CompositePrincipal(new ServicePrincipal('ecs-tasks.amazonaws.com'), new ArnPrincipal(ARN));
    expect(HumanRolesRequireMfa(roleOf(composite))).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
    const anyone = new CfnRole(stack(), 'Anyone', {
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }],
      },
    });
    expect(HumanRolesRequireMfa(anyone)).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
  });

  test('A2 checks roles created as plain CfnResources (custom resource providers do that)', () => {
    const plain = new CfnResource(stack(), 'Plain', {
      type: 'AWS::IAM::Role',
      properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: ARN }, Action: 'sts:AssumeRole' }],
        },
      },
    });
    expect(HumanRolesRequireMfa(plain)).toEqual(['AssumeRolePolicy::Statement0-no-MFA']);
  });

  test('A2 every role of the dev blueprint passes, and the break-glass role is the only one people assume', () => {
    const { app } = buildTestBlueprint();
    app.synth();
    const roles = app.node
      .findAll()
      .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(5);
    expect(
      roles.filter((r) => HumanRolesRequireMfa(r) !== NagRuleCompliance.COMPLIANT).map((r) => r.node.path),
    ).toEqual([]);
    const human = roles.filter((r) => JSON.stringify(Stack.of(r).resolve(r._toCloudFormation())).includes('"AWS":'));
    expect(human.map((r) => r.node.path)).toEqual(['Dev/Audit/BreakGlass/Role/Resource']);
  });
});

describe('U1 project rule CloudTrailMultiRegionWithPhiDataEvents', () => {
  const S3_DATA: CfnTrail.EventSelectorProperty = {
    readWriteType: 'All',
    includeManagementEvents: true,
    dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::phi-bucket/'] }],
  };
  const trail = (props: Partial<CfnTrail.EventSelectorProperty> | null, extra: Partial<CfnTrailProps> = {}): CfnTrail =>
    new CfnTrail(stack(), 'Trail', {
      isLogging: true,
      s3BucketName: 'audit',
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      eventSelectors: props === null ? undefined : [{ ...S3_DATA, ...props }],
      ...extra,
    });

  test('U1 passes on a multi-region trail with global service events and S3 object read and write data events', () => {
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({}))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('U1 fires on a single-region trail and on a trail without global service events', () => {
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({}, { isMultiRegionTrail: false }))).toEqual([
      'IsMultiRegionTrail::false',
    ]);
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({}, { includeGlobalServiceEvents: undefined }))).toEqual([
      'IncludeGlobalServiceEvents::false',
    ]);
  });

  test('U1 fires on a trail without S3 data events, or with only reads or only writes', () => {
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail(null))).toEqual(['S3DataEvents::none']);
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({ dataResources: [] }))).toEqual(['S3DataEvents::none']);
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({ readWriteType: 'ReadOnly' }))).toEqual([
      'S3DataEvents::ReadOnly',
    ]);
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({ readWriteType: 'WriteOnly' }))).toEqual([
      'S3DataEvents::WriteOnly',
    ]);
  });

  test('U1 accepts advanced event selectors for S3 object reads and writes', () => {
    const field = (f: string, equalTo: string[]): CfnTrail.AdvancedFieldSelectorProperty => ({ field: f, equalTo });
    const s3 = [field('eventCategory', ['Data']), field('resources.type', ['AWS::S3::Object'])];
    const both = trail(null, { advancedEventSelectors: [{ fieldSelectors: s3 }] });
    expect(CloudTrailMultiRegionWithPhiDataEvents(both)).toBe(NagRuleCompliance.COMPLIANT);
    const split = trail(null, {
      advancedEventSelectors: [
        { fieldSelectors: [...s3, field('readOnly', ['true'])] },
        { fieldSelectors: [...s3, field('readOnly', ['false'])] },
      ],
    });
    expect(CloudTrailMultiRegionWithPhiDataEvents(split)).toBe(NagRuleCompliance.COMPLIANT);
    const readsOnly = trail(null, {
      advancedEventSelectors: [{ fieldSelectors: [...s3, field('readOnly', ['true'])] }],
    });
    expect(CloudTrailMultiRegionWithPhiDataEvents(readsOnly)).toEqual(['S3DataEvents::ReadOnly']);
  });
});

type CfnTrailProps = ConstructorParameters<typeof CfnTrail>[2];
