import { join } from 'path';
import { BlueprintConfig } from '../config';
import { readAssembly, SynthesizedAssembly } from './core/assembly';
import { ASSEMBLY_DIR, synthArgs } from './cdk-commands';
import { CommandDeps } from './command-deps';
import { DeployedState, readDeployedState } from './core/deployed-state';
import { hasErrors } from './core/finding';
import { ProcessDockerProbe } from './core/docker-probe';
import { CallerIdentity } from './preflight/context';
import { checkCredentials } from './preflight/credentials';
import { PREFLIGHT_CHECKS, runPreflight } from './preflight/run-preflight';
import { StepError } from './step-error';

/** Numbered progress lines: `[3/7] deploy ...`. */
export class Progress {
  private current = 0;

  constructor(
    private readonly deps: Pick<CommandDeps, 'reporter'>,
    public total: number,
  ) {}

  /** Prints the next step's line. */
  public step(text: string): void {
    this.current += 1;
    this.deps.reporter.line(`[${this.current}/${this.total}] ${text}`);
  }
}

/**
 * The first check of every command, before any CDK command: who the credentials are. Prints what is
 * wrong and returns undefined when there are no usable credentials.
 */
export async function credentialsPhase(
  config: BlueprintConfig,
  deps: CommandDeps,
): Promise<CallerIdentity | undefined> {
  const result = await checkCredentials(deps.clients, config.region);
  if (!result.ok) {
    deps.reporter.error(`credentials: ${result.finding.message}`);
    return undefined;
  }
  return result.identity;
}

/** `npm run check-template -- DIR --env NAME`, in this process (CommandDeps.checkAssembly's default). */
function checkTemplateOf(directory: string, envName: string, out: (line: string) => void): number {
  // Loaded here, not at the top: the rule packs and aws-cdk-lib load only once synth has passed.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runCheckTemplate } = require('../check-template-cli') as typeof import('../check-template-cli');
  return runCheckTemplate([directory, '--env', envName], { out, err: out });
}

/**
 * `cdk synth` with `args` (through the compliance gate) into `directory` (relative to the project), then the template
 * check of what it wrote; false (after printing why) when the gate, the config or the check refused. The gate judges
 * the construct tree, and rechecks as written only the stacks it knows were changed after the tree
 * (Blueprint-PacksSeeOverrides); code can still change how a template renders in ways the tree does not show (a
 * patched aws-cdk-lib class, a token that resolves differently for the packs). The check reads every template as
 * written, and the deploy steps deploy that assembly as it is (`cdk deploy --app DIR`), so what deploys is what was
 * checked: on a finding, nothing is deployed. A clean check prints its last line; findings print the report but its
 * clean templates and its list of honoured acknowledgements.
 */
export async function checkedSynth(
  args: readonly string[],
  directory: string,
  envName: string,
  deps: CommandDeps,
): Promise<boolean> {
  const code = await deps.runner.run(args);
  if (code !== 0) {
    deps.reporter.error(
      `synth failed (exit ${code}): the compliance gate or the config refused the templates (see the output above); nothing was deployed`,
    );
    return false;
  }
  const report: string[] = [];
  let checked: number;
  try {
    checked = (deps.checkAssembly ?? checkTemplateOf)(join(deps.projectDir, directory), envName, (line) =>
      report.push(line),
    );
  } catch (e) {
    throw new StepError(`synth: check-template ${directory}`, e);
  }
  if (checked !== 0) {
    // The report without what says nothing about the failure: the honoured acknowledgements (a hundred lines) and
    // the clean templates.
    for (const line of report) {
      if (!/^\s+acknowledged /.test(line) && !/: (assembly rules )?clean \(/.test(line))
        deps.reporter.line(`      ${line}`);
    }
    deps.reporter.error(
      `check-template ${directory} --env ${envName} failed (exit ${checked}): the templates synth wrote fail the check of what is written, which the gate did not see (see the report above; \`npm run check-template -- ${directory} --env ${envName}\` prints it whole); nothing was deployed`,
    );
    return false;
  }
  deps.reporter.line(`      check-template: ${report.at(-1) ?? 'clean'}`);
  return true;
}

/** Synth of the environment into cdk.out through the gate and the template check (checkedSynth), then its assembly. */
export async function synthPhase(config: BlueprintConfig, deps: CommandDeps): Promise<SynthesizedAssembly | undefined> {
  if (!(await checkedSynth(synthArgs(config.envName), ASSEMBLY_DIR, config.envName, deps))) return undefined;
  try {
    return (deps.readAssembly ?? readAssembly)(join(deps.projectDir, ASSEMBLY_DIR));
  } catch (e) {
    throw new StepError('synth: read cdk.out', e);
  }
}

/** The outcome of the preflight checks. */
export interface PreflightPhaseResult {
  readonly ok: boolean;
  readonly deployed: DeployedState;
}

/** Every preflight check after credentials and synth; prints each check's result. */
export async function preflightPhase(
  config: BlueprintConfig,
  identity: CallerIdentity,
  assembly: SynthesizedAssembly,
  options: { readonly createServiceLinkedRoles: boolean },
  deps: CommandDeps,
): Promise<PreflightPhaseResult> {
  let deployed: DeployedState;
  try {
    deployed = await readDeployedState(deps.clients, assembly.stacks);
  } catch (e) {
    throw new StepError('preflight: read the stacks (CloudFormation DescribeStacks)', e);
  }
  const outcomes = await runPreflight(
    {
      config,
      clients: deps.clients,
      identity,
      assembly,
      deployed,
      shellRegion: deps.shellRegion,
      createServiceLinkedRoles: options.createServiceLinkedRoles,
      docker: deps.docker ?? new ProcessDockerProbe(),
      note: (line) => deps.reporter.line(`      ${line}`),
    },
    deps.preflightChecks ?? PREFLIGHT_CHECKS,
  );
  for (const outcome of outcomes) {
    if (outcome.findings.length === 0) {
      deps.reporter.line(`      ok     ${outcome.name}`);
      continue;
    }
    for (const f of outcome.findings) {
      if (f.level === 'error') deps.reporter.error(`      ERROR  ${f.check}: ${f.message}`);
      else deps.reporter.line(`      WARN   ${f.check}: ${f.message}`);
    }
  }
  const findings = outcomes.flatMap((o) => o.findings);
  const errors = findings.filter((f) => f.level === 'error').length;
  if (hasErrors(findings)) {
    deps.reporter.error(
      `preflight refused: ${errors} error(s); fix them and run the command again (nothing was deployed)`,
    );
  }
  return { ok: !hasErrors(findings), deployed };
}
