/**
 * PacksSeeOverrides: a resource the rule packs did not judge as it deploys (a raw property override, or a plain
 * CfnResource of an AWS type) is checked again by the packs as its template renders it, at synth.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnDBInstance } from 'aws-cdk-lib/aws-rds';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { AssemblyContext, OverriddenResources } from '../../../../lib/compliance/gate/assembly';
import { PacksSeeOverrides } from '../../../../lib/compliance/gate/assembly/packs-see-overrides';
import { unjudgedBecause } from '../../../../lib/compliance/gate/assembly-plugin';
import { AssemblyStack } from '../../../../lib/compliance/gate/core/template-json';
import { buildTestBlueprint } from '../../../support/blueprint';

const STACK: AssemblyStack = {
  stackName: 'hipaa-dev-data',
  file: 'DevData.template.json',
  path: 'Dev/Data',
  template: { Resources: { Db: { Type: 'AWS::RDS::DBInstance' }, Other: { Type: 'AWS::SNS::Topic' } } },
};

describe('PacksSeeOverrides', () => {
  test('V2 each pack finding on a rechecked resource is a finding naming the pack rule, the resource and why', () => {
    const asked: string[][] = [];
    const overrides: OverriddenResources = {
      byStack: new Map([['Dev/Data', new Map([['Db', 'a raw property override']])]]),
      checkWithPacks: (stack, logicalIds) => {
        asked.push([stack.path!, ...logicalIds]);
        return [{ ruleId: 'HIPAA.Security-RDSStorageEncrypted', logicalId: 'Db', description: 'not encrypted' }];
      },
    };
    const result = PacksSeeOverrides.check([STACK], { overrides });
    expect(asked).toEqual([['Dev/Data', 'Db']]);
    expect(result.evaluated).toBe(1);
    expect(result.findings.map((f) => [f.ruleId, f.logicalId])).toEqual([
      ['Blueprint-PacksSeeOverrides[HIPAA.Security-RDSStorageEncrypted]', 'Db'],
    ]);
    expect(result.findings[0]!.description).toMatch(/Db \(a raw property override\).*not encrypted/);
  });

  test('without the construct tree (the template checker, which runs the packs on every template) it judges nothing', () => {
    const context: AssemblyContext = {};
    expect(PacksSeeOverrides.check([STACK], context)).toEqual({ findings: [], evaluated: 0 });
  });
});

describe('unjudgedBecause: what the packs did not see in the construct tree', () => {
  const stack = new Stack(new App(), 'S');
  test.each([
    [
      'an L1 with a property override',
      () => {
        const b = new CfnBucket(stack, 'Overridden');
        b.addPropertyOverride('VersioningConfiguration.Status', 'Suspended');
        return b;
      },
      'a raw property override',
    ],
    [
      'an L1 with a property deletion override',
      () => {
        const d = new CfnDBInstance(stack, 'Deleted', { storageEncrypted: true });
        d.addPropertyDeletionOverride('StorageEncrypted');
        return d;
      },
      'a raw property override',
    ],
    [
      'a plain CfnResource of an AWS type',
      () => new CfnResource(stack, 'Plain', { type: 'AWS::S3::Bucket' }),
      'a plain CfnResource',
    ],
    ['an L1 without overrides', () => new CfnBucket(stack, 'Typed'), undefined],
    [
      'an L1 with an override of its DeletionPolicy only',
      () => {
        const b = new CfnBucket(stack, 'Policy');
        b.addOverride('DeletionPolicy', 'Retain');
        return b;
      },
      undefined,
    ],
    ['a custom resource', () => new CfnResource(stack, 'Custom', { type: 'Custom::Thing' }), undefined],
    [
      "CDK's version-reporting resource",
      () => new CfnResource(stack, 'CdkMeta', { type: 'AWS::CDK::Metadata' }),
      undefined,
    ],
  ])('%s', (_name, make, why) => {
    expect(unjudgedBecause(make())).toBe(why);
  });
});

describe('at synth (the real gate)', () => {
  test('V2 a database storage-encryption override and a plain bucket resource fail synth through the packs', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'packs-see-overrides-'));
    try {
      const { app } = buildTestBlueprint(undefined, { compliance: true, outdir });
      const data = app.node.findAll().find((c) => c.node.path === 'Dev/Data')!;
      const db = data.node.findAll().find((c): c is CfnDBInstance => c instanceof CfnDBInstance)!;
      // What the packs read in the tree stays encrypted; what deploys is not.
      db.addPropertyOverride('StorageEncrypted', false);
      new CfnResource(data, 'PlainBucket', { type: 'AWS::S3::Bucket' });
      expect(() => app.synth()).toThrow(
        /Blueprint-PacksSeeOverrides\[HIPAA\.Security-RDSStorageEncrypted\][\s\S]*Blueprint-PacksSeeOverrides\[HIPAA\.Security-S3BucketVersioningEnabled\]|Blueprint-PacksSeeOverrides\[HIPAA\.Security-S3BucketVersioningEnabled\][\s\S]*Blueprint-PacksSeeOverrides\[HIPAA\.Security-RDSStorageEncrypted\]/,
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
