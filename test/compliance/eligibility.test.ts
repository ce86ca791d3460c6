import { readdirSync } from 'fs';
import { App, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import {
  checkTemplateTypes,
  HipaaEligibleService,
  serviceForResourceType,
} from '../../lib/compliance/gate/eligibility/eligibility-rule';
import {
  ELIGIBLE_LIST_DATE,
  eligibleIamPrefixes,
  eligibleServiceNames,
  eligibleServiceNotes,
  IAM_PREFIXES_FILE,
  parseServiceLine,
  REFERENCE_DIR,
  SERVICES_FILE,
} from '../../lib/compliance/gate/eligibility/eligible-services';
import {
  allMappings,
  CONTROL_PLANE_ALLOWANCES,
  KNOWN_INELIGIBLE_SERVICES,
  lookupResourceType,
  NAMESPACE_MAP,
} from '../../lib/compliance/gate/eligibility/resource-service-map';
import {
  allowedIamPrefixes,
  buildEligibilityScp,
  renderEligibilityScp,
  renderScp,
  SCP_MAX_CHARS,
} from '../../lib/compliance/gate/eligibility/scp';

const allowanceNames = new Set(CONTROL_PLANE_ALLOWANCES.map((a) => a.service));

describe('eligible list', () => {
  test('date constant matches the one dated pair of reference files', () => {
    const dated = readdirSync(REFERENCE_DIR).filter((f) => /\d{4}-\d{2}-\d{2}\.txt$/.test(f));
    expect(dated.sort()).toEqual([
      `hipaa-eligible-iam-prefixes-${ELIGIBLE_LIST_DATE}.txt`,
      `hipaa-eligible-services-${ELIGIBLE_LIST_DATE}.txt`,
    ]);
    expect(SERVICES_FILE.endsWith(`-${ELIGIBLE_LIST_DATE}.txt`)).toBe(true);
    expect(IAM_PREFIXES_FILE.endsWith(`-${ELIGIBLE_LIST_DATE}.txt`)).toBe(true);
  });

  test('bracketed notes are stripped from names and kept as notes', () => {
    expect(parseServiceLine('AWS Fargate [ECS and EKS engines only]')).toEqual({
      name: 'AWS Fargate',
      note: 'ECS and EKS engines only',
    });
    expect(eligibleServiceNames.has('Amazon EventBridge')).toBe(true);
    expect(eligibleServiceNotes.get('Amazon EventBridge')).toBe('formerly Amazon Cloudwatch Events');
    expect(eligibleServiceNames.has('Alexa for Business')).toBe(true); // note has nested brackets
    expect(eligibleServiceNames.has('Amazon Aurora')).toBe(true);
    expect(eligibleServiceNotes.has('Amazon Aurora')).toBe(false);
    for (const name of eligibleServiceNames) expect(name).not.toMatch(/[[\]]/);
    expect(eligibleServiceNames.size).toBeGreaterThan(150);
  });

  test('IAM prefixes are parsed without the :* suffix', () => {
    expect(eligibleIamPrefixes.has('kms')).toBe(true);
    expect(eligibleIamPrefixes.has('cognito-idp')).toBe(true);
    for (const prefix of eligibleIamPrefixes) expect(prefix).toMatch(/^[a-z0-9-]+$/);
  });
});

describe('resource service map', () => {
  test('every mapped service marked eligible is on the list (exact name after note stripping)', () => {
    const missing = allMappings()
      .map((m) => m.service)
      .filter((s) => !KNOWN_INELIGIBLE_SERVICES.has(s) && !allowanceNames.has(s))
      .filter((s) => !eligibleServiceNames.has(s));
    expect([...new Set(missing)]).toEqual([]);
  });

  test('services mapped as not eligible, and control-plane allowances, are really not on the list', () => {
    for (const s of KNOWN_INELIGIBLE_SERVICES) expect(eligibleServiceNames.has(s)).toBe(false);
    for (const a of CONTROL_PLANE_ALLOWANCES) {
      expect(eligibleServiceNames.has(a.service)).toBe(false);
      expect(a.reason.length).toBeGreaterThan(20);
    }
  });

  test('the SCP leaves every mapped, allowed service usable (IAM prefix is allowed)', () => {
    const allowed = new Set(allowedIamPrefixes());
    const blocked = allMappings()
      .filter((m) => !KNOWN_INELIGIBLE_SERVICES.has(m.service))
      .filter((m) => !allowed.has(m.iamPrefix));
    expect(blocked).toEqual([]);
  });

  test('covers the namespaces a HIPAA blueprint uses', () => {
    expect(Object.keys(NAMESPACE_MAP).length).toBeGreaterThanOrEqual(40);
    expect(serviceForResourceType('AWS::EC2::VPC')).toBe('Amazon Virtual Private Cloud (VPC)');
    expect(serviceForResourceType('AWS::EC2::Instance')).toBe('Amazon Elastic Compute Cloud (Amazon EC2)');
    expect(serviceForResourceType('AWS::CDK::Metadata')).toBe('AWS CloudFormation');
    expect(serviceForResourceType('Custom::S3AutoDeleteObjects')).toBe('AWS Lambda');
    expect(lookupResourceType('AWS::Cognito::IdentityPool')?.iamPrefix).toBe('cognito-identity');
  });
});

describe('eligibility checks', () => {
  const sample = [
    'AWS::EC2::VPC',
    'AWS::KMS::Key',
    'AWS::S3::Bucket',
    'AWS::Logs::LogGroup',
    'AWS::RDS::DBCluster',
    'AWS::ECS::Service',
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    'AWS::WAFv2::WebACL',
    'AWS::Cognito::UserPool',
    'AWS::Backup::BackupVault',
    'AWS::CloudTrail::Trail',
    'AWS::GuardDuty::Detector',
    'AWS::SecurityHub::Hub',
    'AWS::Macie::Session',
    'AWS::Config::ConfigRule',
    'AWS::SNS::Topic',
    'AWS::Lambda::Function',
    'AWS::IAM::Role', // control-plane allowance, not on the list
    'AWS::SecretsManager::Secret',
    'AWS::ECR::Repository',
    'AWS::Events::Rule',
    'AWS::CloudWatch::Alarm',
    'AWS::SSM::Document',
    'AWS::InspectorV2::Filter',
    'AWS::ApplicationAutoScaling::ScalableTarget', // control-plane allowance
    'AWS::CDK::Metadata',
    'Custom::VpcRestrictDefaultSG',
  ];

  test.each(sample)('%s is eligible', (type) => {
    const [row] = checkTemplateTypes([type]);
    expect(row).toEqual({ type, service: expect.any(String), eligible: true });
  });

  test.each([
    ['AWS::Lightsail::Instance', 'Amazon Lightsail'],
    ['AWS::GameLift::Fleet', 'Amazon GameLift'],
    ['AWS::IoTAnalytics::Channel', 'AWS IoT Analytics'],
    ['AWS::Scheduler::Schedule', 'Amazon EventBridge Scheduler'],
    ['AWS::EC2::VPNConnection', 'AWS Site-to-Site VPN'],
  ])('%s is not eligible and names %s', (type, service) => {
    expect(checkTemplateTypes([type])).toEqual([{ type, service, eligible: false }]);
  });

  test.each(['AWS::Foo::Bar', 'Foo', 'AWS::S3', 'Custom::', 'AWS::Serverless::Function'])(
    '%s is unmapped and not eligible',
    (type) => {
      expect(lookupResourceType(type)).toBeUndefined();
      expect(checkTemplateTypes([type])).toEqual([{ type, service: undefined, eligible: false }]);
    },
  );

  test('checkTemplateTypes reports each type once in first-seen order', () => {
    const rows = checkTemplateTypes(['AWS::S3::Bucket', 'AWS::Foo::Bar', 'AWS::S3::Bucket']);
    expect(rows.map((r) => r.type)).toEqual(['AWS::S3::Bucket', 'AWS::Foo::Bar']);
  });
});

class TestPack extends NagPack {
  public readonly name = 'Test';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'Test';
  }

  protected checkResource(node: CfnResource): void {
    this.applyRule({
      info: 'Resource uses a service that is not HIPAA-eligible.',
      explanation: 'Only HIPAA-eligible AWS services may process PHI.',
      level: NagMessageLevel.ERROR,
      rule: HipaaEligibleService,
      node,
    });
  }
}

