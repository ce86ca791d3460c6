import { App, Stack } from 'aws-cdk-lib';
import { buildBlueprint } from '../../lib/blueprint-app';
import { validateConfig } from '../../lib/config';
import { allStackRefs, deployStackSelection, macieJobName, OUTPUTS, stackName } from '../../lib/deploy/core/stacks';
import { testConfig } from '../support/blueprint';
import { configOf } from '../support/synthesize-environment';
import { SynthesizedStack, synthesizedStacks, templateJson } from '../support/synthesized';

// The app of testConfig('prod') as the globalSetup synthesized it once for the run (its cloud assembly manifest and
// templates: what `cdk deploy` reads).
const config = validateConfig(testConfig('prod'));
const stacks = synthesizedStacks('prod');
const byName = new Map(stacks.map((s) => [s.stackName, s]));
const byId = new Map(stacks.map((s) => [s.id, s]));

function outputKeys(stack: SynthesizedStack): string[] {
  return Object.keys(templateJson('prod', stack.id).Outputs ?? {});
}

describe('lib/deploy/stacks.ts: the one module of stack and output names, pinned to the app', () => {
  it('names and regions every stack the app synthesizes', () => {
    expect(allStackRefs(config).map((r) => [r.stackName, r.region])).toEqual(
      ['keys', 'network', 'alerting', 'data', 'phiReplica', 'audit', 'detection', 'replicaDetection', 'app'].map(
        (role) => {
          const s = byName.get(stackName(config, role as never));
          expect(s).toBeDefined();
          return [s!.stackName, s!.region];
        },
      ),
    );
    expect(stacks).toHaveLength(9);
  });

  it('lists the stacks in an order that respects every dependency of the app (what cdk deploy --all follows)', () => {
    const order = allStackRefs(config).map((r) => r.stackName);
    const dependencies = stacks.flatMap((s) => s.dependencies.map((d) => [s, byId.get(d)!] as const));
    expect(dependencies.length).toBeGreaterThan(0);
    const late = dependencies
      .filter(([s, d]) => order.indexOf(d.stackName) > order.indexOf(s.stackName))
      .map(([s, d]) => `${s.stackName} before its dependency ${d.stackName}`);
    expect(late).toEqual([]);
  });

  it('every output the commands read is emitted by its stack', () => {
    for (const ref of Object.values(OUTPUTS)) {
      if (ref.outputName === 'DeployRequires') continue;
      expect([ref.outputName, outputKeys(byName.get(stackName(config, ref.role))!)]).toEqual([
        ref.outputName,
        expect.arrayContaining([ref.outputName]),
      ]);
    }
  });

  it("the Macie job name is the one the detection stack's command output uses", () => {
    const detection = templateJson('prod', byName.get(stackName(config, 'detection'))!.id);
    expect(JSON.stringify(detection.Outputs)).toContain(`--name ${macieJobName(config)} `);
  });

  it('without a domain, the deploy selects every stack the app synthesizes but the app stack, by construct path', () => {
    // The construct paths of the stacks but the app stack: the shared synth's for dev, a build of its own for quiet.
    const fromManifest = synthesizedStacks('dev')
      .filter((s) => s.stackName !== stackName(validateConfig(testConfig('dev')), 'app'))
      .map((s) => s.path)
      .sort();
    const paths = (c: ReturnType<typeof validateConfig>): string[] => {
      const a = new App();
      buildBlueprint(a, c, { compliance: false });
      return a.node
        .findAll()
        .filter((s): s is Stack => s instanceof Stack && s.stackName !== stackName(c, 'app'))
        .map((s) => s.node.path)
        .sort();
    };
    const dev = validateConfig(testConfig('dev'));
    expect(dev.domain).toBeUndefined();
    const selection = deployStackSelection(dev);
    expect(selection).not.toBe('all');
    expect([...selection].sort()).toEqual(fromManifest);
    expect(selection).not.toContain('Dev/App');
    // Every detection service off (the globalSetup's variant of the same name): no detection stack in either region.
    const quiet = validateConfig(configOf('dev-detection-off'));
    expect([...deployStackSelection(quiet)].sort()).toEqual(paths(quiet));
    expect(deployStackSelection(quiet)).not.toContain('Dev/Detection');
    expect(deployStackSelection(quiet)).not.toContain('Dev/ReplicaDetection');
    expect(selection).toContain('Dev/ReplicaDetection');
    // With a domain, every stack.
    expect(deployStackSelection(config)).toBe('all');
  });
});
