import { CfnResource } from 'aws-cdk-lib';
import { CfnRestoreTestingPlan, CfnRestoreTestingSelection } from 'aws-cdk-lib/aws-backup';
import { CfnRegistryScanningConfiguration } from 'aws-cdk-lib/aws-ecr';
import { CfnMalwareProtectionPlan } from 'aws-cdk-lib/aws-guardduty';
import { safeguardsForResource } from '../../../lib/compliance/catalogue/safeguards';
import { fixtureStack } from '../../support/construct-fixtures';

const stack = fixtureStack();
const plan = (id: string, scheduleExpression: string) =>
  new CfnRestoreTestingPlan(stack, id, {
    restoreTestingPlanName: id,
    scheduleExpression,
    recoveryPointSelection: {
      algorithm: 'LATEST_WITHIN_WINDOW',
      includeVaults: ['v'],
      recoveryPointTypes: ['SNAPSHOT'],
    },
  });
const scanning = (id: string, scanType: string) =>
  new CfnRegistryScanningConfiguration(stack, id, {
    scanType,
    rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }],
  });

describe('control matrix evidence of issue 15', () => {
  it.each<[string, CfnResource, string[]]>([
    ['a scheduled restore testing plan', plan('Scheduled', 'cron(0 7 ? * SUN *)'), ['I1']],
    ['a restore testing plan without a schedule', plan('Unscheduled', ''), []],
    [
      'a restore testing selection',
      new CfnRestoreTestingSelection(stack, 'Selection', {
        restoreTestingPlanName: 'p',
        restoreTestingSelectionName: 's',
        protectedResourceType: 'RDS',
        iamRoleArn: 'arn:aws:iam::123456789012:role/r',
      }),
      ['I1'],
    ],
    ['enhanced registry scanning', scanning('Enhanced', 'ENHANCED'), ['D2']],
    ['basic registry scanning', scanning('Basic', 'BASIC'), []],
    [
      'a malware protection plan',
      new CfnMalwareProtectionPlan(stack, 'Malware', {
        role: 'arn:aws:iam::123456789012:role/r',
        protectedResource: { s3Bucket: { bucketName: 'b' } },
      }),
      ['D2'],
    ],
  ])('I1 D2 the control matrix maps %s to its safeguards', (_name, resource, expected) => {
    expect(safeguardsForResource(resource).filter((s) => s !== 'I2')).toEqual(expected);
  });
});
