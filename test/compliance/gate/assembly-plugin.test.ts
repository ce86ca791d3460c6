import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  App,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { stacksOfContext } from '../../../lib/compliance/gate/assembly-plugin';
import { AssemblyStack } from '../../../lib/compliance/gate/core/template-json';

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
  beforeEach(() => (outdir = mkdtempSync(join(tmpdir(), 'assembly-plugin-'))));
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
