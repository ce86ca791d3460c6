import { FindingsArchivePresent } from '../../../../lib/compliance/gate/assembly/findings-archive-present';
import { findingsOf, Mutable } from './assembly-fixture';

const audit = (t: Record<string, Mutable>) => t.audit.Resources;
const det = (t: Record<string, Mutable>) => t.detection.Resources;
const bucket = (t: Record<string, Mutable>) => audit(t).FindingsArchive.Properties;
const retention = (t: Record<string, Mutable>) => bucket(t).ObjectLockConfiguration.Rule.DefaultRetention;
const stream = (t: Record<string, Mutable>) => audit(t).FindingsStream.Properties;
const declare = (t: Record<string, Mutable>, extra: Mutable) =>
  Object.assign(t.detection.Metadata.HipaaBlueprint.detection, extra);
const denies = (t: Record<string, Mutable>) => audit(t).FindingsArchivePolicy.Properties.PolicyDocument.Statement;

describe('FindingsArchivePresent', () => {
  test('D2 the archive bucket, the GuardDuty publishing destination and the Security Hub export pass', () => {
    expect(findingsOf(FindingsArchivePresent)).toEqual([]);
  });

  test('D2 declared off with who archives findings needs none of it; off without anyone named is a finding', () => {
    const removeAll = (t: Record<string, Mutable>) => {
      for (const id of ['FindingsArchive', 'FindingsArchivePolicy', 'FindingsStream', 'SecurityHubFindings']) {
        delete audit(t)[id];
      }
      delete det(t).FindingsExport;
    };
    expect(
      findingsOf(FindingsArchivePresent, (t) => {
        removeAll(t);
        declare(t, { findingsArchive: false, providedBy: 'the organization log archive account' });
      }),
    ).toEqual([]);
    expect(
      findingsOf(FindingsArchivePresent, (t) => {
        removeAll(t);
        declare(t, { findingsArchive: false });
      }),
    ).toEqual(['[FindingsArchive::off-no-provider] (template)']);
  });

  test('D2 GuardDuty declared off (provided elsewhere) needs no publishing destination; the Security Hub export stays', () => {
    expect(
      findingsOf(FindingsArchivePresent, (t) => {
        delete det(t).Detector;
        delete det(t).FindingsExport;
        declare(t, { services: { ...t.detection.Metadata.HipaaBlueprint.detection.services, guardDuty: false } });
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the publishing destination removed',
      (t) => delete det(t).FindingsExport,
      ['[GuardDuty::no-publishing-destination] Detector'],
    ],
    [
      'the publishing destination of another detector',
      (t) => (det(t).FindingsExport.Properties.DetectorId = 'abcdef0123456789'),
      ['[GuardDuty::no-publishing-destination] Detector'],
    ],
    [
      'the publishing destination into a bucket outside the assembly',
      (t) => (det(t).FindingsExport.Properties.DestinationProperties.DestinationArn = 'arn:aws:s3:::elsewhere'),
      ['[GuardDuty::destination-outside-assembly] FindingsExport'],
    ],
    [
      'the publishing destination into a folder of the archive (GuardDuty requires the folder object, which nobody may write)',
      (t) => {
        const props = det(t).FindingsExport.Properties.DestinationProperties;
        props.DestinationArn = { 'Fn::Join': ['', [props.DestinationArn, '/guardduty/']] };
      },
      ['[GuardDuty::destination-folder] FindingsExport'],
    ],
    [
      'the publishing destination under another key',
      (t) =>
        (det(t).FindingsExport.Properties.DestinationProperties.KmsKeyArn = {
          'Fn::GetStackOutput': { StackName: 'app-prod-keys', OutputName: 'PhiKeyArn' },
        }),
      ['[GuardDuty::destination-key-phi] FindingsExport'],
    ],
    [
      'the Security Hub rule removed',
      (t) => delete audit(t).SecurityHubFindings,
      ['[SecurityHub::no-export] (template)'],
    ],
    [
      'the Security Hub rule disabled',
      (t) => (audit(t).SecurityHubFindings.Properties.State = 'DISABLED'),
      ['[SecurityHub::no-export] (template)'],
    ],
    [
      'the Security Hub rule narrowed to critical findings',
      (t) =>
        (audit(t).SecurityHubFindings.Properties.EventPattern.detail = {
          findings: { Severity: { Label: ['CRITICAL'] } },
        }),
      ['[SecurityHub::no-export] (template)'],
    ],
    [
      'the Security Hub rule targeting something other than a stream',
      (t) => (audit(t).SecurityHubFindings.Properties.Targets[0].Arn = 'arn:aws:sns:us-east-1:123456789012:topic'),
      ['[SecurityHub::no-export] (template)'],
    ],
    [
      'the stream not encrypted',
      (t) => delete stream(t).DeliveryStreamEncryptionConfigurationInput,
      ['[Stream::encryption-none] FindingsStream'],
    ],
    [
      'the stream under the backup key',
      (t) =>
        (stream(t).DeliveryStreamEncryptionConfigurationInput.KeyARN = {
          'Fn::GetStackOutput': { StackName: 'app-prod-keys', OutputName: 'BackupKeyArn' },
        }),
      ['[Stream::encryption-backup] FindingsStream'],
    ],
    [
      'the delivery alarm removed',
      (t) => delete audit(t).FindingsDeliveryAlarm,
      ['[Stream::no-delivery-alarm] FindingsStream'],
    ],
    [
      'the delivery alarm without an action',
      (t) => (audit(t).FindingsDeliveryAlarm.Properties.AlarmActions = []),
      ['[Stream::no-delivery-alarm] FindingsStream'],
    ],
    [
      'no date prefix, no error prefix',
      (t) => {
        stream(t).ExtendedS3DestinationConfiguration.Prefix = 'securityhub/';
        delete stream(t).ExtendedS3DestinationConfiguration.ErrorOutputPrefix;
      },
      ['[Stream::no-date-prefix] FindingsStream', '[Stream::no-error-prefix] FindingsStream'],
    ],
    [
      'the stream delivering outside the assembly',
      (t) => (stream(t).ExtendedS3DestinationConfiguration.BucketARN = 'arn:aws:s3:::elsewhere'),
      ['[Stream::no-bucket] FindingsStream'],
    ],
    [
      'Object Lock off',
      (t) => {
        delete bucket(t).ObjectLockEnabled;
        delete bucket(t).ObjectLockConfiguration;
      },
      ['[Bucket::DefaultRetention::none] FindingsArchive', '[Bucket::ObjectLockEnabled::false] FindingsArchive'],
    ],
    [
      'GOVERNANCE mode where the marker does not allow it',
      (t) => (retention(t).Mode = 'GOVERNANCE'),
      ['[Bucket::DefaultRetention.Mode::GOVERNANCE] FindingsArchive'],
    ],
    ['retention under six years', (t) => (retention(t).Days = 90), ['[Bucket::DefaultRetention::90d] FindingsArchive']],
    [
      'versioning suspended',
      (t) => (bucket(t).VersioningConfiguration.Status = 'Suspended'),
      ['[Bucket::Versioning::not-Enabled] FindingsArchive'],
    ],
    [
      'SSE-S3 instead of the audit key',
      (t) =>
        (bucket(t).BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault = {
          SSEAlgorithm: 'AES256',
        }),
      ['[Bucket::Encryption::none] FindingsArchive'],
    ],
    [
      'the delete deny removed',
      (t) => denies(t).splice(0, 1),
      ['[Bucket::TamperDenies::s3:DeleteObject,s3:DeleteObjectVersion] FindingsArchive'],
    ],
    [
      'the retention deny made conditional',
      (t) => (denies(t)[1].Condition = { StringNotEquals: { 'aws:PrincipalAccount': '123456789012' } }),
      [
        '[Bucket::TamperDenies::s3:PutObjectRetention,s3:PutObjectLegalHold,s3:BypassGovernanceRetention] FindingsArchive',
      ],
    ],
  ])('D2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(FindingsArchivePresent, mutate)).toEqual(expected);
  });

  test('D2 GOVERNANCE passes where the marker allows it (a non-production environment)', () => {
    expect(
      findingsOf(FindingsArchivePresent, (t) => {
        retention(t).Mode = 'GOVERNANCE';
        audit(t).FindingsArchive.Metadata['HipaaBlueprint::FindingsArchive'].governanceAllowed = true;
      }),
    ).toEqual([]);
  });
});
