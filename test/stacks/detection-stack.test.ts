import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket, BucketEncryption, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { GUARDDUTY_FEATURES } from '../../constructs/guard-duty-detector';
import { SECURITY_HUB_STANDARDS } from '../../constructs/security-hub';
import { applyAcknowledgements, buildRegister } from '../../lib/compliance/register';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { HIPAA_CONFIG_RULES } from '../../constructs/hipaa-config-rule-set';
import { BlueprintConfig, DetectionConfig } from '../../lib/config';
import { phiDataBucketName, phiReplicaBucketName } from '../../lib/config/names';
import { DetectionStack } from '../../lib/stacks/detection-stack';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { buildTestBlueprint, testConfig } from '../support/blueprint';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

/** Keys + a stand-in for the Config delivery bucket (AuditStack's configBucket) + the detection stack. */
function build(config: BlueprintConfig): { app: App; stack: DetectionStack; template: Template } {
  const app = new App({ builtinCloudFormationValidation: false });
  const root = new Construct(app, 'Test');
  const keys = new KeysStack(root, 'Keys', { config });
  const fixture = new Stack(root, 'AuditFixture', { env: { account: config.account, region: config.region } });
  const configBucket = new Bucket(fixture, 'ConfigDelivery', {
    encryption: BucketEncryption.KMS,
    encryptionKey: keys.keys.audit,
  });
  const stack = new DetectionStack(root, 'Detection', { config, configBucket, keys: keys.keys });
  return { app, stack, template: Template.fromStack(stack) };
}

const ALL_OFF: DetectionConfig = {
  config: false,
  configServiceLinkedRole: 'create',
  guardDuty: false,
  securityHub: false,
  macie: false,
  inspector: false,
};
const config = testConfig();
const { app, stack, template } = build(config);
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string): Array<[string, Resource]> =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;

type Switch = Exclude<keyof DetectionConfig, 'configServiceLinkedRole' | 'providedBy'>;

/** Resource types each switch owns (what must disappear when it is off). */
const OWNED: Record<Switch, string[]> = {
  config: [
    'AWS::Config::ConfigurationRecorder',
    'AWS::Config::DeliveryChannel',
    'AWS::Config::ConfigRule',
    'AWS::IAM::ServiceLinkedRole',
  ],
  guardDuty: ['AWS::GuardDuty::Detector'],
  securityHub: ['AWS::SecurityHub::Hub', 'AWS::SecurityHub::Standard'],
  macie: ['AWS::Macie::Session'],
  inspector: [],
};

