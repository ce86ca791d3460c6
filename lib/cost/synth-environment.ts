import { existsSync } from 'fs';
import { App } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildBlueprint } from '../blueprint-app';
import { BlueprintConfig } from '../config';
import { StackTemplate } from './core/model';

/** Options of synthesizeEnvironment. */
export interface SynthesizeEnvironmentOptions {
  /** Cloud assembly folder to write (a temporary folder in the CLI). */
  readonly outdir: string;
  /**
   * CDK context (the feature flags of cdk.json), so the templates are the ones `cdk synth` writes.
   * @default no context
   */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** The stacks of a cloud assembly, as the estimator reads them. */
export function stacksOf(assembly: CloudAssembly): StackTemplate[] {
  return assembly.stacksRecursively.map((s) => ({
    stackName: s.stackName,
    displayName: s.hierarchicalId,
    region: s.environment.region,
    template: s.template,
  }));
}

/**
 * Synthesizes one environment in-process, without the rule packs and without the built-in
 * CloudFormation validation, and returns its stacks. Lambda bundling is skipped
 * (`aws:cdk:bundling-stacks` = []): code content does not change what a resource costs.
 */
export function synthesizeEnvironment(config: BlueprintConfig, options: SynthesizeEnvironmentOptions): StackTemplate[] {
  const app = new App({
    outdir: options.outdir,
    builtinCloudFormationValidation: false,
    context: { ...options.context, 'aws:cdk:bundling-stacks': [] },
  });
  buildBlueprint(app, config, { compliance: false });
  return stacksOf(app.synth());
}

/** An assembly folder that cannot be read. */
export class AssemblyReadError extends Error {
  constructor(dir: string, reason: string) {
    super(`--assembly = '${dir}': ${reason}`);
    this.name = 'AssemblyReadError';
  }
}

/** Reads the stacks of an existing cloud assembly folder (e.g. cdk.out). */
export function readAssembly(dir: string): StackTemplate[] {
  if (!existsSync(dir)) throw new AssemblyReadError(dir, 'no such folder');
  let assembly: CloudAssembly;
  try {
    assembly = new CloudAssembly(dir);
  } catch (e) {
    throw new AssemblyReadError(dir, `not a cloud assembly (${(e as Error).message.split('\n')[0]})`);
  }
  const stacks = stacksOf(assembly);
  if (stacks.length === 0) throw new AssemblyReadError(dir, 'holds no stacks');
  return stacks;
}
