import { App, Stack } from 'aws-cdk-lib';
import { buildBlueprint } from '../../lib/blueprint-app';
import { validateConfig } from '../../lib/config';
import { allStackRefs, deployStackSelection, macieJobName, OUTPUTS, stackName } from '../../lib/deploy/core/stacks';
import { testConfig } from '../support/blueprint';

const config = validateConfig(testConfig('prod'));
const app = new App();
buildBlueprint(app, config, { compliance: false });
const stacks = app.node.findAll().filter((c): c is Stack => c instanceof Stack);
const byName = new Map(stacks.map((s) => [s.stackName, s]));

function outputKeys(stack: Stack): string[] {
  return Object.keys(app.synth().getStackArtifact(stack.artifactId).template.Outputs ?? {});
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
    const late = stacks.flatMap((s) =>
      s.dependencies
        .filter((d) => order.indexOf(d.stackName) > order.indexOf(s.stackName))
        .map((d) => `${s.stackName} before its dependency ${d.stackName}`),
    );
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
    const detection = app.synth().getStackArtifact(byName.get(stackName(config, 'detection'))!.artifactId).template;
    expect(JSON.stringify(detection.Outputs)).toContain(`--name ${macieJobName(config)} `);
  });

  it('without a domain, the deploy selects every stack the app synthesizes but the app stack, by construct path', () => {
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
    expect([...selection].sort()).toEqual(paths(dev));
    expect(selection).not.toContain('Dev/App');
    const quiet = validateConfig(
      testConfig('dev', {
        detection: {
          config: false,
          guardDuty: false,
          securityHub: false,
          macie: false,
          inspector: false,
          providedBy: 'the organization security account',
        },
      }),
    );
    expect([...deployStackSelection(quiet)].sort()).toEqual(paths(quiet));
    expect(deployStackSelection(quiet)).not.toContain('Dev/Detection');
    expect(deployStackSelection(quiet)).not.toContain('Dev/ReplicaDetection');
    expect(selection).toContain('Dev/ReplicaDetection');
    // With a domain, every stack.
    expect(deployStackSelection(config)).toBe('all');
  });
});
