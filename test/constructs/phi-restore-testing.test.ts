import { Template } from 'aws-cdk-lib/assertions';
import { BackupVault } from 'aws-cdk-lib/aws-backup';
import { SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { Role } from 'aws-cdk-lib/aws-iam';
import { PhiRestoreTesting, PhiRestoreTestingProps } from '../../constructs/phi-restore-testing';
import { fixtureStack, importedKey, importedVpc, KEY_ARN } from '../support/construct-fixtures';

const DB = 'arn:aws:rds:us-east-1:123456789012:db:app-prod-phi-db';
const BUCKET = 'arn:aws:s3:::app-prod-phi-data-123456789012-us-east-1';

function build(overrides: Partial<PhiRestoreTestingProps> = {}): Template {
  const s = fixtureStack();
  const vpc = importedVpc(s);
  new PhiRestoreTesting(s, 'RestoreTesting', {
    planName: 'app_prod_phi_restore_test',
    vault: BackupVault.fromBackupVaultName(s, 'Vault', 'app-prod-phi-vault-abc'),
    role: Role.fromRoleName(s, 'Role', 'app-prod-phi-backup'),
    databaseArn: DB,
    databaseIsCluster: false,
    bucketArn: BUCKET,
    vpc,
    subnets: { subnets: vpc.isolatedSubnets },
    securityGroup: SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-0123456789abcdef0'),
    phiKey: importedKey(s),
    ...overrides,
  });
  return Template.fromStack(s);
}

const template = build();
const selection = (type: string) =>
  Object.values(template.findResources('AWS::Backup::RestoreTestingSelection')).find(
    (r) => r.Properties.ProtectedResourceType === type,
  )!;

describe('PhiRestoreTesting', () => {
  it('I1 a weekly restore testing plan picks the latest recovery point of the PHI vault', () => {
    template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RestoreTestingPlanName: 'app_prod_phi_restore_test',
      ScheduleExpression: 'cron(0 7 ? * SUN *)',
      StartWindowHours: 24,
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        SelectionWindowDays: 7,
        IncludeVaults: ['arn:aws:backup:us-east-1:123456789012:backup-vault:app-prod-phi-vault-abc'],
      },
    });
  });

  it('I1 N1 the database is restored into the data tier subnets, with a security group that admits nothing, never public', () => {
    const db = selection('RDS');
    expect(db.Properties.ProtectedResourceArns).toEqual([DB]);
    expect(db.Properties.ValidationWindowHours).toBe(24);
    expect(JSON.stringify(db.Properties.IamRoleArn)).toContain(':role/app-prod-phi-backup');
    const overrides = db.Properties.RestoreMetadataOverrides;
    expect(overrides.publiclyaccessible).toBe('false');
    expect(overrides.dbsubnetgroupname).toEqual({ Ref: expect.stringMatching(/^RestoreTestingSubnetGroup/) });
    expect(JSON.stringify(overrides.vpcsecuritygroupids)).toContain('sg-0123456789abcdef0');
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: ['subnet-0a0000000000000a1', 'subnet-0a0000000000000a2'],
    });
  });

  it('I1 E1 the bucket is restored encrypted with the PHI key (SSE-KMS)', () => {
    const bucket = selection('S3');
    expect(bucket.Properties.ProtectedResourceArns).toEqual([BUCKET]);
    expect(bucket.Properties.RestoreMetadataOverrides).toEqual({ encryptiontype: 'SSE-KMS', kmskey: KEY_ARN });
  });

  it('I1 an Aurora cluster is restore-tested as Aurora', () => {
    const aurora = build({ databaseIsCluster: true });
    aurora.hasResourceProperties('AWS::Backup::RestoreTestingSelection', { ProtectedResourceType: 'Aurora' });
  });

  it.each<[Partial<PhiRestoreTestingProps>, RegExp]>([
    [{ planName: 'app-prod' }, /planName = 'app-prod': must be 1-50 letters, digits and underscores/],
    [{ validationWindowHours: 200 }, /validationWindowHours = 200: must be a whole number of hours from 1 to 168/],
    [{ selectionWindowDays: 0 }, /selectionWindowDays = 0: must be a whole number of days from 1 to 365/],
  ])('I1 bad props are refused with the field, value and rule: %j', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});
