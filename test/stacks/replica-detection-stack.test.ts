import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { REPLICA_FORWARDED_WATCHES, TAMPER_WATCHES, watchPattern } from '../../constructs/tamper-watches';
import { FINDING_PATTERNS } from '../../constructs/alert-pipeline';
import { GUARDDUTY_FEATURES, GUARDDUTY_RUNTIME_MONITORING } from '../../constructs/guard-duty-detector';
import { HIPAA_CONFIG_RULES } from '../../constructs/hipaa-config-rule-set';
import { buildBlueprint } from '../../lib/blueprint-app';
import { BlueprintConfig, DetectionConfig, stackName, validateConfig } from '../../lib/config';
import { HipaaStage } from '../../lib/hipaa-stage';
import { ReplicaDetectionStack } from '../../lib/stacks/replica-detection-stack';
import { testConfig } from '../support/blueprint';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

function stage(config: BlueprintConfig): { app: App; stage: HipaaStage } {
  const app = new App();
  buildBlueprint(app, config, { compliance: false });
  const found = app.node.findAll().find((c): c is HipaaStage => c instanceof HipaaStage);
  if (!found) throw new Error('no HipaaStage');
  return { app, stage: found };
}

function withDetection(detection: Partial<DetectionConfig>): BlueprintConfig {
  const base = validateConfig(testConfig('prod'));
  return validateConfig(testConfig('prod', { detection: { ...base.detection, ...detection } }));
}

const prod = validateConfig(testConfig('prod'));
const { stage: prodStage } = stage(prod);
const stack = prodStage.replicaDetection!;
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string): Resource[] => Object.values(resources).filter((r) => r.Type === type);

