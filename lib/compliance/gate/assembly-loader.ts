/**
 * Reads a cloud assembly directory (what `cdk synth` writes: manifest.json and the stack templates) as one set of
 * stacks for the template checker's assembly mode. Nested assemblies (stages) are followed.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { stackArtifactIdOfPath } from './core/path-metadata';
import { AssemblyStack, concreteAccount, concreteRegion, isObject, TemplateJson } from './core/template-json';
import { ManifestProblem, ManifestReview, ManifestStack } from './core/manifest-review';
import { TemplateInputError } from './core/template-input-error';

export type { ManifestProblem, ManifestReview, ManifestStack };

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: unknown;
  readonly displayName?: string;
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly directoryName?: string;
    readonly stackTemplateAssetObjectUrl?: unknown;
    readonly parameters?: unknown;
    readonly file?: unknown;
    readonly assumeRoleArn?: unknown;
    readonly cloudFormationExecutionRoleArn?: unknown;
  };
}

/** A file asset of an asset manifest: where it is read from, where deploy uploads it. */
interface FileAsset {
  readonly source?: { readonly path?: unknown; readonly executable?: unknown };
  readonly destinations?: Record<string, unknown>;
  /** The folder of the asset manifest that lists it: cdk-assets reads `source.path` relative to it. */
  readonly folder: string;
}

/** The file assets of every asset manifest the manifest in `dir` lists (`cdk:asset-manifest` artifacts). */
function fileAssets(dir: string, artifacts: Record<string, unknown>): FileAsset[] {
  return Object.values(artifacts).flatMap((raw) => {
    const artifact = raw as ManifestArtifact;
    if (artifact.type !== 'cdk:asset-manifest' || typeof artifact.properties?.file !== 'string') return [];
    const file = join(dir, artifact.properties.file);
    const manifest = readJson(file, 'an asset manifest');
    const files = isObject(manifest) && isObject(manifest.files) ? Object.values(manifest.files) : [];
    // A hand-edited entry that is not an object (null, a string) uploads nothing here; its parts are read with care.
    return files.map((f) => ({
      source: isObject(f) && isObject(f.source) ? f.source : undefined,
      destinations: isObject(f) && isObject(f.destinations) ? (f.destinations as FileAsset['destinations']) : undefined,
      folder: dirname(file),
    }));
  });
}

/** One way deploy would not deploy `templateFile` as this stack's template (deployedTemplateProblems). */
interface DeployedTemplateProblem {
  /** The finding suffix (ManifestProblem.kind). */
  readonly kind: string;
  /** What is wrong, after "the stack artifact ID ". */
  readonly detail: string;
}

/**
 * Why deploy would not deploy `templateFile` (in `dir`) as this stack's template, each reason once: `cdk deploy`
 * uploads the object the stack's `stackTemplateAssetObjectUrl` names from the source of the asset that uploads it (its
 * path read from the asset manifest's folder, or the output of its command) unless an object of that key is there
 * already, and deploys that object; the checker reads `templateFile`. Every asset of the assembly uploading that object
 * (its bucket, the placeholders filled in with the stack's environment, and key) must read it from that file or a file
 * of the same bytes.
 * Parameters in the manifest would be passed to CloudFormation (the gate judges the template without them), and a
 * deploy or execution role of another account would deploy the stack in that account.
 * @throws TemplateInputError when an asset's source that uploads the object cannot be read
 */
