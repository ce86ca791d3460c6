import { Json, one, Probe } from './probe';

const isPhiBucket = (r: Json) => r.Metadata?.['HipaaBlueprint::PhiStore'] === true;

/**
 * Edits that keep every safeguard in the template as written and change what deploys: a macro that rewrites the
 * template, a snippet included from S3, a nested stack, a value chosen by a parameter or kept in Systems Manager.
 */
export const PROBES: readonly Probe[] = [
  {
    name: 'E1 V2 the data stack handed to a macro (a Transform rewrites it at deploy, after the gate judged it)',
    safeguards: ['E1', 'V2'],
    mutate: (t) => {
      t.data!.Transform = 'StripEncryption';
    },
    caughtBy: /TemplateDeploysAsWritten\[Transform::StripEncryption\]/,
  },
  {
    name: 'E1 V2 the PHI bucket’s encryption included from an S3 snippet at deploy (Fn::Transform AWS::Include)',
    safeguards: ['E1', 'V2'],
    mutate: (t) => {
      one(t, 'data', 'AWS::S3::Bucket', isPhiBucket)[1].Properties.BucketEncryption = {
        'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://fork-snippets/encryption.yaml' } },
      };
    },
    caughtBy: /TemplateDeploysAsWritten\[Fn::Transform::AWS::Include\]/,
  },
  {
    name: 'V2 the audit stack deploys a nested stack (its template is a file the gate never reads)',
    safeguards: ['V2'],
    mutate: (t) => {
      t.audit!.Resources.ForkNested = {
        Type: 'AWS::CloudFormation::Stack',
        Properties: { TemplateURL: 'https://fork-templates.s3.amazonaws.com/nested.json' },
      };
    },
    caughtBy: /TemplateDeploysAsWritten\[Type::AWS::CloudFormation::Stack\]/,
  },
  {
    name: 'U1 V2 whether the trail logs taken from a parameter (its default true, `--parameters` can pass false)',
    safeguards: ['U1', 'V2'],
    mutate: (t) => {
      t.audit!.Parameters = {
        ...((t.audit!.Parameters as Json | undefined) ?? {}),
        TrailLogging: { Type: 'String', Default: 'true', AllowedValues: ['true', 'false'] },
      };
      one(t, 'audit', 'AWS::CloudTrail::Trail')[1].Properties.IsLogging = { Ref: 'TrailLogging' };
    },
    caughtBy: /TemplateDeploysAsWritten\[Parameter::TrailLogging\]/,
  },
  {
    name: 'U3 V2 the audit log group’s retention read from Systems Manager at deploy ({{resolve:ssm:...}})',
    safeguards: ['U3', 'V2'],
    mutate: (t) => {
      one(t, 'audit', 'AWS::Logs::LogGroup')[1].Properties.RetentionInDays = '{{resolve:ssm:/fork/retention-days}}';
    },
    caughtBy: /TemplateDeploysAsWritten\[DynamicReference::ssm\]/,
  },
  {
    name: 'E1 V2 the PHI key alias pointed at a key id kept in a Secrets Manager secret (a secret can hold any value)',
    safeguards: ['E1', 'V2'],
    mutate: (t) => {
      one(
        t,
        'keys',
        'AWS::KMS::Alias',
        (r) => r.Properties.AliasName === 'alias/hipaa-prod/phi',
      )[1].Properties.TargetKeyId = '{{resolve:secretsmanager:fork-config:SecretString:phi-key}}';
    },
    caughtBy: /TemplateDeploysAsWritten\[DynamicReference::secretsmanager@TargetKeyId\]/,
  },
  {
    name: 'U3 V2 the audit log group’s retention from Systems Manager, the reference assembled by an Fn::Sub variable',
    safeguards: ['U3', 'V2'],
    mutate: (t) => {
      one(t, 'audit', 'AWS::Logs::LogGroup')[1].Properties.RetentionInDays = {
        'Fn::Sub': ['{${Open}resolve:ssm:/fork/retention-days}}', { Open: '{' }],
      };
    },
    caughtBy: /TemplateDeploysAsWritten\[DynamicReference::ssm\]/,
  },
  {
    name: 'V2 a custom resource in the data stack run by another account’s function (code the template does not hold)',
    safeguards: ['V2'],
    mutate: (t) => {
      t.data!.Resources.ForkDeployer = {
        Type: 'Custom::Deployer',
        Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:999999999999:function:deployer' },
      };
    },
    caughtBy: /TemplateDeploysAsWritten\[ServiceToken::not-a-function-of-this-template\]/,
  },
];