describe('HipaaEligibleService rule', () => {
  function stackWith(build: (stack: Stack) => void): { app: App; stack: Stack } {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
    build(stack);
    return { app, stack };
  }

  test('returns COMPLIANT or findings naming the cause on real CfnResources', () => {
    const { stack } = stackWith(() => undefined);
    const bucket = new s3.CfnBucket(stack, 'Bucket');
    const lightsail = new CfnResource(stack, 'Box', { type: 'AWS::Lightsail::Instance' });
    const unknown = new CfnResource(stack, 'Unknown', { type: 'AWS::Foo::Bar' });
    expect(HipaaEligibleService(bucket)).toBe(NagRuleCompliance.COMPLIANT);
    expect(HipaaEligibleService(lightsail)).toEqual(['Service::Amazon Lightsail']);
    expect(HipaaEligibleService(unknown)).toEqual(['Unmapped::AWS::Foo::Bar']);
  });

  test('via a NagPack: eligible L2 constructs pass, ineligible and unmapped types are violations', () => {
    const { app, stack } = stackWith((s) => {
      const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
      new s3.Bucket(s, 'Data', {
        encryptionKey: key,
        autoDeleteObjects: true, // adds Custom::S3AutoDeleteObjects backed by Lambda + IAM role
        removalPolicy: RemovalPolicy.DESTROY,
      });
      new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 });
    });

    // Everything the blueprint-style constructs synthesize is eligible (evidence report shape).
    const types = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>).map(
      (r) => r.Type,
    );
    expect(checkTemplateTypes(types).filter((r) => !r.eligible)).toEqual([]);
    expect(new TestPack().validateScope(app).violations).toEqual([]);

    new CfnResource(stack, 'Box', { type: 'AWS::Lightsail::Instance' });
    new CfnResource(stack, 'Fleet', { type: 'AWS::GameLift::Fleet' });
    new CfnResource(stack, 'Unknown', { type: 'AWS::Foo::Bar' });
    const report = new TestPack().validateScope(app);
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)])).toEqual([
      ['Test-HipaaEligibleService[Service::Amazon Lightsail]', ['Stack/Box']],
      ['Test-HipaaEligibleService[Service::Amazon GameLift]', ['Stack/Fleet']],
      ['Test-HipaaEligibleService[Unmapped::AWS::Foo::Bar]', ['Stack/Unknown']],
    ]);
  });
});

