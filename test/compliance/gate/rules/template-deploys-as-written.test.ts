import { App, CfnDynamicReference, CfnDynamicReferenceService, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { CfnCustomResource, CfnStack } from 'aws-cdk-lib/aws-cloudformation';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnDBInstance } from 'aws-cdk-lib/aws-rds';
import { CfnTopic } from 'aws-cdk-lib/aws-sns';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';
import { BlueprintChecks } from '../../../../lib/compliance/gate/blueprint-checks';
import { FIXTURE_ENV, projectFindings } from '../../../support/rule-fixtures';

const RULE = 'Blueprint-TemplateDeploysAsWritten';
const own = (ids: readonly string[]): string[] => ids.filter((id) => id.startsWith(RULE));

describe('project rule TemplateDeploysAsWritten (V2, V1)', () => {
  it('V2 passes a stack that deploys as written: a secret only as a credential, a custom resource of its own function', () => {
    const out = projectFindings((s) => {
      new CfnTopic(s, 'Topic', { displayName: 'alerts' });
      new CfnDBInstance(s, 'Db', {
        dbInstanceClass: 'db.t4g.micro',
        engine: 'postgres',
        masterUsername: 'admin',
        masterUserPassword: new CfnDynamicReference(
          CfnDynamicReferenceService.SECRETS_MANAGER,
          'db:SecretString:password',
        ).toString(),
      });
      const fn = new CfnFunction(s, 'Handler', { code: { zipFile: 'x' }, role: 'arn:aws:iam::123456789012:role/r' });
      new CfnCustomResource(s, 'Custom', { serviceToken: fn.attrArn });
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

  it('V2 fires at synth on a nested stack, an Fn::Transform in a property, a parameter, an SSM reference and another account’s stack output', () => {
    const out = projectFindings((s) => {
      new CfnStack(s, 'Nested', { templateUrl: 'https://example-bucket.s3.amazonaws.com/nested.json' });
      const included = new CfnTopic(s, 'Included');
      included.addPropertyOverride('DisplayName', {
        'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://example-bucket/snippet.yaml' } },
      });
      const reader = new CfnTopic(s, 'ReadsAnotherAccount');
      reader.addPropertyOverride('KmsMasterKeyId', {
        'Fn::GetStackOutput': { StackName: 'keys', OutputName: 'Key', RoleArn: 'arn:aws:iam::999999999999:role/r' },
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
        `${RULE}[GetStackOutput::RoleArn]`,
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

    it('V2 reports JSON in a string that repeats a key, at any depth, written with escapes too; JSON without one passes', () => {
      const twice = '{"Statement": [{"Effect": "Allow", "Action": "backup:DeleteRecoveryPoint", "Effect": "Deny"}]}';
      const vault = (policy: unknown) => ({
        Type: 'AWS::Backup::BackupVault',
        Properties: { BackupVaultName: 'v', AccessPolicy: policy },
      });
      expect(ids({ Resources: { Vault: vault(twice) } })).toEqual([`${RULE}[JsonText::duplicate-key@AccessPolicy]`]);
      expect(ids({ Resources: { Vault: vault(twice.replace('"Effect": "Deny"', '"\\u0045ffect": "Deny"')) } })).toEqual(
        [`${RULE}[JsonText::duplicate-key@AccessPolicy]`],
      );
      // Inside an intrinsic (the body of an Fn::Sub) and deep in a property (a role's inline policy).
      const role = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Statement: [] },
          Policies: [{ PolicyName: 'p', PolicyDocument: { 'Fn::Sub': twice.replace('backup', '${AWS::Partition}') } }],
        },
      };
      expect(ids({ Resources: { Role: role } })).toEqual([`${RULE}[JsonText::duplicate-key@Policies]`]);
      expect(
        ids({
          Resources: {
            Vault: vault(twice.replace(', "Effect": "Deny"', '')),
            Topic: topic({ DisplayName: '{not json' }),
          },
        }),
      ).toEqual([]);
    });

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

    it('V2 reads a dynamic reference however it is written: to Systems Manager anywhere, to a secret outside a credential property', () => {
      const display = (value: unknown, extra: Record<string, unknown> = {}) =>
        ids({ ...extra, Resources: { Topic: topic({ DisplayName: value }) } });
      const ssm = [`${RULE}[DynamicReference::ssm]`];
      expect(display('{{resolve:ssm:/fork/name:1}}')).toEqual(ssm);
      // Split across the parts of a join, a nested join, an Fn::Sub variable, an Fn::Split list, an Fn::Select.
      expect(display({ 'Fn::Join': ['', ['{{resol', 've:ssm:/fork/name}}']] })).toEqual(ssm);
      expect(display({ 'Fn::Join': ['', [{ 'Fn::Join': ['', ['{', '{']] }, 'resolve:ssm:/p}}']] })).toEqual(ssm);
      expect(display({ 'Fn::Sub': ['{${B}resolve:ssm:/p}}', { B: '{' }] })).toEqual(ssm);
      expect(display({ 'Fn::Sub': ['{${ B }resolve:ssm:/p}}', { B: '{' }] })).toEqual(ssm);
      expect(display({ 'Fn::Join': ['', { 'Fn::Split': ['|', '{|{resolve:ssm:/p}}'] }] })).toEqual(ssm);
      expect(display({ 'Fn::Join': ['', ['{', { 'Fn::Select': [0, ['{']] }, 'resolve:ssm:/p}}']] })).toEqual(ssm);
      const conditions = { Conditions: { C: { 'Fn::Equals': ['a', 'b'] } } };
      expect(display({ 'Fn::If': ['C', 'plain', '{{resolve:ssm:/p}}'] }, conditions)).toEqual(ssm);
      // Kept in Mappings (read through Fn::FindInMap) or Outputs (read by other stacks).
      const mapped = display(
        { 'Fn::FindInMap': ['M', 'a', 'b'] },
        { Mappings: { M: { a: { b: '{{resolve:ssm:/p}}' } } } },
      );
      expect(mapped.sort()).toEqual([`${RULE}[DynamicReference::ssm@Mappings]`, `${RULE}[DynamicReference::ssm]`]);
      expect(display('x', { Outputs: { O: { Value: '{{resolve:ssm:/p}}' } } })).toEqual([
        `${RULE}[DynamicReference::ssm@Outputs]`,
      ]);
      // A service only deploy resolves.
      expect(display({ 'Fn::Join': ['', ['{{resolve:', { Ref: 'AWS::Region' }, ':/x}}']] })).toEqual([
        `${RULE}[DynamicReference::unresolved]`,
      ]);
      expect(display({ 'Fn::Sub': '{{resolve:${AWS::Region}:/x}}' })).toEqual([
        `${RULE}[DynamicReference::unresolved]`,
      ]);
      // A secret holds any value: only a credential property may read one.
      expect(display('{{resolve:secretsmanager:cfg:SecretString:name}}')).toEqual([
        `${RULE}[DynamicReference::secretsmanager@DisplayName]`,
      ]);
      const alias = (target: unknown) =>
        ids({
          Resources: { Alias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/x', TargetKeyId: target } } },
        });
      expect(alias('{{resolve:secretsmanager:cfg:SecretString:key}}')).toEqual([
        `${RULE}[DynamicReference::secretsmanager@TargetKeyId]`,
      ]);
      const password = (value: unknown) =>
        ids({
          Resources: {
            Db: {
              Type: 'AWS::RDS::DBInstance',
              Properties: { DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', MasterUserPassword: value },
            },
          },
        });
      expect(password('{{resolve:secretsmanager:db:SecretString:password}}')).toEqual([]);
      // CDK's generated credentials put the user name in the secret too; a setting about a token is no credential, nor
      // a key of a policy condition named like one.
      expect(
        ids({
          Resources: {
            Db: {
              Type: 'AWS::RDS::DBInstance',
              Properties: {
                DBInstanceClass: 'db.t4g.micro',
                Engine: 'postgres',
                MasterUsername: '{{resolve:secretsmanager:db:SecretString:username::}}',
              },
            },
          },
        }),
      ).toEqual([]);
      const client = (validity: unknown) =>
        ids({
          Resources: {
            Client: {
              Type: 'AWS::Cognito::UserPoolClient',
              Properties: { UserPoolId: 'p', AccessTokenValidity: validity },
            },
          },
        }).filter((f) => f.startsWith(RULE));
      expect(client('{{resolve:secretsmanager:cfg:SecretString:minutes}}')).toEqual([
        `${RULE}[DynamicReference::secretsmanager@AccessTokenValidity]`,
      ]);
      const policy = ids({
        Resources: {
          Policy: {
            Type: 'AWS::S3::BucketPolicy',
            Properties: {
              Bucket: 'b',
              PolicyDocument: {
                Statement: [
                  {
                    Effect: 'Deny',
                    Principal: '*',
                    Action: 's3:*',
                    Resource: '*',
                    Condition: {
                      StringEquals: { 'aws:PrincipalTag/token': '{{resolve:secretsmanager:cfg:SecretString:t}}' },
                    },
                  },
                ],
              },
            },
          },
        },
      });
      expect(policy).toContain(`${RULE}[DynamicReference::secretsmanager@aws:PrincipalTag/token]`);
      // A secret in a tag or an environment variable is readable by anyone who reads the resource.
      const tagged = ids({
        Resources: {
          Topic: topic({ Tags: [{ Key: 'password', Value: 'x' }] }),
          Fn: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Code: { ZipFile: 'x' },
              Role: 'arn:aws:iam::1:role/r',
              Environment: { Variables: { DB_PASSWORD: '{{resolve:secretsmanager:db:SecretString:password}}' } },
            },
          },
        },
      });
      expect(tagged).toContain(`${RULE}[DynamicReference::secretsmanager@DB_PASSWORD]`);
      // An ARN CDK splits from a token names a service after an unknown part: no reference.
      expect(
        display(
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::ImportValue': 'queue-arn' }] }] },
                ':secretsmanager:us-east-1:123456789012:secret:x',
              ],
            ],
          },
          { Resources: { Q: { Type: 'AWS::SQS::Queue' } } },
        ).filter((f) => f.includes('DynamicReference')),
      ).toEqual([]);
      // A part another stack or a resource supplies may complete a reference.
      expect(
        display({
          'Fn::Join': ['', ['{{', { 'Fn::GetStackOutput': { StackName: 's', OutputName: 'o' } }, ':ssm:/p}}']],
        }).filter((f) => f.includes('DynamicReference')),
      ).toEqual([`${RULE}[DynamicReference::unresolved]`]);
      expect(password('{{resolve:ssm-secure:/db/password:1}}')).toEqual([]);
      expect(display(Fn.join('', ['plain ', 'name']))).toEqual([]);
      // More alternatives than the reader keeps (2^7 branches): it may hold one.
      const wide = { 'Fn::Join': ['', Array.from({ length: 7 }, () => ({ 'Fn::If': ['C', 'a', 'b'] }))] };
      expect(display(wide, conditions)).toEqual([`${RULE}[DynamicReference::unreadable]`]);
    });

    it('V2 reports code and values from outside the template: a custom resource of another function, a hook, a role reading another account’s stack output, a resource slot holding an Fn::Transform, BootstrapVersion read with spaces', () => {
      const custom = (token: unknown) =>
        ids({
          Resources: {
            Fn: {
              Type: 'AWS::Lambda::Function',
              Properties: { Code: { ZipFile: 'x' }, Role: 'arn:aws:iam::1:role/r' },
            },
            Custom: { Type: 'Custom::Deployer', Properties: { ServiceToken: token } },
          },
        });
      const outside = [`${RULE}[ServiceToken::not-a-function-of-this-template]`];
      expect(custom({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toEqual([]);
      expect(custom('arn:aws:lambda:us-east-1:999999999999:function:deployer')).toEqual(outside);
      expect(custom('arn:aws:sns:us-east-1:999999999999:deployer')).toEqual(outside);
      expect(custom({ Ref: 'Fn' })).toEqual(outside);
      expect(custom({ 'Fn::GetAtt': 'Fn.Arn' })).toEqual([]);
      expect(
        ids({ Resources: { Hook: { Type: 'AWS::CloudFormation::HookDefaultVersion', Properties: {} } } }).filter((f) =>
          f.includes('Type::'),
        ),
      ).toEqual([`${RULE}[Type::AWS::CloudFormation::HookDefaultVersion]`]);
      // check-template refuses it (the rewrite to Fn::ImportValue would check the assembly's stack instead).
      expect(() =>
        checkTemplate({
          Resources: {
            Topic: topic({
              KmsMasterKeyId: {
                'Fn::GetStackOutput': {
                  StackName: 'hipaa-dev-keys',
                  OutputName: 'Key',
                  RoleArn: 'arn:aws:iam::999999999999:role/reader',
                },
              },
            }),
          },
        }),
      ).toThrow(/RoleArn reads another account's stack, which is not checked here/);
      expect(
        ids({
          Resources: {
            'Fn::Transform': { Type: 'AWS::CDK::Metadata', Name: 'AWS::Include', Parameters: { Location: 's3://b/x' } },
            Topic: topic(),
          },
        }),
      ).toEqual([`${RULE}[Fn::Transform::AWS::Include@Resources]`, `${RULE}[Fn::Transform::AWS::Include@Resources]`]);
      expect(
        ids({ ...bootstrap, Resources: { Topic: topic({ DisplayName: { 'Fn::Sub': 'v${ BootstrapVersion }' } }) } }),
      ).toEqual([`${RULE}[Parameter::BootstrapVersion-read-outside-Rules]`]);
      // A variable of the same name shadows the parameter.
      expect(
        ids({
          ...bootstrap,
          Resources: {
            Topic: topic({ DisplayName: { 'Fn::Sub': ['${BootstrapVersion}', { BootstrapVersion: 'x' }] } }),
          },
        }),
      ).toEqual([]);
    });
  });
});
