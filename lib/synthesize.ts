import { existsSync, readdirSync, readFileSync, rmSync } from 'fs';
import { join, relative } from 'path';
import { App } from 'aws-cdk-lib';
import { DISABLE_CREATION_STACK_TRACES } from 'aws-cdk-lib/cx-api';
import { EVIDENCE_DIR } from './compliance/evidence-plugin';
import { GATE_SUMMARY_FILE, gateSummaryLine, readGateSummary, writeGateSummary } from './compliance/gate/gate-summary';
import { buildBlueprint } from './blueprint-app';
import { ParallelCloudFormationValidation } from './compliance/cfn-validation/parallel-validation';
import { BlueprintConfig, ConfigValidationError, loadConfig } from './config';
import { nearestKey } from './config/problems';

/**
 * The context the app's App is created with (bin/hipaa-blueprint.ts), as defaults under what the CDK CLI passes: no
 * creation stack traces (`aws:cdk:disable-creation-stack-traces`; CDK_DEBUG, which `cdk synth --debug-app` or
 * `--debug` sets, keeps them). aws-cdk-lib captured a call stack for every CloudFormation element, about 0.15 s of the
 * synth and 0.5 MB of metadata.json, each frame a line of the esbuild bundle in .cache/ rather than of the sources.
 * Not in cdk.json: the CDK CLI warns about a reserved key there on every command, and refuses one given with -c.
 */
export const APP_CONTEXT_DEFAULTS: Readonly<Record<string, unknown>> = {
  [DISABLE_CREATION_STACK_TRACES]: true,
};

/** The context keys bin/hipaa-blueprint.ts reads (`-c env=prod`, `-c config=FILE`, `-c phiReplicaBootstrap=true`). */
export const APP_CONTEXT_KEYS: readonly string[] = ['env', 'config', 'phiReplicaBootstrap'];

/**
 * Context keys of no colon (what a person types after `-c`; aws-cdk-lib's flags, the CDK CLI's own keys and the
 * lookups cached in cdk.context.json all have one) that the app neither reads nor knows: a mistyped `-c envv=prod`
 * would otherwise build dev and print a passing gate. `acknowledged-issue-numbers` and `cli-telemetry` are the CDK
 * CLI's own keys without a colon (cdk.context.json, cdk.json). A key of one of the app's names followed by a colon
 * (`-c env:prod`) is refused too, and a phiReplicaBootstrap other than true or false. One message naming each key, its
 * value and the keys the app reads; undefined when there is none.
 */
export function unknownContextProblem(context: Readonly<Record<string, unknown>>): string | undefined {
  const known = new Set([
    ...APP_CONTEXT_KEYS,
    ...Object.keys(APP_CONTEXT_DEFAULTS),
    'acknowledged-issue-numbers',
    'cli-telemetry',
  ]);
  // `-c env:prod` (a colon for the equals sign) is the key `env:prod`: a colon exempts none of the app's own keys.
  const colonTypo = (k: string): string | undefined =>
    APP_CONTEXT_KEYS.find((a) => k.toLowerCase().startsWith(`${a.toLowerCase()}:`));
  const unknown = Object.keys(context).filter((k) => (!k.includes(':') && !known.has(k)) || colonTypo(k) !== undefined);
  const lines = unknown.map((k) => {
    const typo = colonTypo(k);
    const close = typo === undefined ? nearestKey(k, APP_CONTEXT_KEYS) : undefined;
    const hint =
      typo !== undefined
        ? ` (did you mean -c ${typo}=${k.slice(typo.length + 1)}?)`
        : close
          ? ` (did you mean -c ${close}=...?)`
          : '';
    return `  - context ${k} = ${JSON.stringify(context[k])}: the app reads no such key${hint}`;
  });
  // A switch read as exactly 'true': 'True' or 'yes' would silently build the whole app instead of step 1.
  const bootstrap = context.phiReplicaBootstrap;
  if (bootstrap !== undefined && String(bootstrap) !== 'true' && String(bootstrap) !== 'false') {
    lines.push(`  - context phiReplicaBootstrap = ${JSON.stringify(bootstrap)}: must be true or false`);
  }
  if (lines.length === 0) return undefined;
  return [`Context refused (the app reads ${APP_CONTEXT_KEYS.join(', ')}); nothing was synthesized:`, ...lines].join(
    '\n',
  );
}

/** Where synthesis reports what it refused, and the one-line gate summary on success. */
export interface SynthesisLog {
  error(message: string): void;
  /** @default - the summary line is not printed */
  info?(message: string): void;
}

