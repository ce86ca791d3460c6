import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  App,
  CfnResource,
  CloudFormationValidatePlugin,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { ParallelCloudFormationValidation } from '../../../lib/compliance/cfn-validation/parallel-validation';
import { cdkSynthDir } from '../../support/synthesized';

/** A validation context over the templates of `dir` (as aws-cdk-lib builds it for an App-level plugin). */
function contextOf(dir: string, templates: readonly string[]): IPolicyValidationContext {
  const stackTemplates = templates.map((t) => ({
    stackConstructPath: t.replace('.template.json', ''),
    templatePath: join(dir, t),
    accountId: '123456789012',
    region: 'us-east-1',
  }));
  return { templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates } as IPolicyValidationContext;
}

/** A template with two CloudFormation schema errors (a string for a boolean, an unknown property). */
function brokenTemplate(dir: string): string {
  writeFileSync(
    join(dir, 'Broken.template.json'),
    JSON.stringify({
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { ObjectLockEnabled: 'perhaps', NotAProperty: 1 } },
      },
    }),
  );
  return 'Broken.template.json';
}

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
  let validation: ParallelCloudFormationValidation;
  afterEach(async () => {
    await validation?.dispose();
  });

  it('returns exactly the report aws-cdk-lib’s own plugin returns, on the shipped dev templates and a broken one, from the prewarmed engine', () => {
    const dev = cdkSynthDir('dev');
    const scratch = mkdtempSync(join(tmpdir(), 'hipaa-cfn-parallel-'));
    const templates = readdirSync(dev).filter((f) => f.endsWith('.template.json'));
    const dir = join(scratch, 'assembly');
    cpSync(dev, dir, { recursive: true });
    const context = contextOf(dir, [...templates, brokenTemplate(dir)]);

    const builtIn = new CloudFormationValidatePlugin().validate(context);
    // The broken template's two errors are in it: the comparison below is not between two empty reports.
    const rules = builtIn.violations.map((v) => v.ruleName);
    expect(builtIn.success).toBe(false);
    expect(rules).toEqual(expect.arrayContaining(['F3012', 'F3002']));

    validation = new ParallelCloudFormationValidation();
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
    const [starter, finisher] = pluginsOf(validation, app);
    expect(finisher).toBeInstanceOf(CloudFormationValidatePlugin);
    expect(starter.validate(context)).toEqual({ success: true, violations: [] });
    const parallel = finisher.validate(context);

    expect(parallel).toEqual(builtIn);
    expect(finisher.version).toBe(new CloudFormationValidatePlugin().version);
    expect(validation.stats?.engineReused).toBe(true);
  });

  it('fails synth on a template CloudFormation would reject (the finisher’s report, as aws-cdk-lib reports its own)', () => {
    validation = new ParallelCloudFormationValidation();
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'hipaa-cfn-parallel-app-')) });
    validation.attach(app);
    const stack = new Stack(app, 'Broken', { env: { account: '123456789012', region: 'us-east-1' } });
    const bucket = new CfnBucket(stack, 'Bucket');
    bucket.addPropertyOverride('ObjectLockEnabled', 'perhaps');
    validation.prewarm(app);
    expect(() => app.synth()).toThrow(/is not of type 'boolean' \(CloudFormation Validate\)/);
  });

  it('passes a valid template', () => {
    validation = new ParallelCloudFormationValidation();
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'hipaa-cfn-parallel-app-')) });
    validation.attach(app);
    const stack = new Stack(app, 'Valid', { env: { account: '123456789012', region: 'us-east-1' } });
    new CfnBucket(stack, 'Bucket', { objectLockEnabled: true });
    validation.prewarm(app);
    expect(() => app.synth()).not.toThrow();
    expect(validation.stats).toBeDefined();
  });

  it('fails closed: a plugin that throws in the worker, and a worker that never answers, fail the validation', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'hipaa-cfn-parallel-'));
    const context = contextOf(scratch, [brokenTemplate(scratch)]);
    // An additional schema that is not JSON: aws-cdk-lib's plugin throws while starting its engine.
    const schemas = join(scratch, 'schemas');
    mkdirSync(schemas);
    writeFileSync(join(schemas, 'bad.json'), '{ not json');
    validation = new ParallelCloudFormationValidation({ props: { _additionalSchemasDirectory: schemas } as never });
    const [, finisher] = pluginsOf(validation, new App());
    expect(() => finisher.validate(context)).toThrow(/failed in its worker: .*Invalid JSON in schema file/);
    await validation.dispose();

    validation = new ParallelCloudFormationValidation({ timeoutMs: 300 });
    const [, silent] = pluginsOf(validation, new App());
    await validation.dispose();
    expect(() => silent.validate(context)).toThrow(/worker did not (start|answer) within 300 ms/);
  });
});