describe('ReplicaDetectionStack (D2 in config.phiBucket.replicaRegion)', () => {
  it('D2: deploys to the replica region with its own stack name and termination protection', () => {
    expect(stack).toBeInstanceOf(ReplicaDetectionStack);
    expect(stack.region).toBe(prod.phiBucket.replicaRegion);
    expect(stack.region).not.toBe(prod.region);
    expect(stack.stackName).toBe(stackName(prod, 'replicaDetection'));
    expect(stack.stackName).toBe(`${prod.appName}-${prod.envName}-replica-detection`);
    expect(stack.terminationProtection).toBe(true);
  });

  it("D2: runs GuardDuty with S3 and RDS protection and Fargate runtime monitoring (the main region's features), retained", () => {
    const detectors = ofType('AWS::GuardDuty::Detector');
    expect(detectors).toHaveLength(1);
    expect(detectors[0]!.Properties.Enable).toBe(true);
    expect(detectors[0]!.Properties.Features).toEqual([
      ...GUARDDUTY_FEATURES.map((name) => ({ Name: name, Status: 'ENABLED' })),
      {
        Name: GUARDDUTY_RUNTIME_MONITORING.feature,
        Status: 'ENABLED',
        AdditionalConfiguration: [{ Name: GUARDDUTY_RUNTIME_MONITORING.agentManagement, Status: 'ENABLED' }],
      },
    ]);
    expect(detectors[0]!.DeletionPolicy).toBe('Retain');
  });

  it('D2: runs Security Hub with the same standards as the primary region', () => {
    expect(ofType('AWS::SecurityHub::Hub')).toHaveLength(1);
    const primary = Template.fromStack(prodStage.detection!).findResources('AWS::SecurityHub::Standard');
    const arns = (rs: Record<string, { [key: string]: { StandardsArn?: unknown } }>) =>
      Object.values(rs).map((r) => JSON.stringify(r.Properties.StandardsArn));
    expect(arns(template.findResources('AWS::SecurityHub::Standard')).sort()).toEqual(arns(primary).sort());
    expect(arns(primary).length).toBeGreaterThan(0);
  });

  it('D2: records regional resource types with every HIPAA rule, delivering to a bucket of this region under the audit replica key', () => {
    const recorders = ofType('AWS::Config::ConfigurationRecorder');
    expect(recorders).toHaveLength(1);
    // Global types (IAM) are recorded once, in config.region.
    expect(recorders[0]!.Properties.RecordingGroup).toEqual({ AllSupported: true, IncludeGlobalResourceTypes: false });
    // The service-linked role is the primary region's (one per account).
    expect(ofType('AWS::IAM::ServiceLinkedRole')).toHaveLength(0);
    const rules = ofType('AWS::Config::ConfigRule').map(
      (r) => (r.Properties.Source as { SourceIdentifier: string }).SourceIdentifier,
    );
    expect(rules.sort()).toEqual(HIPAA_CONFIG_RULES.map((r) => r.identifier).sort());
    const channel = ofType('AWS::Config::DeliveryChannel')[0]!;
    const bucketIds = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::S3::Bucket')
      .map(([id]) => id);
    expect(bucketIds).toHaveLength(1);
    expect(channel.Properties.S3BucketName).toEqual({ Ref: bucketIds[0] });
    // Created after the bucket policy that admits AWS Config (it checks its access at creation).
    const policyId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::S3::BucketPolicy')![0];
    expect((channel as Resource & { DependsOn?: string[] }).DependsOn).toContain(policyId);
    // The audit replica key of the PhiReplica stack (same region: an import, not a cross-region reference).
    const keyRef = channel.Properties.S3KmsKeyArn as { 'Fn::GetStackOutput': Record<string, string> };
    expect(keyRef['Fn::GetStackOutput']).toMatchObject({
      StackName: stackName(prod, 'phiReplica'),
      Region: prod.phiBucket.replicaRegion,
    });
    expect(keyRef['Fn::GetStackOutput'].OutputName).toMatch(/AuditReplicaKey/);
  });

  it('D2: the audit replica key lets AWS Config of this account deliver under it', () => {
    const keys = Template.fromStack(prodStage.phiReplica).findResources('AWS::KMS::Key');
    const auditReplica = Object.entries(keys).find(([id]) => id.startsWith('AuditReplicaKey'));
    expect(auditReplica).toBeDefined();
    expect(JSON.stringify(auditReplica![1])).toContain('AwsConfigDeliversEncryptedSnapshots');
  });

  it('D2 D3: forwards EVERY GuardDuty and Security Hub finding to the default event bus of config.region', () => {
    const rules = ofType('AWS::Events::Rule').filter(
      (r) =>
        (r.Properties.EventPattern as { source?: string[] }).source !== undefined &&
        (r.Properties.EventPattern as { source: string[] }).source[0] !== 'aws.cloudwatch',
    );
    expect(rules).toHaveLength(2);
    // Any severity, any state (the findings archive keeps them all); the alerting stack's rules in config.region keep
    // their severity filters (test/stacks/replica-finding-forwarding.test.ts pins them).
    expect(
      rules.map((r) => r.Properties.EventPattern).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([
      { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] },
      { source: ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Imported'] },
    ]);
    expect(Object.keys(FINDING_PATTERNS)).toEqual(expect.arrayContaining(['GuardDutyFindings', 'SecurityHubFindings']));
    for (const rule of rules) {
      const targets = rule.Properties.Targets as { Arn: unknown; RoleArn: unknown }[];
      expect(targets).toHaveLength(1);
      expect(JSON.stringify(stack.resolve(targets[0]!.Arn))).toContain(`:events:${prod.region}:`);
      expect(JSON.stringify(targets[0]!.Arn)).toContain('event-bus/default');
      expect(targets[0]!.RoleArn).toBeDefined();
    }
    const sources = rules.map((r) => (r.Properties.EventPattern as { source: string[] }).source[0]).sort();
    expect(sources).toEqual(['aws.guardduty', 'aws.securityhub']);
  });

  it('U6: forwards the CloudTrail API calls of every tamper watch not scoped to the primary region, to its default bus', () => {
    const tamper = ofType('AWS::Events::Rule').filter(
      (r) => (r.Properties.EventPattern as { source?: string[] }).source === undefined,
    );
    expect(tamper.map((r) => r.Properties.EventPattern)).toEqual(
      REPLICA_FORWARDED_WATCHES.map((w) => watchPattern(w)).map((p) => ({
        'detail-type': p.detailType,
        detail: p.detail,
      })),
    );
    expect(REPLICA_FORWARDED_WATCHES.map((w) => w.id)).not.toContain('Functions');
    expect(REPLICA_FORWARDED_WATCHES.length).toBe(TAMPER_WATCHES.length - 2);
    for (const rule of tamper) {
      const targets = rule.Properties.Targets as { Arn: unknown; RoleArn: unknown }[];
      expect(JSON.stringify(stack.resolve(targets[0]!.Arn))).toContain(`:events:${prod.region}:`);
      expect(targets[0]!.RoleArn).toBeDefined();
    }
  });

  it('D3: the forwarding role may only events:PutEvents on that bus (no inline policy)', () => {
    const roles = ofType('AWS::IAM::Role');
    expect(roles).toHaveLength(1);
    expect(roles[0]!.Properties.Policies).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' })],
      },
    });
    expect(ofType('AWS::IAM::Policy')).toHaveLength(0);
    const policies = ofType('AWS::IAM::ManagedPolicy');
    expect(policies).toHaveLength(1);
    const statements = (policies[0]!.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Action).toBe('events:PutEvents');
    expect(JSON.stringify(statements[0]!.Resource)).toContain(`:events:${prod.region}:`);
    expect(JSON.stringify(statements[0]!.Resource)).toContain(':event-bus/default');
  });

  it('D2: depends on the PHI replica (key) and the detection stack (Config service-linked role), no cross-region reference', () => {
    const deps = stack.dependencies.map((s) => s.stackName);
    expect(deps).toEqual(
      expect.arrayContaining([
        stackName(prod, 'phiReplica'),
        stackName(prod, 'detection'),
        stackName(prod, 'alerting'),
      ]),
    );
    // Reads outputs only of this region's stacks (names only toward config.region).
    const regions = [
      ...JSON.stringify(template.toJSON()).matchAll(/"Fn::GetStackOutput":\{[^}]*"Region":"([^"]+)"/g),
    ].map((m) => m[1]);
    expect(regions.length).toBeGreaterThan(0);
    expect(new Set(regions)).toEqual(new Set([prod.phiBucket.replicaRegion]));
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
  });

  it('D2: follows the detection switches: only the services switched on, no stack when all three are off', () => {
    const onlyGuardDuty = stage(
      withDetection({ config: false, securityHub: false, macie: false, providedBy: 'org security account' }),
    );
    const t = Template.fromStack(onlyGuardDuty.stage.replicaDetection!);
    t.resourceCountIs('AWS::GuardDuty::Detector', 1);
    t.resourceCountIs('AWS::SecurityHub::Hub', 0);
    t.resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    t.resourceCountIs('AWS::S3::Bucket', 0);
    // GuardDuty's findings, and the tamper watches (whatever the switches).
    // ... and the forwarder's own alarms' state changes.
    t.resourceCountIs('AWS::Events::Rule', 1 + REPLICA_FORWARDED_WATCHES.length + 1);
    const none = stage(
      withDetection({ config: false, guardDuty: false, securityHub: false, providedBy: 'org security account' }),
    );
    expect(none.stage.replicaDetection).toBeUndefined();
    expect(
      none.app.node.findAll().filter((c) => c instanceof Stack && c.stackName.endsWith('-replica-detection')),
    ).toHaveLength(0);
  });

  it('refuses no audit replica key (the forwarding dead-letter queue needs it), naming the field', () => {
    const app = new App();
    expect(() => new ReplicaDetectionStack(app, 'X', { config: prod })).toThrow(
      /auditReplicaKey = undefined: required \(PhiReplicaStack.auditReplicaKey\)/,
    );
  });
});
