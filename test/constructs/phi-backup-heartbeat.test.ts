import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { BACKUP_HEARTBEAT_HOURS, PHI_BACKUP_TAG, PhiBackup } from '../../constructs/phi-backup';

describe('PhiBackup heartbeat', () => {
  it('I1 U6 an alarm fires when no backup job of the vault completed in 26 hours (missing data breaching)', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const topic = new Topic(stack, 'Topic');
    new PhiBackup(stack, 'Backup', {
      encryptionKey: new Key(stack, 'Key'),
      vaultName: 'app-env-phi-vault',
      resourceArns: ['arn:aws:s3:::app-env-phi-data-123456789012-us-east-1'],
      tag: PHI_BACKUP_TAG,
      dailyRetentionDays: 35,
      monthlyRetentionDays: 365,
      vaultMinRetentionDays: 35,
      immutableLock: true,
      alarmAction: new SnsAction(topic),
    });
    expect(BACKUP_HEARTBEAT_HOURS).toBe(26);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Backup',
      MetricName: 'NumberOfBackupJobsCompleted',
      Dimensions: [
        {
          Name: 'BackupVaultName',
          Value: { 'Fn::GetAtt': ['BackupVaultADF21B19', 'BackupVaultName'] },
        },
      ],
      Period: 26 * 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Statistic: 'Sum',
      AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as never) }],
    });
  });
});
