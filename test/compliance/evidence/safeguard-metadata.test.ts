import { App, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { tagSafeguards } from '../../../constructs/core';
import { sectionsOf } from '../../../lib/compliance/catalogue/safeguards';
import {
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