/**
 * Files and folders of a cloud assembly that a deploy takes: the stack templates, their asset manifests and
 * metadata, the asset folders and nested assemblies. Kept: manifest.json, validation-report.json, tree.json, the
 * `cdk.out` version file and the evidence folder.
 */
const DEPLOYABLE = /^(.+\.template\.json|.+\.assets\.json|.+\.metadata\.json|asset\..+|assembly-.+)$/;

/**
 * The violations of the validation report in `outdir` (what failed the gate), one line each: rule, where, why.
 * The CDK CLI does not show the report when the app exits non-zero, so synth prints this itself.
 */
export function violationLines(outdir: string, limit = 40): string[] {
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  } catch {
    return [];
  }
  type Violation = {
    ruleName?: string;
    description?: string;
    violatingConstructs?: { constructPath?: string; cloudFormationResource?: { templatePath?: string } }[];
  };
  type PluginReport = { pluginName?: string; conclusion?: string; violations?: Violation[]; metadata?: unknown };
  const reports = (report as { pluginReports?: PluginReport[] }).pluginReports ?? [];
  // A plugin that threw (aws-cdk-lib reports it as a failure with no violation, and the app may still exit 0): every
  // rule it carries is unjudged, so the gate fails.
  const crashed = reports
    .filter((r) => r.conclusion !== 'success' && (r.violations ?? []).length === 0)
    .map((r) => {
      const error = (r.metadata as { error?: unknown } | undefined)?.error;
      return `  - ${r.pluginName ?? '?'}: the rule pack did not run to its end (${typeof error === 'string' ? error.split('\n')[0] : 'no report'}): none of its rules judged this synth`;
    });
  const lines = reports
    .filter((r) => r.conclusion !== 'success')
    .flatMap((r) => r.violations ?? [])
    .map((v) => {
      // A finding about a whole template (an assembly rule's, the manifest's) has no construct path: its template.
      const where = [
        ...new Set((v.violatingConstructs ?? []).map((c) => c.constructPath || c.cloudFormationResource?.templatePath)),
      ]
        .map((w) => w ?? '?')
        .join(', ');
      return `  - ${v.ruleName ?? '?'}${where ? ` at ${where}` : ''}: ${(v.description ?? '').split('\n')[0]}`;
    });
  const all = [...crashed, ...lines];
  return all.length > limit ? [...all.slice(0, limit), `  ... and ${all.length - limit} more`] : all;
}

/**
 * Removes from `outdir` everything a deploy or the template checker could take (DEPLOYABLE), after a failed gate
 * or synth: `cdk deploy --app cdk.out` and `npm run check-template -- cdk.out` then have nothing to use. Returns
 * the names removed.
 */
export function removeDeployableArtifacts(outdir: string): string[] {
  if (!existsSync(outdir)) return [];
  const removed = readdirSync(outdir).filter((name) => DEPLOYABLE.test(name));
  for (const name of removed) rmSync(join(outdir, name), { recursive: true, force: true });
  return removed.sort();
}

/** Options of synthesizeEnvironment. */
export interface SynthesizeOptions {
  /** The environment to synthesize (a key of `environments`). */
  readonly envName: string;
  /** The environments it is chosen from (lib/config/environments.ts, plus a JSON one given with -c config=FILE). */
  readonly environments: Readonly<Record<string, unknown>>;
  /**
   * Step 1 of a first deploy only (see buildBlueprint).
   * @default false
   */
  readonly phiReplicaBootstrap?: boolean;
  /**
   * Where problems are written.
   * @default console
   */
  readonly log?: SynthesisLog;
  /**
   * aws-cdk-lib's built-in CloudFormation validation run in a worker thread (parallel-validation.ts): attached
   * before the constructs are built, prewarmed after. The App must not turn the built-in validation off.
   * @default - aws-cdk-lib runs its built-in validation itself (when the App and CDK_VALIDATION allow it)
   */
  readonly cfnValidation?: ParallelCloudFormationValidation;
}

/** The construct path a CDK construct error names, if any (aws-cdk-lib ConstructError#constructPath). */
function constructPathOf(error: unknown): string | undefined {
  const path = (error as { constructPath?: unknown } | null)?.constructPath;
  return typeof path === 'string' && path !== '' ? path : undefined;
}

/**
 * Refuses a synth before anything is built (a config or context mistake): writes `message` and returns 1. Templates a
 * previous synth left in `outdir` would still deploy: nothing of a refused config may. Its evidence (a gate summary
 * saying "passed"), manifest, tree and validation report describe another config: a reviewer or a CI job reading them
 * would take them for this one's. So all of them go.
 */
