import { writeFileSync } from 'fs';
import { join } from 'path';
import { readAssembly } from '../../lib/deploy/core/assembly';
import { crossStackReferences } from '../../lib/deploy/references';
import { synthesizedDir } from '../support/synthesized';
import { scratchDir } from '../support/scratch';

// testConfig('prod') as the globalSetup synthesized it once for the run (read only).
let dir: string;
beforeAll(() => (dir = synthesizedDir('prod')));

describe('reading the synthesized cloud assembly', () => {
  it('reads each stack: name, environment, bootstrap requirement from the manifest, and template', () => {
    const a = readAssembly(dir);
    expect(a.stacks.map((s) => `${s.displayName} ${s.stackName} ${s.region}`)).toEqual([
      'Prod/Keys hipaa-prod-keys us-east-1',
      'Prod/Network hipaa-prod-network us-east-1',
      'Prod/Alerting hipaa-prod-alerting us-east-1',
      'Prod/Audit hipaa-prod-audit us-east-1',
      'Prod/Detection hipaa-prod-detection us-east-1',
      'Prod/Data hipaa-prod-data us-east-1',
      'Prod/PhiReplica hipaa-prod-phi-replica us-west-2',
      'Prod/ReplicaDetection hipaa-prod-replica-detection us-west-2',
      'Prod/App hipaa-prod-app us-east-1',
    ]);
    for (const s of a.stacks) {
      expect(s.account).toBe('123456789012');
      expect(s.requiresBootstrapStackVersion).toBeGreaterThanOrEqual(6);
      expect(s.bootstrapStackVersionSsmParameter).toBe('/cdk-bootstrap/hnb659fds/version');
      expect(s.terminationProtection).toBe(true);
      expect(Object.keys(s.template.Resources ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('finds the weak cross-stack references (Fn::GetStackOutput) between the stacks', () => {
    const refs = crossStackReferences(readAssembly(dir));
    expect(refs.length).toBeGreaterThan(5);
    expect(refs).toContainEqual(
      expect.objectContaining({ consumer: 'hipaa-prod-alerting', producer: 'hipaa-prod-keys' }),
    );
  });

  it('a missing or malformed assembly is an error naming the file and the field', () => {
    expect(() => readAssembly(join(dir, 'nope'))).toThrow(
      `${join(dir, 'nope', 'manifest.json')}: cannot be read (did the synth step run?)`,
    );
    const bad = scratchDir('hipaa-bad-');
    writeFileSync(
      join(bad, 'manifest.json'),
      JSON.stringify({
        artifacts: {
          S: { type: 'aws:cloudformation:stack', environment: 'aws://unknown', properties: { templateFile: 'S.json' } },
        },
      }),
    );
    expect(() => readAssembly(bad)).toThrow(
      `${join(bad, 'manifest.json')} artifacts.S: environment: must be aws://ACCOUNT/REGION`,
    );
  });
});
