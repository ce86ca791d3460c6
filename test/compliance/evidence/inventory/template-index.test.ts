import { TemplateIndex } from '../../../../lib/compliance/evidence/inventory/template-index';
import { fixtureStack } from '../../../support/inventory-stacks';

const producer = fixtureStack(
  'App/Producer',
  {
    Resources: {
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'data-123456789012-us-east-1' } },
    },
    Outputs: {
      KeyArn: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] } },
      Exported: { Value: { Ref: 'Bucket' }, Export: { Name: 'shared-bucket' } },
      Literal: { Value: 'arn:aws:kms:us-east-1:123456789012:alias/literal' },
    },
  },
  { stackName: 'producer-stack' },
);

const consumer = fixtureStack(
  'App/Consumer',
  {
    Parameters: { Param: { Type: 'String' } },
    Resources: {
      Local: { Type: 'AWS::SNS::Topic', Properties: {} },
      Uses: {
        Type: 'AWS::Logs::LogGroup',
        Properties: {
          KmsKeyId: {
            'Fn::GetStackOutput': { StackName: 'producer-stack', Region: 'us-east-1', OutputName: 'KeyArn' },
          },
          Imported: { 'Fn::ImportValue': 'shared-bucket' },
          Missing: { 'Fn::GetStackOutput': { StackName: 'not-synthesized', Region: 'us-east-1', OutputName: 'X' } },
          NoOutput: { 'Fn::GetStackOutput': { StackName: 'producer-stack', Region: 'us-east-1', OutputName: 'Nope' } },
          Sub: { 'Fn::Sub': 'arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${Local.TopicName}' },
          Joined: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':s3:::data-', { Ref: 'AWS::AccountId' }, '-us-east-1'],
            ],
          },
          Selected: { 'Fn::Select': [1, { 'Fn::Split': ['/', 'alias/one/two'] }] },
        },
      },
    },
  },
  { stackName: 'consumer-stack' },
);

const index = new TemplateIndex([consumer, producer]);
const p = (name: string): unknown => index.get('App/Consumer::Uses')!.properties[name];

describe('TemplateIndex', () => {
  test('V2 follows Fn::GetStackOutput to the producing stack output and the resource it refers to', () => {
    const ref = index.resolveOne(p('KmsKeyId'), consumer);
    expect(ref).toMatchObject({
      kind: 'resource',
      attribute: 'Arn',
      via: 'Fn::GetStackOutput producer-stack@us-east-1.KeyArn',
    });
    expect(ref?.kind === 'resource' && ref.target.key).toBe('App/Producer::Key');
  });

  test('V2 follows Fn::ImportValue through Export.Name', () => {
    const ref = index.resolveOne(p('Imported'), consumer);
    expect(ref?.kind === 'resource' && ref.target.key).toBe('App/Producer::Bucket');
  });

  test('V2 an unresolvable cross-stack reference is returned as unresolved with its reason, never dropped', () => {
    expect(index.resolveOne(p('Missing'), consumer)).toEqual({
      kind: 'unresolved',
      text: 'Fn::GetStackOutput not-synthesized@us-east-1.X',
      reason: 'no stack of that name in this synth',
    });
    expect(index.references(p('NoOutput'), consumer)).toEqual([
      {
        kind: 'unresolved',
        text: 'Fn::GetStackOutput producer-stack@us-east-1.Nope',
        reason: 'stack App/Producer has no output of that name',
      },
    ]);
    expect(index.resolveOne({ Ref: 'Param' }, consumer)).toMatchObject({
      kind: 'unresolved',
      reason: 'template parameter',
    });
    expect(index.resolveOne({ Ref: 'Ghost' }, consumer)).toMatchObject({
      kind: 'unresolved',
      reason: 'no such resource',
    });
  });

  test('references inside Fn::Sub placeholders are found, pseudo parameters are not references', () => {
    const refs = index.references(p('Sub'), consumer);
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatchObject({ kind: 'resource', attribute: 'TopicName' });
    expect(index.references({ Ref: 'AWS::AccountId' }, consumer)).toEqual([]);
  });

  test('flatten substitutes pseudo parameters from the stack and evaluates Join, Select, Split and outputs', () => {
    expect(index.flatten(p('Joined'), consumer)).toBe('arn:aws:s3:::data-123456789012-us-east-1');
    expect(index.flatten(p('Selected'), consumer)).toBe('one');
    expect(index.flatten(p('Sub'), consumer)).toBe('arn:aws:sns:us-east-1:123456789012:${Local.TopicName}');
    expect(
      index.flatten({ 'Fn::GetStackOutput': { StackName: 'producer-stack', OutputName: 'Literal' } }, consumer),
    ).toBe('arn:aws:kms:us-east-1:123456789012:alias/literal');
    const noEnv = fixtureStack('App/NoEnv', { Resources: {} }, { account: undefined, region: undefined });
    expect(index.flatten({ Ref: 'AWS::AccountId' }, noEnv)).toBe('${AWS::AccountId}');
  });

  test('buckets are found by the name in an S3 ARN', () => {
    expect(index.bucketNamed('arn:aws:s3:::data-123456789012-us-east-1/prefix/*')?.key).toBe('App/Producer::Bucket');
    expect(index.bucketNamed('data-123456789012-us-east-1')?.key).toBe('App/Producer::Bucket');
    expect(index.bucketNamed('arn:aws:s3:::other')).toBeUndefined();
  });

  test('tags are read from Tags lists and *Tags maps', () => {
    const s = fixtureStack('App/Tags', {
      Resources: {
        A: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'Backup', Value: 'phi' }] } },
        B: { Type: 'AWS::Backup::BackupVault', Properties: { BackupVaultTags: { Owner: 'team' } } },
      },
    });
    const i = new TemplateIndex([s]);
    expect(i.tagsOf(i.get('App/Tags::A')!)).toEqual({ Backup: 'phi' });
    expect(i.tagsOf(i.get('App/Tags::B')!)).toEqual({ Owner: 'team' });
  });
});
