/**
 * Reads a cloud assembly directory (what `cdk synth` writes: manifest.json and the stack templates) as one set of
 * stacks for the template checker's assembly mode. Nested assemblies (stages) are followed.
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'fs';
import { dirname, isAbsolute, join, resolve } from 'path';
import { stackArtifactIdOfPath } from './core/path-metadata';
import { duplicateKeyOf, duplicateKeyProblem } from './core/json-text';
import { AssemblyStack, concreteAccount, concreteRegion, isObject, TemplateJson } from './core/template-json';
import { ManifestProblem, ManifestReview, ManifestStack } from './core/manifest-review';
import { TemplateInputError } from './core/template-input-error';
import {
  bootstrapProblems,
  filledDestination,
  isExact,
  mayBe,
  MIN_BOOTSTRAP_STACK_VERSION,
  roleAccount,
  stackPropertyProblems,
} from './core/manifest-properties';

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
    readonly [key: string]: unknown;
  };
  readonly dependencies?: unknown;
  readonly metadata?: unknown;
  readonly additionalMetadataFile?: unknown;
}

/** An asset of an asset manifest (a file or a docker image): where it is read or built from, where deploy uploads it. */
interface Asset {
  readonly type: 'file' | 'docker image';
  /** Its id in the asset manifest (the source hash, as CDK writes it). */
  readonly id: string;
  readonly source?: Record<string, unknown>;
  readonly destinations?: Record<string, unknown>;
  /** The folder of the asset manifest that lists it: cdk-assets reads `source.path` relative to it. */
  readonly folder: string;
  /** The asset manifest file. */
  readonly manifestFile: string;
  /** The id of the asset manifest artifact (`cdk:asset-manifest`) that names the file. */
  readonly artifactId: string;
}