function deployedTemplateProblems(
  artifact: ManifestArtifact,
  dir: string,
  templateFile: string,
  assets: readonly FileAsset[],
  environment: { readonly account: string; readonly region: string },
): DeployedTemplateProblem[] {
  const problems: DeployedTemplateProblem[] = [];
  const properties = artifact.properties ?? {};
  if (
    properties.parameters !== undefined &&
    !(isObject(properties.parameters) && Object.keys(properties.parameters).length === 0)
  ) {
    problems.push({
      kind: 'parameters',
      detail: `passes parameters to CloudFormation (${JSON.stringify(properties.parameters)})`,
    });
  }
  // The roles deploy assumes: one of another account deploys the stack there, whatever its environment says.
  const roles = {
    assumeRoleArn: properties.assumeRoleArn,
    cloudFormationExecutionRoleArn: properties.cloudFormationExecutionRoleArn,
  };
  for (const [name, arn] of Object.entries(roles)) {
    if (arn === undefined) continue;
    const account =
      typeof arn === 'string' ? /^arn:(?:\$\{AWS::Partition\}|[a-z-]+):iam::([^:]+):/.exec(arn)?.[1] : undefined;
    if (account !== environment.account && account !== '${AWS::AccountId}') {
      problems.push({
        kind: `${name}::another-account`,
        detail: `deploys with the role ${JSON.stringify(arn)} (${name}), not one of its environment's account ${environment.account}`,
      });
    }
  }
  const url = properties.stackTemplateAssetObjectUrl;
  if (url === undefined) return problems;
  const where = typeof url === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(url) : null;
  if (where === null) {
    return [
      ...problems,
      {
        kind: 'template-object::not-s3',
        detail: `names its template object as ${JSON.stringify(url)}, not s3://BUCKET/KEY`,
      },
    ];
  }
  // A bucket name may hold the placeholders the asset publisher fills in with the stack's environment.
  const concrete = (name: unknown): unknown =>
    typeof name === 'string'
      ? name.replace(/\$\{AWS::AccountId\}/g, environment.account).replace(/\$\{AWS::Region\}/g, environment.region)
      : name;
  const sources = assets.filter((a) =>
    Object.values(a.destinations ?? {}).some(
      (d) => isObject(d) && d.objectKey === where[2] && concrete(d.bucketName) === concrete(where[1]),
    ),
  );
  if (sources.length === 0) {
    return [
      ...problems,
      {
        kind: 'template-object::not-uploaded',
        detail: `deploys the object ${url}, which no asset of the assembly uploads`,
      },
    ];
  }
  const template = resolve(dir, templateFile);
  // Read only when an asset names another file (as CDK writes it, the asset's source is the template file itself).
  let bytes: Buffer | undefined;
  // The same file, or a file of the same bytes (two stacks with identical templates share one object).
  const sameFile = (path: string): boolean => {
    if (path === template) return true;
    try {
      bytes ??= readFileSync(template);
      const stat = statSync(path);
      return stat.isFile() && stat.size === bytes.length && readFileSync(path).equals(bytes);
    } catch (e) {
      throw new UnreadableFileError(path, `cannot read an asset's source: ${(e as Error).message}`);
    }
  };
  const other = sources.find(
    (a) =>
      a.source?.executable !== undefined ||
      typeof a.source?.path !== 'string' ||
      !sameFile(resolve(a.folder, a.source.path)),
  );
  if (other !== undefined) {
    problems.push({
      kind: 'template-object::other-source',
      detail: `deploys the object ${url}, which the assembly uploads from ${JSON.stringify(other.source ?? null)} (in ${other.folder}), not from ${templateFile}`,
    });
  }
  return problems;
}

