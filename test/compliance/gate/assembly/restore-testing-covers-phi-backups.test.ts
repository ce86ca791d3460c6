import { RestoreTestingCoversPhiBackups } from '../../../../lib/compliance/gate/assembly/restore-testing-covers-phi-backups';
import { asAssembly, findingsOf, fixtureTemplates, Mutable, PHI_BUCKET } from './assembly-fixture';

const data = (t: Record<string, Mutable>) => t.data.Resources;
const gsoOf = (stack: string, output: string) => ({ 'Fn::GetStackOutput': { StackName: stack, OutputName: output } });

/** The findings (id inside the brackets, description) after `mutate`. */
function findingsWithText(mutate: (t: Record<string, Mutable>) => void): { id: string; text: string }[] {
  const templates = fixtureTemplates();
  mutate(templates);
  return RestoreTestingCoversPhiBackups.check(asAssembly(templates), { phiBucketNames: [PHI_BUCKET] }).findings.map(
    (f) => ({ id: /\[(.*)\]$/.exec(f.ruleId)![1]!, text: f.description }),
  );
}

describe('RestoreTestingCoversPhiBackups', () => {
  test('I1 the database and the PHI bucket restored by a scheduled restore testing plan pass', () => {
    expect(findingsOf(RestoreTestingCoversPhiBackups)).toEqual([]);
    // The plan named by reference instead of by name.
    expect(
      findingsOf(RestoreTestingCoversPhiBackups, (t) => {
        data(t).RestoreDb.Properties.RestoreTestingPlanName = { Ref: 'RestorePlan' };
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the restore testing plan and its selections removed',
      (t) => {
        delete data(t).RestorePlan;
        delete data(t).RestoreDb;
        delete data(t).RestoreBucket;
      },
      ['[Db::no-restore-test] Db', '[PhiBucket::no-restore-test] PhiBucket'],
    ],
    ['the database selection removed', (t) => delete data(t).RestoreDb, ['[Db::no-restore-test] Db']],
    [
      'the bucket selection restoring another resource',
      (t) => (data(t).RestoreBucket.Properties.ProtectedResourceArns = ['arn:aws:s3:::somewhere-else']),
      ['[PhiBucket::no-restore-test] PhiBucket'],
    ],
    [
      'the database selection of the wrong type',
      (t) => (data(t).RestoreDb.Properties.ProtectedResourceType = 'EBS'),
      ['[Db::no-restore-test] Db'],
    ],
    [
      'the plan without a schedule',
      (t) => delete data(t).RestorePlan.Properties.ScheduleExpression,
      ['[Db::no-restore-test] Db', '[PhiBucket::no-restore-test] PhiBucket'],
    ],
    [
      'the plan picking from no vault',
      (t) => (data(t).RestorePlan.Properties.RecoveryPointSelection.IncludeVaults = []),
      ['[Db::no-restore-test] Db', '[PhiBucket::no-restore-test] PhiBucket'],
    ],
    [
      'a selection naming a plan that does not exist',
      (t) => (data(t).RestoreBucket.Properties.RestoreTestingPlanName = 'other_plan'),
      ['[PhiBucket::no-restore-test] PhiBucket'],
    ],
  ])('I1 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(RestoreTestingCoversPhiBackups, mutate)).toEqual(expected);
  });

  const overrides = (t: Record<string, Mutable>, id: 'RestoreDb' | 'RestoreBucket') =>
    data(t)[id].Properties.RestoreMetadataOverrides;
  test.each<[string, (t: Record<string, Mutable>) => void, string, RegExp]>([
    [
      'without overrides (AWS Backup would restore into the default VPC)',
      (t) => delete data(t).RestoreDb.Properties.RestoreMetadataOverrides,
      'RestoreDb',
      /dbsubnetgroupname = undefined.*vpcsecuritygroupids = undefined.*publiclyaccessible = undefined/,
    ],
    [
      'into a subnet group of other subnets',
      (t) => {
        data(t).OtherSubnets = {
          Type: 'AWS::RDS::DBSubnetGroup',
          Properties: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] },
        };
        overrides(t, 'RestoreDb').dbsubnetgroupname = { Ref: 'OtherSubnets' };
      },
      'RestoreDb',
      /dbsubnetgroupname = .*OtherSubnets.*the database's own subnets/,
    ],
    [
      'with a security group that admits inbound traffic (inline)',
      (t) =>
        (data(t).RestoreSg.Properties.SecurityGroupIngress = [{ IpProtocol: 'tcp', FromPort: 5433, ToPort: 5433 }]),
      'RestoreDb',
      /vpcsecuritygroupids names RestoreSg: a restore test copy's security groups admit no inbound traffic/,
    ],
    [
      'with a security group that admits inbound traffic (separate rule)',
      (t) => {
        data(t).RestoreSgIn = {
          Type: 'AWS::EC2::SecurityGroupIngress',
          Properties: { GroupId: { 'Fn::GetAtt': ['RestoreSg', 'GroupId'] }, IpProtocol: '-1', CidrIp: '10.0.0.0/8' },
        };
      },
      'RestoreDb',
      /vpcsecuritygroupids names RestoreSg/,
    ],
    [
      'with a literal security group id',
      (t) => (overrides(t, 'RestoreDb').vpcsecuritygroupids = '["sg-0123456789abcdef0"]'),
      'RestoreDb',
      /vpcsecuritygroupids = .*must reference security groups of the stack/,
    ],
    [
      'publicly accessible',
      (t) => {
        // Keys are not case sensitive: the upper-case key is read.
        delete overrides(t, 'RestoreDb').publiclyaccessible;
        overrides(t, 'RestoreDb').PubliclyAccessible = 'true';
      },
      'RestoreDb',
      /publiclyaccessible = "true": must be false/,
    ],
    [
      'restoring the bucket with SSE-S3',
      (t) => {
        overrides(t, 'RestoreBucket').encryptiontype = 'SSE-S3';
        delete overrides(t, 'RestoreBucket').kmskey;
      },
      'RestoreBucket',
      /encryptiontype = "SSE-S3": must be SSE-KMS.*kmskey resolves to undefined/,
    ],
    [
      'restoring the bucket under another key',
      (t) => (overrides(t, 'RestoreBucket').kmskey = gsoOf('app-prod-keys', 'BackupKeyArn')),
      'RestoreBucket',
      /kmskey resolves to app-prod-keys\/BackupKey.*must be the bucket's own key \(app-prod-keys\/PhiKey/,
    ],
  ])('I1 a restore test %s is a finding on its selection', (_name, mutate, selection, message) => {
    const found = findingsWithText(mutate);
    expect(found.map((f) => f.id)).toEqual([`${selection}::restore-overrides`]);
    expect(found[0]!.text).toMatch(message);
  });

  test('I1 a store that is not backed up by ARN, or not a PHI store, needs no restore test', () => {
    expect(
      findingsOf(RestoreTestingCoversPhiBackups, (t) => {
        delete data(t).RestoreDb;
        data(t).Selection.Properties.BackupSelection.Resources = [{ 'Fn::GetAtt': ['PhiBucket', 'Arn'] }];
      }),
    ).toEqual([]);
  });
});
