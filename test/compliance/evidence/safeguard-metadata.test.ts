import { App, AspectPriority, Aspects, CfnDeletionPolicy, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { Template } from 'aws-cdk-lib/assertions';
import { tagSafeguards } from '../../../constructs/core';
import { sectionsOf } from '../../../lib/compliance/catalogue/safeguards';
import {
  PENDING_SAFEGUARD_METADATA,
  resourceSafeguards,
  SAFEGUARD_METADATA_KEY,
  SafeguardMetadataAspect,
} from '../../../lib/compliance/evidence/safeguard-metadata';
import { buildTestBlueprint, testConfig } from '../../support/blueprint';
import { allTemplates, templateJson } from '../../support/synthesized';

type Tpl = { Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }> };

describe('resource metadata', () => {
  test('V2 every resource of every stack carries the HipaaBlueprint metadata its safeguards call for', () => {
    // The construct tree of the dev environment (synthesized here without the packs, so every aspect has
    // run), compared with the templates of the shared dev synth (compliance gate on) resource by resource.
    const { app } = buildTestBlueprint(testConfig('dev'));
    app.synth();
    // Each stack's template read once (only read here), not once per resource.
    const templates = new Map<string, Tpl>();
    const templateOf = (id: string): Tpl => {
      if (!templates.has(id)) templates.set(id, templateJson('dev', id) as unknown as Tpl);
      return templates.get(id)!;
    };
    let tagged = 0;
    for (const node of app.node.findAll().filter(CfnResource.isCfnResource)) {
      const stack = Stack.of(node);
      const template = templateOf(stack.node.id);
      const resource = template.Resources[stack.resolve(node.logicalId) as string];
      if (!resource) continue; // not rendered (e.g. removed by a condition)
      const ids = resourceSafeguards(node);
      const meta = resource.Metadata?.[SAFEGUARD_METADATA_KEY];
      if (ids.length === 0) {
        expect(meta).toBeUndefined();
      } else {
        expect({ id: node.node.path, meta }).toEqual({
          id: node.node.path,
          meta: { safeguards: ids, hipaaSections: sectionsOf(ids) },
        });
        tagged++;
      }
    }
    expect(tagged).toBeGreaterThan(10);
  });

  test('V2 resource table examples: KMS key E1, flow log N4, log group U3+E2, ACL N2', () => {
    const types = new Map<string, string[]>();
    for (const { template } of allTemplates('dev') as unknown as { template: Tpl }[]) {
      for (const r of Object.values(template.Resources)) {
        const meta = r.Metadata?.[SAFEGUARD_METADATA_KEY] as { safeguards: string[] } | undefined;
        if (meta && !types.has(r.Type)) types.set(r.Type, meta.safeguards);
      }
    }
    expect(types.get('AWS::KMS::Key')).toEqual(expect.arrayContaining(['E1', 'I2']));
    expect(types.get('AWS::EC2::FlowLog')).toEqual(['N4']);
    expect(types.get('AWS::Logs::LogGroup')).toEqual(expect.arrayContaining(['U3', 'E2']));
    expect(types.get('AWS::EC2::NetworkAcl')).toEqual(['N2']);
  });

  test('V2 no synthesized template carries the placeholder the aspect puts in a resource’s Metadata', () => {
    for (const env of ['dev', 'prod'] as const) {
      const text = JSON.stringify(allTemplates(env));
      expect(text).toContain(SAFEGUARD_METADATA_KEY);
      expect(text).not.toContain(PENDING_SAFEGUARD_METADATA);
    }
  });

  test('V2 the safeguards are judged on the resource as the template has it: an aspect that runs after this one and switches a key’s rotation off and a bucket to SSE-S3 takes E1 and E2 off', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Probe');
    const key = new CfnKey(stack, 'Key', { enableKeyRotation: true });
    const bucket = new CfnBucket(stack, 'Bucket', {
      bucketEncryption: {
        serverSideEncryptionConfiguration: [
          { serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn } },
        ],
      },
    });
    // Nothing else about them is a safeguard: no Metadata is left on them once E1 and E2 are off.
    const handle = new CfnResource(stack, 'Handle', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    class Weaken implements IAspect {
      public visit(node: IConstruct): void {
        if (node === key) key.addPropertyOverride('EnableKeyRotation', false);
        if (node === bucket) {
          bucket.addPropertyOverride(
            'BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault',
            { SSEAlgorithm: 'AES256' },
          );
        }
      }
    }
    Aspects.of(app).add(new SafeguardMetadataAspect(), { priority: AspectPriority.MUTATING });
    Aspects.of(app).add(new Weaken(), { priority: AspectPriority.DEFAULT });
    const resources = Template.fromStack(stack).toJSON().Resources as Tpl['Resources'];
    expect(resources[stack.resolve(key.logicalId) as string]!.Metadata).toBeUndefined();
    expect(resources[stack.resolve(bucket.logicalId) as string]!.Metadata).toBeUndefined();
    expect(resources[stack.resolve(handle.logicalId) as string]!.Metadata).toBeUndefined();
    // Unweakened, the same resources carry them.
    const kept = new App({ builtinCloudFormationValidation: false });
    const keptStack = new Stack(kept, 'Probe');
    new CfnKey(keptStack, 'Key', { enableKeyRotation: true });
    Aspects.of(kept).add(new SafeguardMetadataAspect());
    Template.fromStack(keptStack).hasResource('AWS::KMS::Key', {
      Metadata: { HipaaBlueprint: { safeguards: ['E1'], hipaaSections: sectionsOf(['E1']) } },
    });
  });

  test('V2 I2 U2 U4 U3 the rows read the rendered resource: an overridden DeletionPolicy, Object Lock or data protection policy takes its safeguard off; string forms count as CloudFormation reads them', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Probe');
    const archive = new CfnBucket(stack, 'Archive', { objectLockEnabled: true });
    archive.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
    const logs = new CfnLogGroup(stack, 'Logs', { dataProtectionPolicy: { Name: 'mask' }, retentionInDays: 2192 });
    const kept = new CfnLogGroup(stack, 'Kept', { dataProtectionPolicy: { Name: 'mask' } });
    kept.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
    // "2192" is 2192 to CloudFormation.
    kept.addPropertyOverride('RetentionInDays', '2192');
    archive.addOverride('DeletionPolicy', 'Delete');
    archive.addPropertyDeletionOverride('ObjectLockEnabled');
    // {"Ref": "AWS::NoValue"} is no configuration at all.
    archive.addPropertyOverride('ObjectLockConfiguration', { Ref: 'AWS::NoValue' });
    logs.addPropertyDeletionOverride('DataProtectionPolicy');
    Aspects.of(app).add(new SafeguardMetadataAspect());
    const resources = Template.fromStack(stack).toJSON().Resources as Tpl['Resources'];
    const safeguardsOf = (r: CfnResource): unknown =>
      (resources[stack.resolve(r.logicalId) as string]!.Metadata?.[SAFEGUARD_METADATA_KEY] as { safeguards?: unknown })
        ?.safeguards;
    // Its L1 fields still say Retain and Object Lock; the template says neither.
    expect(safeguardsOf(archive)).toBeUndefined();
    expect(safeguardsOf(logs)).toEqual(['U3']);
    expect(safeguardsOf(kept)).toEqual(['U3', 'U4', 'I2']);
  });

  test('V2 tagSafeguards adds explicit safeguards below the tagged construct, and rejects unknown ids', () => {
    const probe = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(probe, 'Probe');
    const role = new CfnResource(stack, 'BreakGlass', { type: 'AWS::IAM::Role', properties: {} });
    tagSafeguards(stack.node.findChild('BreakGlass'), ['A5', 'A2']);
    Aspects.of(probe).add(new SafeguardMetadataAspect());
    Template.fromStack(stack).hasResource('AWS::IAM::Role', {
      Metadata: { HipaaBlueprint: { safeguards: ['A2', 'A3', 'A5'], hipaaSections: sectionsOf(['A2', 'A3', 'A5']) } },
    });
    expect(resourceSafeguards(role)).toEqual(['A2', 'A3', 'A5']);
    expect(() => tagSafeguards(stack, ['Z9'])).toThrow("tagSafeguards(Probe): 'Z9' is not a safeguard id");
  });
});
