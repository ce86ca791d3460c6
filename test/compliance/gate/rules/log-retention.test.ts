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
});
