import { App, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { PhiBucketListingsStayInside } from '../../../../lib/compliance/gate/rules/phi-bucket-listings-stay-inside';
import { phiBucket } from './phi-bucket-fixture';

/** The rule's findings on the fixture's PHI bucket after `edit` of its L1 (an escape hatch: what a hand edit does). */
function after(edit: (bucket: CfnBucket) => void) {
  const cfn = phiBucket().bucket.node.defaultChild as CfnBucket;
  edit(cfn);
  return PhiBucketListingsStayInside(cfn);
}

const ELSEWHERE = 'arn:aws:sqs:us-east-1:999999999999:collector';

describe('PhiBucketListingsStayInside', () => {
  test('E1 A3 I1 D2 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === PhiBucketListingsStayInside)?.safeguards).toEqual([
      'E1',
      'A3',
      'I1',
      'D2',
    ]);
  });

  test('E1 A3 I1 D2 passes on a PhiBucket (EventBridge on, nothing else), does not apply to other buckets', () => {
    expect(after(() => undefined)).toBe(NagRuleCompliance.COMPLIANT);
    expect(PhiBucketListingsStayInside(new CfnBucket(new Stack(new App(), 'S'), 'B'))).toBe(
      NagRuleCompliance.NOT_APPLICABLE,
    );
  });

  test("E1 A3 fires on an inventory, a notification to a queue, topic or function, or S3 Metadata tables (the bucket's keys sent elsewhere)", () => {
    const inventory = {
      Id: 'daily',
      Enabled: true,
      IncludedObjectVersions: 'All',
      ScheduleFrequency: 'Daily',
      Destination: { BucketArn: 'arn:aws:s3:::external-collector', BucketAccountId: '999999999999', Format: 'CSV' },
    };
    expect(after((b) => b.addPropertyOverride('InventoryConfigurations', [inventory]))).toEqual([
      'Inventory::configured',
    ]);
    expect(
      after((b) =>
        b.addPropertyOverride('NotificationConfiguration.QueueConfigurations', [
          { Event: 's3:ObjectCreated:*', Queue: ELSEWHERE },
        ]),
      ),
    ).toEqual(['Notifications::QueueConfigurations']);
    expect(
      after((b) =>
        b.addPropertyOverride('NotificationConfiguration.TopicConfigurations', [
          { Event: 's3:ObjectCreated:*', Topic: 'arn:aws:sns:us-east-1:999999999999:t' },
        ]),
      ),
    ).toEqual(['Notifications::TopicConfigurations']);
    expect(
      after((b) =>
        b.addPropertyOverride('NotificationConfiguration.LambdaConfigurations', [
          { Event: 's3:ObjectCreated:*', Function: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
        ]),
      ),
    ).toEqual(['Notifications::LambdaConfigurations']);
    expect(
      after((b) =>
        b.addPropertyOverride('MetadataConfiguration', {
          JournalTableConfiguration: { RecordExpiration: { Expiration: 'DISABLED' } },
        }),
      ),
    ).toEqual(['Metadata::MetadataConfiguration']);
  });

  test('I1 D2 fires when EventBridge notifications are off, removed, or on only as a condition may decide', () => {
    expect(
      after((b) =>
        b.addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', false),
      ),
    ).toEqual(['Notifications::eventbridge-off']);
    expect(after((b) => b.addPropertyDeletionOverride('NotificationConfiguration'))).toEqual([
      'Notifications::eventbridge-off',
    ]);
    expect(
      after((b) =>
        b.addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', {
          'Fn::If': ['Quiet', false, true],
        }),
      ),
    ).toEqual(['Notifications::eventbridge-off']);
  });
});
