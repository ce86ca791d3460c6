import { existsSync, rmSync } from 'fs';
import { join } from 'path';
import {
  App,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  Stack,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { assemblyDirOf, BlueprintAssemblyChecks, stacksOfContext } from '../../../lib/compliance/gate/assembly-plugin';
import { AssemblyStack } from '../../../lib/compliance/gate/core/template-json';
import { scratchDir } from '../../support/scratch';

/** A plugin that keeps the assembly the gate's assembly rules would see at synth. */
class Capture implements IPolicyValidationPlugin {
  public readonly name = 'Capture';
  public stacks: AssemblyStack[] = [];
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.stacks = stacksOfContext(context);
    return { success: true, violations: [] };
  }
}

describe('stacksOfContext: the synthesized stacks as the assembly rules see them at synth', () => {
  let outdir: string;
  beforeEach(() => (outdir = scratchDir('assembly-plugin-')));
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  test('I1 D2 V2 D3 each stack has its name, construct path and the account and region it deploys to; an environment-agnostic stack has neither', () => {
    const app = new App({ outdir });
    const capture = new Capture();
    Validations.of(app).addPlugins(capture);
    for (const [id, region] of [
      ['Primary', 'us-east-1'],
      ['Replica', 'us-west-2'],
    ] as const) {
      new CfnQueue(new Stack(app, id, { env: { account: '123456789012', region }, stackName: `app-${id}` }), 'Q');
    }
    new CfnQueue(new Stack(app, 'Agnostic'), 'Q');
    app.synth();
    const seen = capture.stacks
      .map(({ stackName, path, region, account, file }) => ({ stackName, path, region, account, file }))
      .sort((a, b) => a.path!.localeCompare(b.path!));
    expect(seen).toEqual([
      {
        stackName: 'Agnostic',
        path: 'Agnostic',
        region: undefined,
        account: undefined,
        file: 'Agnostic.template.json',
      },
      {
        stackName: 'app-Primary',
        path: 'Primary',
        region: 'us-east-1',
        account: '123456789012',
        file: 'Primary.template.json',
      },
      {
        stackName: 'app-Replica',
        path: 'Replica',
        region: 'us-west-2',
        account: '123456789012',
        file: 'Replica.template.json',
      },
    ]);
    expect(capture.stacks.every((s) => Object.keys(s.template.Resources).includes('Q'))).toBe(true);
  });
});

describe('the manifest the plugin reviews (AssemblyDeploysAsChecked)', () => {
  let outdir: string;
  beforeEach(() => (outdir = scratchDir('assembly-plugin-')));
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  /** A plugin that records what the plugins after it find in the assembly folder, and may change it first. */
  class Before implements IPolicyValidationPlugin {
    public readonly name = 'Before';
    public dir?: string;
    public manifestWritten = false;
    constructor(private readonly change: (dir: string) => void = () => undefined) {}
    public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
      this.dir = assemblyDirOf(context);
      this.manifestWritten = existsSync(join(this.dir!, 'manifest.json'));
      this.change(this.dir!);
      return { success: true, violations: [] };
    }
  }

  test("V2 the plugins see the app's outdir (the root assembly, not a stage's folder), whose manifest synth wrote before they run", () => {
    const app = new App({ outdir });
    const before = new Before();
    Validations.of(app).addPlugins(before);
    new CfnQueue(
      new Stack(new Stage(app, 'Prod'), 'Keys', { env: { account: '123456789012', region: 'us-east-1' } }),
      'Q',
    );
    app.synth();
    expect(before.dir).toBe(outdir);
    expect(before.manifestWritten).toBe(true);
  });

  test('V2 a synth whose manifest is not there when the gate runs fails closed (a finding), not a crash and not a pass', () => {
    const app = new App({ outdir });
    const plugin = new BlueprintAssemblyChecks();
    Validations.of(app).addPlugins(new Before((dir) => rmSync(join(dir, 'manifest.json'))), plugin);
    new CfnQueue(new Stack(app, 'Keys', { env: { account: '123456789012', region: 'us-east-1' } }), 'Q');
    expect(() => app.synth()).toThrow(/Blueprint-AssemblyDeploysAsChecked\[manifest::absent\]/);
    expect(
      plugin.lastResult?.findings
        .filter((f) => f.ruleId.startsWith('Blueprint-AssemblyDeploysAsChecked'))
        .map((f) => f.ruleId),
    ).toEqual(['Blueprint-AssemblyDeploysAsChecked[manifest::absent]']);
  });
});
