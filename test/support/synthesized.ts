/**
 * The dev and prod test environments, and the config variants of SYNTH_VARIANTS (synth-inputs.ts), as the Jest
 * globalSetup synthesized them once for the whole run (test/support/global-setup.ts): compliance gate on, cdk.json
 * context, testConfig(env) or the variant's config (account 123456789012, us-east-1). For tests that only READ
 * whole-app templates or the evidence; a test that needs construct objects builds its own app.
 *
 * Every call returns a fresh copy: a test may change what it gets without affecting another test.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { includeTemplate } from '../../lib/compliance/gate/core/include-template';
import { rewriteStackOutputReferences } from '../../lib/compliance/gate/template-checker';
import { SYNTH_FAILED_FILE } from './global-setup';
import {
  CdkSynthEnvironment,
  cdkSynthFolder,
  cdkSynthOutputFile,
  CFN_REFERENCE_FOLDER,
  dockerCallsFile,
  SYNTH_DIR_ENV,
  SynthesizedEnvironment,
} from './synth-inputs';

export type { SynthesizedEnvironment } from './synth-inputs';

/** A CloudFormation template as written to the assembly. */
export interface CfnTemplateJson {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;
  readonly Outputs?: Record<string, { Value: unknown; Description?: string; [k: string]: unknown }>;
  readonly [k: string]: unknown;
}

/** One stack of a synthesized environment, as its cloud assembly manifest describes it. */
export interface SynthesizedStack {
  /** Construct id of the stack in the stage: 'Keys', 'Network', 'PhiReplica', ... */
  readonly id: string;
  /** Construct path, e.g. 'Dev/Keys'. */
  readonly path: string;
  /** CloudFormation stack name, e.g. 'hipaa-dev-keys'. */
  readonly stackName: string;
  /** Template file name in the assembly folder. */
  readonly templateFile: string;
  readonly region: string;
  readonly terminationProtection: boolean;
  /** Construct ids (in the stage) of the stacks it depends on, as the manifest lists them (what `cdk deploy` follows). */
  readonly dependencies: readonly string[];
}

interface Manifest {
  readonly artifacts: Record<
    string,
    {
      readonly type: string;
      readonly environment?: string;
      readonly displayName?: string;
      readonly dependencies?: readonly string[];
      readonly properties?: { templateFile?: string; stackName?: string; terminationProtection?: boolean };
    }
  >;
}

/** The assembly folder of `env`; throws the synth's own error when it failed. */
export function synthesizedDir(env: SynthesizedEnvironment): string {
  return assemblyFolder(env);
}

/**
 * The assembly folder of the shipped environment `env` as `cdk synth -c env=ENV` writes it (loadConfig(env),
 * path metadata on, gate on), synthesized once per run by the globalSetup; throws the synth's own error when it
 * failed. READ ONLY: it is shared by every test file of the run (and cached across runs); copy it to change it.
 */
export function cdkSynthDir(env: CdkSynthEnvironment): string {
  return assemblyFolder(cdkSynthFolder(env));
}

/**
 * The folder of aws-cdk-lib's own CloudFormation validation reports on the `cdk synth` form of dev
 * (test/support/cfn-reference.ts: referenceReport reads them), computed by the globalSetup right after that synth;
 * throws the job's own error when it failed. READ ONLY.
 */
export function cfnReferenceDir(): string {
  return assemblyFolder(CFN_REFERENCE_FOLDER, 'full.json');
}

/**
 * The calls to `docker` that the synth of cdkSynthDir(env) made, one per line ('' for none): it ran with a `docker`
 * that lists each call and fails, first on PATH and as CDK_DOCKER (global-setup.ts).
 */
export function cdkSynthDockerCalls(env: CdkSynthEnvironment): string {
  return besideCdkSynth(env, dockerCallsFile(env));
}

/** What the synth of cdkSynthDir(env) printed (stdout and stderr, as the CDK CLI would show them). */
export function cdkSynthOutput(env: CdkSynthEnvironment): string {
  return besideCdkSynth(env, cdkSynthOutputFile(env));
}

