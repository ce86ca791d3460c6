import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { applyAcknowledgements, buildRegister } from '../../lib/compliance/register';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { SECURITY_METRIC_FILTERS } from '../../constructs/security-metric-filters';
import { BlueprintConfig, ENVIRONMENTS } from '../../lib/config';
import { phiBucketNames } from '../../lib/config/names';
import { AuditStack } from '../../lib/stacks/audit-stack';
import { KeysStack } from '../../lib/stacks/keys-stack';

const TEST_ENV = { account: '123456789012', region: 'us-east-1' };

/** A prod-like and a dev-like config in the test account. */
function testConfig(base: BlueprintConfig): BlueprintConfig {
  return {
    ...base,
    ...TEST_ENV,
    breakGlassPrincipalArns: [
      // Emergency IAM users in a separate security account (A5: federated roles carry no MFA context).
      'arn:aws:iam::444444444444:user/break-glass-1',
      'arn:aws:iam::444444444444:user/break-glass-2',
    ],
  };
}

interface Built {
  readonly app: App;
  readonly stack: AuditStack;
  readonly template: Template;
  readonly alarmTopic: Topic;
}

/** KeysStack + a test topic for alarm actions + AuditStack, under a stage-like construct (paths as in the app). */
function build(config: BlueprintConfig): Built {
  const app = new App({ builtinCloudFormationValidation: false });
  const stage = new Construct(app, 'Test');
  const keys = new KeysStack(stage, 'Keys', { config });
  const alerts = new Stack(stage, 'TestAlerts', { env: TEST_ENV });
  const alarmTopic = new Topic(alerts, 'AlarmTopic', { masterKey: keys.keys.operations, enforceSSL: true });
  const stack = new AuditStack(stage, 'Audit', { config, keys: keys.keys, alarmAction: new SnsAction(alarmTopic) });
  return { app, stack, template: Template.fromStack(stack), alarmTopic };
}

type Statement = {
  Effect: string;
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  Sid?: string;
};

