import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  App,
  CfnResource,
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  Stack,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { ParallelCloudFormationValidation } from '../../../lib/compliance/cfn-validation/parallel-validation';
import {
  StartedValidationWorker,
  startValidationWorker,
} from '../../../lib/compliance/cfn-validation/validation-worker-start';
import {
  brokenTemplate,
  contextOf,
  layout,
  ReferenceContext,
  referenceReport,
  templatesOf,
} from '../../support/cfn-reference';
import { cdkSynthDir, cfnReferenceDir } from '../../support/synthesized';
import { scratchDir } from '../../support/scratch';

/**
 * aws-cdk-lib's own plugin on a context of REFERENCE_CONTEXTS, the reference every worker report is compared with:
 * its report as the globalSetup computed it for the same context laid out the same way (test/support/cfn-reference.ts),
 * with `dir` as the context's folder. Not here: its engine start and first validation were about 4.7 s of this file.
 */
const builtInReport = (kind: ReferenceContext, dir: string): ReturnType<CloudFormationValidatePlugin['validate']> =>
  referenceReport(cfnReferenceDir(), kind, dir);

/** The app-level plugins a ParallelCloudFormationValidation registers, in order. */
function pluginsOf(validation: ParallelCloudFormationValidation, app: App): IPolicyValidationPlugin[] {
  const registered: IPolicyValidationPlugin[] = [];
  const spy = jest.spyOn(Validations.prototype, 'addPlugins').mockImplementation((...p) => void registered.push(...p));
  try {
    validation.attach(app);
    validation.prewarm(app);
  } finally {
    spy.mockRestore();
  }
  return registered;
}

