/**
 * The reports of aws-cdk-lib's own CloudFormation validation plugin (CloudFormationValidatePlugin, on this thread)
 * that the test of the worker-thread validation compares the worker's reports with
 * (test/compliance/cfn-validation/parallel-validation.test.ts): one per context of REFERENCE_CONTEXTS, each laid out
 * by `layout` exactly as the test lays out its own.
 *
 * The Jest globalSetup computes them once per set of inputs, in a child process right after it wrote the shipped dev
 * environment's `cdk synth` form, and keeps them with the synthesized assemblies (test/support/global-setup.ts):
 * the plugin's engine start and first validation took about 4.7 s of the test's worker on the slow 2-core machine.
 * Each report is stored with its context's folder replaced by DIR_PLACEHOLDER; `referenceReport` puts the test's
 * folder in its place.
 *
 *   node --no-concurrent-marking --import tsx test/support/cfn-reference.ts DEV_ASSEMBLY OUTDIR
 *
 * Exits 0 when every report is written; otherwise prints why and exits 1.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { CloudFormationValidatePlugin, IPolicyValidationContext } from 'aws-cdk-lib';

/**
 * The contexts: `full`, the shipped dev templates between two broken ones; `whole`, the smallest of them between two
 * broken ones; `changed`, one broken template named Changed.
 */
export const REFERENCE_CONTEXTS = ['full', 'whole', 'changed'] as const;
export type ReferenceContext = (typeof REFERENCE_CONTEXTS)[number];

/** What stands for the context's folder in a stored report. */
export const DIR_PLACEHOLDER = '<context folder>';

/** A validation context over the templates of `dir` (as aws-cdk-lib builds it for an App-level plugin). */
export function contextOf(dir: string, templates: readonly string[]): IPolicyValidationContext {
  const stackTemplates = templates.map((t) => ({
    stackConstructPath: t.replace('.template.json', ''),
    templatePath: join(dir, t),
    accountId: '123456789012',
    region: 'us-east-1',
  }));
  return { templatePaths: stackTemplates.map((s) => s.templatePath), stackTemplates } as IPolicyValidationContext;
}

/** A template named `name` with two CloudFormation schema errors (a string for a boolean, an unknown property). */
export function brokenTemplate(dir: string, name = 'Broken'): string {
  writeFileSync(
    join(dir, `${name}.template.json`),
    JSON.stringify({
      Resources: {
        Bucket: { Type: 'AWS::S3::Bucket', Properties: { ObjectLockEnabled: 'perhaps', NotAProperty: 1 } },
      },
    }),
  );
  return `${name}.template.json`;
}

/** The stack templates of the assembly `dev`, in folder order. */
export const templatesOf = (dev: string): string[] => readdirSync(dev).filter((f) => f.endsWith('.template.json'));

/** The smallest of the stack templates of `dev`. */
export function smallestTemplate(dev: string): string {
  return templatesOf(dev)
    .map((t) => ({ t, size: readFileSync(join(dev, t)).length }))
    .sort((a, b) => a.size - b.size)[0]!.t;
}

/**
 * Writes the files of context `kind` into the empty or missing folder `dir` (the shipped dev templates read from
 * `dev`, the assembly `cdk synth` wrote) and returns the context. A broken template first and last: a report that
 * skipped templates would miss one of them.
 */
export function layout(kind: ReferenceContext, dev: string, dir: string): IPolicyValidationContext {
  mkdirSync(dir, { recursive: true });
  if (kind === 'full') {
    cpSync(dev, dir, { recursive: true });
    return contextOf(dir, [brokenTemplate(dir, 'BrokenFirst'), ...templatesOf(dev), brokenTemplate(dir, 'BrokenLast')]);
  }
  if (kind === 'whole') {
    const smallest = smallestTemplate(dev);
    cpSync(join(dev, smallest), join(dir, smallest));
    return contextOf(dir, [brokenTemplate(dir, 'BrokenFirst'), smallest, brokenTemplate(dir, 'BrokenLast')]);
  }
  return contextOf(dir, [brokenTemplate(dir, 'Changed')]);
}

/** The stored report of context `kind` (in the folder `stored`), with the test's folder `dir` as its context folder. */
export function referenceReport(
  stored: string,
  kind: ReferenceContext,
  dir: string,
): ReturnType<CloudFormationValidatePlugin['validate']> {
  const text = readFileSync(join(stored, `${kind}.json`), 'utf8');
  // The folder as it appears inside a JSON string.
  return JSON.parse(text.split(DIR_PLACEHOLDER).join(JSON.stringify(dir).slice(1, -1)));
}

/**
 * Lays out every context under `outdir`/<kind>/, validates each with one plugin (its engine serves every later
 * context, as the test's did), writes `outdir`/<kind>.json and removes the layout.
 */
export function writeReferenceReports(dev: string, outdir: string): void {
  const plugin = new CloudFormationValidatePlugin();
  for (const kind of REFERENCE_CONTEXTS) {
    const dir = join(outdir, kind);
    const report = plugin.validate(layout(kind, dev, dir));
    const text = JSON.stringify(report, null, 2).split(JSON.stringify(dir).slice(1, -1)).join(DIR_PLACEHOLDER);
    writeFileSync(join(outdir, `${kind}.json`), `${text}\n`);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [dev, outdir] = process.argv.slice(2);
  if (!dev || !outdir) {
    console.error('usage: cfn-reference.ts DEV_ASSEMBLY OUTDIR');
    process.exit(2);
  }
  try {
    writeReferenceReports(dev, outdir);
  } catch (e) {
    console.error(`cfn-reference: ${(e as Error).message}`);
    process.exit(1);
  }
}
