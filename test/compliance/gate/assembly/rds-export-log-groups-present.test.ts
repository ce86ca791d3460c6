import { RdsExportLogGroupsPresent } from '../../../../lib/compliance/gate/assembly/rds-export-log-groups-present';
import { findingsOf, Mutable } from './assembly-fixture';

/** The fixture's database exporting its logs, as PhiDatabase ships it: an identifier and a log group per export. */
function exporting(t: Record<string, Mutable>): void {
  Object.assign(t.data.Resources.Db.Properties, {
    DBInstanceIdentifier: 'app-prod-phi-db',
    EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
  });
  for (const type of ['postgresql', 'upgrade'])
    t.data.Resources[`DbLogs${type}`] = {
      Type: 'AWS::Logs::LogGroup',
      Properties: { LogGroupName: `/aws/rds/instance/app-prod-phi-db/${type}`, RetentionInDays: 2192 },
    };
}
const check = (mutate: (t: Record<string, Mutable>) => void = () => undefined): string[] =>
  findingsOf(RdsExportLogGroupsPresent, (t) => {
    exporting(t);
    mutate(t);
  });

describe('RdsExportLogGroupsPresent', () => {
  test('U3 E2 U4 a log group for every export, named as RDS names it, passes (also in another stack, or joined)', () => {
    expect(check()).toEqual([]);
    expect(
      check((t) => {
        t.audit.Resources.DbLogsupgrade = t.data.Resources.DbLogsupgrade;
        delete t.data.Resources.DbLogsupgrade;
        t.data.Resources.DbLogspostgresql.Properties.LogGroupName = {
          'Fn::Join': ['/', ['/aws/rds/instance', 'app-prod-phi-db', 'postgresql']],
        };
        t.data.Resources.Db.Properties.DBInstanceIdentifier = 'APP-PROD-PHI-DB';
      }),
    ).toEqual([]);
    // A database exporting nothing needs no group.
    expect(findingsOf(RdsExportLogGroupsPresent)).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the log groups renamed to another identifier',
      (t) => {
        for (const type of ['postgresql', 'upgrade'])
          t.data.Resources[`DbLogs${type}`].Properties.LogGroupName = `/aws/rds/instance/app-prod-phi-database/${type}`;
      },
      ['[postgresql::no-log-group] Db', '[upgrade::no-log-group] Db'],
    ],
    ['one log group removed', (t) => delete t.data.Resources.DbLogsupgrade, ['[upgrade::no-log-group] Db']],
    [
      'the identifier changed, the groups not',
      (t) => (t.data.Resources.Db.Properties.DBInstanceIdentifier = 'app-prod-phi-db-2'),
      ['[postgresql::no-log-group] Db', '[upgrade::no-log-group] Db'],
    ],
    [
      'a log group in another region',
      (t) => {
        t.phiReplica.Resources.DbLogsupgrade = t.data.Resources.DbLogsupgrade;
        delete t.data.Resources.DbLogsupgrade;
      },
      ['[upgrade::no-log-group] Db'],
    ],
    [
      'a log group named by a condition with another branch',
      (t) =>
        (t.data.Resources.DbLogsupgrade.Properties.LogGroupName = {
          'Fn::If': ['C', '/aws/rds/instance/app-prod-phi-db/upgrade', '/aws/rds/instance/x/upgrade'],
        }),
      ['[upgrade::no-log-group] Db'],
    ],
    [
      'the identifier absent (CloudFormation generates one)',
      (t) => delete t.data.Resources.Db.Properties.DBInstanceIdentifier,
      ['[DBInstanceIdentifier::generated] Db'],
    ],
    [
      'the identifier from the stack name',
      (t) => (t.data.Resources.Db.Properties.DBInstanceIdentifier = { 'Fn::Sub': '${AWS::StackName}-db' }),
      ['[DBInstanceIdentifier::unresolved] Db'],
    ],
    [
      'an export list only deploy resolves',
      (t) => (t.data.Resources.Db.Properties.EnableCloudwatchLogsExports = { 'Fn::Split': [',', { Ref: 'Exports' }] }),
      ['[EnableCloudwatchLogsExports::unresolved] Db'],
    ],
    [
      'an Aurora cluster whose group is named for an instance',
      (t) => {
        const db = t.data.Resources.Db;
        db.Type = 'AWS::RDS::DBCluster';
        db.Properties.DBClusterIdentifier = db.Properties.DBInstanceIdentifier;
        db.Properties.EnableCloudwatchLogsExports = ['postgresql'];
      },
      ['[postgresql::no-log-group] Db'],
    ],
  ])('U3 E2 U4 %s is a finding', (_name, mutate, expected) => {
    expect(check(mutate)).toEqual(expected);
  });
});
