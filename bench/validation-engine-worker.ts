/**
 * The built-in CloudFormation validation's engine alone, on the templates of a synthesized assembly, in a fresh process
 * with the runner and Node.js flags of cdk.json's app:
 * `node --no-concurrent-marking bin/run-app.js bench/validation-engine-worker.ts ASSEMBLY_DIR`. Prints one JSON line
 * (ValidationEngineRun). Started by bench/run-bench.ts only.
 *
 * The part of the app's validation worker (lib/compliance/cfn-validation/validation-worker.js) that the engine does,
 * without the app: V8's baseline WebAssembly compiler only, aws-cdk-lib's own CloudFormationValidatePlugin (default
 * props, as the app's) started on a template holding one resource of each type of the assembly (the worker's prewarm),
 * then the same plugin validating every stack template of the assembly, with the stack entries aws-cdk-lib gives its
 * validation plugins. The app's worker does at least this (it also loads aws-cdk-lib in its thread, and validates each
 * template alone as it is written, then merges the reports): this process's engine time is a floor for it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { CloudFormationValidatePlugin, IPolicyValidationContext } from 'aws-cdk-lib';
import { CloudAssembly, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from 'aws-cdk-lib/cx-api';
import { engineOf, startEngine, useBaselineWasmCompilerOnly } from '../lib/compliance/cfn-validation/engine-start';
import { ValidationEngineRun } from './validation-engine';

// As the validation worker does (the engine's module compiles at the plugin's first use, after this).
useBaselineWasmCompilerOnly();

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node --no-concurrent-marking bin/run-app.js bench/validation-engine-worker.ts DIR\n');
  process.exit(2);
}

/**
 * Every stack of the assembly in `assemblyDir` (nested assemblies too), with the entries aws-cdk-lib's synthesis gives
 * its validation plugins: the stack's hierarchical id, its template's full path, and its account and region unless
 * unknown.
 */
function assemblyContext(assemblyDir: string): IPolicyValidationContext {
  const stacks = new CloudAssembly(assemblyDir).stacksRecursively;
  if (stacks.length === 0) throw new Error(`${assemblyDir}: the assembly has no stacks`);
  const stackTemplates = stacks.map((s) => ({
    stackConstructPath: s.hierarchicalId,
    templatePath: s.templateFullPath,
    accountId: s.environment.account !== UNKNOWN_ACCOUNT ? s.environment.account : undefined,
    region: s.environment.region !== UNKNOWN_REGION ? s.environment.region : undefined,
  })) as IPolicyValidationContext['stackTemplates'];
  // The plugin reads no construct: the templates and their entries are its whole context.
  return { templatePaths: stackTemplates.map((t) => t.templatePath), stackTemplates } as IPolicyValidationContext;
}

function main(): ValidationEngineRun {
  const context = assemblyContext(dir!);
  const types = new Set<string>();
  let resources = 0;
  for (const path of context.templatePaths) {
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type: string }> };
    for (const r of Object.values(template.Resources ?? {})) {
      types.add(r.Type);
      resources++;
    }
  }
  const scratch = mkdtempSync(join(tmpdir(), 'bench-validation-engine-'));
  try {
    const plugin = new CloudFormationValidatePlugin();
    const t0 = performance.now();
    // The worker's start (startEngine), with the types sorted as the app sends them.
    startEngine(plugin, [...types].sort(), scratch);
    const t1 = performance.now();
    const started = engineOf(plugin);
    const report = plugin.validate(context);
    const t2 = performance.now();
    return {
      startMs: t1 - t0,
      validateMs: t2 - t1,
      templates: context.templatePaths.length,
      resources,
      types: types.size,
      engineReused: started !== undefined && engineOf(plugin) === started,
      success: report.success,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  process.stdout.write(`${JSON.stringify(main())}\n`);
} catch (e) {
  process.stderr.write(`validation engine bench failed: ${(e as Error).message}\n`);
  process.exit(1);
}