/** A file of the assembly that cannot be read or is not JSON (a TemplateInputError naming the file). */
class UnreadableFileError extends TemplateInputError {
  constructor(
    public readonly file: string,
    public readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UnreadableFileError(file, `cannot read ${what}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UnreadableFileError(file, `${what} is not JSON: ${(e as Error).message}`);
  }
}

/** Whether `path` is a cloud assembly directory (a directory with a manifest.json). */
export function isAssemblyDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory() && existsSync(join(path, 'manifest.json'));
  } catch {
    return false;
  }
}

/** check-template's refusal of `problem` (exit 2). */
export function manifestRefusal(problem: ManifestProblem): TemplateInputError {
  return new TemplateInputError(
    `${problem.where}: ${problem.problem}${problem.edited ? '; the manifest was edited' : ''}`,
  );
}

/**
 * Reviews the manifest of the cloud assembly in `dir` and of its nested assemblies (stages) as `cdk deploy --app DIR`
 * would read it, without reading a template: every stack artifact deploys its `templateFile` (the template the gate
 * checks), to its own environment's account, with no parameters; one stack path and one stack name in an account and
 * region is one artifact's. One implementation for check-template (loadAssembly refuses the first problem) and for
 * synth (the BlueprintAssemblyChecks plugin reviews the assembly the synth wrote: Blueprint-AssemblyDeploysAsChecked).
 */
export function reviewAssembly(dir: string): ManifestReview {
  const problems: ManifestProblem[] = [];
  const stacks: ManifestStack[] = [];
  const stackArtifacts = reviewManifest(dir, new Set(), stacks, problems);
  // Over the nested assemblies too: one stack path is one stack's (two would share its register entries' paths).
  const seen = new Set<string>();
  for (const { path, artifactId } of stacks) {
    if (path === undefined) continue;
    if (seen.has(path)) {
      problems.push({
        where: dir,
        kind: 'construct-path::twice',
        artifactId,
        stackPath: path,
        problem: `two stack artifacts have the construct path ${path}`,
        edited: false,
      });
    }
    seen.add(path);
  }
  // One stack name in one account and region is one stack (the later deploy replaces the earlier); the rules find a
  // cross-stack reference's stack by name.
  const named = new Set<string>();
  for (const { stackName, account, region, artifactId, path } of stacks) {
    const key = `${stackName} in ${account}/${region}`;
    if (named.has(key)) {
      problems.push({
        where: dir,
        kind: 'stack-name::twice',
        artifactId,
        ...(path !== undefined ? { stackPath: path } : {}),
        problem: `two stack artifacts deploy the stack ${key}`,
        edited: false,
      });
    }
    named.add(key);
  }
  return { stacks, stackArtifacts, problems };
}

/**
 * Reviews the manifest in `dir` and its nested assemblies into `stacks` and `problems`; returns the number of stack
 * artifacts. `within` holds the real paths of the assemblies being read that contain this one: a nested assembly is a
 * folder inside its parent (CDK names it `assembly-<Stage>`), never the parent itself or a folder above it, which
 * would be read forever.
 */
function reviewManifest(
  dir: string,
  within: ReadonlySet<string>,
  stacks: ManifestStack[],
  problems: ManifestProblem[],
): number {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    problems.push({
      where: dir,
      kind: 'manifest::absent',
      problem: 'not a cloud assembly (no manifest.json)',
      edited: false,
    });
    return 0;
  }
  const real = realpathSync(dir);
  if (within.has(real)) {
    problems.push({
      where: dir,
      kind: 'nested-assembly',
      problem: 'a nested assembly that contains its own parent assembly',
      edited: true,
    });
    return 0;
  }
  const inside = new Set([...within, real]);
  let artifacts: Record<string, unknown>;
  let assets: FileAsset[];
  try {
    const manifest = readJson(manifestFile, 'the manifest');
    artifacts = isObject(manifest) && isObject(manifest.artifacts) ? manifest.artifacts : {};
    assets = fileAssets(dir, artifacts);
  } catch (e) {
    if (!(e instanceof UnreadableFileError)) throw e;
    problems.push({ where: e.file, kind: 'file::unreadable', problem: e.detail, edited: false });
    return 0;
  }
  let count = 0;
  const missing: string[] = [];
  for (const [id, raw] of Object.entries(artifacts)) {
    const artifact = raw as ManifestArtifact;
    if (artifact.type === 'cdk:cloud-assembly') {
      const name: unknown = artifact.properties?.directoryName;
      if (typeof name !== 'string' || !/^[^/\\]+$/.test(name) || name === '.' || name === '..') {
        problems.push({
          where: manifestFile,
          kind: 'nested-assembly',
          problem: `the nested assembly ${id} has the directory ${JSON.stringify(name) ?? 'none'}, not the name of a folder inside this assembly as CDK writes it`,
          edited: true,
        });
        continue;
      }
      count += reviewManifest(join(dir, name), inside, stacks, problems);
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    count++;
    const file = artifact.properties?.templateFile ?? `${id}.template.json`;
    if (!existsSync(join(dir, file))) {
      missing.push(file);
      continue;
    }
    // The stack's construct path decides which resource paths the checker believes (path-metadata.ts): it must be the
    // path CDK derives the artifact's id from, and one stack's only.
    const stackPath: unknown = artifact.displayName;
    const path = typeof stackPath === 'string' ? stackPath : undefined;
    const about = { artifactId: id, ...(path !== undefined ? { stackPath: path } : {}) };
    if (path === undefined || stackArtifactIdOfPath(path) !== id) {
      problems.push({
        where: manifestFile,
        kind: 'construct-path',
        ...about,
        problem: `the stack artifact ${id} has the construct path (displayName) ${JSON.stringify(stackPath) ?? 'none'}, which is not the path CDK derives that id from`,
        edited: true,
      });
    }
    // Where the stack deploys (the rules that need a region compare stacks by it): CDK writes aws://ACCOUNT/REGION
    // for every stack of the blueprint (its stacks name both); an environment-agnostic stack (unknown-account,
    // unknown-region) would deploy wherever the credentials point, so no rule could say which events it sees.
    const environment =
      typeof artifact.environment === 'string' ? /^aws:\/\/([^/]+)\/([^/]+)$/.exec(artifact.environment) : null;
    const account = concreteAccount(environment?.[1]);
    const region = concreteRegion(environment?.[2]);
    if (account === undefined || region === undefined) {
      problems.push({
        where: manifestFile,
        kind: 'environment',
        ...about,
        problem: `the stack artifact ${id} has the environment ${JSON.stringify(artifact.environment) ?? 'none'}, not aws://ACCOUNT/REGION with an account id and a region name as CDK writes it for the blueprint's stacks (an environment-agnostic stack deploys wherever the credentials point)`,
        edited: true,
      });
      continue;
    }
    try {
      for (const { kind, detail } of deployedTemplateProblems(artifact, dir, file, assets, { account, region })) {
        problems.push({
          where: manifestFile,
          kind,
          ...about,
          problem: `the stack artifact ${id} ${detail}: what deploys is not the template checked here`,
          edited: true,
        });
      }
    } catch (e) {
      if (!(e instanceof UnreadableFileError)) throw e;
      problems.push({
        where: e.file,
        kind: 'asset-source::unreadable',
        ...about,
        problem: `${e.detail} (an asset uploading the template object of the stack artifact ${id})`,
        edited: false,
      });
    }
    stacks.push({
      artifactId: id,
      dir,
      file,
      stackName: artifact.properties?.stackName ?? id,
      ...(path !== undefined ? { path } : {}),
      account,
      region,
    });
  }
  if (missing.length > 0) {
    const report = existsSync(join(dir, 'validation-report.json')) ? ' (see validation-report.json)' : '';
    problems.push({
      where: dir,
      kind: 'template::absent',
      problem:
        `the manifest names ${missing.length} stack template(s) that are not there (${missing.join(', ')}): ` +
        `a synth whose gate failed removes its templates${report}; nothing here can be checked or deployed`,
      edited: false,
    });
  } else if (count === 0) {
    problems.push({ where: dir, kind: 'stack::none', problem: 'the cloud assembly holds no stack', edited: false });
  }
  return count;
}

/**
 * The stacks of the cloud assembly in `dir`, in manifest order, with their templates.
 * @throws TemplateInputError on the first problem of reviewAssembly (the manifest is missing or unreadable, names a
 *   template that is not there (after a failed gate the app removes the templates: the message says so), gives a
 *   stack a construct path (displayName) that is not a string, does not derive the stack's artifact id, or is another
 *   stack's, or an environment that is not aws://ACCOUNT/REGION with an account id and a region name, or would deploy
 *   another template than the one checked, with parameters, or with another account's roles), and on a template that
 *   is not JSON or has no Resources map.
 */
export function loadAssembly(dir: string): AssemblyStack[] {
  const review = reviewAssembly(dir);
  const first = review.problems[0];
  if (first !== undefined) throw manifestRefusal(first);
  return review.stacks.map((s) => {
    const path = join(s.dir, s.file);
    const template = readJson(path, 'the template');
    if (!isObject(template) || !isObject(template.Resources)) {
      throw new TemplateInputError(`${path}: not a CloudFormation template (no "Resources" map)`);
    }
    return {
      stackName: s.stackName,
      file: s.file,
      path: s.path,
      region: s.region,
      account: s.account,
      template: template as TemplateJson,
    };
  });
}
