import { BlueprintConfig } from '../config';
import { CommandArgs } from './args';
import {
  deployArgs,
  outputsFile,
  REPLICA_BOOTSTRAP_DIR,
  replicaBootstrapArgs,
  replicaBootstrapSynthArgs,
  synthArgs,
} from './cdk-commands';
import { CommandDeps } from './command-deps';
import { DeployedState, isDeployed, readDeployedStack, readDeployedState } from './core/deployed-state';
import { checkedSynth, credentialsPhase, preflightPhase, Progress, synthPhase } from './phases';
import { PostDeployResult, PostDeployStep } from './post-deploy/context';
import { alertSubscriptionsStep } from './post-deploy/alert-subscriptions';
import { inspectorStep } from './post-deploy/inspector';
import { macieJobStep } from './post-deploy/macie-job';
import { rdsOsMetricsStep } from './post-deploy/rds-os-metrics';
import { changedReferences, crossStackReferences } from './references';
import { describeError } from './core/sdk-error';
import { deployStackSelection, stackName, stackRef } from './core/stacks';
import { StepError } from './step-error';
import { renderSummary } from './summary';

/** What the planner needs to know about the environment. */
export interface DeployState {
  readonly envName: string;
  /** The PHI replica stack exists (any deployed status). */
  readonly replicaDeployed: boolean;
  /** The data stack exists (its PHI bucket replicates to the replica). */
  readonly dataDeployed: boolean;
  /** `--force` was given. */
  readonly force: boolean;
  /** Names of the post-deploy steps that apply (config). */
  readonly postDeploySteps: readonly string[];
  /**
   * The stacks the normal deploy takes: 'all', or construct paths (every stack but the app stack when the
   * environment has no domain: its HTTPS listener cannot be created without a certificate).
   * @default 'all'
   */
  readonly stacks?: 'all' | readonly string[];
}

/** One step of a deploy, in order. */
export type DeployStep =
  | { readonly kind: 'credentials' }
  | { readonly kind: 'synth'; readonly args: readonly string[] }
  | { readonly kind: 'preflight' }
  | { readonly kind: 'replica-bootstrap'; readonly synthArgs: readonly string[]; readonly args: readonly string[] }
  | { readonly kind: 'deploy'; readonly args: readonly string[] }
  | { readonly kind: 'refresh-references'; readonly args: readonly string[] }
  | { readonly kind: 'post-deploy'; readonly name: string }
  | { readonly kind: 'summary' };

/**
 * The ordered steps of a deploy (pure). The replica bootstrap (step 1 of README "Deploy" 5) runs
 * only when neither the replica stack nor the data stack exists: S3 accepts a replication rule only
 * when its destination exists, and once the PHI bucket exists the normal deploy creates the replica
 * with replication straight away (README: never bootstrap once the data stack exists). After the
 * normal deploy, unless it was forced already, a check re-runs it with `--force` when a referenced
 * output changed value (weak references: see cdk-commands deployArgs).
 */
export function planDeploy(state: DeployState): DeployStep[] {
  const steps: DeployStep[] = [
    { kind: 'credentials' },
    { kind: 'synth', args: synthArgs(state.envName) },
    { kind: 'preflight' },
  ];
  if (!state.replicaDeployed && !state.dataDeployed) {
    steps.push({
      kind: 'replica-bootstrap',
      synthArgs: replicaBootstrapSynthArgs(state.envName),
      args: replicaBootstrapArgs(),
    });
  }
  const stacks = state.stacks ?? 'all';
  steps.push({ kind: 'deploy', args: deployArgs(outputsFile(state.envName), state.force, stacks) });
  if (!state.force) {
    steps.push({
      kind: 'refresh-references',
      args: deployArgs(outputsFile(state.envName), true, stacks),
    });
  }
  for (const name of state.postDeploySteps) steps.push({ kind: 'post-deploy', name });
  steps.push({ kind: 'summary' });
  return steps;
}

/** The post-deploy steps that apply to a config (Macie and Inspector only when switched on). */
export function postDeployStepsFor(config: BlueprintConfig): PostDeployStep[] {
  return [
    rdsOsMetricsStep,
    ...(config.detection.macie ? [macieJobStep] : []),
    ...(config.detection.inspector ? [inspectorStep] : []),
    alertSubscriptionsStep,
  ];
}

async function readState(
  deps: CommandDeps,
  stacks: ReadonlyArray<{ stackName: string; region: string }>,
  step: string,
): Promise<DeployedState> {
  try {
    return await readDeployedState(deps.clients, stacks);
  } catch (e) {
    throw new StepError(step, e);
  }
}

/**
 * Runs a deploy: credentials first (no CDK command without them), then the plan's steps through the
 * injected CdkRunner. Any failed step stops the deploy with one line saying what failed and what to
 * do. Returns the exit code.
 */
