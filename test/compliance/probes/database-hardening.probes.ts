import { one, Probe, Templates } from './probe';

const db = (t: Templates) => one(t, 'data', 'AWS::RDS::DBInstance')[1];
const parameters = (t: Templates) => one(t, 'data', 'AWS::RDS::DBParameterGroup')[1];

/** The PHI database's hardening: its parameter group read in every form, TLS floor, exports, backups, password, ingress. */
export const PROBES: readonly Probe[] = [
  {
    name: 'U1 U4 the parameter group Family joined from literals, then pgaudit dropped and every statement logged',
    safeguards: ['U1', 'U4'],
    mutate: (t) => {
      const p = parameters(t).Properties;
      p.Family = { 'Fn::Join': ['', ['postgres', '16']] };
      p.Parameters.shared_preload_libraries = 'pg_stat_statements';
      delete p.Parameters['pgaudit.log'];
      p.Parameters.log_statement = 'all';
    },
    caughtBy: /PostgresAuditLogging\[log_statement::all\]/,
  },
  {
    // The attacker review of 2026-12-03: PostgreSQL then writes no LOG line, pgaudit's and the connections' included.
    name: 'U1 the server keeps only PANIC messages (log_min_messages panic): no audit or connection line',
    safeguards: ['U1'],
    mutate: (t) => (parameters(t).Properties.Parameters.log_min_messages = 'panic'),
    caughtBy: /PostgresAuditLogging\[log_min_messages::panic\]/,
  },
  {
    // The second review of 2026-12-03: at DEBUG2 every extended-protocol statement's text is logged.
    name: 'U4 the server logging DEBUG2 messages (log_min_messages debug2): statement text in the logs',
    safeguards: ['U4'],
    mutate: (t) => (parameters(t).Properties.Parameters.log_min_messages = 'debug2'),
    caughtBy: /PostgresAuditLogging\[log_min_messages::debug2\]/,
  },
  {
    name: 'U4 auto_explain loaded to explain every statement (its text, and on PostgreSQL 16 its parameters, logged)',
    safeguards: ['U4'],
    mutate: (t) => {
      const p = parameters(t).Properties.Parameters;
      p.shared_preload_libraries = `${p.shared_preload_libraries},auto_explain`;
      p['auto_explain.log_min_duration'] = '0';
    },
    caughtBy: /PostgresAuditLogging\[auto_explain\.log_min_duration::0\]/,
  },
  {
    name: 'E3 the database accepts TLS 1.0 (ssl_min_protocol_version TLSv1, rds.force_ssl kept)',
    safeguards: ['E3'],
    mutate: (t) => (parameters(t).Properties.Parameters.ssl_min_protocol_version = 'TLSv1'),
    caughtBy: /RdsForceSsl\[ssl_min_protocol_version::TLSv1\]/,
  },
  {
    name: 'U3 E2 U4 the RDS export log groups renamed: RDS creates its own, unencrypted, unretained and unmasked',
    safeguards: ['U3', 'E2', 'U4'],
    mutate: (t) => {
      for (const [, group] of Object.entries(t.data!.Resources)) {
        const name = group.Properties?.LogGroupName;
        if (group.Type === 'AWS::Logs::LogGroup' && typeof name === 'string' && name.startsWith('/aws/rds/instance/'))
          group.Properties.LogGroupName = name.replace(/\/aws\/rds\/instance\/[^/]+\//, '/aws/rds/instance/other-db/');
      }
    },
    caughtBy: /RdsExportLogGroupsPresent\[postgresql::no-log-group\]/,
  },
  {
    name: 'I1 point-in-time recovery of the PHI database cut to 1 day',
    safeguards: ['I1'],
    mutate: (t) => (db(t).Properties.BackupRetentionPeriod = 1),
    caughtBy: /PhiDatabaseRecoverable\[BackupRetentionPeriod::1\]/,
  },
  {
    name: 'I1 I2 the automated backups deleted with the PHI database instance',
    safeguards: ['I1', 'I2'],
    mutate: (t) => (db(t).Properties.DeleteAutomatedBackups = true),
    caughtBy: /PhiDatabaseRecoverable\[DeleteAutomatedBackups::true\]/,
  },
  {
    name: 'E2 A1 the RDS-managed master secret replaced by a literal password in the template',
    safeguards: ['E2', 'A1'],
    mutate: (t) => {
      const p = db(t).Properties;
      delete p.ManageMasterUserPassword;
      delete p.MasterUserSecret;
      p.MasterUserPassword = 'Sup3rSecretPassw0rd!';
    },
    caughtBy: /StoreCustomerManagedKey\[MasterUserPassword::literal\]/,
  },
  {
    name: "N2 the database admits a literal CIDR instead of the application tier's security group",
    safeguards: ['N2'],
    mutate: (t) => {
      const groupIds = (db(t).Properties.VPCSecurityGroups as unknown[]).map((g) => JSON.stringify(g));
      const [, ingress] = one(t, 'data', 'AWS::EC2::SecurityGroupIngress', (r) =>
        groupIds.includes(JSON.stringify(r.Properties.GroupId)),
      );
      delete ingress.Properties.SourceSecurityGroupId;
      ingress.Properties.CidrIp = '10.30.0.0/16';
    },
    caughtBy: /PhiDatabaseIngressFromGroups\[SecurityGroupIngress::CidrIp\]/,
  },
];
