import { Stack, Tags } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { backupCoverage } from '../../../../lib/compliance/evidence/inventory/backup-coverage';
import { TemplateIndex } from '../../../../lib/compliance/evidence/inventory/template-index';
import { fixtureStack, pathApp, synthStacks } from '../../../support/inventory-stacks';

describe('backup coverage from a real synth', () => {
  const app = pathApp();
  const env = { account: '123456789012', region: 'us-east-1' };
  const stack = new Stack(app, 'Data', { env });
  const byArn = new s3.Bucket(stack, 'ByArn');
  const byTag = new s3.Bucket(stack, 'ByTag');
  Tags.of(byTag).add('Backup', 'phi');
  new s3.Bucket(stack, 'NotSelected');
  const plan = backup.BackupPlan.daily35DayRetention(stack, 'Plan');
  plan.addSelection('Selection', {
    resources: [backup.BackupResource.fromArn(byArn.bucketArn), backup.BackupResource.fromTag('Backup', 'phi')],
    allowRestores: false,
  });
  // Same tag, other region: a plan backs up its own region only.
  const replica = new Stack(app, 'Replica', { env: { ...env, region: 'us-west-2' } });
  Tags.of(new s3.Bucket(replica, 'Elsewhere')).add('Backup', 'phi');

  const index = new TemplateIndex(synthStacks(app));
  const coverage = backupCoverage(index);
  const bucket = (stackPath: string, id: string) =>
    coverage.get(
      index
        .ofType('AWS::S3::Bucket')
        .find((b) => b.stack.stackPath === stackPath && b.constructPath?.includes(`/${id}/`))!.key,
    )!;

  test('V2 a resource named in the selection Resources is covered by ARN, with the plan rules', () => {
    const c = bucket('Data', 'ByArn');
    expect(c.covered).toBe(true);
    expect(c.assignments).toEqual([
      expect.objectContaining({
        via: 'arn',
        plan: expect.stringMatching(/^Data\/Plan/),
        rules: [expect.stringMatching(/^Daily: 35 days to PlanVault/)],
      }),
    ]);
  });

  test('V2 a resource whose tags match ListOfTags is covered by tag', () => {
    const c = bucket('Data', 'ByTag');
    expect(c.covered).toBe(true);
    expect(c.assignments).toEqual([expect.objectContaining({ via: 'tag', detail: 'ListOfTags Backup=phi' })]);
  });

  test('V2 a resource neither named nor tagged is not covered', () => {
    expect(bucket('Data', 'NotSelected')).toEqual({ supported: true, covered: false, assignments: [], notes: [] });
  });

  test('V2 a matching tag in another region is not coverage, and says why', () => {
    const c = bucket('Replica', 'Elsewhere');
    expect(c.covered).toBe(false);
    expect(c.notes).toEqual([expect.stringContaining('the resource is in 123456789012/us-west-2: not covered')]);
  });
});

describe('selection semantics (AWS Backup BackupSelection)', () => {
  const tagged = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
  const stack = fixtureStack('App/S', {
    Resources: {
      Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanRule: [] } } },
      A: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: 'a-bucket', Tags: tagged({ Backup: 'yes', Env: 'prod' }) },
      },
      B: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: 'b-bucket', Tags: tagged({ Backup: 'yes', Env: 'dev' }) },
      },
      C: {
        Type: 'AWS::S3::Bucket',
        Properties: { BucketName: 'c-bucket', Tags: tagged({ Backup: 'yes', Env: 'prod' }) },
      },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { Tags: tagged({ Backup: 'yes', Env: 'prod' }) } },
      Sel: {
        Type: 'AWS::Backup::BackupSelection',
        Properties: {
          BackupPlanId: { Ref: 'Plan' },
          BackupSelection: {
            SelectionName: 's',
            IamRoleArn: 'arn:aws:iam::123456789012:role/backup',
            Resources: ['arn:aws:s3:::*'],
            NotResources: ['arn:aws:s3:::c-bucket'],
            Conditions: {
              StringEquals: [{ ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'yes' }],
              StringLike: [{ ConditionKey: 'aws:ResourceTag/Env', ConditionValue: 'pro*' }],
            },
          },
        },
      },
    },
  });
  const index = new TemplateIndex([stack]);
  const c = backupCoverage(index);

  test('V2 Resources filtered by every Conditions entry (AND), minus NotResources; unsupported types never covered', () => {
    expect(c.get('App/S::A')?.covered).toBe(true);
    expect(c.get('App/S::A')?.assignments[0]?.detail).toBe(
      'Resources arn:aws:s3:::* AND Conditions Backup=yes AND Env~pro*',
    );
    expect(c.get('App/S::B')?.covered).toBe(false); // Env=dev fails StringLike pro*
    expect(c.get('App/S::C')?.covered).toBe(false); // excluded by NotResources
    expect(c.get('App/S::Logs')).toMatchObject({ supported: false, covered: false }); // AWS Backup cannot back up log groups
  });
});
