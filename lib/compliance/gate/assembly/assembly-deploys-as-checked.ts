import { existsSync, readFileSync } from 'fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'path';
import { CDK_BOOTSTRAP_QUALIFIER } from '../../../config/names';
import { ManifestReview } from '../core/manifest-review';
import { AssemblyStack, isObject } from '../core/template-json';
import { filledDestination, mayBe } from '../core/manifest-properties';
import { AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { provenAlertFormatters } from './tamper-detection-present';

const NAME = 'AssemblyDeploysAsChecked';

/**
 * The environment variables with which a Lambda runtime loads other code than the function's before or around its
 * handler: a wrapper script (AWS_LAMBDA_EXEC_WRAPPER), a module search path or preloaded library (a layer's files
 * under /opt), a language's own start-up hooks. NODE_OPTIONS is judged on its own (NODE_OPTIONS_FLAGS).
 */
const CODE_LOADING_VARIABLES: ReadonlySet<string> = new Set([
  'AWS_LAMBDA_EXEC_WRAPPER',
  'NODE_PATH',
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'LD_AUDIT',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONSTARTUP',
  'JAVA_TOOL_OPTIONS',
  'JDK_JAVA_OPTIONS',
  '_JAVA_OPTIONS',
  'PERL5LIB',
  'PERL5OPT',
  'RUBYLIB',
  'RUBYOPT',
  'DOTNET_STARTUP_HOOKS',
  'DOTNET_ADDITIONAL_DEPS',
  'BASH_ENV',
]);

/**
 * Environment variables with which a function's AWS SDK sends its calls to another endpoint, through a proxy, with
 * another trust store or none, or reads another configuration file (which may set `endpoint_url`): the alert formatter
 * with AWS_ENDPOINT_URL_SNS posted every alert to another host and passed (the attacker review of 2026-12-04, second
 * round). Names are matched case-insensitively (proxy variables are read in either case).
 */
const REDIRECTING_VARIABLE =
  /^(?:aws_endpoint_url(?:_\w+)?|aws_ca_bundle|aws_config_file|aws_shared_credentials_file|aws_profile|node_tls_reject_unauthorized|node_extra_ca_certs|https?_proxy|all_proxy|no_proxy)$/i;

/**
 * The NODE_OPTIONS flags that load no code (the blueprint's functions set `--enable-source-maps`): any other flag
 * may (`--require`, `--import`, `--loader`, `--experimental-loader`, `--env-file`, ...), so only these are allowed.
 */
const NODE_OPTIONS_FLAGS =
  /^--(enable-source-maps|no-deprecation|no-warnings|max-old-space-size=\d+|stack-trace-limit=\d+)$/;

/** The properties of a function's Code CDK writes for a file asset (and the key of a customer managed key). */
const ASSET_CODE_KEYS: ReadonlySet<string> = new Set(['S3Bucket', 'S3Key', 'SourceKMSKeyArn']);

/** One way a function may run other code than a file asset of the assembly. */
interface CodeProblem {
  /** The finding kind (after `<logicalId>::`). */
  readonly kind: string;
  /** What is wrong, after "The Lambda function ID ". */
  readonly detail: string;
}

/** Where a function's code is read from, as the template names it once the stack's environment fills it in. */
interface CodeObject {
  readonly bucket: string;
  readonly key: string;
}

/**
 * The CDK bootstrap asset bucket of the stack's environment as DefaultStackSynthesizer writes it into a function's
 * `Code.S3Bucket` (`cdk-QUALIFIER-assets-ACCOUNT-REGION`, literal for a stack with an environment, or a Fn::Sub of
 * `${AWS::AccountId}` and `${AWS::Region}`), with the blueprint's bootstrap qualifier and the stack's account and
 * region (any account id and region name when the stack's are not known): the bucket name, filled in; undefined for
 * any other bucket. S3 bucket names are global: a bucket of that form with another qualifier, account or region may
 * be anyone's.
 */
function bootstrapBucket(stack: AssemblyStack, value: unknown): string | undefined {
  // A literal name (a stack with an environment) or a Fn::Sub of one string, whose placeholders deploy fills in.
  const sub = isObject(value) && Object.keys(value).length === 1 ? value['Fn::Sub'] : undefined;
  const text = typeof value === 'string' ? value : typeof sub === 'string' ? sub : undefined;
  const placeholders = typeof sub === 'string';
  const form =
    text === undefined
      ? null
      : /^cdk-([a-z0-9_-]+)-assets-(\d{12}|\$\{AWS::AccountId\})-([a-z]+(?:-[a-z]+)+-\d+|\$\{AWS::Region\})$/.exec(
          text,
        );
  if (form === null || form[1] !== CDK_BOOTSTRAP_QUALIFIER) return undefined;
  const account = form[2] === '${AWS::AccountId}' ? (placeholders ? (stack.account ?? form[2]) : undefined) : form[2];
  const region = form[3] === '${AWS::Region}' ? (placeholders ? (stack.region ?? form[3]) : undefined) : form[3];
  if (account === undefined || region === undefined) return undefined;
  if (stack.account !== undefined && account !== stack.account) return undefined;
  if (stack.region !== undefined && region !== stack.region) return undefined;
  return `cdk-${form[1]}-assets-${account}-${region}`;
}

/**
 * Why the function's properties may make it run other code than a file asset of the assembly, as the templates alone
 * tell it (synth, check-template, a template without its manifest): code inline (`ZipFile`), a container image, an
 * object outside the stack's CDK bootstrap asset bucket (or a pinned object version, or a key that is not an asset's
 * `HASH.EXT`), a layer (its files under /opt come first on the module path), an environment variable that loads other
 * code (an exec wrapper, NODE_OPTIONS beyond NODE_OPTIONS_FLAGS), or a form the gate cannot read (an intrinsic);
 * with the object the code is read from when it is in the bootstrap bucket.
 */
function templateCodeProblems(
  stack: AssemblyStack,
  properties: Record<string, unknown>,
): { problems: CodeProblem[]; object?: CodeObject } {
  const problems: CodeProblem[] = [];
  let object: CodeObject | undefined;
  const code = properties.Code;
  const keys = isObject(code) ? Object.keys(code) : [];
  if (isObject(code) && code.ZipFile !== undefined) {
    problems.push({ kind: 'code-inline', detail: 'has its code inline in the template (Code.ZipFile)' });
  } else if (isObject(code) && code.ImageUri !== undefined) {
    problems.push({
      kind: 'code-image',
      detail: `runs the container image ${JSON.stringify(code.ImageUri)} (Code.ImageUri)`,
    });
  } else if (!isObject(code) || !keys.every((k) => ASSET_CODE_KEYS.has(k))) {
    problems.push({
      kind: 'code-outside-assembly-bucket',
      detail: `names its code as ${JSON.stringify(code)}, not Code.S3Bucket and Code.S3Key alone as CDK writes a file asset`,
    });
  } else {
    const bucket = bootstrapBucket(stack, code.S3Bucket);
    const key = code.S3Key;
    if (bucket === undefined || typeof key !== 'string' || !/^[\w!.*'()/-]*[0-9a-f]{64}\.[a-z0-9]+$/.test(key)) {
      problems.push({
        kind: 'code-outside-assembly-bucket',
        detail: `runs the object ${JSON.stringify(code.S3Key)} of the bucket ${JSON.stringify(code.S3Bucket)}, not an asset key (HASH.zip) in the CDK bootstrap asset bucket of its stack's account and region (cdk-${CDK_BOOTSTRAP_QUALIFIER}-assets-${stack.account ?? 'ACCOUNT'}-${stack.region ?? 'REGION'})`,
      });
    } else {
      object = { bucket, key };
    }
  }
  const layers = properties.Layers;
  if (layers !== undefined && !(Array.isArray(layers) && layers.length === 0)) {
    problems.push({
      kind: 'layers',
      detail: `has the layers ${JSON.stringify(layers)}: a layer's files (/opt) are loaded before and beside the function's own`,
    });
  }
  const environment = properties.Environment;
  const variables = isObject(environment) ? environment.Variables : undefined;
  if (
    environment !== undefined &&
    (!isObject(environment) ||
      !Object.keys(environment).every((k) => k === 'Variables') ||
      (variables !== undefined && !isObject(variables)) ||
      Object.keys(variables ?? {}).some((k) => k === 'Ref' || k.startsWith('Fn::')))
  ) {
    problems.push({
      kind: 'code-loading-environment',
      detail: `has the environment ${JSON.stringify(environment)}, whose variables the gate cannot read (not a map of names to values)`,
    });
  } else if (isObject(variables)) {
    for (const [name, value] of Object.entries(variables)) {
      const loads =
        CODE_LOADING_VARIABLES.has(name) ||
        (name === 'NODE_OPTIONS' &&
          !(
            typeof value === 'string' &&
            value
              .trim()
              .split(/\s+/)
              .every((flag) => NODE_OPTIONS_FLAGS.test(flag))
          ));
      if (loads) {
        problems.push({
          kind: 'code-loading-environment',
          detail: `sets the environment variable ${name} to ${JSON.stringify(value)}, with which the runtime loads other code than the function's`,
        });
      } else if (REDIRECTING_VARIABLE.test(name)) {
        problems.push({
          kind: 'code-loading-environment',
          detail: `sets the environment variable ${name} to ${JSON.stringify(value)}, with which the function's AWS SDK sends its calls elsewhere or trusts other certificates`,
        });
      }
    }
  }
  return { problems, ...(object !== undefined ? { object } : {}) };
}

/** The folder of the root assembly holding `dir`: a nested assembly (a stage's `assembly-<Stage>`) shares its assets. */
function rootAssemblyDir(dir: string): string {
  let root = dir;
  while (basename(root).startsWith('assembly-')) root = dirname(root);
  return root;
}

/**
 * Why deploy may not upload the function's code object from the assembly (undefined when it does): `cdk deploy`
 * publishes the file assets of the stack's own asset manifest before it deploys the stack, so the object must be the
 * destination of one of them (its placeholders filled in as cdk-assets fills them), in the stack's region, uploaded
 * from a file or folder of the assembly (a relative path inside it that is there: not another folder of the
 * deployer's machine). An object no asset of the stack uploads is whatever the bucket holds under that key.
 */
function notUploadedFromAssembly(stack: AssemblyStack, object: CodeObject, review: ManifestReview): string | undefined {
  const artifact = review.stacks.find((s) =>
    stack.path !== undefined ? s.path === stack.path : s.stackName === stack.stackName,
  );
  // A stack the review does not list has its own problem there.
  if (artifact === undefined) return undefined;
  const bucket = object.bucket
    .replace(/\$\{AWS::AccountId\}/g, artifact.account)
    .replace(/\$\{AWS::Region\}/g, artifact.region);
  const where = `s3://${bucket}/${object.key}`;
  const root = rootAssemblyDir(artifact.dir);
  try {
    const manifest = JSON.parse(readFileSync(join(artifact.dir, 'manifest.json'), 'utf8')) as unknown;
    const artifacts = isObject(manifest) && isObject(manifest.artifacts) ? manifest.artifacts : {};
    const own = artifacts[artifact.artifactId];
    const deps = isObject(own) && Array.isArray(own.dependencies) ? (own.dependencies as unknown[]) : [];
    for (const dep of deps) {
      const assetManifest = typeof dep === 'string' ? artifacts[dep] : undefined;
      if (!isObject(assetManifest) || assetManifest.type !== 'cdk:asset-manifest') continue;
      const file = isObject(assetManifest.properties) ? assetManifest.properties.file : undefined;
      if (typeof file !== 'string') continue;
      const path = join(artifact.dir, file);
      const assets = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      const files = isObject(assets) && isObject(assets.files) ? assets.files : {};
      for (const asset of Object.values(files)) {
        if (!isObject(asset) || !isObject(asset.source) || !isObject(asset.destinations)) continue;
        const uploads = Object.values(asset.destinations).some((d) => {
          if (!isObject(d) || d.region !== artifact.region) return false;
          const filled = filledDestination(d);
          return mayBe(filled.bucketName, bucket) && mayBe(filled.objectKey, object.key);
        });
        const source = asset.source;
        const sourcePath = typeof source.path === 'string' ? resolve(dirname(path), source.path) : undefined;
        const inside =
          sourcePath !== undefined &&
          !isAbsolute(source.path as string) &&
          !relative(root, sourcePath).startsWith('..') &&
          !isAbsolute(relative(root, sourcePath)) &&
          existsSync(sourcePath);
        const packaged = source.packaging === undefined || source.packaging === 'zip' || source.packaging === 'file';
        if (uploads && inside && packaged && source.executable === undefined) return undefined;
      }
    }
  } catch (e) {
    return `runs the object ${where}, and the stack's asset manifest cannot be read (${(e as Error).message})`;
  }
  return `runs the object ${where}, which no file asset of its stack's asset manifest uploads from a file or folder of the cloud assembly: it runs whatever the bucket holds under that key`;
}

/**
 * V2: `cdk deploy --app DIR` deploys what the gate judged. The manifest a stack's synthesizer writes decides how deploy
 * reads the assembly: the roles it assumes (`assumeRoleArn`) and hands CloudFormation (`cloudFormationExecutionRoleArn`)
 * decide the account the stack lands in, whatever its environment says; `stackTemplateAssetObjectUrl` and the asset
 * manifests decide which file (or a command's output) is uploaded and deployed as its template; manifest `parameters`
 * are passed to CloudFormation. A fork configuring a synthesizer (`DefaultStackSynthesizer({ deployRoleArn })`, a
 * custom one) changes them without changing a template. The manifest's review is one implementation
 * (assembly-loader.ts reviewAssembly): check-template refuses an assembly with any of these problems (exit 2) but a
 * template object key that is not its content's hash (a template edited by hand: judged here, with the rules'
 * findings), and at synth each is a finding here, on the stack whose artifact it is (the first stack for a problem of the assembly).
 *
 * The code each Lambda function runs is deployed from the assembly too: the gate does not read JavaScript, so what it
 * relies on (the alert formatter every alarm and tamper rule goes through, the checks' functions) is the code the
 * blueprint built, a file asset of the cloud assembly. From the templates alone (every mode), each function's code is
 * an asset key in the stack's CDK bootstrap asset bucket, with no inline code, image, layer or code-loading
 * environment variable (templateCodeProblems); with the manifest (synth, check-template of a cloud assembly), that
 * object is one the stack's asset manifest uploads from the assembly (notUploadedFromAssembly). A replaced formatter
 * that only logs the heartbeat would keep the heartbeat alarm quiet while dropping every alert.
 */
export const AssemblyDeploysAsChecked: AssemblyRule = {
  name: NAME,
  info: "The cloud assembly's manifest would make `cdk deploy --app` deploy otherwise than the templates the gate checked: a deploy or execution role of another account than the stack's environment, a template object uploaded from another file, built by a command, outside the stack's region or under a key that is not its content's SHA-256, another asset landing on it, an asset built by a command, manifest parameters, a stack property outside the allow-list (notification topics, stack tags, STS options, another account's lookup role, a lowered bootstrap version), termination protection off on a stack that retains resources, legacy asset metadata, two artifacts deploying one stack, or a manifest that cannot be read; or a Lambda function runs code that is not a file asset of the assembly (inline code, an image, an object outside the stack's CDK bootstrap asset bucket or one no asset of its stack uploads from the assembly, a layer, a code-loading environment variable).",
  explanation:
    "Every safeguard is judged on the templates as the synth wrote them; the manifest decides which account deploys them, with what parameters, and which object is deployed as each template, and each function's code object decides what the alert formatter and the checks run (164.308(a)(1)(ii)(D), 164.312(b), 164.308(b)(1)). Give the stack's synthesizer its environment's account's bootstrap roles (or leave them to DefaultStackSynthesizer), deploy the template file the synthesizer wrote, set no manifest parameters, and build every function's code as a CDK file asset (NodejsFunction, Code.fromAsset) without layers or wrapper variables; `npm run check-template -- cdk.out` refuses such an assembly too.",
  safeguards: ['V2', 'D1', 'D3', 'U6'],
  hipaaSections: ['164.308(a)(1)(ii)(D)', '164.312(b)', '164.308(b)(1)'],
  check(stacks, context) {
    const review = context.manifest;
    const findings: AssemblyFinding[] = [];
    const functions = lambdaCodeFindings(stacks, review);
    if (review === undefined) return functions;
    // A problem of the whole assembly (no stack artifact named) lands on its first stack.
    const fallback: AssemblyStack = stacks[0] ?? {
      stackName: '(assembly)',
      file: 'manifest.json',
      template: { Resources: {} },
    };
    for (const p of review.problems) {
      const stack = (p.stackPath !== undefined ? stacks.find((s) => s.path === p.stackPath) : undefined) ?? fallback;
      const what = `${p.problem.charAt(0).toUpperCase()}${p.problem.slice(1)}`;
      const where = `${p.stackPath !== undefined ? ` (stack ${p.stackPath})` : ''}, in ${p.where}`;
      findings.push(
        finding(
          NAME,
          p.kind,
          stack,
          undefined,
          `${what}${where}: \`cdk deploy --app\` of this assembly would not deploy what the gate judged (V2)`,
        ),
      );
    }
    findings.push(...functions.findings);
    return { findings, evaluated: review.stackArtifacts + functions.evaluated };
  },
};

/**
 * The findings on every Lambda function of the assembly that may run other code than a file asset of the assembly
 * (templateCodeProblems; with the manifest review, notUploadedFromAssembly), one per kind, and the number of functions
 * judged. A function without Code is not deployable (CloudFormation requires it) and is not judged. The alert
 * formatters the heartbeat proves (TamperDetectionPresent) carry every alert: their findings say so.
 */
function lambdaCodeFindings(
  stacks: readonly AssemblyStack[],
  review: ManifestReview | undefined,
): { findings: AssemblyFinding[]; evaluated: number } {
  const findings: AssemblyFinding[] = [];
  let evaluated = 0;
  let formatters: ReadonlySet<string> | undefined;
  for (const stack of stacks) {
    for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const properties = isObject(resource.Properties) ? resource.Properties : {};
      if (properties.Code === undefined) continue;
      evaluated++;
      const { problems, object } = templateCodeProblems(stack, properties);
      if (object !== undefined && review !== undefined) {
        const detail = notUploadedFromAssembly(stack, object, review);
        if (detail !== undefined) problems.push({ kind: 'code-not-an-asset', detail });
      }
      if (problems.length === 0) continue;
      formatters ??= provenAlertFormatters(stacks);
      const formatter = formatters.has(`${stack.stackName}/${id}`);
      const seen = new Set<string>();
      for (const p of problems) {
        if (seen.has(p.kind)) continue;
        seen.add(p.kind);
        findings.push(
          finding(
            NAME,
            `${id}::${p.kind}`,
            stack,
            id,
            formatter
              ? `The Lambda function ${id}, the alert formatter every alarm and tamper rule goes through, ${p.detail}; code the gate never judged could log the heartbeat and drop every alert (V2, D1, D3, U6)`
              : `The Lambda function ${id} ${p.detail}; it would run code that is not a file asset of the cloud assembly, which the gate never judged (V2)`,
          ),
        );
      }
    }
  }
  return { findings, evaluated };
}
