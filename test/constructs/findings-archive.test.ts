import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { RetentionPolicy } from '../../constructs/core/retention';
import { FindingsArchive, FindingsArchiveProps } from '../../constructs/findings-archive';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const RETENTION: RetentionPolicy = { logRetentionDays: 2192, auditRetentionDays: 2557, auditLockMode: 'COMPLIANCE' };
const DEPLOY = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1';
const ACTION: IAlarmAction = {
  bind: () => ({ alarmActionArn: 'arn:aws:lambda:us-east-1:123456789012:function:formatter' }),
};

function build(props: Partial<FindingsArchiveProps> = {}): { t: Template; archive: FindingsArchive } {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const archive = new FindingsArchive(s, 'FindingsArchive', {
    retention: RETENTION,
    production: true,
    encryptionKey: new Key(s, 'AuditKey'),
    accessLogs: new AccessLogBucket(s, 'Logs', { retention: RETENTION }),
    configurationAdministratorArns: [DEPLOY],
    deliveryRoleName: 'app-prod-findings-archive-delivery',
    exportRoleName: 'app-prod-findings-archive-export',
    streamName: 'app-prod-findings-archive',
    securityHubRuleName: 'app-prod-findings-archive-securityhub',
    alarmAction: ACTION,
    ...props,
  });
  return { t: Template.fromStack(s), archive };
}

const { t } = build();
const archiveStatements = (template: Template): Json[] =>
  Object.values(template.findResources('AWS::S3::BucketPolicy'))
    .filter((r: Json) => JSON.stringify(r.Properties.Bucket).includes('FindingsArchiveBucket'))
    .flatMap((r: Json) => r.Properties.PolicyDocument.Statement);
const bySid = (sid: string): Json => archiveStatements(t).find((s) => s.Sid === sid);

