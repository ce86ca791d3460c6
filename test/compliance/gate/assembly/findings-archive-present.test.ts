import { FindingsArchivePresent } from '../../../../lib/compliance/gate/assembly/findings-archive-present';
import { findingsOf, Mutable, RUNNING_RULE_STATES } from './assembly-fixture';
import { findingsExportResources, FORWARDED_GUARDDUTY_RULE, FORWARDED_STREAM } from './findings-archive-fixture';

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
      ['[Stream::delivery-alarm-cannot-fire] FindingsStream'],
    ],
    [
      'the delivery alarm on the Minimum, over an hour, above two hours, actions disabled',
      (t) =>
        Object.assign(audit(t).FindingsDeliveryAlarm.Properties, {
          Statistic: 'Minimum',
          Period: 3600,
          Threshold: 7200,
          ActionsEnabled: false,
        }),
      ['[Stream::delivery-alarm-cannot-fire] FindingsStream'],
    ],
    [
      'the delivery alarm below its threshold (LessThanThreshold)',
      (t) => (audit(t).FindingsDeliveryAlarm.Properties.ComparisonOperator = 'LessThanThreshold'),
      ['[Stream::delivery-alarm-cannot-fire] FindingsStream'],
    ],
    [
      'the failed-invocations alarm waiting for 288 breaching periods (a day)',
      (t) => Object.assign(audit(t).FindingsExportAlarm.Properties, { EvaluationPeriods: 288, DatapointsToAlarm: 288 }),
      ['[Export::export-alarm-cannot-fire] SecurityHubFindings'],
    ],
    [
      'the failed-invocations alarm removed',
      (t) => delete audit(t).FindingsExportAlarm,
      ['[Export::no-export-alarm] SecurityHubFindings'],
    ],
    [
      'the failed-invocations alarm on the Average',
      (t) => (audit(t).FindingsExportAlarm.Properties.Statistic = 'Average'),
      ['[Export::export-alarm-cannot-fire] SecurityHubFindings'],
    ],
    [
      'the failed-invocations alarm firing from 5 failures',
      (t) => (audit(t).FindingsExportAlarm.Properties.Threshold = 5),
      ['[Export::export-alarm-cannot-fire] SecurityHubFindings'],
    ],
    [
      'the dead-letter queue removed from the target',
      (t) => delete audit(t).SecurityHubFindings.Properties.Targets[0].DeadLetterConfig,
      ['[Export::no-dead-letter-queue] SecurityHubFindings'],
    ],
    [
      'the dead-letter queue under the backup key',
      (t) =>
        (audit(t).FindingsDeadLetters.Properties.KmsMasterKeyId = {
          'Fn::GetStackOutput': { StackName: 'app-prod-keys', OutputName: 'BackupKeyArn' },
        }),
      ['[Export::dead-letter-key-backup] SecurityHubFindings'],
    ],
    [
      'the dead-letter alarm removed',
      (t) => delete audit(t).FindingsDeadLetterAlarm,
      ['[Export::no-dead-letter-alarm] SecurityHubFindings'],
    ],
    [
      'the dead-letter alarm over a day',
      (t) => (audit(t).FindingsDeadLetterAlarm.Properties.Period = 86400),
      ['[Export::dead-letter-alarm-cannot-fire] SecurityHubFindings'],
    ],
    [
      'no retry policy',
      (t) => delete audit(t).SecurityHubFindings.Properties.Targets[0].RetryPolicy,
      ['[Export::no-retry-policy] SecurityHubFindings'],
    ],
    [
      'the rule without a fixed name',
      (t) => delete audit(t).SecurityHubFindings.Properties.Name,
      ['[Export::rule-unnamed] SecurityHubFindings'],
    ],
    [
      'the export role trusted by the account only (no aws:SourceArn)',
      (t) => delete audit(t).FindingsExportRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals,
      ['[Export::role-trust-without-source-arn] SecurityHubFindings'],
    ],
    [
      'the export role trusted for every rule (aws:SourceArn rule/*)',
      (t) =>
        (audit(t).FindingsExportRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals[
          'aws:SourceArn'
        ] = 'arn:aws:events:us-east-1:123456789012:rule/*'),
      ['[Export::role-trust-without-source-arn] SecurityHubFindings'],
    ],
    [
      'the delivery role trusted by the account only (no aws:SourceArn)',
      (t) => delete audit(t).FindingsDeliveryRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals,
      ['[Stream::role-trust-without-source-arn] FindingsStream'],
    ],
    [
      'no newline delimiter',
      (t) => delete stream(t).ExtendedS3DestinationConfiguration.ProcessingConfiguration,
      ['[Stream::no-record-delimiter] FindingsStream'],
    ],
    [
      'error logging disabled',
      (t) => (stream(t).ExtendedS3DestinationConfiguration.CloudWatchLoggingOptions.Enabled = false),
      ['[Stream::no-error-logging] FindingsStream'],
    ],
    [
      'error logging to an unencrypted log group (no key: unresolved)',
      (t) => delete audit(t).FindingsDeliveryLogs.Properties.KmsKeyId,
      ['[Stream::log-group-key-unresolved] FindingsStream'],
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
      'retention under six years, as a string',
      (t) => (retention(t).Days = '90'),
      ['[Bucket::DefaultRetention::90d] FindingsArchive'],
    ],
    [
      'retention only deploy resolves',
      (t) => (retention(t).Days = { Ref: 'RetentionDays' }),
      ['[Bucket::DefaultRetention::unresolved] FindingsArchive'],
    ],
    [
      'Object Lock "false"',
      (t) => (bucket(t).ObjectLockEnabled = 'false'),
      ['[Bucket::ObjectLockEnabled::false] FindingsArchive'],
    ],
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
      'the object encryption update deny narrowed to a prefix, or to another resource named like a prefix of it',
      (t) => {
        const deny = denies(t).find((s: Mutable) => s.Sid === 'DenyObjectEncryptionUpdates');
        deny.Resource = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['FindingsArchive', 'Arn'] }, '/nothing-here/*']] };
        denies(t).find((s: Mutable) => s.Sid === 'DenyObjectDeletes').Resource = {
          'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Logs}/*',
        };
      },
      ['[Bucket::TamperDenies::s3:DeleteObject,s3:DeleteObjectVersion,s3:UpdateObjectEncryption] FindingsArchive'],
    ],
    [
      'the object encryption update deny removed',
      (t) => denies(t).splice(2, 1),
      ['[Bucket::TamperDenies::s3:UpdateObjectEncryption] FindingsArchive'],
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

  test.each(RUNNING_RULE_STATES)('D2 the Security Hub rule with State %s still runs: no finding', (_name, state) => {
    expect(findingsOf(FindingsArchivePresent, (t) => (audit(t).SecurityHubFindings.Properties.State = state))).toEqual(
      [],
    );
  });

  test('D2 GOVERNANCE passes where the marker allows it (a non-production environment)', () => {
    expect(
      findingsOf(FindingsArchivePresent, (t) => {
        retention(t).Mode = 'GOVERNANCE';
        audit(t).FindingsArchive.Metadata['HipaaBlueprint::FindingsArchive'].governanceAllowed = true;
      }),
    ).toEqual([]);
  });

  describe('D2 with GuardDuty in the replica region (a replicaDetection stack with a detector)', () => {
    const withReplica = (t: Record<string, Mutable>) => {
      t.replicaDetection = {
        Metadata: { HipaaBlueprint: { replicaDetection: { region: 'us-west-2' } } },
        Resources: { ReplicaDetector: { Type: 'AWS::GuardDuty::Detector', Properties: { Enable: true } } },
      };
    };
    const forwarded = (t: Record<string, Mutable>) =>
      Object.assign(
        audit(t),
        findingsExportResources('Forwarded', FORWARDED_STREAM, FORWARDED_GUARDDUTY_RULE, {
          source: ['aws.guardduty'],
          'detail-type': ['GuardDuty Finding'],
          region: ['us-west-2'],
        }),
      );

    test('the forwarded GuardDuty export passes; without it, a finding', () => {
      expect(
        findingsOf(FindingsArchivePresent, (t) => {
          withReplica(t);
          forwarded(t);
        }),
      ).toEqual([]);
      expect(findingsOf(FindingsArchivePresent, withReplica)).toEqual([
        '[GuardDuty::forwarded-not-archived] (template)',
      ]);
    });

    test.each<[string, (rule: Mutable) => void]>([
      ['narrowed to MEDIUM and above', (r) => (r.EventPattern.detail = { severity: [{ numeric: ['>=', 4] }] })],
      ['matching another region', (r) => (r.EventPattern.region = ['eu-west-1'])],
      ['disabled', (r) => (r.State = 'DISABLED')],
    ])('the forwarded GuardDuty rule %s is a finding', (_, mutate) => {
      expect(
        findingsOf(FindingsArchivePresent, (t) => {
          withReplica(t);
          forwarded(t);
          mutate(audit(t).ForwardedSecurityHubFindings.Properties);
        }),
      ).toEqual(['[GuardDuty::forwarded-not-archived] (template)']);
    });

    test('the forwarded export is held to the same checks (its stream without delimiter, its rule without alarm)', () => {
      expect(
        findingsOf(FindingsArchivePresent, (t) => {
          withReplica(t);
          forwarded(t);
          delete audit(t).ForwardedFindingsStream.Properties.ExtendedS3DestinationConfiguration.ProcessingConfiguration;
          delete audit(t).ForwardedFindingsExportAlarm;
        }),
      ).toEqual([
        '[Export::no-export-alarm] ForwardedSecurityHubFindings',
        '[Stream::no-record-delimiter] ForwardedFindingsStream',
      ]);
    });

    test('GuardDuty declared off needs no forwarded export', () => {
      expect(
        findingsOf(FindingsArchivePresent, (t) => {
          withReplica(t);
          delete det(t).Detector;
          delete det(t).FindingsExport;
          declare(t, { services: { ...t.detection.Metadata.HipaaBlueprint.detection.services, guardDuty: false } });
        }),
      ).toEqual([]);
    });
  });
});
