import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { GuardDutyDetector } from '../../constructs/guard-duty-detector';
import { GuardDutyFindingsExport } from '../../constructs/guard-duty-findings-export';
import { KEY_DOMAINS } from '../../constructs/key-usage';
import { ManagedKey } from '../../constructs/managed-key';

describe('GuardDutyFindingsExport', () => {
  test('D2 the detector exports to the archive bucket itself (no folder GuardDuty would require to exist) with the given key', () => {
    const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
      env: { account: '123456789012', region: 'us-east-1' },
    });
    const key = new Key(s, 'AuditKey');
    const detector = new GuardDutyDetector(s, 'GuardDuty');
    new GuardDutyFindingsExport(s, 'Export', {
      detectorId: detector.detector.ref,
      bucket: new Bucket(s, 'Archive'),
      encryptionKey: key,
    });
    Template.fromStack(s).hasResourceProperties('AWS::GuardDuty::PublishingDestination', {
      DetectorId: { Ref: 'GuardDutyDetectorC19263F0' },
      DestinationType: 'S3',
      DestinationProperties: {
        // The bucket itself: a folder would have to exist as an object, which the archive lets nobody create.
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Archive'), 'Arn'] },
        KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
      },
    });
  });

  test('D2 E1 with guardDutyFindingsExport, the key admits GuardDuty GenerateDataKey for this account and region only', () => {
    const statements = ManagedKey.useStatements(
      { ...KEY_DOMAINS.audit.usage, guardDutyFindingsExport: true },
      '123456789012',
      'us-east-1',
      { s3: [], firehose: [] },
    ).map((st) => new Stack().resolve(st.toStatementJson()));
    const guardDuty = statements.filter((st) => JSON.stringify(st.Principal).includes('guardduty'));
    expect(guardDuty).toEqual([
      {
        Sid: 'GuardDutyEncryptsExportedFindingsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'guardduty.amazonaws.com' },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':guardduty:us-east-1:123456789012:detector/*']],
            },
          },
        },
      },
    ]);
    // Without the usage, GuardDuty is not admitted.
    const without = ManagedKey.useStatements(KEY_DOMAINS.audit.usage, '123456789012', 'us-east-1', {
      s3: [],
      firehose: [],
    });
    expect(JSON.stringify(without.map((st) => st.toStatementJson()))).not.toContain('guardduty');
  });
});
