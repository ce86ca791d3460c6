/**
 * AssemblyDeploysAsChecked: at synth, the manifest the stacks' synthesizers wrote is reviewed as check-template
 * reviews it (assembly-loader.ts reviewAssembly), and every problem that would make `cdk deploy --app` deploy otherwise
 * than the gate judged (another account's deploy or execution role, a template object uploaded from elsewhere, manifest
 * parameters) fails synth.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  App,
  CliCredentialsStackSynthesizer,
  DefaultStackSynthesizer,
  IStackSynthesizer,
  ISynthesisSession,
  Stack,
  StackProps,
  StackSynthesizer,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { AssemblyDeploysAsChecked } from '../../../../lib/compliance/gate/assembly/assembly-deploys-as-checked';
import { BlueprintAssemblyChecks } from '../../../../lib/compliance/gate/assembly-plugin';
import { loadAssemblyForCheck, ManifestReview, reviewAssembly } from '../../../../lib/compliance/gate/assembly-loader';
import { AssemblyStack } from '../../../../lib/compliance/gate/core/template-json';
import { ControlMatrix } from '../../../../lib/compliance/evidence/control-matrix';
import { cdkSynthDir } from '../../../support/synthesized';
import { scratchDir } from '../../../support/scratch';
import { asAssembly, fixtureTemplates, Mutable } from './assembly-fixture';

const RULE = 'Blueprint-AssemblyDeploysAsChecked';
const ENV = { account: '123456789012', region: 'us-east-1' };
const OTHER = '999999999999';

/** A synthesizer that writes its stack's template and a manifest entry of its own making (what a fork may write). */
class ForkSynthesizer extends StackSynthesizer {
  constructor(private readonly artifact: Parameters<StackSynthesizer['emitArtifact']>[1]) {
    super();
  }
  public override get bootstrapQualifier(): string | undefined {
    return undefined;
  }
  public override addFileAsset(): never {
    throw new Error('no assets in this test');
  }
  public override addDockerImageAsset(): never {
    throw new Error('no assets in this test');
  }
  public override synthesize(session: ISynthesisSession): void {
    this.synthesizeTemplate(session);
    this.emitArtifact(session, this.artifact);
  }
}

let outdir: string;
beforeEach(() => (outdir = scratchDir('deploys-as-checked-')));
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

/**
 * Synthesizes an app whose stack Keys has `synthesizer` (and a stack Data with the default one), with the assembly
 * rules' plugin: the rule's findings ('<suffix> <stack path>'), what it judged, and the synth's error (the other
 * assembly rules fire too on so small an app: only this rule's findings are compared).
 */
function synthWith(
  synthesizer?: IStackSynthesizer,
  build?: (app: App) => void,
): { findings: string[]; descriptions: string[]; evaluated: number | undefined; error: string } {
  const app = new App({ outdir });
  const plugin = new BlueprintAssemblyChecks();
  Validations.of(app).addPlugins(plugin);
  new CfnQueue(new Stack(app, 'Keys', { env: ENV, ...(synthesizer ? { synthesizer } : {}) }), 'Q');
  new CfnQueue(new Stack(app, 'Data', { env: ENV }), 'Q');
  build?.(app);
  let error = '';
  try {
    app.synth();
  } catch (e) {
    error = (e as Error).message;
  }
  const ours = (plugin.lastResult?.findings ?? []).filter((f) => f.ruleId.startsWith(`${RULE}[`));
  return {
    findings: ours.map((f) => `${f.ruleId.slice(RULE.length)} ${f.stack.path}`),
    descriptions: ours.map((f) => f.description),
    evaluated: plugin.lastResult?.rules.find((r) => r.rule === AssemblyDeploysAsChecked)?.evaluated,
    error,
  };
}

