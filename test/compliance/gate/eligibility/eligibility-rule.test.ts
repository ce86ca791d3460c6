import { App, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { checkTemplateTypes, HipaaEligibleService } from '../../../../lib/compliance/gate/eligibility/eligibility-rule';
import { lookupResourceType } from '../../../../lib/compliance/gate/eligibility/resource-service-map';

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
