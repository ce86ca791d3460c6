import { App, CfnDynamicReference, CfnDynamicReferenceService, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { CfnStack } from 'aws-cdk-lib/aws-cloudformation';
import { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';
import { BlueprintChecks } from '../../../../lib/compliance/gate/blueprint-checks';
import { FIXTURE_ENV, projectFindings } from '../../../support/rule-fixtures';

const RULE = 'Blueprint-TemplateDeploysAsWritten';
const own = (ids: readonly string[]): string[] => ids.filter((id) => id.startsWith(RULE));

describe('project rule TemplateDeploysAsWritten (V2, V1)', () => {
  it('V2 passes a stack that deploys as written, a reference to a secret included', () => {
    const out = projectFindings((s) => {
      new CfnTopic(s, 'Topic', { displayName: 'alerts' });
      new CfnTopic(s, 'Secret', {
        displayName: new CfnDynamicReference(
          CfnDynamicReferenceService.SECRETS_MANAGER,
          'db:SecretString:x',
        ).toString(),
      });
    });
    expect(own(out)).toEqual([]);
  });

  it('V2 fires at synth on a Transform of the stack, for every resource the macro may rewrite', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'S', { env: FIXTURE_ENV });
    stack.addTransform('Fork');
    new CfnTopic(stack, 'A');
    new CfnTopic(stack, 'B');
    const violation = new BlueprintChecks().validateScope(app).violations.find((v) => v.ruleName.startsWith(RULE));
    expect(violation?.ruleName).toBe(`${RULE}[Transform::Fork]`);
    expect(violation?.violatingResources.map((r) => r.constructPath)).toEqual(['S/A', 'S/B']);
    const out = projectFindings((s) => {
      s.addTransform('AWS::Serverless-2016-10-31');
      new CfnTopic(s, 'A');
      new CfnTopic(s, 'B');
    });
    // cdk-nag reports one violation per finding, naming every resource.
    expect(own(out)).toEqual([`${RULE}[Transform::AWS::Serverless-2016-10-31]`]);
  });

  it('V2 fires at synth on a nested stack, an Fn::Transform in a property, a parameter and an SSM reference', () => {
    const out = projectFindings((s) => {
      new CfnStack(s, 'Nested', { templateUrl: 'https://example-bucket.s3.amazonaws.com/nested.json' });
      const included = new CfnTopic(s, 'Included');
      included.addPropertyOverride('DisplayName', {
        'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://example-bucket/snippet.yaml' } },
      });
      new CfnTopic(s, 'FromSsm', {
        displayName: new CfnDynamicReference(CfnDynamicReferenceService.SSM, '/fork/name').toString(),
      });
    });
    expect(own(out).sort()).toEqual(
      [
        `${RULE}[Type::AWS::CloudFormation::Stack]`,
        `${RULE}[Fn::Transform::AWS::Include]`,
        `${RULE}[DynamicReference::ssm]`,
      ].sort(),
    );
    const withParameter = projectFindings((s) => {
      const name = new CfnParameter(s, 'TopicName', { default: 'alerts' });
      new CfnTopic(s, 'Topic', { displayName: name.valueAsString });
    });
    expect(own(withParameter)).toEqual([`${RULE}[Parameter::TopicName]`]);
  });

  describe('check-template', () => {
    const topic = (props: Record<string, unknown> = {}) => ({ Type: 'AWS::SNS::Topic', Properties: props });
    const ids = (template: Record<string, unknown>) => own(checkTemplate(template).findings.map((f) => f.ruleId));
    const bootstrap = {
      Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/v' } },
      Rules: {
        CheckBootstrapVersion: {
          Assertions: [{ Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1'], { Ref: 'BootstrapVersion' }] }] } }],
        },
      },
    };

    it('V2 passes the synthesizer’s BootstrapVersion parameter when only the Rules read it', () => {
      expect(ids({ ...bootstrap, Resources: { Topic: topic() } })).toEqual([]);
    });

    it('V2 reports what a hand edit adds: a Transform (string or list), a macro in Outputs, a nested stack, a StackSet, a parameter, BootstrapVersion read by a resource', () => {
      expect(ids({ Transform: 'StripEncryption', Resources: { Topic: topic() } })).toEqual([
        `${RULE}[Transform::StripEncryption]`,
      ]);
      expect(
        ids({ Transform: ['AWS::LanguageExtensions', { Name: 'Fork' }], Resources: { Topic: topic() } }).sort(),
      ).toEqual([`${RULE}[Transform::AWS::LanguageExtensions]`, `${RULE}[Transform::Fork]`]);
      expect(
        ids({
          Outputs: {
            Name: { Value: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } } },
          },
          Resources: { Topic: topic() },
        }),
      ).toEqual([`${RULE}[Fn::Transform::AWS::Include@Outputs]`]);
      expect(
        ids({
          Resources: {
            Nested: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://b.s3.amazonaws.com/t' } },
            Set: {
              Type: 'AWS::CloudFormation::StackSet',
              Properties: { StackSetName: 's', PermissionModel: 'SELF_MANAGED' },
            },
          },
        }).sort(),
      ).toEqual([`${RULE}[Type::AWS::CloudFormation::StackSet]`, `${RULE}[Type::AWS::CloudFormation::Stack]`]);
      expect(ids({ Parameters: { Encryption: { Type: 'String' } }, Resources: { A: topic(), B: topic() } })).toEqual([
        `${RULE}[Parameter::Encryption]`,
        `${RULE}[Parameter::Encryption]`,
      ]);
      expect(
        ids({ ...bootstrap, Resources: { Topic: topic({ DisplayName: { 'Fn::Sub': 'v${BootstrapVersion}' } }) } }),
      ).toEqual([`${RULE}[Parameter::BootstrapVersion-read-outside-Rules]`]);
    });

    it('V2 reads a Systems Manager reference however it is written, and lets secrets pass', () => {
      const display = (value: unknown) => ids({ Resources: { Topic: topic({ DisplayName: value }) } });
      expect(display('{{resolve:ssm:/fork/name:1}}')).toEqual([`${RULE}[DynamicReference::ssm]`]);
      expect(display({ 'Fn::Join': ['', ['{{resol', 've:ssm:/fork/name}}']] })).toEqual([
        `${RULE}[DynamicReference::ssm]`,
      ]);
      expect(display({ 'Fn::Join': ['', ['{{resolve:', { Ref: 'AWS::Region' }, ':/x}}']] })).toEqual([
        `${RULE}[DynamicReference::unresolved]`,
      ]);
      expect(display({ 'Fn::Sub': '{{resolve:${AWS::Region}:/x}}' })).toEqual([
        `${RULE}[DynamicReference::unresolved]`,
      ]);
      expect(display('{{resolve:secretsmanager:db:SecretString:password}}')).toEqual([]);
      expect(display('{{resolve:ssm-secure:/db/password:1}}')).toEqual([]);
      expect(display(Fn.join('', ['plain ', 'name']))).toEqual([]);
    });
  });
});
