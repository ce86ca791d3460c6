import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { applyAcknowledgements, buildRegister } from '../../lib/compliance/register';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { HIPAA_CONFIG_RULES } from '../../constructs/hipaa-config-rule-set';
import { BlueprintConfig, DetectionConfig } from '../../lib/config';
import { phiDataBucketName, phiReplicaBucketName } from '../../lib/config/names';
import { DetectionStack } from '../../lib/stacks/detection-stack';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { testConfig } from '../support/blueprint';
import { constructPaths, synthesizedStack, templateJson } from '../support/synthesized';

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
  // Stand-in for AuditStack's findings archive (GuardDuty's publishing destination).
  const findingsArchive = new Bucket(fixture, 'FindingsArchive', { encryptionKey: keys.keys.audit });
  const stack = new DetectionStack(root, 'Detection', { config, configBucket, keys: keys.keys, findingsArchive });
  return { app, stack, template: Template.fromStack(stack) };
}

const ALL_OFF: DetectionConfig = {
  config: false,
  configServiceLinkedRole: 'create',
  guardDuty: false,
  securityHub: false,
  macie: false,
  inspector: false,
  malwareProtection: false,
};
const config = testConfig();
const { app, stack, template } = build(config);
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string): Array<[string, Resource]> =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;

type Switch = Exclude<
  keyof DetectionConfig,
  'configServiceLinkedRole' | 'providedBy' | 'findingsArchive' | 'criticalFindingMaxAgeDays'
>;

/** Resource types each switch owns (what must disappear when it is off). */
const OWNED: Record<Switch, string[]> = {
  config: [
    'AWS::Config::ConfigurationRecorder',
    'AWS::Config::DeliveryChannel',
    'AWS::Config::ConfigRule',
    'AWS::IAM::ServiceLinkedRole',
  ],
  guardDuty: ['AWS::GuardDuty::Detector', 'AWS::GuardDuty::PublishingDestination'],
  // The per-bucket plan and its role: independent of the detector (issue 15).
  malwareProtection: ['AWS::GuardDuty::MalwareProtectionPlan', 'AWS::IAM::Role'],
  securityHub: ['AWS::SecurityHub::Hub', 'AWS::SecurityHub::Standard'],
  macie: ['AWS::Macie::Session'],
  inspector: ['AWS::ECR::RegistryScanningConfiguration'],
};

