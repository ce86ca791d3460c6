/**
 * Synthesizes one test environment the way `cdk synth` does (compliance gate on: the rule packs, the
 * register, the evidence), without the built-in CloudFormation validation, into a cloud assembly folder.
 * Run by the Jest globalSetup (test/support/global-setup.ts) in a child process per environment:
 *
 *   node --no-concurrent-marking --import tsx test/support/synthesize-environment.ts dev /tmp/assembly/dev
 *
 * (The shipped environments, as `cdk synth` writes them, are synthesized by the app's entry point itself.)
 *
 * Exits 0 when the assembly is written; otherwise prints why (a gate finding, a bad config) and exits 1.
 */
import { App } from 'aws-cdk-lib';
import { buildBlueprint } from '../../lib/blueprint-app';
import { validateConfig } from '../../lib/config';
import { SYNTH_VARIANTS, SYNTHESIZED_ENVIRONMENTS, SynthesizedEnvironment } from './synth-inputs';
import { testConfig } from './blueprint';

/** The test config of `env`: testConfig(env), or a variant's testConfig(base, overrides). */
export function configOf(env: SynthesizedEnvironment): ReturnType<typeof testConfig> {
  if (env === 'dev' || env === 'prod') return testConfig(env);
  const variant = SYNTH_VARIANTS[env];
  return testConfig(variant.base, variant.overrides as Parameters<typeof testConfig>[1]);
}

/** Builds and synthesizes `env` into `outdir` with the compliance gate on (any finding throws). */
export function synthesizeEnvironment(env: SynthesizedEnvironment, outdir: string): void {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  buildBlueprint(app, validateConfig(configOf(env)), { compliance: true });
  app.synth();
}

if (require.main === module) {
  const [env, outdir] = process.argv.slice(2);
  if (!(SYNTHESIZED_ENVIRONMENTS as readonly string[]).includes(env ?? '') || !outdir) {
    console.error(
      `usage: synthesize-environment.ts ENV OUTDIR: ENV = '${env}': must be one of ${SYNTHESIZED_ENVIRONMENTS.join(', ')}, and OUTDIR a folder`,
    );
    process.exit(2);
  }
  try {
    synthesizeEnvironment(env as SynthesizedEnvironment, outdir);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