/** Minimal SCP evaluator: is `action` explicitly denied by a Deny statement (Action/NotAction globs)? */
function isDenied(policy: { Statement: readonly Record<string, unknown>[] }, action: string): boolean {
  const matches = (pattern: string): boolean =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'i',
    ).test(action);
  const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);
  return policy.Statement.filter((s) => s.Effect === 'Deny').some((s) =>
    s.NotAction !== undefined ? !list(s.NotAction).some(matches) : list(s.Action).some(matches),
  );
}

describe('eligibility SCP', () => {
  const policy = buildEligibilityScp();
  const json = renderEligibilityScp();

  test('fits the SCP size limit and is minified', () => {
    expect(json.length).toBeLessThanOrEqual(SCP_MAX_CHARS);
    expect(json).not.toMatch(/\s/);
    expect(JSON.parse(json)).toEqual(policy);
  });

  test('is one condition-free Deny with NotAction prefixes', () => {
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement).toEqual({
      Sid: 'DenyNonHipaaEligibleServices',
      Effect: 'Deny',
      NotAction: expect.arrayContaining(['kms:*', 's3:*', 'iam:*', 'sts:*', 'health:*']),
      Resource: '*',
    });
    expect(statement!.NotAction.every((a) => /^[a-z0-9-]+:\*$/.test(a))).toBe(true);
    expect(statement).not.toHaveProperty('Condition');
  });

  test.each(['lightsail:CreateInstances', 'gamelift:CreateFleet', 'scheduler:CreateSchedule', 'kmsx:Decrypt'])(
    'denies %s',
    (action) => expect(isDenied(policy, action)).toBe(true),
  );

  test.each([
    'kms:Decrypt',
    's3:GetObject',
    'KMS:decrypt',
    'iam:PassRole',
    'sts:AssumeRole',
    'application-autoscaling:RegisterScalableTarget',
    'cloudformation:CreateStack',
  ])('does not deny %s', (action) => expect(isDenied(policy, action)).toBe(false));

  test('renderScp throws with the number of characters over the limit', () => {
    const tooBig = { Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(SCP_MAX_CHARS) }] };
    const over = JSON.stringify(tooBig).length - SCP_MAX_CHARS;
    expect(() => renderScp(tooBig)).toThrow(`SCP is ${over} characters over the 5120-character limit`);
  });
});
