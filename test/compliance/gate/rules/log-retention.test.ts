import { CfnDeletionPolicy } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { EncryptedLogGroup } from '../../../../constructs/encrypted-log-group';
import { projectFindings as findings } from '../../../support/rule-fixtures';
import { testConfig } from '../../../support/blueprint';

const retention = testConfig().retention;

describe('project rule LogGroupSixYearRetention (U3)', () => {
  it('passes on an EncryptedLogGroup', () => {
    expect(
      findings(
        (s) =>
          new EncryptedLogGroup(s, 'Good', { encryptionKey: new Key(s, 'K', { enableKeyRotation: true }), retention }),
      ),
    ).not.toContainEqual(expect.stringMatching(/LogGroupSixYearRetention/));
  });

  it('fires on 365 days, on no retention, and on a deletable log group', () => {
    expect(
      findings((s) => {
        const short = new CfnLogGroup(s, 'Short', { retentionInDays: 365 });
        short.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
        short.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
        new CfnLogGroup(s, 'NoRetention', {});
      }),
    ).toEqual(
      expect.arrayContaining([
        'Blueprint-LogGroupSixYearRetention[RetentionInDays::365]',
        'Blueprint-LogGroupSixYearRetention[RetentionInDays::none]',
        'Blueprint-LogGroupSixYearRetention[DeletionPolicy::not-Retain]',
        'Blueprint-LogGroupSixYearRetention[UpdateReplacePolicy::not-Retain]',
      ]),
    );
  });

  it('fires on a log group of the Delivery or Infrequent Access class (one day kept; no metric filters)', () => {
    // The attacker review of 2026-12-04, third round: RetentionInDays read 2192 on a Delivery-class group.
    const found = findings((s) => {
      for (const [id, logGroupClass] of [
        ['Delivery', 'DELIVERY'],
        ['Infrequent', 'INFREQUENT_ACCESS'],
        ['Standard', 'STANDARD'],
      ]) {
        const group = new CfnLogGroup(s, id!, { retentionInDays: 2192, logGroupClass });
        group.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
        group.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
      }
    }).filter((f) => f.includes('LogGroupClass'));
    expect(found.sort()).toEqual([
      'Blueprint-LogGroupSixYearRetention[LogGroupClass::DELIVERY]',
      'Blueprint-LogGroupSixYearRetention[LogGroupClass::INFREQUENT_ACCESS]',
    ]);
  });
});