describe('AssemblyDeploysAsChecked at synth (the BlueprintAssemblyChecks plugin reviews the manifest synth wrote)', () => {
  test("V2 a stack whose synthesizer names another account's deploy role fails synth, naming the stack artifact and the role", () => {
    const result = synthWith(new DefaultStackSynthesizer({ deployRoleArn: `arn:aws:iam::${OTHER}:role/deployer` }));
    expect(result.findings).toEqual(['[assumeRoleArn::another-account] Keys']);
    expect(result.descriptions[0]).toMatch(
      new RegExp(
        `^The stack artifact Keys deploys with the role "arn:aws:iam::${OTHER}:role/deployer" \\(assumeRoleArn\\), not one of its environment's account 123456789012: what deploys is not the template checked here \\(stack Keys\\), in .*manifest\\.json`,
      ),
    );
    expect(result.error).toContain(`${RULE}[assumeRoleArn::another-account]`);
    expect(result.evaluated).toBe(2);
  });

  test("V2 a stack whose synthesizer names another account's CloudFormation execution role fails synth", () => {
    const result = synthWith(
      new DefaultStackSynthesizer({ cloudFormationExecutionRole: `arn:aws:iam::${OTHER}:role/cfn-exec` }),
    );
    expect(result.findings).toEqual(['[cloudFormationExecutionRoleArn::another-account] Keys']);
    expect(result.descriptions[0]).toContain(`"arn:aws:iam::${OTHER}:role/cfn-exec" (cloudFormationExecutionRoleArn)`);
    expect(result.error).toContain(`${RULE}[cloudFormationExecutionRoleArn::another-account]`);
  });

  test('V2 both roles of another account are two findings (check-template refuses the first)', () => {
    const result = synthWith(
      new DefaultStackSynthesizer({
        deployRoleArn: `arn:\${AWS::Partition}:iam::${OTHER}:role/deployer`,
        cloudFormationExecutionRole: `arn:\${AWS::Partition}:iam::${OTHER}:role/cfn-exec`,
      }),
    );
    expect(result.findings).toEqual([
      '[assumeRoleArn::another-account] Keys',
      '[cloudFormationExecutionRoleArn::another-account] Keys',
    ]);
  });

  test.each<[string, Parameters<StackSynthesizer['emitArtifact']>[1], string]>([
    [
      "another account's deploy role",
      { assumeRoleArn: `arn:aws:iam::${OTHER}:role/deployer` },
      '[assumeRoleArn::another-account] Keys',
    ],
    ['manifest parameters', { parameters: { BootstrapVersion: '/fork/version' } }, '[parameters] Keys'],
    [
      'a template object no asset uploads',
      { stackTemplateAssetObjectUrl: 's3://another-bucket/template.json' },
      '[template-object::not-uploaded] Keys',
    ],
  ])('V2 a custom synthesizer writing %s into the manifest fails synth', (_name, artifact, expected) => {
    const result = synthWith(new ForkSynthesizer(artifact));
    expect(result.findings).toEqual([expected]);
    expect(result.error).toContain(RULE);
  });

  test.each<[string, Partial<StackProps>, string]>([
    ['notificationArns', { notificationArns: [`arn:aws:sns:us-east-1:${OTHER}:events`] }, '[notificationArns] Extra'],
    ['stack tags', { tags: { DataClassification: 'Public' } }, '[tags] Extra'],
  ])(
    'V2 a stack prop writing %s into the manifest fails synth, naming the artifact and the field',
    (name, props, expected) => {
      const result = synthWith(undefined, (app) => new CfnQueue(new Stack(app, 'Extra', { env: ENV, ...props }), 'Q'));
      expect(result.findings).toEqual([expected]);
      expect(result.descriptions[0]).toContain(`The stack artifact Extra has ${name === 'stack tags' ? 'tags' : name}`);
      expect(result.error).toContain(`${RULE}${expected.split(' ')[0]!}`);
    },
  );

  test.each<[string, (() => IStackSynthesizer) | undefined]>([
    ['the default synthesizer (the shipped stacks)', undefined],
    [
      "the environment's own account's roles, named",
      () =>
        new DefaultStackSynthesizer({
          deployRoleArn: 'arn:aws:iam::123456789012:role/deployer',
          cloudFormationExecutionRole: 'arn:aws:iam::123456789012:role/cfn-exec',
        }),
    ],
    [
      'the CLI credentials synthesizer (no role: deploy checks the credentials account)',
      () => new CliCredentialsStackSynthesizer(),
    ],
  ])('V2 %s: no finding, every stack artifact judged', (_name, synthesizer) => {
    const result = synthWith(synthesizer?.());
    expect(result.findings).toEqual([]);
    expect(result.evaluated).toBe(2);
  });

  test('V2 the stacks of a stage (a nested assembly) are reviewed too', () => {
    const result = synthWith(undefined, (app) => {
      const stage = new Stage(app, 'Prod');
      new CfnQueue(new Stack(stage, 'Good', { env: ENV }), 'Q');
      new CfnQueue(
        new Stack(stage, 'Forked', {
          env: ENV,
          synthesizer: new DefaultStackSynthesizer({ deployRoleArn: `arn:aws:iam::${OTHER}:role/deployer` }),
        }),
        'Q',
      );
    });
    expect(result.findings).toEqual(['[assumeRoleArn::another-account] Prod/Forked']);
    expect(result.evaluated).toBe(4);
  });
});