/** The file `name` the globalSetup wrote beside the assembly folder of `env`; throws the synth's error if it failed. */
function besideCdkSynth(env: CdkSynthEnvironment, name: string): string {
  return readFileSync(join(cdkSynthDir(env), '..', name), 'utf8');
}

/** The lines of a synth's output other than aws-cdk-lib's own `Bundling asset PATH...` (one per Lambda bundle). */
export function gateOutput(output: string): string[] {
  return output
    .trim()
    .split('\n')
    .filter((line) => !/^Bundling asset \S+\.\.\.$/.test(line));
}

/**
 * The assembly folder `folder` of this run (which holds `marker` when its job succeeded); throws the job's own error
 * when it failed.
 */
function assemblyFolder(folder: string, marker = 'manifest.json'): string {
  const root = process.env[SYNTH_DIR_ENV];
  if (!root) {
    throw new Error(
      `${SYNTH_DIR_ENV} is not set: the shared synth exists only under Jest (globalSetup test/support/global-setup.ts in jest.config.js)`,
    );
  }
  const dir = join(root, folder);
  const failed = join(dir, SYNTH_FAILED_FILE);
  if (existsSync(failed)) throw new Error(`The shared synth of ${folder} failed: ${readFileSync(failed, 'utf8')}`);
  if (!existsSync(join(dir, marker))) throw new Error(`${dir} holds no ${marker}`);
  return dir;
}

/** The stacks of `env`, in manifest order. */
export function synthesizedStacks(env: SynthesizedEnvironment): SynthesizedStack[] {
  const dir = synthesizedDir(env);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const stackArtifacts = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const idOf = (path: string | undefined): string => (path ?? '').slice((path ?? '').lastIndexOf('/') + 1);
  const idByArtifact = new Map(stackArtifacts.map(([artifactId, a]) => [artifactId, idOf(a.displayName)]));
  return stackArtifacts
    .map(([, a]) => a)
    .map((a) => {
      const path = a.displayName ?? '';
      return {
        dependencies: (a.dependencies ?? []).filter((d) => idByArtifact.has(d)).map((d) => idByArtifact.get(d)!),
        id: path.slice(path.lastIndexOf('/') + 1),
        path,
        stackName: a.properties?.stackName ?? '',
        templateFile: a.properties?.templateFile ?? '',
        region: (a.environment ?? '').split('/').pop() ?? '',
        terminationProtection: a.properties?.terminationProtection === true,
      };
    });
}

/** The stack of `env` whose construct id in the stage is `id` ('Keys', 'Network', ...). */
export function synthesizedStack(env: SynthesizedEnvironment, id: string): SynthesizedStack {
  const stacks = synthesizedStacks(env);
  const found = stacks.find((s) => s.id === id);
  if (!found) throw new Error(`${env} has no stack '${id}'; it has ${stacks.map((s) => s.id).join(', ')}`);
  return found;
}

/** The template of stack `id` of `env`, as JSON. */
export function templateJson(env: SynthesizedEnvironment, id: string): CfnTemplateJson {
  const file = join(synthesizedDir(env), synthesizedStack(env, id).templateFile);
  return JSON.parse(readFileSync(file, 'utf8')) as CfnTemplateJson;
}

/** The template of stack `id` of `env`, for aws-cdk-lib/assertions. */
export function synthesizedTemplate(env: SynthesizedEnvironment, id: string): Template {
  return Template.fromJSON(templateJson(env, id) as unknown as Record<string, unknown>);
}

/** Every template file of `env` (every `*.template.json` of its assembly folder), sorted by file name. */
export function allTemplates(env: SynthesizedEnvironment): { file: string; path: string; template: CfnTemplateJson }[] {
  const dir = synthesizedDir(env);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .sort()
    .map((file) => ({
      file,
      path: join(dir, file),
      template: JSON.parse(readFileSync(join(dir, file), 'utf8')) as CfnTemplateJson,
    }));
}

