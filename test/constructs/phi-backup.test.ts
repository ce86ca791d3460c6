import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { PHI_BACKUP_TAG, PhiBackup, PhiBackupProps } from '../../constructs/phi-backup';

function build(overrides: Partial<PhiBackupProps> = {}): Stack {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  new PhiBackup(stack, 'Backup', {
    encryptionKey: new Key(stack, 'Key'),
    vaultName: 'app-env-phi-vault',
    resourceArns: ['arn:aws:s3:::app-env-phi-data-123456789012-us-east-1'],
    tag: PHI_BACKUP_TAG,
    dailyRetentionDays: 35,
    monthlyRetentionDays: 365,
    vaultMinRetentionDays: 35,
    immutableLock: true,
    alarmAction: new SnsAction(new Topic(stack, 'Topic')),
    ...overrides,
  });
  return stack;
}

describe('PhiBackup', () => {
  it('I1 an immutable lock gets a 3-day grace period; the vault is retained', () => {
    Template.fromStack(build()).hasResource('AWS::Backup::BackupVault', {
      Properties: {
        BackupVaultName: 'app-env-phi-vault',
        LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('I1 the backup role is trusted by AWS Backup for this account only', () => {
    Template.fromStack(build()).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'backup.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  it.each([
    [{ dailyRetentionDays: 14 }, /dailyRetentionDays = 14: must be 35/],
    [{ monthlyRetentionDays: 90 }, /monthlyRetentionDays = 90: must be at least 365/],
    [{ vaultMinRetentionDays: 60 }, /vaultMinRetentionDays = 60: must be 35 to 35/],
    [{ resourceArns: [] }, /resourceArns = \[\]: must name at least one PHI store/],
  ])('rejects %p', (overrides, message) => {
    expect(() => build(overrides as Partial<PhiBackupProps>)).toThrow(message);
  });
});

describe('PhiBackup copies', () => {
  const DESTINATION = 'arn:aws:backup:us-west-2:123456789012:backup-vault:app-env-phi-vault-replica';
  const AIRGAP = 'arn:aws:backup:us-east-2:111122223333:backup-vault:airgap';

  it('I1 every rule copies each recovery point to every destination vault, kept as long as the rule keeps it', () => {
    const rules = Template.fromStack(build({ copyDestinationVaultArns: [DESTINATION, AIRGAP] })).findResources(
      'AWS::Backup::BackupPlan',
    );
    const planRules = Object.values(rules)[0]!.Properties.BackupPlan.BackupPlanRule as Array<{
      RuleName: string;
      CopyActions: unknown;
    }>;
    expect(planRules.map((r) => [r.RuleName, r.CopyActions])).toEqual([
      [
        'DailyContinuous',
        [
          { DestinationBackupVaultArn: DESTINATION, Lifecycle: { DeleteAfterDays: 35 } },
          { DestinationBackupVaultArn: AIRGAP, Lifecycle: { DeleteAfterDays: 35 } },
        ],
      ],
      [
        'Monthly',
        [
          { DestinationBackupVaultArn: DESTINATION, Lifecycle: { DeleteAfterDays: 365 } },
          { DestinationBackupVaultArn: AIRGAP, Lifecycle: { DeleteAfterDays: 365 } },
        ],
      ],
    ]);
  });

  it('I1 without destinations no copy action is rendered', () => {
    const plan = Object.values(Template.fromStack(build()).findResources('AWS::Backup::BackupPlan'))[0]!;
    for (const rule of plan.Properties.BackupPlan.BackupPlanRule) expect(rule.CopyActions).toBeUndefined();
  });
});
