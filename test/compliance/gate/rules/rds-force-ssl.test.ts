import { App, Stack } from 'aws-cdk-lib';
import { CfnDBCluster, CfnDBClusterParameterGroup, CfnDBInstance, CfnDBParameterGroup } from 'aws-cdk-lib/aws-rds';
import { NagRuleCompliance } from 'cdk-nag';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';
import { RdsForceSsl } from '../../../../lib/compliance/gate/rules/rds-force-ssl';
import { FIXTURE_ENV as ENV, fixtureStack as stack } from '../../../support/rule-fixtures';

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

  describe('an instance defers rds.force_ssl to a cluster only when it surely is a member of one', () => {
    const forceSsl = (t: unknown): string[] =>
      checkTemplate(t)
        .findings.filter((f) => f.ruleId.startsWith('Blueprint-RdsForceSsl'))
        .map((f) => `${f.logicalId} ${f.ruleId}`)
        .sort();
    /** An instance without a parameter group, whose DBClusterIdentifier is `identifier`, and a cluster. */
    const template = (identifier: unknown, clusterForceSsl = '1'): unknown => ({
      Conditions: { Aurora: { 'Fn::Equals': ['aurora', 'aurora'] } },
      Parameters: { ClusterName: { Type: 'String' } },
      Resources: {
        ClusterParams: {
          Type: 'AWS::RDS::DBClusterParameterGroup',
          Properties: {
            Family: 'aurora-postgresql16',
            Description: 'x',
            Parameters: { 'rds.force_ssl': clusterForceSsl },
          },
        },
        Cluster: {
          Type: 'AWS::RDS::DBCluster',
          Properties: {
            Engine: 'aurora-postgresql',
            DBClusterIdentifier: 'app-prod-phi',
            DBClusterParameterGroupName: { Ref: 'ClusterParams' },
          },
        },
        Db: {
          Type: 'AWS::RDS::DBInstance',
          Properties: { Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', DBClusterIdentifier: identifier },
        },
      },
    });

    test.each<[string, unknown]>([
      ['AWS::NoValue (no cluster at all)', { Ref: 'AWS::NoValue' }],
      ['a condition only deploy resolves', { 'Fn::If': ['Aurora', { Ref: 'Cluster' }, { Ref: 'AWS::NoValue' }] }],
      ['a parameter', { Ref: 'ClusterName' }],
      ['a reference to a resource that is not a cluster', { Ref: 'ClusterParams' }],
      // A cluster the template does not hold cannot be judged: the instance is checked itself (fail closed).
      ['the literal identifier of a cluster outside the template', 'legacy-cluster'],
    ])('E3 an instance whose DBClusterIdentifier is %s needs its own parameter group', (_name, identifier) => {
      expect(forceSsl(template(identifier))).toEqual(['Db Blueprint-RdsForceSsl[ParameterGroup::none]']);
    });

    test('E3 an instance of a cluster of the template defers to it only while the cluster forces TLS', () => {
      expect(forceSsl(template({ Ref: 'Cluster' }))).toEqual([]);
      expect(forceSsl(template('APP-PROD-PHI'))).toEqual([]);
      expect(forceSsl(template({ Ref: 'Cluster' }, '0'))).toEqual([
        'Cluster Blueprint-RdsForceSsl[ParameterGroup.rds.force_ssl::0]',
        'ClusterParams Blueprint-RdsForceSsl[rds.force_ssl::0]',
        'Db Blueprint-RdsForceSsl[ParameterGroup::none]',
      ]);
    });
  });

  test('E3 an RDS Proxy that does not require TLS fires (it accepts clear text whatever the database forces)', () => {
    // The attacker review of 2026-12-04, third round: a proxy in the application tier with RequireTLS false.
    const proxy = (requireTls?: unknown): unknown => ({
      Conditions: { C: { 'Fn::Equals': ['a', 'b'] } },
      Resources: {
        Proxy: {
          Type: 'AWS::RDS::DBProxy',
          Properties: {
            DBProxyName: 'p',
            EngineFamily: 'POSTGRESQL',
            RoleArn: 'arn:aws:iam::123456789012:role/proxy',
            VpcSubnetIds: ['subnet-1', 'subnet-2'],
            Auth: [{ AuthScheme: 'SECRETS', SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s' }],
            ...(requireTls !== undefined ? { RequireTLS: requireTls } : {}),
          },
        },
      },
    });
    const found = (t: unknown): string[] =>
      checkTemplate(t, 'proxy', { packs: ['Blueprint'] })
        .findings.filter((f) => f.ruleId.startsWith('Blueprint-RdsForceSsl'))
        .map((f) => `${f.logicalId} ${f.ruleId}`);
    expect(found(proxy(true))).toEqual([]);
    for (const requireTls of [false, undefined, { 'Fn::If': ['C', true, false] }]) {
      expect({ requireTls, found: found(proxy(requireTls)) }).toEqual({
        requireTls,
        found: ['Proxy Blueprint-RdsForceSsl[RequireTLS::not-true]'],
      });
    }
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

  describe('E3 a group whose Family is not a literal naming another engine is judged as PostgreSQL', () => {
    test.each<[string, unknown]>([
      ['a join of literals (postgres + 16)', { 'Fn::Join': ['', ['postgres', '16']] }],
      ['a condition with a PostgreSQL branch', { 'Fn::If': ['C', 'mysql8.0', 'postgres16'] }],
      ['a parameter only deploy resolves', { Ref: 'FamilyParameter' }],
    ])('E3 Family as %s: rds.force_ssl 0 is a finding', (_name, family) => {
      const g = group(stack(), { 'rds.force_ssl': '0' });
      g.addPropertyOverride('Family', family);
      expect(RdsForceSsl(g)).toEqual(['rds.force_ssl::0']);
    });

    test('E3 a group a PostgreSQL instance names is judged whatever its Family says', () => {
      const s = stack();
      const g = group(s, { 'rds.force_ssl': '0' }, 'mysql8.0');
      instance(s, g.ref);
      expect(RdsForceSsl(g)).toEqual(['rds.force_ssl::0']);
      // A literal other engine, named by no PostgreSQL database, is not PostgreSQL's.
      expect(RdsForceSsl(group(stack(), { 'rds.force_ssl': '0' }, 'mysql8.0'))).toBe(NagRuleCompliance.NOT_APPLICABLE);
    });

    test('E3 an instance whose Engine is a join of literals (postgres) is judged', () => {
      const db = instance(stack());
      db.addPropertyOverride('Engine', { 'Fn::Join': ['', ['post', 'gres']] });
      expect(RdsForceSsl(db)).toEqual(['ParameterGroup::none']);
    });
  });

  describe('E3 the TLS protocol bounds keep TLS 1.2 or later', () => {
    test.each<[string, Record<string, string>]>([
      ['unset (the engine default)', {}],
      ['ssl_min_protocol_version TLSv1.2', { ssl_min_protocol_version: 'TLSv1.2' }],
      [
        'ssl_min_protocol_version tlsv1.3, ssl_max_protocol_version TLSv1.3',
        { ssl_min_protocol_version: 'tlsv1.3', ssl_max_protocol_version: 'TLSv1.3' },
      ],
      ['ssl_max_protocol_version empty (no maximum)', { ssl_max_protocol_version: '' }],
    ])('E3 %s passes', (_name, parameters) => {
      const s = stack();
      const g = group(s, { 'rds.force_ssl': '1', ...parameters });
      expect(RdsForceSsl(g)).toBe(NagRuleCompliance.COMPLIANT);
      expect(RdsForceSsl(instance(s, g.ref))).toBe(NagRuleCompliance.COMPLIANT);
    });

    test.each<[string, Record<string, unknown>, string[]]>([
      ['TLS 1.0 accepted', { ssl_min_protocol_version: 'TLSv1' }, ['ssl_min_protocol_version::TLSv1']],
      ['TLS 1.1 accepted', { ssl_min_protocol_version: 'TLSv1.1' }, ['ssl_min_protocol_version::TLSv1.1']],
      ['a maximum below TLS 1.2', { ssl_max_protocol_version: 'TLSv1.1' }, ['ssl_max_protocol_version::TLSv1.1']],
      [
        'a minimum only deploy resolves',
        { ssl_min_protocol_version: { Ref: 'MinTls' } },
        ['ssl_min_protocol_version::unresolved'],
      ],
      [
        'a condition with a TLS 1.0 branch',
        { ssl_min_protocol_version: { 'Fn::If': ['C', 'TLSv1.2', 'TLSv1'] } },
        ['ssl_min_protocol_version::unresolved'],
      ],
    ])('E3 %s is a finding (on the group and on the instance naming it)', (_name, parameters, expected) => {
      const s = stack();
      const g = group(s, { 'rds.force_ssl': '1' });
      for (const [k, v] of Object.entries(parameters)) g.addPropertyOverride(`Parameters.${k}`, v);
      expect(RdsForceSsl(g)).toEqual(expected);
      expect(RdsForceSsl(instance(s, g.ref))).toEqual(expected.map((f) => `ParameterGroup.${f}`));
    });
  });
});