describe('DetectionStack', () => {
  // The detection constructs are tested in test/constructs/; here, what the stack adds (switches, wiring).
  it("D2 configServiceLinkedRole 'existing': the recorder references AWSServiceRoleForConfig and creates no role", () => {
    const existing = build(
      testConfig('dev', { detection: { ...config.detection, configServiceLinkedRole: 'existing' } }),
    );
    existing.template.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
    existing.template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    expect(existing.stack.configRecorder!.serviceLinkedRole).toBeUndefined();
    // 'create' (the shipped value) creates it, and the recorder waits for it.
    expect(config.detection.configServiceLinkedRole).toBe('create');
    template.resourceCountIs('AWS::IAM::ServiceLinkedRole', 1);
    expect(stack.configRecorder!.serviceLinkedRole).toBeDefined();
  });

  it('I2 the stage gives the detection stack termination protection', () => {
    // The stack as the shared dev synth's cloud assembly declares it.
    expect(synthesizedStack('dev', 'Detection').terminationProtection).toBe(true);
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
    // The shared dev synth: the channel of the detection stack, the buckets of the audit stack by construct path.
    const [channel] = Object.values(templateJson('dev', 'Detection').Resources).filter(
      (r) => r.Type === 'AWS::Config::DeliveryChannel',
    );
    const auditIds = new Map([...constructPaths('dev', 'Audit')].map(([id, path]) => [path, id]));
    const bucketId = auditIds.get('Dev/Audit/ConfigDelivery/Bucket/Resource');
    const archiveId = auditIds.get('Dev/Audit/AuditArchive/Bucket/Resource');
    expect(bucketId).toBeDefined();
    expect(archiveId).toBeDefined();
    expect(JSON.stringify(channel.Properties!.S3BucketName)).toContain(bucketId!);
    expect(JSON.stringify(channel.Properties!.S3BucketName)).not.toContain(archiveId!);
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
    // The one role is GuardDuty Malware Protection's (test/constructs/phi-malware-protection.test.ts).
    expect(ofType('AWS::IAM::Role').map(([, r]) => r.Properties.RoleName)).toEqual([
      `${config.appName}-${config.envName}-phi-malware-scan`,
    ]);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))).toEqual([
      expect.stringMatching(/^MalwareProtectionPolicy/),
    ]);
  });

  it('D2 Inspector: ECR through the registry scanning configuration, Lambda an emitted deploy step', () => {
    template.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    expect(String(outputs.InspectorActivationCommand.Value)).toBe(
      `aws inspector2 enable --region ${config.region} --account-ids ${config.account} --resource-types ECR LAMBDA`,
    );
  });

  it('D2 the Config rules wait for the stack recorder and delivery channel', () => {
    const rules = ofType('AWS::Config::ConfigRule');
    expect(rules).toHaveLength(HIPAA_CONFIG_RULES.length);
    for (const [, rule] of rules) {
      expect(rule.DependsOn).toEqual(
        expect.arrayContaining(['ConfigRecorderDDF56F25', 'ConfigRecorderDeliveryChannelD86CA751']),
      );
    }
  });

  it("D2 Macie classifies config's PHI bucket in the deploy region; the replica of the replica region is named as the gap", () => {
    const output = outputs.MacieClassificationJobCommand as { Value: unknown; Description: string };
    expect(config.phiBucket.replicaRegion).not.toBe(config.region);
    expect(String(output.Value)).toContain(`--region ${config.region} `);
    expect(String(output.Value)).toContain(`"buckets":["${phiDataBucketName(config)}"]`);
    expect(output.Description).toContain(phiReplicaBucketName(config));
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
    const { app: offApp, stack: offStack, template: offTemplate } = build(testConfig('dev', { detection: ALL_OFF }));
    expect(Object.keys(offTemplate.toJSON().Resources ?? {})).toEqual([]);
    // CloudFormation rejects a template without resources, so the stage does not create the stack.
    expect(DetectionStack.createsResources(ALL_OFF)).toBe(false);
    expect(DetectionStack.createsResources({ ...ALL_OFF, inspector: true })).toBe(true);
    expect(DetectionStack.createsResources({ ...ALL_OFF, macie: true })).toBe(true);
    // Malware Protection for S3 is on by default (a per-bucket plan, no detector needed).
    expect(DetectionStack.createsResources({ ...ALL_OFF, malwareProtection: undefined })).toBe(true);
    applyAcknowledgements(offApp, buildRegister(config));
    // The packs walk the detection stack only: a rule sees its resource's own stack either way.
    expect(compliancePacks().flatMap((p) => p.validateScope(offStack).violations)).toEqual([]);
  });

  it('I2 the recorder and the detector keep their logical IDs', () => {
    expect(stack.getLogicalId(stack.configRecorder!.recorder)).toBe('ConfigRecorderDDF56F25');
    expect(stack.getLogicalId(stack.guardDuty!.detector)).toBe('GuardDutyDetectorC19263F0');
  });

  it('passes every rule pack with the register applied (no unacknowledged finding)', () => {
    applyAcknowledgements(app, buildRegister(config));
    // The packs walk the detection stack only: a rule sees its resource's own stack either way.
    const findings = compliancePacks()
      .flatMap((pack) => pack.validateScope(stack).violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
    expect(findings).toEqual([]);
  });

  it('D2 an environment sharing the account relies on the other one for the registry scanning configuration', () => {
    const shared = build(testConfig('dev', { sharesAccountWith: 'other' }));
    shared.template.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 0);
    expect(shared.stack.templateOptions.metadata?.HipaaBlueprint?.detection?.sharedWith).toBe('other');
    expect(DetectionStack.createsResources({ ...ALL_OFF, inspector: true }, 'other')).toBe(false);
  });

  it('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