describe('DetectionStack', () => {
  it('D2 AWS Config records every supported type, global ones included, continuously', () => {
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
      RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
      RoleARN: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::',
            { Ref: 'AWS::AccountId' },
            ':role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
          ],
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::ServiceLinkedRole', { AWSServiceName: 'config.amazonaws.com' });
  });

  it("D2 configServiceLinkedRole 'existing': the recorder references AWSServiceRoleForConfig and creates no role", () => {
    const existing = build(
      testConfig('dev', { detection: { ...config.detection, configServiceLinkedRole: 'existing' } }),
    );
    existing.template.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
    existing.template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    expect(existing.stack.configRecorder!.serviceLinkedRole).toBeUndefined();
    const [recorder] = Object.values(existing.template.findResources('AWS::Config::ConfigurationRecorder'));
    expect(JSON.stringify(recorder.Properties.RoleARN)).toContain('AWSServiceRoleForConfig');
    // 'create' (the shipped value) creates it, and the recorder waits for it.
    expect(config.detection.configServiceLinkedRole).toBe('create');
    const [[roleId]] = ofType('AWS::IAM::ServiceLinkedRole');
    const [[, created]] = ofType('AWS::Config::ConfigurationRecorder');
    expect(created.DependsOn).toContain(roleId);
  });

  it.each([
    ['AWS::Config::ConfigurationRecorder'],
    ['AWS::Config::DeliveryChannel'],
    ['AWS::IAM::ServiceLinkedRole'],
    ['AWS::GuardDuty::Detector'],
    ['AWS::SecurityHub::Hub'],
    ['AWS::Macie::Session'],
  ])('I2 %s is retained on delete and on replacement (its findings or recording must survive the stack)', (type) => {
    template.resourceCountIs(type, 1);
    template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('I2 the stage gives the detection stack termination protection', () => {
    const { stage } = buildTestBlueprint(config);
    expect(stage.detection!.terminationProtection).toBe(true);
  });

  it('D2/E2 AWS Config delivers daily to the Config delivery bucket (not the object-locked archive), encrypted with the audit key', () => {
    template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3KeyPrefix: 'config',
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
    const [[, delivery]] = ofType('AWS::Config::DeliveryChannel');
    // The cross-stack reference names the bucket's and the key's logical IDs, whatever the reference style.
    expect(JSON.stringify(delivery.Properties.S3BucketName)).toMatch(/ConfigDelivery/);
    expect(JSON.stringify(delivery.Properties.S3BucketName)).not.toMatch(/AuditArchive/);
    expect(JSON.stringify(delivery.Properties.S3KmsKeyArn)).toMatch(/AuditKey/);
    const [[channelId, channel]] = ofType('AWS::Config::DeliveryChannel');
    const [[recorderId]] = ofType('AWS::Config::ConfigurationRecorder');
    // AWS Config accepts a delivery channel only once the recorder exists; one channel per region, retained, so
    // a new logical ID would create a second one next to the retained channel and fail the deploy.
    expect(recorderId).toBe('ConfigRecorderDDF56F25');
    expect(channel.DependsOn).toContain(recorderId);
    expect(channelId).toBe('ConfigRecorderDeliveryChannelD86CA751');
  });

  it('D2 the stage wires the AuditStack Config delivery bucket into the channel, never the audit archive', () => {
    const { stage } = buildTestBlueprint(config);
    const detection = Template.fromStack(stage.detection!).toJSON().Resources as Record<string, Resource>;
    const [channel] = Object.values(detection).filter((r) => r.Type === 'AWS::Config::DeliveryChannel');
    const bucketId = stage.audit.getLogicalId(stage.audit.configBucket!.bucket.node.defaultChild as CfnBucket);
    const archiveId = stage.audit.getLogicalId(stage.audit.auditArchive.bucket.node.defaultChild as CfnBucket);
    expect(JSON.stringify(channel.Properties.S3BucketName)).toContain(bucketId);
    expect(JSON.stringify(channel.Properties.S3BucketName)).not.toContain(archiveId);
  });

  it('D2 refuses to record without a Config delivery bucket', () => {
    const noBucketApp = new App({ builtinCloudFormationValidation: false });
    const root = new Construct(noBucketApp, 'Test');
    const keys = new KeysStack(root, 'Keys', { config });
    expect(() => new DetectionStack(root, 'Detection', { config, keys: keys.keys })).toThrow(
      /configBucket = undefined: required when detection.config is true/,
    );
  });

  it('A3 no IAM role or policy of ours for AWS Config (service-linked role, no managed-policy acknowledgement)', () => {
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });

  it('D2 Config rules: one per HIPAA_CONFIG_RULES entry, each after the recorder and channel', () => {
    const rules = ofType('AWS::Config::ConfigRule');
    expect(rules).toHaveLength(HIPAA_CONFIG_RULES.length);
    const [[recorderId]] = ofType('AWS::Config::ConfigurationRecorder');
    const [[channelId]] = ofType('AWS::Config::DeliveryChannel');
    for (const [, rule] of rules) {
      expect(rule.DependsOn).toEqual(expect.arrayContaining([recorderId, channelId]));
      expect((rule.Properties.Source as { Owner: string }).Owner).toBe('AWS');
    }
    for (const rule of HIPAA_CONFIG_RULES) {
      template.hasResourceProperties('AWS::Config::ConfigRule', {
        ConfigRuleName: rule.name,
        Source: { Owner: 'AWS', SourceIdentifier: rule.identifier },
        ...(rule.trigger ? { MaximumExecutionFrequency: 'TwentyFour_Hours' } : {}),
        ...(rule.resourceTypes ? { Scope: { ComplianceResourceTypes: [...rule.resourceTypes] } } : {}),
        ...(rule.inputParameters ? { InputParameters: rule.inputParameters } : {}),
      });
    }
  });

  it('D2 GuardDuty detector with S3 data event and RDS login protection', () => {
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    template.hasResourceProperties('AWS::GuardDuty::Detector', {
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      Features: GUARDDUTY_FEATURES.map((Name) => ({ Name, Status: 'ENABLED' })),
    });
    expect(GUARDDUTY_FEATURES).toEqual(['S3_DATA_EVENTS', 'RDS_LOGIN_EVENTS']);
  });

  it('D2 Security Hub with FSBP and NIST 800-53 r5 standards, enabled after the hub', () => {
    template.hasResourceProperties('AWS::SecurityHub::Hub', {
      EnableDefaultStandards: false,
      ControlFindingGenerator: 'SECURITY_CONTROL',
      AutoEnableControls: true,
    });
    const standards = ofType('AWS::SecurityHub::Standard');
    expect(standards).toHaveLength(Object.keys(SECURITY_HUB_STANDARDS).length);
    const [[hubId]] = ofType('AWS::SecurityHub::Hub');
    const arns = standards.map(([, s]) => JSON.stringify(s.Properties.StandardsArn));
    expect(arns.join()).toContain('standards/aws-foundational-security-best-practices/v/1.0.0');
    expect(arns.join()).toContain('standards/nist-800-53/v/5.0.0');
    for (const [, s] of standards) expect(s.DependsOn).toContain(hubId);
  });

  it('D2 Macie session; the daily job on the deploy region PHI bucket is an emitted deploy step', () => {
    template.hasResourceProperties('AWS::Macie::Session', {
      Status: 'ENABLED',
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
    });
    const command = String(outputs.MacieClassificationJobCommand.Value);
    expect(command).toContain('aws macie2 create-classification-job');
    expect(command).toContain(`--region ${config.region} `);
    expect(command).toContain('"dailySchedule":{}');
    expect(command).toContain(`"buckets":["${phiDataBucketName(config)}"]`);
  });

  it('D2 Macie jobs are regional: the replica bucket is not in the command and is named as a gap', () => {
    const output = outputs.MacieClassificationJobCommand as { Value: unknown; Description: string };
    const replica = phiReplicaBucketName(config);
    expect(config.phiBucket.replicaRegion).not.toBe(config.region);
    expect(String(output.Value)).not.toContain(replica);
    expect(output.Description).toContain(`Not covered (Macie jobs are regional`);
    expect(output.Description).toContain(replica);
  });

  it('D2 Inspector: no CloudFormation resource exists, activation is an emitted deploy step', () => {
    expect(String(outputs.InspectorActivationCommand.Value)).toBe(
      `aws inspector2 enable --region ${config.region} --account-ids ${config.account} --resource-types ECR`,
    );
  });

  it.each(Object.keys(OWNED) as Switch[])(
    'D2 switching %s off removes its resources and keeps the others',
    (service) => {
      const off = build(testConfig('dev', { detection: { ...config.detection, [service]: false } })).template;
      for (const type of OWNED[service]) off.resourceCountIs(type, 0);
      for (const [other, types] of Object.entries(OWNED)) {
        if (other === service) continue;
        for (const type of types) expect(Object.keys(off.findResources(type)).length).toBeGreaterThan(0);
      }
      if (service === 'inspector') expect(off.toJSON().Outputs?.InspectorActivationCommand).toBeUndefined();
      if (service === 'macie') expect(off.toJSON().Outputs?.MacieClassificationJobCommand).toBeUndefined();
    },
  );

  it('D2 everything off: no resources, and createsResources tells the stage to omit the stack', () => {
    const { app: offApp, template: offTemplate } = build(testConfig('dev', { detection: ALL_OFF }));
    expect(Object.keys(offTemplate.toJSON().Resources ?? {})).toEqual([]);
    // CloudFormation rejects a template without resources, so the stage does not create the stack.
    expect(DetectionStack.createsResources(ALL_OFF)).toBe(false);
    expect(DetectionStack.createsResources({ ...ALL_OFF, inspector: true })).toBe(false);
    expect(DetectionStack.createsResources({ ...ALL_OFF, macie: true })).toBe(true);
    applyAcknowledgements(offApp, buildRegister(config));
    const findings = compliancePacks().flatMap((p) => p.validateScope(offApp).violations);
    expect(
      findings.filter((v) => v.violatingResources.some((r) => (r.constructPath ?? '').startsWith('Test/Detection/'))),
    ).toEqual([]);
  });

  it('I2 the recorder and the detector keep their logical IDs', () => {
    expect(stack.getLogicalId(stack.configRecorder!.recorder)).toBe('ConfigRecorderDDF56F25');
    expect(stack.getLogicalId(stack.guardDuty!.detector)).toBe('GuardDutyDetectorC19263F0');
  });

  it('passes every rule pack with the register applied (no unacknowledged finding)', () => {
    applyAcknowledgements(app, buildRegister(config));
    const findings = compliancePacks()
      .flatMap((pack) => pack.validateScope(app).violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`))
      .filter((f) => f.includes('@ Test/Detection/'));
    expect(findings).toEqual([]);
  });

  it('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
