/**
 * The cloud assembly loader: reviewAssembly (the manifest as `cdk deploy --app` reads it, one implementation for
 * check-template and synth) and loadAssembly (refuses the first problem, then reads the templates). The refusals of
 * hand-edited prod assemblies are tested through the command in test/bin/check-template.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { loadAssembly, reviewAssembly } from '../../../lib/compliance/gate/assembly-loader';
import { TemplateInputError } from '../../../lib/compliance/gate/core/template-input-error';

const ENV = { account: '123456789012', region: 'us-east-1' };

let outdir: string;
beforeEach(() => (outdir = mkdtempSync(join(tmpdir(), 'assembly-loader-'))));
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

/** Synthesizes stacks Keys (with `synthesizer`) and Data into the outdir, without the gate. */
function synth(synthesizer?: DefaultStackSynthesizer): string {
  const app = new App({ outdir });
  new CfnQueue(new Stack(app, 'Keys', { env: ENV, ...(synthesizer ? { synthesizer } : {}) }), 'Q');
  // Another queue id: not a template of the same bytes as Keys' (those would share one uploaded object).
  new CfnQueue(new Stack(app, 'Data', { env: ENV, stackName: 'app-data' }), 'R');
  app.synth();
  return outdir;
}

describe('reviewAssembly', () => {
  test('V2 what CDK writes has no problem: each stack artifact with its template file and environment', () => {
    const review = reviewAssembly(synth());
    expect(review.problems).toEqual([]);
    expect(review.stackArtifacts).toBe(2);
    expect(
      review.stacks.map(({ artifactId, file, stackName, path, account, region }) => ({
        artifactId,
        file,
        stackName,
        path,
        account,
        region,
      })),
    ).toEqual([
      { artifactId: 'Keys', file: 'Keys.template.json', stackName: 'Keys', path: 'Keys', ...ENV },
      { artifactId: 'Data', file: 'Data.template.json', stackName: 'app-data', path: 'Data', ...ENV },
    ]);
  });

  test('V2 every problem, where loadAssembly refuses the first (as check-template does: exit 2)', () => {
    const dir = synth(
      new DefaultStackSynthesizer({
        deployRoleArn: 'arn:aws:iam::999999999999:role/deployer',
        cloudFormationExecutionRole: 'arn:aws:iam::999999999999:role/cfn-exec',
      }),
    );
    const review = reviewAssembly(dir);
    expect(review.problems.map((p) => [p.kind, p.artifactId, p.stackPath, p.where])).toEqual([
      ['assumeRoleArn::another-account', 'Keys', 'Keys', join(dir, 'manifest.json')],
      ['cloudFormationExecutionRoleArn::another-account', 'Keys', 'Keys', join(dir, 'manifest.json')],
    ]);
    expect(() => loadAssembly(dir)).toThrow(TemplateInputError);
    expect(() => loadAssembly(dir)).toThrow(
      `${join(dir, 'manifest.json')}: the stack artifact Keys deploys with the role "arn:aws:iam::999999999999:role/deployer" (assumeRoleArn), not one of its environment's account 123456789012: what deploys is not the template checked here; the manifest was edited`,
    );
  });

  test('V2 it reads no template (synth parsed them already): a template that is not JSON is refused by loadAssembly only', () => {
    const dir = synth();
    writeFileSync(join(dir, 'Data.template.json'), '{ not json');
    expect(reviewAssembly(dir).problems).toEqual([]);
    expect(() => loadAssembly(dir)).toThrow(/Data\.template\.json: the template is not JSON/);
  });

  test('V2 a manifest that is missing or not JSON is a problem, not a crash', () => {
    expect(reviewAssembly(outdir).problems.map((p) => [p.kind, p.problem])).toEqual([
      ['manifest::absent', 'not a cloud assembly (no manifest.json)'],
    ]);
    const dir = synth();
    writeFileSync(join(dir, 'manifest.json'), readFileSync(join(dir, 'manifest.json'), 'utf8').slice(0, 20));
    expect(reviewAssembly(dir).problems.map((p) => [p.kind, p.where])).toEqual([
      ['file::unreadable', join(dir, 'manifest.json')],
    ]);
    expect(() => loadAssembly(dir)).toThrow(/manifest\.json: the manifest is not JSON/);
  });
});