describe('the shipped apps (the assemblies `cdk synth` and `cdk synth -c env=prod` write, from the globalSetup)', () => {
  test.each(['dev', 'prod'] as const)(
    'V2 %s passes: its gate judged every stack artifact as it deploys, with no finding',
    (env) => {
      const dir = cdkSynthDir(env);
      const review = reviewAssembly(dir);
      expect(review.problems).toEqual([]);
      expect(review.stackArtifacts).toBe(9);
      const matrix = JSON.parse(readFileSync(join(dir, 'compliance', 'control-matrix.json'), 'utf8')) as ControlMatrix;
      const coverage = matrix.safeguards.find((s) => s.id === 'V2')!.rules.find((r) => r.ruleId === RULE);
      // Every stack artifact, and every Lambda function's code (each a file asset of the assembly).
      const functions = loadAssemblyForCheck(dir).stacks.flatMap((s) =>
        Object.values(s.template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function'),
      ).length;
      expect(functions).toBeGreaterThanOrEqual(5);
      expect(coverage).toMatchObject({
        pack: 'BlueprintAssembly',
        evaluated: 9 + functions,
        passed: 9 + functions,
        violations: 0,
      });
    },
  );
});

describe('AssemblyDeploysAsChecked over a review', () => {
  const stacks: AssemblyStack[] = [
    { stackName: 'app-keys', file: 'Keys.template.json', path: 'Keys', template: { Resources: {} } },
    { stackName: 'app-data', file: 'Data.template.json', path: 'Data', template: { Resources: {} } },
  ];

  test('V2 each problem is a finding on its stack; a problem of the assembly lands on the first stack', () => {
    const manifest: ManifestReview = {
      stacks: [],
      stackArtifacts: 2,
      problems: [
        {
          where: 'm.json',
          kind: 'parameters',
          artifactId: 'Data',
          stackPath: 'Data',
          problem: 'the stack artifact Data passes parameters',
          edited: true,
        },
        {
          where: 'dir',
          kind: 'stack-name::twice',
          problem: 'two stack artifacts deploy the stack x in 1/r',
          edited: false,
        },
      ],
    };
    const result = AssemblyDeploysAsChecked.check(stacks, { manifest });
    expect(result.findings.map((f) => [f.ruleId, f.stack.path, f.logicalId])).toEqual([
      [`${RULE}[parameters]`, 'Data', undefined],
      [`${RULE}[stack-name::twice]`, 'Keys', undefined],
    ]);
    expect(result.findings[1]!.description).toMatch(/^Two stack artifacts deploy the stack x in 1\/r, in dir:/);
    expect(result.evaluated).toBe(2);
  });

  test('without a review (the template checker, which refuses such an assembly before any rule runs) it judges nothing', () => {
    expect(AssemblyDeploysAsChecked.check(stacks, {})).toEqual({ findings: [], evaluated: 0 });
  });
});

describe("AssemblyDeploysAsChecked: every Lambda function runs a file asset of the assembly (the alert formatter's code)", () => {
  const ASSET_KEY = `${'c7'.repeat(32)}.zip`;
  const BOOTSTRAP = 'cdk-hnb659fds-assets-123456789012-us-east-1';
  /** The synthetic assembly, its alert formatter with its code as CDK writes a file asset, after `mutate`. */
  function functionFindings(mutate: (formatter: Mutable, t: Record<string, Mutable>) => void = () => undefined) {
    const t = fixtureTemplates();
    const formatter = t.alerting!.Resources.Formatter;
    formatter.Properties.Code = { S3Bucket: BOOTSTRAP, S3Key: ASSET_KEY };
    formatter.Properties.Environment = { Variables: { NODE_OPTIONS: '--enable-source-maps' } };
    mutate(formatter, t);
    const result = AssemblyDeploysAsChecked.check(asAssembly(t), {});
    return {
      findings: result.findings.map((f) => `${f.ruleId.slice(RULE.length)} ${f.logicalId ?? '(template)'}`),
      descriptions: result.findings.map((f) => f.description),
      evaluated: result.evaluated,
    };
  }

  test('V2 D3 the formatter running its asset from the bootstrap bucket (literal or Fn::Sub): no finding, judged without a manifest', () => {
    expect(functionFindings()).toEqual({ findings: [], descriptions: [], evaluated: 1 });
    const sub = functionFindings(
      (f) => (f.Properties.Code.S3Bucket = { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }),
    );
    expect(sub.findings).toEqual([]);
  });

  test.each<[string, (f: Mutable) => void, string]>([
    [
      'a stub inline (Code.ZipFile) that only logs the heartbeat',
      (f) => (f.Properties.Code = { ZipFile: "exports.handler=async()=>{console.log('alert-path-heartbeat')}" }),
      '[Formatter::code-inline] Formatter',
    ],
    [
      'its code in a bucket outside the assembly',
      (f) => (f.Properties.Code.S3Bucket = 'attacker-code-bucket'),
      '[Formatter::code-outside-assembly-bucket] Formatter',
    ],
    [
      "another account's bootstrap bucket",
      (f) => (f.Properties.Code.S3Bucket = 'cdk-hnb659fds-assets-999999999999-us-east-1'),
      '[Formatter::code-outside-assembly-bucket] Formatter',
    ],
    [
      'another qualifier (a bucket of that name may be anyone)',
      (f) => (f.Properties.Code.S3Bucket = 'cdk-other-assets-123456789012-us-east-1'),
      '[Formatter::code-outside-assembly-bucket] Formatter',
    ],
    [
      'a pinned object version',
      (f) => (f.Properties.Code.S3ObjectVersion = 'v1'),
      '[Formatter::code-outside-assembly-bucket] Formatter',
    ],
    [
      'a container image',
      (f) => (f.Properties.Code = { ImageUri: '999999999999.dkr.ecr.us-east-1.amazonaws.com/x:latest' }),
      '[Formatter::code-image] Formatter',
    ],
    [
      'code chosen by a condition',
      (f) => (f.Properties.Code = { 'Fn::If': ['C', { ZipFile: 'x' }, { S3Bucket: BOOTSTRAP, S3Key: ASSET_KEY }] }),
      '[Formatter::code-outside-assembly-bucket] Formatter',
    ],
    [
      'a layer of another account',
      (f) => (f.Properties.Layers = ['arn:aws:lambda:us-east-1:999999999999:layer:wrap:1']),
      '[Formatter::layers] Formatter',
    ],
    [
      'an exec wrapper',
      (f) => (f.Properties.Environment.Variables.AWS_LAMBDA_EXEC_WRAPPER = '/opt/wrap'),
      '[Formatter::code-loading-environment] Formatter',
    ],
    [
      'NODE_OPTIONS requiring a module',
      (f) => (f.Properties.Environment.Variables.NODE_OPTIONS = '--enable-source-maps --require /opt/x.js'),
      '[Formatter::code-loading-environment] Formatter',
    ],
    // The attacker review of 2026-12-04 (second round): the SDK's endpoint, trust store or configuration redirected.
    [
      'the SNS endpoint redirected (AWS_ENDPOINT_URL_SNS)',
      (f) => (f.Properties.Environment.Variables.AWS_ENDPOINT_URL_SNS = 'https://collector.example.net'),
      '[Formatter::code-loading-environment] Formatter',
    ],
    [
      'TLS verification off',
      (f) => (f.Properties.Environment.Variables.NODE_TLS_REJECT_UNAUTHORIZED = '0'),
      '[Formatter::code-loading-environment] Formatter',
    ],
    [
      'a proxy (lower case)',
      (f) => (f.Properties.Environment.Variables.https_proxy = 'http://proxy.example.net:3128'),
      '[Formatter::code-loading-environment] Formatter',
    ],
    [
      'environment variables chosen by a condition',
      (f) => (f.Properties.Environment = { Variables: { 'Fn::If': ['C', {}, { NODE_OPTIONS: '--import=x' }] } }),
      '[Formatter::code-loading-environment] Formatter',
    ],
  ])('V2 D3 U6 the alert formatter with %s is a finding naming the formatter', (_name, mutate, expected) => {
    const result = functionFindings(mutate);
    expect(result.findings).toEqual([expected]);
    expect(result.descriptions[0]).toMatch(/alert formatter .*\(V2, D1, D3, U6\)$/);
  });

  test('V2 another function (not the formatter) with inline code is a finding too, naming V2', () => {
    const result = functionFindings((_f, t) => {
      t.detection!.Resources.FindingsAgeFunction.Properties.Code = { ZipFile: 'x' };
    });
    expect(result.findings).toEqual(['[FindingsAgeFunction::code-inline] FindingsAgeFunction']);
    expect(result.descriptions[0]).toMatch(/not a file asset of the cloud assembly.*\(V2\)$/);
    expect(result.evaluated).toBe(2);
  });

  test('V2 at synth: a function with inline code fails synth; a function built from an asset folder passes', () => {
    const source = scratchDir('deploys-as-checked-src-');
    writeFileSync(join(source, 'index.js'), 'exports.handler = async () => {};');
    const fn = (code: Code) => (app: App) =>
      new LambdaFunction(new Stack(app, 'Fn', { env: ENV, terminationProtection: true }), 'F', {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code,
      });
    const inline = synthWith(undefined, fn(Code.fromInline('exports.handler = async () => {};')));
    expect(inline.findings).toEqual([expect.stringMatching(/^\[F\w+::code-inline\] Fn$/)]);
    expect(inline.error).toContain(`${RULE}[`);
    const asset = synthWith(undefined, fn(Code.fromAsset(source)));
    expect(asset.findings).toEqual([]);
  });

  describe('with the manifest (check-template of a cloud assembly): the object is an asset the stack uploads from the assembly', () => {
    /** A copy of the shipped prod assembly, its alerting stack's template and asset manifest edited by `edit`. */
    function editedProd(edit: (template: Mutable, assets: Mutable) => void): string[] {
      const dir = join(outdir, 'prod');
      cpSync(cdkSynthDir('prod'), dir, { recursive: true });
      const file = (suffix: string) =>
        join(
          dir,
          readdirSync(dir).find((n) => n.startsWith('ProdAlerting') && n.endsWith(suffix))!,
        );
      const template = JSON.parse(readFileSync(file('.template.json'), 'utf8')) as Mutable;
      const assets = JSON.parse(readFileSync(file('.assets.json'), 'utf8')) as Mutable;
      edit(template, assets);
      writeFileSync(file('.template.json'), JSON.stringify(template));
      writeFileSync(file('.assets.json'), JSON.stringify(assets));
      // A hand-edited template's key is not its content's hash: judged (not refused), like check-template.
      const { stacks, manifest } = loadAssemblyForCheck(dir);
      return AssemblyDeploysAsChecked.check(stacks, { manifest })
        .findings.map((f) => f.ruleId.slice(RULE.length))
        .filter((id) => id.includes('::code-'));
    }
    const formatterOf = (t: Mutable): Mutable =>
      Object.values(t.Resources as Record<string, Mutable>).find(
        (r) => r.Type === 'AWS::Lambda::Function' && JSON.stringify(r.Metadata).includes('AlertPipeline/Formatter'),
      )!;

    test('V2 the shipped assembly, unedited: no finding', () => {
      expect(editedProd(() => undefined)).toEqual([]);
    });

    test('V2 D3 the formatter running a key of the bootstrap bucket that no asset of its stack uploads', () => {
      expect(editedProd((t) => (formatterOf(t).Properties.Code.S3Key = `${'11'.repeat(32)}.zip`))).toEqual([
        '[AlertPipelineFormatter7FA6E26B::code-not-an-asset]',
      ]);
    });

    test("V2 D3 the formatter's asset uploaded from a folder outside the assembly", () => {
      expect(
        editedProd((_t, assets) => {
          for (const a of Object.values(assets.files as Record<string, Mutable>)) {
            if (a.source.packaging === 'zip') a.source.path = '/tmp/elsewhere';
          }
        }),
      ).toEqual(['[AlertPipelineFormatter7FA6E26B::code-not-an-asset]']);
    });
  });
});
