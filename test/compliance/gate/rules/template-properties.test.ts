import { rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import {
  logicalIdOf,
  stackResourcesOfType,
  templateProperties,
} from '../../../../lib/compliance/gate/rules/template-properties';
import { FIXTURE_ENV, fixtureStack } from '../../../support/rule-fixtures';
import { scratchDir } from '../../../support/scratch';

describe('templateProperties: what the rules read is what the template deploys', () => {
  it('renders PascalCase properties with tokens resolved', () => {
    const s = fixtureStack();
    const key = new Key(s, 'K');
    const group = new CfnLogGroup(s, 'G', { retentionInDays: 2192, kmsKeyId: key.keyArn });
    expect(templateProperties(group)).toEqual({
      RetentionInDays: 2192,
      KmsKeyId: { 'Fn::GetAtt': [logicalIdOf(key.node.defaultChild as CfnResource), 'Arn'] },
    });
  });

  it('applies property overrides and deletion overrides (a typed L1 field would miss them)', () => {
    const group = new CfnLogGroup(fixtureStack(), 'G', { retentionInDays: 2192, logGroupName: 'x' });
    group.addPropertyOverride('RetentionInDays', 1);
    group.addPropertyDeletionOverride('LogGroupName');
    expect(group.retentionInDays).toBe(2192);
    expect(templateProperties(group)).toEqual({ RetentionInDays: 1 });
  });

  it('reads a generic CfnResource (custom resource providers create their roles and functions that way)', () => {
    const raw = new CfnResource(fixtureStack(), 'Raw', { type: 'AWS::IAM::Role', properties: { RoleName: 'r' } });
    expect(templateProperties(raw)).toEqual({ RoleName: 'r' });
  });

  it('reads a resource included from a template with CfnInclude (the template checker)', () => {
    const dir = scratchDir('template-properties-');
    const file = join(dir, 't.json');
    writeFileSync(
      file,
      JSON.stringify({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } } } }),
    );
    const included = new CfnInclude(fixtureStack(), 'T', { templateFile: file });
    rmSync(dir, { recursive: true, force: true });
    expect(templateProperties(included.getResource('Logs'))).toEqual({ RetentionInDays: 7 });
    expect(logicalIdOf(included.getResource('Logs'))).toBe('Logs');
  });

  it('a resource without properties has none (an empty object, never undefined)', () => {
    expect(templateProperties(new CfnResource(fixtureStack(), 'Bare', { type: 'AWS::SNS::Topic' }))).toEqual({});
  });
});

describe('logicalIdOf and stackResourcesOfType', () => {
  it('logicalIdOf is the id a Ref names, overrides included', () => {
    const s = fixtureStack();
    const group = new CfnLogGroup(s, 'G', {});
    expect(logicalIdOf(group)).toBe(s.getLogicalId(group));
    group.overrideLogicalId('Renamed');
    expect(logicalIdOf(group)).toBe('Renamed');
  });

  it("stackResourcesOfType finds the type in the node's own stack only", () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const mine = new Stack(app, 'Mine', { env: FIXTURE_ENV });
    const other = new Stack(app, 'Other', { env: FIXTURE_ENV });
    const a = new CfnLogGroup(mine, 'A', {});
    const b = new CfnLogGroup(mine, 'B', {});
    new CfnLogGroup(other, 'C', {});
    new CfnResource(mine, 'Topic', { type: 'AWS::SNS::Topic' });
    expect(stackResourcesOfType(a, 'AWS::Logs::LogGroup')).toEqual([a, b]);
    expect(stackResourcesOfType(a, 'AWS::S3::Bucket')).toEqual([]);
  });
});
