/**
 * Synthesizes one test environment the way `cdk synth` does (compliance gate on: the rule packs, the
 * register, the evidence), without the built-in CloudFormation validation, into a cloud assembly folder.
 * Run by the Jest globalSetup (test/support/global-setup.ts) in a child process per environment:
 *
 *   node --no-concurrent-marking --import tsx test/support/synthesize-environment.ts dev /tmp/assembly/dev
 *
 * With `--as-cdk-synth`, it synthesizes the shipped environment exactly as `cdk synth -c env=dev` writes it
 * (loadConfig(env), path metadata on) instead of the test config:
 *
 *   node --no-concurrent-marking --import tsx test/support/synthesize-environment.ts --as-cdk-synth dev /tmp/assembly/as-cdk-synth-dev
 *
 * Exits 0 when the assembly is written; otherwise prints why (a gate finding, a bad config) and exits 1.
 */
import { App } from 'aws-cdk-lib';
import { buildBlueprint } from '../../lib/blueprint-app';
import { loadConfig, validateConfig } from '../../lib/config';
import {
  CDK_SYNTH_ENVIRONMENTS,
  CdkSynthEnvironment,
  SYNTHESIZED_ENVIRONMENTS,
  SynthesizedEnvironment,
} from './synth-inputs';
import { testConfig } from './blueprint';

/** Builds and synthesizes `env` into `outdir` with the compliance gate on (any finding throws). */
export function synthesizeEnvironment(env: SynthesizedEnvironment, outdir: string): void {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  buildBlueprint(app, validateConfig(testConfig(env)), { compliance: true });
  app.synth();
}

/**
 * Builds and synthesizes the shipped environment `env` into `outdir` as `cdk synth -c env=ENV` writes it:
 * loadConfig(env) (its real accounts), path metadata on, compliance gate on (any finding throws).
 */
export function synthesizeAsCdkSynth(env: CdkSynthEnvironment, outdir: string): void {
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:enable-path-metadata': true },
  });
  buildBlueprint(app, loadConfig(env));
  app.synth();
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const asCdkSynth = args[0] === '--as-cdk-synth';
  const [env, outdir] = asCdkSynth ? args.slice(1) : args;
  const known: readonly string[] = asCdkSynth ? CDK_SYNTH_ENVIRONMENTS : SYNTHESIZED_ENVIRONMENTS;
  if (!known.includes(env ?? '') || !outdir) {
    console.error(
      `usage: synthesize-environment.ts [--as-cdk-synth] ENV OUTDIR: ENV = '${env}': must be one of ${known.join(', ')}, and OUTDIR a folder`,
    );
    process.exit(2);
  }
  try {
    if (asCdkSynth) synthesizeAsCdkSynth(env as CdkSynthEnvironment, outdir);
    else synthesizeEnvironment(env as SynthesizedEnvironment, outdir);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