describe('the built-in CloudFormation validation in a worker thread', () => {
  let validation: ParallelCloudFormationValidation | undefined;
  afterEach(async () => {
    await validation?.dispose();
    validation = undefined;
  });

  describe('one worker for three synths (each of its own App), as one process synthesizing three times', () => {
    // Started fresh for the first test; the next ones reuse it (one worker and engine start instead of three). Each
    // test's stats still come from its own synth: the second one's tree has a type (a queue) that the engine started
    // for the first one lacks, so only its own construct-tree prewarm gives it an engine it can reuse.
    // Started as bin/hipaa-blueprint.ts starts it, before any App exists, told to prewarm from the output folder where
    // an earlier synth left its templates.
    let shared: ParallelCloudFormationValidation;
    let started: StartedValidationWorker;
    let outdir: string;
    beforeAll(() => {
      outdir = scratchDir('hipaa-cfn-parallel-app-');
      const earlier = { Resources: { A: { Type: 'AWS::S3::Bucket' }, M: { Type: 'AWS::CDK::Metadata' } } };
      writeFileSync(join(outdir, 'Earlier.template.json'), JSON.stringify(earlier));
      started = startValidationWorker({ prewarmFrom: outdir });
      shared = new ParallelCloudFormationValidation({ started });
    });
    afterAll(async () => {
      await shared.dispose();
      rmSync(outdir, { recursive: true, force: true });
    });

    it('props belong to the started worker: given both, the constructor refuses', () => {
      expect(() => new ParallelCloudFormationValidation({ started, props: {} })).toThrow(
        'ParallelCloudFormationValidation: props belong to the started worker (startValidationWorker)',
      );
    });

    it('a synth into a folder holding an earlier synth’s templates starts the engine with their types before the constructs exist, and still validates', () => {
      const app = new App({ outdir });
      shared.attach(app);
      const stack = new Stack(app, 'Broken', { env: { account: '123456789012', region: 'us-east-1' } });
      new CfnBucket(stack, 'Bucket').addPropertyOverride('ObjectLockEnabled', 'perhaps');
      shared.prewarm(app);
      expect(() => app.synth()).toThrow(/is not of type 'boolean' \(CloudFormation Validate\)/);
      expect(shared.stats).toMatchObject({ prewarmedFrom: 'previous-templates', engineReused: true });
    });

    it('validates each template as synth writes it (stacks in a stage too): the report comes from those validations', () => {
      const app = new App({ outdir: scratchDir('hipaa-cfn-parallel-app-') });
      shared.attach(app);
      const stage = new Stage(app, 'Dev');
      const env = { account: '123456789012', region: 'us-east-1' };
      new CfnBucket(new Stack(stage, 'Broken', { env }), 'Bucket').addPropertyOverride('ObjectLockEnabled', 'perhaps');
      new CfnQueue(new Stack(stage, 'Valid', { env }), 'Queue');
      new CfnBucket(new Stack(app, 'Outside', { env }), 'Bucket');
      shared.prewarm(app);
      expect(() => app.synth()).toThrow(/is not of type 'boolean' \(CloudFormation Validate\)/);
      // The entries the hook sent matched those aws-cdk-lib gave the plugins, for every stack of the app.
      expect(shared.stats).toMatchObject({ fromWrittenTemplates: true, templates: 3, violations: 1 });
    });

    /** A valid one-bucket template `name` in a folder of its own, its context, and the two plugins (shared worker). */
    function oneValidTemplate(name: string): {
      dir: string;
      context: IPolicyValidationContext;
      starter: IPolicyValidationPlugin;
      finisher: IPolicyValidationPlugin;
    } {
      const dir = scratchDir('hipaa-cfn-parallel-one-');
      const valid = { Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { ObjectLockEnabled: true } } } };
      writeFileSync(join(dir, `${name}.template.json`), JSON.stringify(valid));
      const app = new App({ outdir: dir });
      new CfnBucket(new Stack(app, 'Types'), 'Bucket');
      const [starter, finisher] = pluginsOf(shared, app);
      return { dir, context: contextOf(dir, [`${name}.template.json`]), starter: starter!, finisher: finisher! };
    }

    it('a template changed after synth wrote it is validated as it is when the plugins run', () => {
      const { dir, context, starter, finisher } = oneValidTemplate('Changed');
      shared.templateWritten(context.stackTemplates[0]!);
      expect(shared.writtenTemplatesHandled()).toBe(true);
      brokenTemplate(dir, 'Changed');
      starter.validate(context);
      const report = finisher.validate(context);
      expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['F3012']));
      expect(report).toEqual(builtInReport('changed', dir));
      expect(shared.stats?.fromWrittenTemplates).toBe(false);
    });

    it('a template validated when written under another stack entry (region) is validated again with the entry the plugins get', () => {
      const { context, starter, finisher } = oneValidTemplate('Entry');
      const validateAfterWritten = (entry: (typeof context.stackTemplates)[number]): boolean | undefined => {
        shared.templateWritten(entry);
        starter.validate(context);
        expect(finisher.validate(context)).toEqual({ success: true, violations: [] });
        return shared.stats?.fromWrittenTemplates;
      };
      // The same entry: the early report serves (the control for this test and the changed-file one).
      expect(validateAfterWritten(context.stackTemplates[0]!)).toBe(true);
      expect(validateAfterWritten({ ...context.stackTemplates[0]!, region: 'eu-west-1' })).toBe(false);
    });

    it('passes a valid template', () => {
      const app = new App({ outdir: scratchDir('hipaa-cfn-parallel-app-') });
      shared.attach(app);
      const stack = new Stack(app, 'Valid', { env: { account: '123456789012', region: 'us-east-1' } });
      new CfnBucket(stack, 'Bucket', { objectLockEnabled: true });
      new CfnQueue(stack, 'Queue');
      shared.prewarm(app);
      expect(() => app.synth()).not.toThrow();
      expect(shared.stats).toMatchObject({ prewarmedFrom: 'construct-tree', engineReused: true });
      expect(shared.failure).toBeUndefined();
    });

    it('removes the prewarm scratch folders that processes which no longer run left behind', async () => {
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      const stale = join(tmpdir(), `hipaa-cfn-prewarm-${dead}-left`);
      mkdirSync(stale, { recursive: true });
      const app = new App({ outdir: scratchDir('hipaa-cfn-parallel-app-') });
      shared.attach(app);
      new CfnBucket(new Stack(app, 'Tidy', { env: { account: '123456789012', region: 'us-east-1' } }), 'Bucket');
      shared.prewarm(app);
      app.synth();
      // The worker tidies up after it has replied.
      for (let i = 0; i < 50 && existsSync(stale); i++) await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(stale)).toBe(false);
    });

    it('fails synth on a template CloudFormation would reject (the finisher’s report, as aws-cdk-lib reports its own)', () => {
      const app = new App({ outdir: scratchDir('hipaa-cfn-parallel-app-') });
      shared.attach(app);
      const stack = new Stack(app, 'Broken', { env: { account: '123456789012', region: 'us-east-1' } });
      const bucket = new CfnBucket(stack, 'Bucket');
      bucket.addPropertyOverride('ObjectLockEnabled', 'perhaps');
      shared.prewarm(app);
      expect(() => app.synth()).toThrow(/is not of type 'boolean' \(CloudFormation Validate\)/);
    });

    // Last on the shared worker, after the tests that need its first engine (prewarmed from the earlier templates): a
    // second engine in the same worker thread starts in about 0.2 s, the first in 1.3-1.9 s (docs/speed-history.md).
    it('returns exactly the report aws-cdk-lib’s own plugin returns, on the shipped dev templates between two broken ones, from the prewarmed engine, validating each template as synth wrote it or the whole context', () => {
      const dev = cdkSynthDir('dev');
      const templates = templatesOf(dev);
      const dir = join(scratchDir('hipaa-cfn-parallel-'), 'assembly');
      // The shipped dev templates between two broken ones: a report that skipped templates would miss one of them.
      const context = layout('full', dev, dir);

      const app = new App();
      const stack = new Stack(app, 'Types');
      // The prewarm sees the types of the tree (here: the types of the templates, as a built blueprint would have).
      const types = new Set(['AWS::S3::Bucket']);
      for (const t of templates) {
        const template = JSON.parse(readFileSync(join(dir, t), 'utf8')) as {
          Resources: Record<string, { Type: string }>;
        };
        for (const r of Object.values(template.Resources)) types.add(r.Type);
      }
      [...types].forEach((type, i) => new CfnResource(stack, `R${i}`, { type }));
      const [starter, finisher] = pluginsOf(shared, app);
      expect(finisher).toBeInstanceOf(CloudFormationValidatePlugin);
      // Each template handed over as synth writes it (before the plugins run), as in a synth: the worker validates them
      // one by one, while aws-cdk-lib's own plugin runs on this thread (in a synth, the constructs and the rule packs run
      // meanwhile), and merges their reports; the finisher collects the worker's report after.
      for (const entry of context.stackTemplates) shared.templateWritten(entry);
      expect(starter.validate(context)).toEqual({ success: true, violations: [] });

      const builtIn = builtInReport('full', dir);
      // The broken templates' errors are in it: the comparison below is not between two empty reports.
      const rules = builtIn.violations.map((v) => v.ruleName);
      expect(builtIn.success).toBe(false);
      expect(rules).toEqual(expect.arrayContaining(['F3012', 'F3002']));
      const cited = new Set(builtIn.violations.flatMap((v) => v.violatingResources.map((r) => r.templatePath)));
      expect(cited).toEqual(new Set([join(dir, 'BrokenFirst.template.json'), join(dir, 'BrokenLast.template.json')]));

      const parallel = finisher.validate(context);

      expect(parallel).toEqual(builtIn);
      expect(finisher.version).toBe(new CloudFormationValidatePlugin().version);
      expect(starter.version).toBe(finisher.version);
      // What the gate line reports (synthesize.ts): every template of the context, every violation of the report.
      expect(shared.stats).toMatchObject({
        templates: context.templatePaths.length,
        violations: builtIn.violations.length,
        fromWrittenTemplates: true,
        engineReused: true,
      });
      expect(context.templatePaths.length).toBeGreaterThan(2);
      expect(shared.failure).toBeUndefined();

      // Again, with templates the worker was not handed as written (it forgets them after each validation): it
      // validates the whole context at once, and gives the report aws-cdk-lib's own plugin gives for that context. Here a
      // smaller context, the broken templates around the smallest shipped one: every shipped template was compared above,
      // through the same engine.
      const other = scratchDir('hipaa-cfn-parallel-whole-');
      const whole = layout('whole', dev, other);
      expect(starter.validate(whole)).toEqual({ success: true, violations: [] });
      const wholeBuiltIn = builtInReport('whole', other);
      expect(wholeBuiltIn.success).toBe(false);
      expect(finisher.validate(whole)).toEqual(wholeBuiltIn);
      expect(shared.stats).toMatchObject({
        templates: 3,
        violations: wholeBuiltIn.violations.length,
        fromWrittenTemplates: false,
        engineReused: true,
      });
      expect(shared.failure).toBeUndefined();
    });
  });

  it('fails closed: a plugin that throws in the worker, and a worker that never answers, fail the validation', async () => {
    const dir = scratchDir('hipaa-cfn-parallel-');
    const context = contextOf(dir, [brokenTemplate(dir)]);
    // An additional schema that is not JSON: aws-cdk-lib's plugin throws while starting its engine.
    const schemas = join(dir, 'schemas');
    mkdirSync(schemas);
    writeFileSync(join(schemas, 'bad.json'), '{ not json');
    validation = new ParallelCloudFormationValidation({ props: { _additionalSchemasDirectory: schemas } as never });
    const [, finisher] = pluginsOf(validation, new App());
    expect(() => finisher.validate(context)).toThrow(/failed in its worker: .*Invalid JSON in schema file/);
    expect(validation.failure).toMatch(/failed in its worker/);
    await validation.dispose();

    validation = new ParallelCloudFormationValidation({ timeoutMs: 100 });
    const [, silent] = pluginsOf(validation, new App());
    await validation.dispose();
    expect(() => silent.validate(context)).toThrow(/worker did not (start|answer) within 100 ms/);
    expect(validation.failure).toMatch(/worker did not (start|answer) within 100 ms/);
  });

  it('fails synth when the worker gives no report: aws-cdk-lib reports the plugin failure, and `failure` says why (synthesizeEnvironment fails on it)', async () => {
    validation = new ParallelCloudFormationValidation({ timeoutMs: 100 });
    const app = new App({ outdir: scratchDir('hipaa-cfn-parallel-app-') });
    validation.attach(app);
    new CfnBucket(new Stack(app, 'Valid', { env: { account: '123456789012', region: 'us-east-1' } }), 'Bucket');
    validation.prewarm(app);
    await validation.dispose();
    expect(() => app.synth()).toThrow(/CloudFormation Validate/);
    expect(validation.failure).toMatch(/worker did not (start|answer) within 100 ms/);
  });
});