export async function executeDeploy(args: CommandArgs, config: BlueprintConfig, deps: CommandDeps): Promise<number> {
  const r = deps.reporter;
  const identity = await credentialsPhase(config, deps);
  if (!identity) return 1;

  const replica = stackRef(config, 'phiReplica');
  const data = stackRef(config, 'data');
  let replicaNow;
  let dataNow;
  try {
    replicaNow = await readDeployedStack(deps.clients, replica.stackName, replica.region);
    dataNow = await readDeployedStack(deps.clients, data.stackName, data.region);
  } catch (e) {
    throw new StepError('plan: read the replica and data stacks (CloudFormation DescribeStacks)', e);
  }
  const postSteps = deps.postDeploySteps ?? postDeployStepsFor(config);
  const plan = planDeploy({
    envName: config.envName,
    replicaDeployed: isDeployed(replicaNow),
    dataDeployed: isDeployed(dataNow),
    force: args.force,
    postDeploySteps: postSteps.map((s) => s.name),
    stacks: deployStackSelection(config),
  });
  const progress = new Progress(deps, plan.length);

  let assembly;
  let before: DeployedState = new Map();
  let after: DeployedState = new Map();
  const results: PostDeployResult[] = [];
  const stacksLine = (state: DeployedState, names: readonly string[]): void => {
    for (const name of names) r.line(`      ${name.padEnd(32)} ${state.get(name)?.status ?? 'NOT DEPLOYED'}`);
  };

  for (const step of plan) {
    switch (step.kind) {
      case 'credentials':
        progress.step(`credentials: ${identity.arn} (account ${identity.account})`);
        break;
      case 'synth':
        progress.step(`synth -c env=${config.envName} (compliance gate)`);
        assembly = await synthPhase(config, deps);
        if (!assembly) return 1;
        break;
      case 'preflight': {
        progress.step('preflight');
        const result = await preflightPhase(
          config,
          identity,
          assembly!,
          { createServiceLinkedRoles: args.createServiceLinkedRoles },
          deps,
        );
        if (!result.ok) return 1;
        before = result.deployed;
        break;
      }
      case 'replica-bootstrap': {
        progress.step(
          `deploy ${replica.stackName} in ${replica.region} (first deploy, step 1: replica bucket without replication)`,
        );
        if (!(await checkedSynth(step.synthArgs, REPLICA_BOOTSTRAP_DIR, config.envName, deps))) return 1;
        const code = await deps.runner.run(step.args);
        if (code !== 0) {
          r.error(
            `replica bootstrap deploy failed (exit ${code}): see the CDK output above; \`npm run preflight -- --env ${config.envName}\` shows the stack's state and its recovery`,
          );
          return 1;
        }
        break;
      }
      case 'deploy': {
        const selection = deployStackSelection(config);
        const names = assembly!.stacks
          .filter((s) => selection === 'all' || selection.includes(s.displayName))
          .map((s) => s.stackName);
        progress.step(
          `deploy ${names.join(', ')} (cdk deploy ${selection === 'all' ? '--all' : selection.join(' ')}${args.force ? ' --force' : ''})` +
            (selection === 'all' ? '' : `; not ${stackName(config, 'app')}: the environment has no domain`),
        );
        const code = await deps.runner.run(step.args);
        after = await readState(deps, assembly!.stacks, 'deploy: read the stacks after the deploy');
        stacksLine(after, names);
        if (code !== 0) {
          r.error(
            `deploy failed (exit ${code}): see the CDK output above; \`npm run preflight -- --env ${config.envName}\` ` +
              'names each failed stack and the recovery CloudFormation needs (README "Deploy")',
          );
          return 1;
        }
        break;
      }
      case 'refresh-references': {
        const changed = changedReferences(crossStackReferences(assembly!), before, after);
        if (changed.length === 0) {
          progress.step('cross-stack references: no referenced output changed, no forced update needed');
          break;
        }
        const which = [...new Set(changed.map((c) => `${c.producer}.${c.outputName}`))].join(', ');
        progress.step(`refresh cross-stack references (changed: ${which}): cdk deploy --all --force`);
        const code = await deps.runner.run(step.args);
        after = await readState(deps, assembly!.stacks, 'refresh: read the stacks after the deploy');
        if (code !== 0) {
          r.error(
            `forced deploy failed (exit ${code}): consumers of ${which} may still hold old values; fix the cause and run ` +
              `\`npm run deploy -- --env ${config.envName} --force\``,
          );
          return 1;
        }
        break;
      }
      case 'post-deploy': {
        progress.step(`post-deploy: ${step.name}`);
        const postStep = postSteps.find((s) => s.name === step.name)!;
        let result: PostDeployResult;
        try {
          result = await postStep.run({
            config,
            clients: deps.clients,
            output: (ref) => after.get(stackName(config, ref.role))?.outputs[ref.outputName],
          });
        } catch (e) {
          result = { step: step.name, status: 'failed', detail: describeError(e) };
        }
        results.push(result);
        const text = `      ${result.status}: ${result.detail}`;
        if (result.status === 'failed') r.error(text);
        else r.line(text);
        break;
      }
      case 'summary':
        progress.step('summary');
        for (const line of renderSummary({ config, deployed: after, postDeploy: results })) r.line(line);
        break;
    }
  }
  if (results.some((x) => x.status === 'failed')) {
    r.error(
      'deploy finished, but a post-deploy step failed (see above): fix it and run the deploy again (every step is idempotent)',
    );
    return 1;
  }
  return 0;
}