/** A resource of a synthesized template, with the construct path that created it. */
export interface SynthesizedResource {
  /** Construct id of its stack in the stage ('Keys', 'Network', ...). */
  readonly stack: string;
  readonly logicalId: string;
  /** Construct path, e.g. 'Dev/Audit/BreakGlass/Role/Resource' (from the stack's assembly metadata). */
  readonly path: string | undefined;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  /** The whole template entry (Type, Properties, Metadata, DependsOn, policies). */
  readonly resource: CfnTemplateJson['Resources'][string];
}

/** Construct path by logical id, for stack `id` of `env` (the `aws:cdk:logicalId` entries of its metadata file). */
export function constructPaths(env: SynthesizedEnvironment, id: string): Map<string, string> {
  const file = synthesizedStack(env, id).templateFile.replace(/\.template\.json$/, '.metadata.json');
  const metadata = JSON.parse(readFileSync(join(synthesizedDir(env), file), 'utf8')) as Record<
    string,
    { type: string; data: unknown }[]
  >;
  const paths = new Map<string, string>();
  for (const [path, entries] of Object.entries(metadata)) {
    for (const e of entries) if (e.type === 'aws:cdk:logicalId') paths.set(String(e.data), path.replace(/^\//, ''));
  }
  return paths;
}

/** The logical id of the resource created at construct `path` (e.g. 'Dev/Keys/AuditKey/Key/Resource') in stack `id`. */
export function logicalIdAt(env: SynthesizedEnvironment, id: string, path: string): string {
  const found = [...constructPaths(env, id)].find(([, p]) => p === path);
  if (!found) throw new Error(`${env}: no resource at ${path} in stack '${id}'`);
  return found[0];
}

/** Every resource of `type` in every stack of `env`, in manifest order. */
export function synthesizedResources(env: SynthesizedEnvironment, type: string): SynthesizedResource[] {
  return synthesizedStacks(env).flatMap((stack) => {
    const paths = constructPaths(env, stack.id);
    return Object.entries(templateJson(env, stack.id).Resources)
      .filter(([, r]) => r.Type === type)
      .map(([logicalId, r]) => ({
        stack: stack.id,
        logicalId,
        path: paths.get(logicalId),
        type: r.Type,
        properties: r.Properties ?? {},
        resource: r,
      }));
  });
}

/** A synthesized template included in a probe stack, for rules and checks that read the construct tree. */
export interface IncludedStack {
  /** The probe stack ('Probe', in the test environment) holding the included template. */
  readonly stack: Stack;
  /** The included resource of `logicalId`. */
  resource(logicalId: string): CfnResource;
  /** The construct path in the synthesized app of an included resource's path (e.g. from a rule's report). */
  originalPath(includedPath: string): string | undefined;
}

/**
 * Stack `id` of `env` included with CfnInclude (includeTemplate) into a fresh probe stack (the template checker's way:
 * `Fn::GetStackOutput` rewritten to `Fn::ImportValue`), so that a rule can evaluate the synthesized
 * resources with the other resources of their stack around them (e.g. a Ref to a log group of the stack).
 */
export function includedStack(env: SynthesizedEnvironment, id: string): IncludedStack {
  const { template } = rewriteStackOutputReferences(templateJson(env, id), id);
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Probe', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const include = includeTemplate(stack, 'Template', template);
  const paths = constructPaths(env, id);
  const logicalIds = Object.keys((template as CfnTemplateJson).Resources);
  const byIncludedPath = new Map(logicalIds.map((l) => [include.getResource(l).node.path, paths.get(l)]));
  return {
    stack,
    resource: (logicalId) => include.getResource(logicalId),
    originalPath: (includedPath) => byIncludedPath.get(includedPath),
  };
}

/** An evidence file of `env` (`compliance/<file>` in the assembly), as text. */
export function evidenceText(env: SynthesizedEnvironment, file: string): string {
  return readFileSync(join(synthesizedDir(env), 'compliance', file), 'utf8');
}

/** An evidence JSON file of `env`, parsed. */
export function evidenceJson<T>(env: SynthesizedEnvironment, file: string): T {
  return JSON.parse(evidenceText(env, file)) as T;
}