export function refuseSynthesis(outdir: string, message: string, log: Pick<SynthesisLog, 'error'>): number {
  removeDeployableArtifacts(outdir);
  for (const name of [EVIDENCE_DIR, 'manifest.json', 'tree.json', 'validation-report.json', 'cdk.out']) {
    rmSync(join(outdir, name), { recursive: true, force: true });
  }
  log.error(message);
  return 1;
}

/**
 * Validates the environment's config, builds the blueprint into `app` and synthesizes it. Returns the exit
 * code: 0, or 1 after writing one message (never a stack trace) when the config is invalid (nothing is built,
 * so nothing is written) or a construct refuses its props (the message names the construct path).
 */
export function synthesizeEnvironment(app: App, options: SynthesizeOptions): number {
  const log = options.log ?? { error: (m: string) => console.error(m), info: (m: string) => console.error(m) };
  const outdir = app.outdir;
  const evidenceDir = join(outdir, EVIDENCE_DIR);
  let config: BlueprintConfig;
  try {
    config = loadConfig(options.envName, options.environments);
  } catch (e) {
    if (!(e instanceof ConfigValidationError)) throw e;
    return refuseSynthesis(outdir, e.message, log);
  }
  // A summary from an earlier synth must not survive this one.
  rmSync(join(evidenceDir, GATE_SUMMARY_FILE), { force: true });
  let failure: string | undefined;
  try {
    options.cfnValidation?.attach(app);
    buildBlueprint(app, config, { phiReplicaBootstrap: options.phiReplicaBootstrap ?? false });
    options.cfnValidation?.prewarm(app);
    app.synth();
    // A validation that never produced a report fails synth here, whatever aws-cdk-lib made of it.
    const cfnFailure = options.cfnValidation?.failure;
    if (cfnFailure !== undefined) throw new Error(cfnFailure);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const path = constructPathOf(e);
    failure =
      `Synthesis of environment '${config.envName}' failed${path ? ` at construct ${path}` : ''}: ${message.split('\n')[0]}` +
      (message.includes('\n') ? `\n${message.split('\n').slice(1).join('\n')}` : '');
  }
  const summary = readGateSummary(evidenceDir);
  if (failure === undefined && summary?.status === 'passed' && violationLines(outdir).length === 0) {
    const shown = relative(process.cwd(), evidenceDir);
    // The CloudFormation validation (the last plugin) reports after the gate wrote its summary: added to it here.
    const stats = options.cfnValidation?.stats;
    const cloudFormationValidation = stats && { templates: stats.templates, violations: stats.violations };
    if (cloudFormationValidation) writeGateSummary(evidenceDir, { ...summary, cloudFormationValidation });
    log.info?.(
      gateSummaryLine(summary, shown === '' || shown.startsWith('..') ? evidenceDir : shown, cloudFormationValidation, {
        envName: config.envName,
        account: config.account,
        region: config.region,
      }),
    );
    return 0;
  }
  // A failed gate (or synth) leaves nothing deployable, and evidence that says it failed.
  const removed = removeDeployableArtifacts(outdir);
  if (summary === undefined || summary.status === 'passed') {
    writeGateSummary(evidenceDir, {
      status: 'failed',
      packs: summary?.packs ?? [],
      rules: summary?.rules ?? 0,
      evaluations: summary?.evaluations ?? 0,
      acknowledgements: summary?.acknowledgements ?? 0,
      violations: summary?.violations ?? 0,
      reason: (failure ?? violationLines(outdir)[0]?.replace(/^\s*-\s*/, '') ?? 'the gate wrote no summary').split(
        '\n',
      )[0]!,
    });
  }
  const templates = removed.filter((n) => n.endsWith('.template.json')).length;
  const violations = violationLines(outdir);
  log.error(
    (failure ?? `Synthesis of environment '${config.envName}' failed: the compliance gate did not pass`) +
      (failure === undefined && violations.length > 0 ? `\n${violations.join('\n')}` : '') +
      (templates > 0
        ? `\nThe gate failed: removed ${templates} stack template(s) and ${removed.length - templates} other deployable file(s) from ${outdir}; kept validation-report.json and the evidence (${join(EVIDENCE_DIR, GATE_SUMMARY_FILE)} says failed).`
        : ''),
  );
  return 1;
}

export { environmentFromFile } from './config/environment-file';