/** The assets (files and docker images) of every asset manifest the manifest in `dir` lists. */
function manifestAssets(dir: string, artifacts: Record<string, unknown>): Asset[] {
  return Object.entries(artifacts).flatMap(([artifactId, raw]) => {
    const artifact = raw as ManifestArtifact;
    if (artifact.type !== 'cdk:asset-manifest' || typeof artifact.properties?.file !== 'string') return [];
    const file = join(dir, artifact.properties.file);
    const manifest = readJson(file, 'an asset manifest');
    const of = (type: Asset['type'], entries: unknown): Asset[] =>
      // A hand-edited entry that is not an object (null, a string) uploads nothing here; its parts are read with care.
      Object.entries(isObject(entries) ? entries : {}).map(([id, a]) => ({
        type,
        id,
        source: isObject(a) && isObject(a.source) ? a.source : undefined,
        destinations: isObject(a) && isObject(a.destinations) ? a.destinations : undefined,
        folder: dirname(file),
        manifestFile: file,
        artifactId,
      }));
    return isObject(manifest) ? [...of('file', manifest.files), ...of('docker image', manifest.dockerImages)] : [];
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
 * uploads the object the stack's `stackTemplateAssetObjectUrl` names (its placeholders filled in with the stack's
 * environment) from the source of the asset that uploads it (its path read from the asset manifest's folder, or the
 * output of its command), with the asset destination's placeholders filled in as cdk-assets fills them (filledDestination:
 * the destination's own region, the deployer's account), and skips the upload when an object of that key is there
 * already; CloudFormation deploys the object; the checker reads `templateFile`. So every asset of the assembly
 * that may upload that object must do so with a destination in the stack's region and account, from that file (or a file of the
 * same bytes) as a plain file, under a key ending in the SHA-256 of the file's bytes and '.json' (DefaultStackSynthesizer's
 * key: an object already stored under it holds those bytes); no other asset (file or docker image) may upload to it (a docker image asset never is a template's source).
 * Parameters in the manifest would be passed to CloudFormation (the gate judges the template without them), a deploy
 * or execution role of another account would deploy the stack in that account, and the other properties are judged on
 * their allow-list (stackPropertyProblems).
 * @throws TemplateInputError when an asset's source that uploads the object cannot be read
 */
function deployedTemplateProblems(
  artifact: ManifestArtifact,
  dir: string,
  templateFile: string,
  assets: readonly Asset[],
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
    if (roleAccount(arn, environment.account) !== environment.account) {
      problems.push({
        kind: `${name}::another-account`,
        detail: `deploys with the role ${JSON.stringify(arn)} (${name}), not one of its environment's account ${environment.account}`,
      });
    }
  }
  // Termination protection off matters on a stack that keeps something when deleted (read only then).
  const stateful = (): string | undefined => retainedResource(join(dir, templateFile));
  problems.push(...stackPropertyProblems(properties, environment.account, stateful));
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
  // deploy fills the URL's placeholders with the stack's environment.
  const concrete = (name: string): string =>
    name.replace(/\$\{AWS::AccountId\}/g, environment.account).replace(/\$\{AWS::Region\}/g, environment.region);
  const [bucket, key] = [concrete(where[1]!), concrete(where[2]!)];
  // Every destination of every asset that may upload that object, once its placeholders are filled in.
  const uploads = assets.flatMap((asset) =>
    Object.entries(asset.destinations ?? {}).flatMap(([id, d]) => {
      if (!isObject(d)) return [];
      const filled = filledDestination(d);
      return mayBe(filled.bucketName, bucket) && mayBe(filled.objectKey, key)
        ? [{ asset, id, destination: d, filled }]
        : [];
    }),
  );
  const describe = (u: (typeof uploads)[number]): string =>
    `the ${u.asset.type} asset ${u.asset.id} of ${u.asset.manifestFile} (destination ${u.id}: bucketName ${JSON.stringify(u.destination.bucketName)}, objectKey ${JSON.stringify(u.destination.objectKey)}, region ${JSON.stringify(u.destination.region) ?? 'none'})`;
  if (uploads.length === 0) {
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
  const templateBytes = (): Buffer => {
    try {
      return (bytes ??= readFileSync(template));
    } catch (e) {
      throw new UnreadableFileError(template, `cannot read the template: ${(e as Error).message}`);
    }
  };
  // The same file, or a file of the same bytes (two stacks with identical templates share one object).
  const sameFile = (path: string): boolean => {
    if (path === template) return true;
    try {
      const stat = statSync(path);
      return stat.isFile() && stat.size === templateBytes().length && readFileSync(path).equals(templateBytes());
    } catch (e) {
      if (e instanceof UnreadableFileError) throw e;
      throw new UnreadableFileError(path, `cannot read an asset's source: ${(e as Error).message}`);
    }
  };
  // Every upload of the object (two stacks of identical templates share one): each from a file of the template's bytes,
  // in the stack's region and account; a problem once, on the first upload that has it.
  const once = (kind: string, detail: string): void => {
    if (!problems.some((p) => p.kind === kind)) problems.push({ kind, detail });
  };
  for (const upload of uploads) {
    const { asset, destination, filled } = upload;
    const source = asset.source;
    if (
      asset.type !== 'file' ||
      source === undefined ||
      source.executable !== undefined ||
      (source.packaging !== undefined && source.packaging !== 'file') ||
      typeof source.path !== 'string' ||
      !sameFile(resolve(asset.folder, source.path))
    ) {
      once(
        'template-object::other-source',
        `deploys the object ${url}, which ${describe(upload)} uploads from ${JSON.stringify(source ?? null)} (in ${asset.folder}), not from ${templateFile} as a file`,
      );
    }
    // The object is uploaded in the stack's own region (the destination's region fills its placeholders and picks the
    // S3 endpoint) with credentials of the stack's own account.
    const publisher = destination.assumeRoleArn;
    if (
      destination.region !== environment.region ||
      !isExact(filled.bucketName) ||
      !isExact(filled.objectKey) ||
      (publisher !== undefined && roleAccount(publisher, environment.account) !== environment.account)
    ) {
      once(
        'template-object::destination-environment',
        `deploys the object ${url}, which ${describe(upload)} uploads with the role ${JSON.stringify(publisher) ?? 'of the credentials'}: not a destination of its environment's region ${environment.region} and account ${environment.account} naming that object exactly`,
      );
    }
  }
  // DefaultStackSynthesizer's key is the template's SHA-256 (after an optional bucketPrefix): deploy skips the upload
  // when the key exists, and an object stored under that key holds those bytes.
  const hash = createHash('sha256').update(templateBytes()).digest('hex');
  if (!key.endsWith(`${hash}.json`)) {
    problems.push({
      kind: 'template-object::key-not-content-hash',
      detail: `deploys the object ${url}, whose key is not the SHA-256 of ${templateFile} (${hash}.json): deploy skips the upload when an object of that key is stored already, and deploys that object`,
    });
  }
  return problems;
}

/**
 * A resource the template in `path` keeps when its stack is deleted (DeletionPolicy Retain, RetainExceptOnUpdate or
 * Snapshot), as 'the Retain resource LOGICAL_ID'; undefined when it keeps none or cannot be read (loadAssembly refuses
 * a template that is not JSON).
 */
function retainedResource(path: string): string | undefined {
  let template: unknown;
  try {
    template = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
  const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  for (const [id, r] of Object.entries(resources)) {
    const policy = isObject(r) ? r.DeletionPolicy : undefined;
    if (policy === 'Retain' || policy === 'RetainExceptOnUpdate' || policy === 'Snapshot') {
      return `the ${policy} resource ${id}`;
    }
  }
  return undefined;
}

/**
 * What the assets of an asset manifest would make deploy do on the deployer's machine or outside the gate's view:
 * a `source.executable` (a command deploy runs to build the asset, file or docker image) and an asset manifest
 * artifact's lowered bootstrap version or other version parameter. Each once, on the asset manifest.
 */
function assetProblems(
  artifacts: Record<string, unknown>,
  assets: readonly Asset[],
): (DeployedTemplateProblem & { where: string; assetManifest: string })[] {
  const problems: (DeployedTemplateProblem & { where: string; assetManifest: string })[] = [];
  for (const asset of assets) {
    if (asset.source?.executable !== undefined) {
      problems.push({
        where: asset.manifestFile,
        assetManifest: asset.artifactId,
        kind: 'asset::executable',
        detail: `runs the command ${JSON.stringify(asset.source.executable)} (source.executable of the ${asset.type} asset ${asset.id}) on the deployer's machine to build an asset`,
      });
    }
  }
  for (const [id, raw] of Object.entries(artifacts)) {
    const artifact = raw as ManifestArtifact;
    if (artifact.type !== 'cdk:asset-manifest') continue;
    const properties = artifact.properties ?? {};
    const extra = Object.keys(properties).filter(
      (k) => !['file', 'requiresBootstrapStackVersion', 'bootstrapStackVersionSsmParameter'].includes(k),
    );
    const found: DeployedTemplateProblem[] = extra.map((k) => ({
      kind: `${k}::not-allowed`,
      detail: `has the property ${k} (${JSON.stringify(properties[k])}), which the manifest review does not know`,
    }));
    if (
      properties.requiresBootstrapStackVersion !== undefined ||
      properties.bootstrapStackVersionSsmParameter !== undefined
    ) {
      found.push(...bootstrapProblems(properties, MIN_BOOTSTRAP_STACK_VERSION, undefined));
    }
    for (const f of found) {
      problems.push({ ...f, where: typeof properties.file === 'string' ? properties.file : id, assetManifest: id });
    }
  }
  return problems;
}

/**
 * The legacy asset entries (`aws:cdk:asset` metadata) of a stack artifact, inline or in its additionalMetadataFile: the
 * CLI builds and publishes each (a docker build, a zip) and passes its location as stack parameters.
 * @throws TemplateInputError when the metadata file cannot be read
 */
function legacyAssetEntries(artifact: ManifestArtifact, dir: string): number {
  const count = (metadata: unknown): number =>
    Object.values(isObject(metadata) ? metadata : {})
      .flatMap((entries) => (Array.isArray(entries) ? (entries as unknown[]) : []))
      .filter((e) => isObject(e) && e.type === 'aws:cdk:asset').length;
  const file = artifact.additionalMetadataFile;
  return (
    count(artifact.metadata) + (typeof file === 'string' ? count(readJson(join(dir, file), 'a metadata file')) : 0)
  );
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
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw new UnreadableFileError(file, `${what} is not JSON: ${(e as Error).message}`);
  }
  const duplicate = duplicateKeyOf(text);
  if (duplicate !== undefined) throw new UnreadableFileError(file, duplicateKeyProblem(what, duplicate));
  return value;
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

/** The template files the manifest's stack artifacts (of this assembly, not nested ones) name that are not in `dir`. */
function absentTemplates(dir: string, artifacts: Record<string, unknown>): string[] {
  return Object.entries(artifacts)
    .filter(([, raw]) => isObject(raw) && raw.type === 'aws:cloudformation:stack')
    .map(([id, raw]) => {
      const file = (raw as ManifestArtifact).properties?.templateFile;
      return typeof file === 'string' ? file : `${id}.template.json`;
    })
    .filter((file) => !existsSync(join(dir, file)));
}

/** The problem of an assembly whose manifest names stack templates that are not there (what a failed gate leaves). */
function absentTemplatesProblem(dir: string, missing: readonly string[]): ManifestProblem {
  const report = existsSync(join(dir, 'validation-report.json')) ? ' (see validation-report.json)' : '';
  return {
    where: dir,
    kind: 'template::absent',
    problem:
      `the manifest names ${missing.length} stack template(s) that are not there (${missing.join(', ')}): ` +
      `a synth whose gate failed removes its templates${report}; nothing here can be checked or deployed`,
    edited: false,
  };
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
  let artifacts: Record<string, unknown> | undefined;
  let assets: Asset[];
  try {
    const manifest = readJson(manifestFile, 'the manifest');
    artifacts = isObject(manifest) && isObject(manifest.artifacts) ? manifest.artifacts : {};
    assets = manifestAssets(dir, artifacts);
  } catch (e) {
    if (!(e instanceof UnreadableFileError)) throw e;
    // A failed gate removes the templates and the asset manifests: that, not the first file missing, is the news.
    const missing = artifacts === undefined ? [] : absentTemplates(dir, artifacts);
    problems.push(
      missing.length > 0
        ? absentTemplatesProblem(dir, missing)
        : { where: e.file, kind: 'file::unreadable', problem: e.detail, edited: false },
    );
    return 0;
  }
  // An asset manifest's problems land on the stack artifact that depends on it (deploy publishes it for that stack).
  for (const p of assetProblems(artifacts, assets)) {
    const owner = Object.entries(artifacts).find(([, raw]) => {
      const deps = (raw as ManifestArtifact).dependencies;
      return Array.isArray(deps) && deps.includes(p.assetManifest);
    });
    const ownerPath = owner === undefined ? undefined : (owner[1] as ManifestArtifact).displayName;
    problems.push({
      where: isAbsolute(p.where) ? p.where : join(dir, p.where),
      kind: p.kind,
      ...(owner !== undefined ? { artifactId: owner[0] } : {}),
      ...(typeof ownerPath === 'string' ? { stackPath: ownerPath } : {}),
      problem: `the asset manifest artifact ${p.assetManifest} ${p.detail}: what deploys is not only what was checked here`,
      edited: true,
    });
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
      const legacy = legacyAssetEntries(artifact, dir);
      if (legacy > 0) {
        problems.push({
          where: manifestFile,
          kind: 'metadata::aws:cdk:asset',
          ...about,
          problem: `the stack artifact ${id} has ${legacy} legacy asset metadata entr${legacy === 1 ? 'y' : 'ies'} (aws:cdk:asset), which deploy builds, publishes and passes to CloudFormation as parameters: what deploys is not the template checked here`,
          edited: true,
        });
      }
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
    problems.push(absentTemplatesProblem(dir, missing));
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
  return loadAssemblyForCheck(dir).stacks;
}

/**
 * Manifest problems check-template judges instead of refusing: a template object key that is not the template's
 * SHA-256 is what a template edited by hand after synth has (a reviewer's deliberately broken copy), so its rules'
 * findings are reported, with this one (exit 1); at synth the key is always the content's.
 */
export const JUDGED_MANIFEST_PROBLEMS: ReadonlySet<string> = new Set(['template-object::key-not-content-hash']);

/**
 * The stacks of the assembly in `dir` with their templates, and the manifest problems to judge as findings
 * (JUDGED_MANIFEST_PROBLEMS); refuses (TemplateInputError) the first other problem.
 */
export function loadAssemblyForCheck(dir: string): { stacks: AssemblyStack[]; manifest: ManifestReview } {
  const review = reviewAssembly(dir);
  const first = review.problems.find((p) => !JUDGED_MANIFEST_PROBLEMS.has(p.kind));
  if (first !== undefined) throw manifestRefusal(first);
  const stacks = review.stacks.map((s) => {
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
  return { stacks, manifest: review };
}
