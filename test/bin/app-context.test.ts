/**
 * The context bin/hipaa-blueprint.ts gives its App, in the assembly `cdk synth` writes (the shipped dev environment's
 * `cdk synth` form, synthesized once per run by the Jest globalSetup: cdkSynthDir('dev')).
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { cdkSynthDir } from '../support/synthesized';

type MetadataFile = Record<string, { type: string; data?: unknown }[]>;

describe('bin/hipaa-blueprint.ts context defaults, as `cdk synth` applies them', () => {
  test('no creation stack traces (aws:cdk:disable-creation-stack-traces): each element keeps its logical id entry only', () => {
    const dir = cdkSynthDir('dev');
    const files = readdirSync(dir).filter((f) => f.endsWith('.metadata.json'));
    expect(files).toHaveLength(9);
    const types = new Map<string, number>();
    for (const file of files) {
      const metadata = JSON.parse(readFileSync(join(dir, file), 'utf8')) as MetadataFile;
      for (const entries of Object.values(metadata))
        for (const e of entries) types.set(e.type, (types.get(e.type) ?? 0) + 1);
    }
    // Every CloudFormation element still names its logical id (the CDK CLI maps a failed resource to its path by it).
    expect(types.get('aws:cdk:logicalId')).toBeGreaterThan(500);
    expect(types.get('aws:cdk:creationStack')).toBeUndefined();
  });
});
