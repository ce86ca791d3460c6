import { App, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { PhiBucketKeepsVersions } from '../../../../lib/compliance/gate/rules/phi-bucket-keeps-versions';
import { phiBucket } from './phi-bucket-fixture';

/** The rule's findings on the fixture's PHI bucket after `edit` of its L1 (an escape hatch: what a hand edit does). */
function after(edit: (bucket: CfnBucket) => void) {
  const cfn = phiBucket().bucket.node.defaultChild as CfnBucket;
  edit(cfn);
  return PhiBucketKeepsVersions(cfn);
}
const RULE = 'LifecycleConfiguration.Rules.0';

describe('I2 project rule PhiBucketKeepsVersions', () => {
  test('I2 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === PhiBucketKeepsVersions)?.safeguards).toEqual(['I2']);
  });

  test('I2 passes on a PhiBucket (versioned, noncurrent versions kept 2192 days, colder storage), and on one without a lifecycle; other buckets are not its concern', () => {
    expect(after(() => undefined)).toBe(NagRuleCompliance.COMPLIANT);
    expect(after((b) => b.addPropertyDeletionOverride('LifecycleConfiguration'))).toBe(NagRuleCompliance.COMPLIANT);
    // A rule that is disabled expires nothing; removing expired delete markers and longer retention keep the data.
    expect(
      after((b) => {
        b.addPropertyOverride('LifecycleConfiguration.Rules.1', { Id: 'off', Status: 'Disabled', ExpirationInDays: 1 });
        b.addPropertyOverride('LifecycleConfiguration.Rules.2', {
          Id: 'markers',
          Status: 'Enabled',
          ExpiredObjectDeleteMarker: true,
          NoncurrentVersionExpiration: { NoncurrentDays: '3650', NewerNoncurrentVersions: 3 },
        });
      }),
    ).toBe(NagRuleCompliance.COMPLIANT);
    expect(PhiBucketKeepsVersions(new CfnBucket(new Stack(new App(), 'S'), 'B'))).toBe(
      NagRuleCompliance.NOT_APPLICABLE,
    );
  });

  test.each<[string, (b: CfnBucket) => void, string[]]>([
    [
      'versioning suspended (an overwrite destroys the earlier version)',
      (b) => b.addPropertyOverride('VersioningConfiguration.Status', 'Suspended'),
      ['VersioningConfiguration::Suspended'],
    ],
    [
      'versioning removed',
      (b) => b.addPropertyDeletionOverride('VersioningConfiguration'),
      ['VersioningConfiguration::absent'],
    ],
    [
      'versioning only deploy resolves',
      (b) => b.addPropertyOverride('VersioningConfiguration.Status', { Ref: 'Versioning' }),
      ['VersioningConfiguration::{"Ref":"Versioning"}'],
    ],
    [
      'current objects expiring after a year',
      (b) => b.addPropertyOverride(`${RULE}.ExpirationInDays`, 365),
      ['Rule[NoncurrentVersionsColderThenExpire].ExpirationInDays::current-objects-expire'],
    ],
    [
      'current objects expiring after ten years (no expiration of PHI by lifecycle at all)',
      (b) => b.addPropertyOverride(`${RULE}.ExpirationInDays`, 3650),
      ['Rule[NoncurrentVersionsColderThenExpire].ExpirationInDays::current-objects-expire'],
    ],
    [
      'current objects expiring on a date, in a second rule with no Status literal',
      (b) =>
        b.addPropertyOverride('LifecycleConfiguration.Rules.1', {
          Id: 'purge',
          Status: { Ref: 'PurgeStatus' },
          ExpirationDate: '2027-01-01T00:00:00Z',
        }),
      ['Rule[purge].ExpirationDate::current-objects-expire'],
    ],
    [
      'noncurrent versions expiring after a day',
      (b) => b.addPropertyOverride(`${RULE}.NoncurrentVersionExpiration.NoncurrentDays`, 1),
      ['Rule[NoncurrentVersionsColderThenExpire].NoncurrentVersionExpiration::1'],
    ],
    [
      'noncurrent versions expiring by the older spelling, set beside the newer',
      (b) => b.addPropertyOverride(`${RULE}.NoncurrentVersionExpirationInDays`, '30'),
      ['Rule[NoncurrentVersionsColderThenExpire].NoncurrentVersionExpirationInDays::30'],
    ],
    [
      'noncurrent expiration only deploy resolves',
      (b) => b.addPropertyOverride(`${RULE}.NoncurrentVersionExpiration.NoncurrentDays`, { Ref: 'Days' }),
      ['Rule[NoncurrentVersionsColderThenExpire].NoncurrentVersionExpiration::{"Ref":"Days"}'],
    ],
    [
      'a lifecycle rule only deploy resolves',
      (b) =>
        b.addPropertyOverride('LifecycleConfiguration.Rules.1', { 'Fn::If': ['Purge', { Status: 'Enabled' }, {}] }),
      ['Rule[1]::only-deploy-resolves'],
    ],
    [
      'the rule list only deploy resolves',
      (b) => b.addPropertyOverride('LifecycleConfiguration.Rules', { 'Fn::If': ['Purge', [], []] }),
      ['LifecycleConfiguration.Rules::only-deploy-resolves'],
    ],
  ])('I2 %s is a finding', (_name, edit, expected) => {
    expect(after(edit)).toEqual(expected);
  });

  test('I2 an unmarked bucket named like a PHI bucket is judged (the name makes it one)', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const named = new CfnBucket(stack, 'B', {
      bucketName: 'app-env-phi-data-123456789012-us-east-1',
      versioningConfiguration: { status: 'Enabled' },
      lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 30 }] },
    });
    expect(PhiBucketKeepsVersions(named)).toEqual(['Rule[0].ExpirationInDays::current-objects-expire']);
  });
});