describe('FindingsArchive', () => {
  test('D2 the bucket is object-locked (COMPLIANCE, the audit retention), versioned, on the audit key, logged, retained', () => {
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Metadata: Match.objectLike({
        'HipaaBlueprint::FindingsArchive': Match.objectLike({
          lockMode: 'COMPLIANCE',
          retentionDays: 2557,
          governanceAllowed: false,
        }),
      }),
      Properties: Match.objectLike({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'findings-archive/' }),
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
              },
            }),
          ],
        },
      }),
    });
  });

  test('D2 GOVERNANCE is refused in production and marked allowed outside it; a short retention is refused', () => {
    const governance = { ...RETENTION, auditLockMode: 'GOVERNANCE' as const };
    expect(() => build({ retention: governance })).toThrow(
      "FindingsArchive S/FindingsArchive: retention.auditLockMode = 'GOVERNANCE': must be COMPLIANCE in a production environment (safeguard D2)",
    );
    build({ retention: governance, production: false }).t.hasResource('AWS::S3::Bucket', {
      Metadata: Match.objectLike({
        'HipaaBlueprint::FindingsArchive': Match.objectLike({ lockMode: 'GOVERNANCE', governanceAllowed: true }),
      }),
    });
    expect(() => build({ retention: { ...RETENTION, auditRetentionDays: 365 } })).toThrow(/auditRetentionDays/);
  });

  test('D2 bad names and buffering are refused naming the field, the value and the rule', () => {
    expect(() => build({ deliveryRoleName: 'a role' })).toThrow(
      "FindingsArchive S/FindingsArchive: deliveryRoleName = 'a role': must be an IAM role name (1-64 of letters, digits and +=,.@_-)",
    );
    expect(() => build({ exportRoleName: 'x'.repeat(65) })).toThrow(/exportRoleName = 'x+': must be an IAM role name/);
    expect(() => build({ streamName: 'a/b' })).toThrow(
      "FindingsArchive S/FindingsArchive: streamName = 'a/b': must be 1-64 of [a-zA-Z0-9_.-]",
    );
    expect(() => build({ securityHubRuleName: 'a rule' })).toThrow(
      "FindingsArchive S/FindingsArchive: securityHubRuleName = 'a rule': must be an EventBridge rule name (1-64 of [a-zA-Z0-9_.-])",
    );
    expect(() => build({ bufferingSeconds: 30 })).toThrow(
      'FindingsArchive S/FindingsArchive: bufferingSeconds = 30: must be an integer from 60 to 900',
    );
  });

  test('D2 GuardDuty may locate the bucket and write under AWSLogs/<account>/GuardDuty/, for this account and region only', () => {
    const condition = {
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: {
        'aws:SourceArn': {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':guardduty:us-east-1:123456789012:detector/*']],
        },
      },
    };
    expect(bySid('GuardDutyLocatesBucket')).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'guardduty.amazonaws.com' },
      Action: 's3:GetBucketLocation',
      Condition: condition,
    });
    expect(bySid('GuardDutyWritesFindings')).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'guardduty.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: condition,
    });
    expect(JSON.stringify(bySid('GuardDutyWritesFindings').Resource)).toContain('/AWSLogs/');
  });

  test('D2 U6 nobody deletes, weakens the lock or reconfigures; writes only by the delivery role or GuardDuty', () => {
    expect(bySid('DenyObjectDeletes')).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    });
    expect(bySid('DenyObjectDeletes').Condition).toBeUndefined();
    expect(bySid('DenyRetentionWeakening').Condition).toBeUndefined();
    expect(bySid('DenyRetentionWeakening').Action).toEqual(
      expect.arrayContaining(['s3:BypassGovernanceRetention', 's3:PutObjectLegalHold', 's3:PutObjectRetention']),
    );
    expect(bySid('DenyConfigurationChangesExceptDeployment').Condition).toEqual({
      ArnNotEquals: { 'aws:PrincipalArn': [DEPLOY] },
    });
    const writes = bySid('DenyWritesExceptTheTrail');
    expect(writes.Action).toContain('s3:PutObject');
    expect(JSON.stringify(writes.Condition.ArnNotEquals['aws:PrincipalArn'])).toContain(
      ':iam::123456789012:role/app-prod-findings-archive-delivery',
    );
    expect(JSON.stringify(writes.Condition.ArnNotLike['aws:SourceArn'])).toContain(
      ':guardduty:us-east-1:123456789012:detector/*',
    );
  });

  test('D2 every imported Security Hub finding goes to the stream, through a role that may only append', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED',
      EventPattern: { source: ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Imported'] },
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FindingsArchiveStream'), 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FindingsArchiveExportRole'), 'Arn'] },
          Id: Match.anyValue(),
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FindingsArchiveDeadLetterQueue'), 'Arn'] },
          },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        },
      ],
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'app-prod-findings-archive-export',
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnEquals: {
                'aws:SourceArn': [
                  {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':events:us-east-1:123456789012:rule/app-prod-findings-archive-securityhub',
                      ],
                    ],
                  },
                ],
              },
            },
          }),
        ],
      }),
    });
    const [exportPolicy] = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).filter((p: Json) =>
      JSON.stringify(p.Properties.Roles).includes('ExportRole'),
    ) as Json[];
    const actions = exportPolicy.Properties.PolicyDocument.Statement.flatMap((s: Json) => [s.Action].flat());
    expect(actions.sort()).toEqual([
      'firehose:PutRecord',
      'firehose:PutRecordBatch',
      'kms:Decrypt',
      'kms:GenerateDataKey',
    ]);
  });

  test('D2 the stream is encrypted with the audit key and delivers under a date prefix, errors apart, via its named role', () => {
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'app-prod-findings-archive',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: {
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
      },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FindingsArchiveBucket'), 'Arn'] },
        Prefix: 'securityhub/date=!{timestamp:yyyy-MM-dd}/',
        ErrorOutputPrefix: 'securityhub-errors/!{firehose:error-output-type}/date=!{timestamp:yyyy-MM-dd}/',
        EncryptionConfiguration: {
          KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] } },
        },
      }),
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'app-prod-findings-archive-delivery',
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Principal: { Service: 'firehose.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnEquals: {
                'aws:SourceArn': [
                  {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':firehose:us-east-1:123456789012:deliverystream/app-prod-findings-archive',
                      ],
                    ],
                  },
                ],
              },
            },
          }),
        ],
      }),
    });
  });

  test('D2 the stream writes one finding a line and logs delivery errors to a retained log group on the audit key', () => {
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
        CloudWatchLoggingOptions: {
          Enabled: true,
          LogGroupName: { Ref: Match.stringLikeRegexp('^FindingsArchiveDeliveryLogs') },
          LogStreamName: { Ref: Match.stringLikeRegexp('^FindingsArchiveStreamDeliveryLogStream') },
        },
      }),
    });
    t.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
        RetentionInDays: 2192,
      },
    });
    const [delivery] = Object.values(t.findResources('AWS::IAM::ManagedPolicy')).filter((p: Json) =>
      JSON.stringify(p.Properties.Roles).includes('DeliveryRole'),
    ) as Json[];
    const logs = delivery.Properties.PolicyDocument.Statement.find((s: Json) => s.Sid === 'LogDeliveryErrors');
    expect(logs).toMatchObject({
      Action: 'logs:PutLogEvents',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FindingsArchiveDeliveryLogs/), 'Arn'] },
    });
  });

  test('D2 undeliverable findings dead-letter into a retained queue on the audit key, sent to by these rules only, alarmed', () => {
    t.hasResource('AWS::SQS::Queue', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditKey'), 'Arn'] },
        MessageRetentionPeriod: 1209600,
      }),
    });
    const [policy] = Object.values(t.findResources('AWS::SQS::QueuePolicy')) as Json[];
    const send = policy.Properties.PolicyDocument.Statement.find(
      (s: Json) => s.Sid === 'TheArchiveRulesDeadLetterHere',
    );
    expect(send).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
    });
    expect(JSON.stringify(send.Condition.ArnEquals['aws:SourceArn'])).toContain(
      ':events:us-east-1:123456789012:rule/app-prod-findings-archive-securityhub',
    );
    const reads = policy.Properties.PolicyDocument.Statement.find(
      (s: Json) => s.Sid === 'OnlyThisAccountReadsDeadLetters',
    );
    expect(reads).toMatchObject({
      Effect: 'Deny',
      Condition: { StringNotEquals: { 'aws:PrincipalAccount': '123456789012' } },
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FindingsArchiveDeadLetterQueue'), 'QueueName'] },
        },
      ],
      Statistic: 'Maximum',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: ['arn:aws:lambda:us-east-1:123456789012:function:formatter'],
    });
  });

  test('D2 with forwardedGuardDuty: every GuardDuty finding of the replica region into its own stream and prefix', () => {
    const forwarded = build({
      forwardedGuardDuty: {
        region: 'us-west-2',
        ruleName: 'app-prod-findings-archive-guardduty-forwarded',
        streamName: 'app-prod-findings-archive-gd-forwarded',
      },
    }).t;
    forwarded.hasResourceProperties('AWS::Events::Rule', {
      Name: 'app-prod-findings-archive-guardduty-forwarded',
      State: 'ENABLED',
      EventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], region: ['us-west-2'] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FindingsArchiveForwardedGuardDutyStream'), 'Arn'] },
          DeadLetterConfig: Match.objectLike({}),
          RetryPolicy: Match.objectLike({}),
        }),
      ],
    });
    forwarded.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'app-prod-findings-archive-gd-forwarded',
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: 'guardduty-forwarded/region=us-west-2/date=!{timestamp:yyyy-MM-dd}/',
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
      }),
    });
    const trust = JSON.stringify(forwarded.findResources('AWS::IAM::Role'));
    expect(trust).toContain('rule/app-prod-findings-archive-guardduty-forwarded');
    expect(trust).toContain('deliverystream/app-prod-findings-archive-gd-forwarded');
    for (const metricName of ['DeliveryToS3.DataFreshness', 'FailedInvocations']) {
      expect(
        Object.keys(forwarded.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } })),
      ).toHaveLength(2);
    }
    // No forwarded rule or stream without the prop.
    expect(JSON.stringify(t.toJSON())).not.toContain('guardduty-forwarded');
    expect(() => build({ forwardedGuardDuty: { region: 'west', ruleName: 'r', streamName: 's' } })).toThrow(
      "FindingsArchive S/FindingsArchive: forwardedGuardDuty.region = 'west': must be an AWS region name such as us-west-2",
    );
    expect(() =>
      build({ forwardedGuardDuty: { region: 'us-west-2', ruleName: 'r', streamName: 'app-prod-findings-archive' } }),
    ).toThrow(/forwardedGuardDuty = .*: its stream and rule names must differ/);
  });

  test('D2 D1 alarms with the action on stream freshness and on failed exports', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Dimensions: [{ Name: 'DeliveryStreamName', Value: 'app-prod-findings-archive' }],
      Threshold: 1800,
      AlarmActions: ['arn:aws:lambda:us-east-1:123456789012:function:formatter'],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      Dimensions: [{ Name: 'RuleName', Value: 'app-prod-findings-archive-securityhub' }],
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      AlarmActions: ['arn:aws:lambda:us-east-1:123456789012:function:formatter'],
    });
  });
});