function bucketPolicyStatements(template: Template, bucketLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::S3::BucketPolicy', {
    Properties: { Bucket: { Ref: bucketLogicalId } },
  });
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('AuditStack', () => {
  const prodConfig = testConfig(ENVIRONMENTS.prod);
  const devConfig = testConfig(ENVIRONMENTS.dev);
  let prod: Built;
  let dev: Built;
  let archiveId: string;
  let accessLogsId: string;
  let logGroupId: string;
  let configBucketId: string;

  beforeAll(() => {
    prod = build(prodConfig);
    dev = build(devConfig);
    archiveId = prod.stack.getLogicalId(prod.stack.auditArchive.bucket.node.defaultChild as CfnResource);
    accessLogsId = prod.stack.getLogicalId(prod.stack.accessLogs.bucket.node.defaultChild as CfnResource);
    logGroupId = prod.stack.getLogicalId(prod.stack.trail.logGroup.logGroup.node.defaultChild as CfnResource);
    configBucketId = prod.stack.getLogicalId(prod.stack.configBucket!.bucket.node.defaultChild as CfnResource);
  });

  test('I2 logical IDs of the audit bucket, access log bucket, trail log group and Config delivery bucket are pinned', () => {
    expect(archiveId).toBe('AuditArchiveBucketDB93AD31');
    expect(accessLogsId).toBe('AccessLogsBucketCD784A59');
    expect(logGroupId).toBe('TrailLogGroupAACB9536');
    expect(configBucketId).toBe('ConfigDeliveryBucket4617D7BE');
  });

  test('I2 stateful resources are retained and the stack has termination protection', () => {
    expect(prod.stack.terminationProtection).toBe(true);
    for (const id of [archiveId, accessLogsId, logGroupId, configBucketId]) {
      const resource = prod.template.toJSON().Resources[id];
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    }
  });

  test('U1 trail is multi-region, global events, file validation, KMS, CloudWatch Logs, PHI data events read+write', () => {
    const bucketArns = phiBucketNames(prodConfig).map((name) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${name}/`]],
    }));
    expect(bucketArns.length).toBeGreaterThan(0);
    prod.template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: Match.anyValue(),
      S3BucketName: { Ref: archiveId },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
      CloudWatchLogsRoleArn: Match.anyValue(),
      AdvancedEventSelectors: Match.arrayWith([
        { Name: 'ManagementEvents', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          Name: 'PhiObjectReadsAndWrites',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'resources.ARN', StartsWith: bucketArns },
          ],
        },
      ]),
    });
  });

  test('U1 trail log group: audit key, six-year retention', () => {
    prod.template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 2192,
      KmsKeyId: Match.anyValue(),
    });
  });

  test('U1 trail delivery role has only a customer-managed policy scoped to its log group', () => {
    const roles = prod.template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'cloudtrail.amazonaws.com' } }] } },
    });
    expect(Object.keys(roles)).toHaveLength(1);
    const role = Object.values(roles)[0];
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.ManagedPolicyArns).toEqual([
      {
        Ref: prod.stack.getLogicalId(
          prod.stack.trail.node.findChild('LogDeliveryPolicy').node.defaultChild as CfnResource,
        ),
      },
    ]);
    expect(prod.template.findResources('AWS::IAM::Policy')).toEqual({});
    prod.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
          },
        ],
      },
    });
  });

  test('U2 audit bucket has Object Lock COMPLIANCE >= 2192 days in a production config', () => {
    prod.template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: Match.anyValue() } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    const days = prod.template.toJSON().Resources[archiveId].Properties.ObjectLockConfiguration.Rule.DefaultRetention
      .Days as number;
    expect(days).toBeGreaterThanOrEqual(2192);
  });

  test('U2 GOVERNANCE mode only in a dev-like config that asks for it', () => {
    expect(devConfig.production).toBe(false);
    expect(devConfig.retention.auditLockMode).toBe('GOVERNANCE');
    dev.template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2192 } } },
    });
    expect(() => build({ ...prodConfig, retention: { ...prodConfig.retention, auditLockMode: 'GOVERNANCE' } })).toThrow(
      /retention.auditLockMode = 'GOVERNANCE': must be COMPLIANCE in a production environment/,
    );
  });

  test('U2 audit bucket: SSE-KMS with the audit key and a bucket key, public access blocked', () => {
    prod.template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
            BucketKeyEnabled: true,
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  test('U2 audit bucket lifecycle moves to Glacier and Deep Archive, never expires before retention', () => {
    const rules = prod.template.toJSON().Resources[archiveId].Properties.LifecycleConfiguration.Rules as Array<
      Record<string, unknown>
    >;
    expect(rules).toHaveLength(1);
    expect(rules[0].Transitions).toEqual([
      { StorageClass: 'GLACIER', TransitionInDays: 90 },
      { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 },
    ]);
    expect(rules[0].ExpirationInDays as number).toBeGreaterThanOrEqual(2192);
  });

  test('E3 every bucket policy (archive, access logs, Config delivery) denies non-TLS and TLS < 1.2', () => {
    for (const id of [archiveId, accessLogsId, configBucketId]) {
      const statements = bucketPolicyStatements(prod.template, id);
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      );
    }
  });

  test('U2 only CloudTrail (this trail, this account) may write the audit bucket; AWS Config is not admitted', () => {
    const allows = bucketPolicyStatements(prod.template, archiveId).filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Sid).sort()).toEqual(['CloudTrailAclCheck', 'CloudTrailWrite']);
    expect(JSON.stringify(allows)).not.toContain('config.amazonaws.com');
    const trailArn = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:us-east-1:123456789012:trail/hipaa-prod-trail'],
      ],
    };
    for (const s of allows) {
      expect(s.Condition?.StringEquals?.['aws:SourceAccount']).toBe('123456789012');
      if (s.Sid?.startsWith('CloudTrail')) expect(s.Condition?.StringEquals?.['aws:SourceArn']).toEqual(trailArn);
    }
    prod.template.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'hipaa-prod-trail' });
  });

  test('D2/E2 Config delivery bucket: SSE-KMS with the audit key and a bucket key, versioned, public access blocked, no Object Lock', () => {
    const bucket = prod.template.toJSON().Resources[configBucketId].Properties;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      {
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: prod.stack.resolve(prod.stack.configBucket!.bucket.encryptionKey!.keyArn),
        },
        BucketKeyEnabled: true,
      },
    ]);
    // The bucket's key is the audit-domain key of the keys stack.
    expect(JSON.stringify(bucket.BucketEncryption)).toMatch(/AuditKey/);
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    // AWS Config does not support delivery to a bucket with Object Lock and a default retention.
    expect(bucket.ObjectLockEnabled).toBeUndefined();
    expect(bucket.ObjectLockConfiguration).toBeUndefined();
  });

  test('D2 only AWS Config of this account may write the Config delivery bucket, under config/AWSLogs/<account>/Config/', () => {
    const allows = bucketPolicyStatements(prod.template, configBucketId).filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Sid: 'AwsConfigAclCheckAndList',
        Principal: { Service: 'config.amazonaws.com' },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: { 'Fn::GetAtt': [configBucketId, 'Arn'] },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      }),
      expect.objectContaining({
        Sid: 'AwsConfigWrite',
        Principal: { Service: 'config.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [configBucketId, 'Arn'] }, '/config/AWSLogs/123456789012/Config/*']],
        },
        Condition: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': '123456789012' },
        },
      }),
    ]);
  });

  test('U3 Config delivery bucket: lifecycle to colder storage, no expiration before 2192 days, access logs to the access log bucket', () => {
    const bucket = prod.template.toJSON().Resources[configBucketId];
    const rules = bucket.Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    expect(rules).toHaveLength(1);
    expect(rules[0].Status).toBe('Enabled');
    expect(rules[0].Transitions).toEqual([
      { StorageClass: 'GLACIER_IR', TransitionInDays: 90 },
      { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 },
    ]);
    expect(rules[0].ExpirationInDays as number).toBeGreaterThanOrEqual(2192);
    expect((rules[0].NoncurrentVersionExpiration as { NoncurrentDays: number }).NoncurrentDays).toBeGreaterThanOrEqual(
      2192,
    );
    expect(bucket.Metadata['HipaaBlueprint::LogBucket']).toBeDefined();
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: accessLogsId },
      LogFilePrefix: 'config-delivery/',
    });
  });

  test('D2 no Config delivery bucket when config.detection.config is off', () => {
    const off = build({ ...devConfig, detection: { ...devConfig.detection, config: false } });
    expect(off.stack.configBucket).toBeUndefined();
    expect(off.template.toJSON().Outputs.ConfigDeliveryBucketName).toBeUndefined();
    off.template.resourceCountIs('AWS::S3::Bucket', 5); // access logs, audit archive, access-audit events and query results, findings archive
    expect(JSON.stringify(off.template.findResources('AWS::S3::BucketPolicy'))).not.toContain('config.amazonaws.com');
  });

  test('U3 access-log chain: audit bucket logs to the access log bucket, which is SSE-S3, versioned, kept >= 2192 days', () => {
    prod.template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      LoggingConfiguration: { DestinationBucketName: { Ref: accessLogsId }, LogFilePrefix: 'audit-archive/' },
    });
    const accessLogs = prod.template.toJSON().Resources[accessLogsId];
    expect(accessLogs.Properties.LoggingConfiguration).toBeUndefined();
    expect(accessLogs.Properties.ObjectLockEnabled).toBeUndefined();
    expect(
      accessLogs.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({ SSEAlgorithm: 'AES256' });
    expect(accessLogs.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(accessLogs.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(accessLogs.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBeGreaterThanOrEqual(2192);
    const delivery = bucketPolicyStatements(prod.template, accessLogsId).filter((s) => s.Effect === 'Allow');
    expect(delivery).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      }),
    ]);
  });

  test('D1 one alarm per security metric filter (plus break-glass), each with an action, missing data not breaching', () => {
    const expected = SECURITY_METRIC_FILTERS.length + 2; // + break-glass use, + role trust changes (U6)
    prod.template.resourceCountIs('AWS::Logs::MetricFilter', expected + 1); // + PHI object access
    for (const f of SECURITY_METRIC_FILTERS) {
      prod.template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: f.filterPattern,
        LogGroupName: { Ref: logGroupId },
        MetricTransformations: [
          { MetricNamespace: 'HipaaBlueprint/Security', MetricName: f.metricName, MetricValue: '1' },
        ],
      });
    }
    const alarms = Object.values(prod.template.findResources('AWS::CloudWatch::Alarm'));
    // + anomaly detection, + the findings archive's: per stream (Security Hub, forwarded GuardDuty) freshness and export
    // failures, and its dead-letter queue's depth, + failed replication of the three audit-domain buckets (I2:
    // test/constructs/phi-bucket-replication-alarms.test.ts)
    expect(alarms).toHaveLength(expected + 1 + 5 + 3);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
    // The findings archive's five alarms (D2: its streams' freshness, its rules' failed invocations, its dead-letter
    // queue's depth) are tested in test/constructs/findings-archive.test.ts.
    const archiveAlarms = alarms.filter((a) =>
      ['AWS/Firehose', 'AWS/Events', 'AWS/SQS'].includes(a.Properties.Namespace),
    );
    expect(archiveAlarms).toHaveLength(5);
    const replicationAlarms = alarms.filter((a) => a.Properties.Namespace === 'AWS/S3');
    expect(replicationAlarms).toHaveLength(3);
    const thresholdAlarms = alarms.filter(
      (a) =>
        a.Properties.ThresholdMetricId === undefined && !archiveAlarms.includes(a) && !replicationAlarms.includes(a),
    );
    expect(thresholdAlarms.map((a) => a.Properties.MetricName).sort()).toEqual(
      [...SECURITY_METRIC_FILTERS.map((f) => f.metricName), 'BreakGlassRoleAssumed', 'RoleTrustPolicyChanges'].sort(),
    );
    for (const a of thresholdAlarms) {
      expect(a.Properties).toMatchObject({
        Namespace: 'HipaaBlueprint/Security',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        Statistic: 'Sum',
      });
    }
  });

  test('D1 anomalous PHI object access volume raises an anomaly detection alarm', () => {
    const bucket = phiBucketNames(prodConfig)[0];
    prod.template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: Match.stringLikeRegexp(`GetObject.*PutObject.*"${bucket}"`),
      MetricTransformations: [
        {
          MetricNamespace: 'HipaaBlueprint/Security',
          MetricName: 'PhiObjectAccess',
          MetricValue: '1',
          DefaultValue: 0,
        },
      ],
    });
    prod.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'GreaterThanUpperThreshold',
      ThresholdMetricId: Match.anyValue(),
      AlarmActions: Match.anyValue(),
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('^ANOMALY_DETECTION_BAND\\(') }),
        Match.objectLike({
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'PhiObjectAccess' }) }),
        }),
      ]),
    });
  });

  test('A5 break-glass role: MFA within an hour, named IAM users only, one-hour sessions, customer-managed policy', () => {
    const role =
      prod.template.toJSON().Resources[
        prod.stack.getLogicalId(prod.stack.breakGlass!.role.node.defaultChild as CfnResource)
      ];
    expect(role.Properties.RoleName).toBe('hipaa-prod-break-glass');
    expect(role.Properties.MaxSessionDuration).toBe(3600);
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.ManagedPolicyArns).toEqual([
      { Ref: prod.stack.getLogicalId(prod.stack.breakGlass!.policy.node.defaultChild as CfnResource) },
    ]);
    const statements = role.Properties.AssumeRolePolicyDocument.Statement as Array<Record<string, unknown>>;
    // One statement per account of the configured users (their account is the principal, so the role deploys
    // before the users exist); aws:PrincipalArn admits exactly the configured ARNs (break-glass-trust.test.ts).
    expect(statements.map((s) => Object.keys(s.Principal as object))).toEqual(statements.map(() => ['AWS']));
    expect(statements.map((s) => (s.Principal as { AWS: string }).AWS).sort()).toEqual(
      [...new Set(prodConfig.breakGlassPrincipalArns.map((a) => `arn:aws:iam::${a.split(':')[4]}:root`))].sort(),
    );
    expect(
      statements
        .flatMap((s) => (s.Condition as { ArnEquals: { 'aws:PrincipalArn': string[] } }).ArnEquals['aws:PrincipalArn'])
        .sort(),
    ).toEqual([...prodConfig.breakGlassPrincipalArns].sort());
    for (const s of statements) {
      expect(s).toMatchObject({
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Condition: {
          Bool: { 'aws:MultiFactorAuthPresent': 'true' },
          NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' },
        },
      });
    }
  });

  test('A5 assuming the break-glass role raises an alarm with an action', () => {
    const filters = Object.values(
      prod.template.findResources('AWS::Logs::MetricFilter', {
        Properties: { MetricTransformations: [Match.objectLike({ MetricName: 'BreakGlassRoleAssumed' })] },
      }),
    );
    expect(filters).toHaveLength(1);
    // The partition is a deploy-time token; the rest of the ARN is literal.
    expect(JSON.stringify(filters[0].Properties.FilterPattern)).toMatch(
      /"AssumeRole\\".*arn:",\{"Ref":"AWS::Partition"\},":iam::123456789012:role\/hipaa-prod-break-glass\\"/,
    );
    prod.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'BreakGlassRoleAssumed',
      AlarmActions: [Match.anyValue()],
    });
  });

  test('A3 break-glass policy: no IAM writes, no deletes, no PHI object reads, no decrypt', () => {
    const policyId = prod.stack.getLogicalId(prod.stack.breakGlass!.policy.node.defaultChild as CfnResource);
    const doc = prod.template.toJSON().Resources[policyId].Properties.PolicyDocument;
    const actions = (doc.Statement as Statement[]).flatMap((s) => ([] as string[]).concat(s.Action));
    expect(actions.filter((a) => /^iam:(Create|Put|Attach|Update|Delete|Pass)/.test(a))).toEqual([]);
    expect(actions.filter((a) => /:Delete/.test(a))).toEqual([]);
    expect(actions).not.toContain('s3:GetObject');
    expect(actions.filter((a) => /^kms:(Decrypt|\*)/.test(a) || a === '*' || a.endsWith(':*'))).toEqual([]);
  });

  test('A3 break-glass containment is scoped to this environment: its ECS cluster and its tagged resources', () => {
    const policyId = prod.stack.getLogicalId(prod.stack.breakGlass!.policy.node.defaultChild as CfnResource);
    const statements = prod.template.toJSON().Resources[policyId].Properties.PolicyDocument.Statement as Array<
      Statement & { Resource: unknown }
    >;
    const sid = (id: string) => statements.find((s) => s.Sid === id)!;
    const tagged = {
      StringEquals: {
        'aws:ResourceTag/Application': prodConfig.appName,
        'aws:ResourceTag/Environment': prodConfig.envName,
      },
    };
    expect(sid('ContainNetwork').Condition).toEqual(tagged);
    expect(sid('ContainDatabase').Condition).toEqual(tagged);
    expect(JSON.stringify(sid('ContainWorkload').Resource)).toContain(':service/hipaa-prod-phi/*');
    expect(JSON.stringify(sid('ContainWorkload').Resource)).toContain(':task/hipaa-prod-phi/*');
    expect(sid('DenyPhiLogReads').Effect).toBe('Deny');
    expect(JSON.stringify(sid('DenyPhiLogReads').Resource)).toContain(':log-group:/aws/rds/*');
  });

  test('V2 the packs and project rules report nothing unacknowledged on the stack (prod and dev)', () => {
    for (const built of [prod, dev]) {
      applyAcknowledgements(built.app, buildRegister(built === prod ? prodConfig : devConfig));
      const findings = compliancePacks().flatMap((pack) =>
        pack
          .validateScope(built.stack)
          .violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
      );
      expect(findings).toEqual([]);
    }
  });

  test('snapshot', () => {
    expect(prod.template.toJSON()).toMatchSnapshot();
  });
});
