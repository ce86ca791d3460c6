import { Stack } from 'aws-cdk-lib';
import { CfnDBClusterParameterGroup, CfnDBInstance, CfnDBParameterGroup } from 'aws-cdk-lib/aws-rds';
import { NagRuleCompliance } from 'cdk-nag';
import { PHI_DATABASE_PARAMETERS } from '../../../../constructs/phi-database';
import { PostgresAuditLogging } from '../../../../lib/compliance/gate/rules/postgres-audit-logging';
import { fixtureStack as stack } from '../../../support/rule-fixtures';

describe('U1 U4 project rule PostgresAuditLogging', () => {
  const group = (s: Stack, parameters?: Record<string, string>, family = 'postgres16'): CfnDBParameterGroup =>
    new CfnDBParameterGroup(s, 'Params', { family, description: 'x', parameters });

  test("U1 U4 the PHI database's parameters pass, on an instance group and an Aurora cluster group", () => {
    expect(PostgresAuditLogging(group(stack(), { ...PHI_DATABASE_PARAMETERS }))).toBe(NagRuleCompliance.COMPLIANT);
    const cluster = new CfnDBClusterParameterGroup(stack(), 'Cluster', {
      family: 'aurora-postgresql16',
      description: 'x',
      parameters: { ...PHI_DATABASE_PARAMETERS },
    });
    expect(PostgresAuditLogging(cluster)).toBe(NagRuleCompliance.COMPLIANT);
    // Equivalent spellings PostgreSQL accepts.
    expect(
      PostgresAuditLogging(
        group(stack(), {
          ...PHI_DATABASE_PARAMETERS,
          shared_preload_libraries: 'pgaudit, pg_stat_statements',
          'pgaudit.log': 'ROLE, DDL',
          'pgaudit.log_parameter': 'off',
          log_connections: 'on',
          log_statement: 'ddl',
        }),
      ),
    ).toBe(NagRuleCompliance.COMPLIANT);
  });

  test.each<[string, Record<string, string | undefined>, string[]]>([
    [
      'pgaudit not loaded',
      { shared_preload_libraries: 'pg_stat_statements' },
      ['shared_preload_libraries::pg_stat_statements'],
    ],
    ['pgaudit switched to nothing', { 'pgaudit.log': 'none' }, ['pgaudit.log::none']],
    [
      'pgaudit logging reads and writes (their literals)',
      { 'pgaudit.log': 'ddl,role,read,write' },
      ['pgaudit.log::ddl,role,read,write'],
    ],
    ['pgaudit logging everything', { 'pgaudit.log': 'all' }, ['pgaudit.log::all']],
    ["pgaudit logging the statements' parameters", { 'pgaudit.log_parameter': '1' }, ['pgaudit.log_parameter::1']],
    ['connections not logged', { log_connections: '0' }, ['log_connections::0']],
    ['disconnections unset', { log_disconnections: undefined }, ['log_disconnections::unset']],
    ['every statement logged', { log_statement: 'all' }, ['log_statement::all']],
    ['writes logged by PostgreSQL', { log_statement: 'mod' }, ['log_statement::mod']],
    [
      "a failing statement's text logged (the default)",
      { log_min_error_statement: undefined },
      ['log_min_error_statement::unset'],
    ],
    ['DETAIL lines with values', { log_error_verbosity: 'default' }, ['log_error_verbosity::default']],
    ["slow statements' text logged", { log_min_duration_statement: '500' }, ['log_min_duration_statement::500']],
    // The attacker review of 2026-12-03: the audit lines dropped, or statement text logged by other parameters.
    [
      'only PANIC messages kept (no audit or connection line)',
      { log_min_messages: 'panic' },
      ['log_min_messages::panic'],
    ],
    ['only FATAL messages kept', { log_min_messages: 'FATAL' }, ['log_min_messages::fatal']],
    // The second review of 2026-12-03: at DEBUG2 the server logs every extended-protocol statement's text.
    ['DEBUG2 messages kept (statement text)', { log_min_messages: 'debug2' }, ['log_min_messages::debug2']],
    ['NOTICE messages kept', { log_min_messages: 'notice' }, ['log_min_messages::notice']],
    ["pgaudit's lines below the server's level", { 'pgaudit.log_level': 'debug5' }, ['pgaudit.log_level::debug5']],
    [
      'auto_explain loaded, explaining every statement',
      { shared_preload_libraries: 'pgaudit,auto_explain', 'auto_explain.log_min_duration': '0' },
      ['shared_preload_libraries::pgaudit,auto_explain', 'auto_explain.log_min_duration::0'],
    ],
    [
      'auto_explain loaded per session',
      { session_preload_libraries: 'auto_explain' },
      ['session_preload_libraries::auto_explain'],
    ],
    ["sampled slow statements' text", { log_min_duration_sample: '0' }, ['log_min_duration_sample::0']],
    [
      'every statement of sampled transactions',
      { log_transaction_sample_rate: '0.5' },
      ['log_transaction_sample_rate::0.5'],
    ],
    ['plan trees with their constants', { debug_print_plan: 'on' }, ['debug_print_plan::on']],
  ])('U1 U4 %s is a finding', (_name, change, expected) => {
    const parameters: Record<string, string> = { ...PHI_DATABASE_PARAMETERS };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete parameters[k];
      else parameters[k] = v;
    }
    expect(PostgresAuditLogging(group(stack(), parameters))).toEqual(expected);
  });

  test('U1 U4 a group without parameters lists every one; a parameter only deploy resolves is a finding', () => {
    expect(PostgresAuditLogging(group(stack()))).toHaveLength(9);
    const g = group(stack(), { ...PHI_DATABASE_PARAMETERS });
    g.addPropertyOverride('Parameters.log_statement', { Ref: 'AWS::NoValue' });
    expect(PostgresAuditLogging(g)).toEqual(['log_statement::unresolved']);
    // A parameter whose unset default is fine is judged once set, by deploy too.
    g.addPropertyOverride('Parameters.log_min_messages', { 'Fn::If': ['Quiet', 'panic', 'warning'] });
    expect(PostgresAuditLogging(g)).toEqual(['log_min_messages::unresolved', 'log_statement::unresolved']);
  });

  test('U1 U4 the engine defaults of the parameters that may stay unset pass, and so do explicit safe values', () => {
    expect(
      PostgresAuditLogging(
        group(stack(), {
          ...PHI_DATABASE_PARAMETERS,
          log_min_messages: 'error',
          'pgaudit.log_level': 'LOG',
          'auto_explain.log_min_duration': '-1',
          log_min_duration_sample: '-1',
          log_transaction_sample_rate: '0',
          debug_print_parse: 'off',
        }),
      ),
    ).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('U4 a change made by an override in the template is judged as written', () => {
    const g = group(stack(), { ...PHI_DATABASE_PARAMETERS });
    g.addPropertyOverride('Parameters.log_statement', 'all');
    expect(PostgresAuditLogging(g)).toEqual(['log_statement::all']);
  });

  test('does not apply to other engines or resources', () => {
    expect(PostgresAuditLogging(group(stack(), {}, 'mysql8.0'))).toBe(NagRuleCompliance.NOT_APPLICABLE);
    const s = stack();
    expect(
      PostgresAuditLogging(
        new CfnDBClusterParameterGroup(s, 'C', { family: 'aurora-mysql8.0', description: 'x', parameters: {} }),
      ),
    ).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  describe('U1 U4 a group whose Family is not a literal naming another engine is judged as PostgreSQL', () => {
    /** The attacker's parameters: pgaudit dropped, every statement logged. */
    const weakened = (): Record<string, string> => {
      const parameters: Record<string, string> = { ...PHI_DATABASE_PARAMETERS, log_statement: 'all' };
      delete parameters['pgaudit.log'];
      return parameters;
    };

    test.each<[string, unknown]>([
      ['a join of literals (postgres + 16)', { 'Fn::Join': ['', ['postgres', '16']] }],
      ['a substitution', { 'Fn::Sub': 'postgres${V}' }],
      ['a condition with a PostgreSQL branch', { 'Fn::If': ['C', 'mysql8.0', 'postgres16'] }],
      ['a parameter only deploy resolves', { Ref: 'FamilyParameter' }],
      ['an import', { 'Fn::ImportValue': 'db-family' }],
    ])('U1 U4 Family as %s: the weakened parameters are findings', (_name, family) => {
      const g = group(stack(), weakened());
      g.addPropertyOverride('Family', family);
      expect(PostgresAuditLogging(g)).toEqual(['pgaudit.log::unset', 'log_statement::all']);
    });

    test('U1 U4 a group a PostgreSQL instance names is judged whatever its Family says', () => {
      const s = stack();
      const g = group(s, weakened(), 'mysql8.0');
      new CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t4g.medium', dbParameterGroupName: g.ref });
      expect(PostgresAuditLogging(g)).toEqual(['pgaudit.log::unset', 'log_statement::all']);
    });

    test('U1 U4 the shipped parameters pass with a joined Family; a literal other engine is not applicable', () => {
      const g = group(stack(), { ...PHI_DATABASE_PARAMETERS });
      g.addPropertyOverride('Family', { 'Fn::Join': ['', ['postgres', '16']] });
      expect(PostgresAuditLogging(g)).toBe(NagRuleCompliance.COMPLIANT);
      const mysql = group(stack(), weakened(), 'mysql8.0');
      mysql.addPropertyOverride('Family', { 'Fn::Join': ['', ['mysql', '8.0']] });
      expect(PostgresAuditLogging(mysql)).toBe(NagRuleCompliance.NOT_APPLICABLE);
    });
  });
});
