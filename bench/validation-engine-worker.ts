/**
 * The built-in CloudFormation validation's engine alone, on the templates of a synthesized assembly, in a fresh process
 * with the runner and Node.js flags of cdk.json's app:
 * `node --no-concurrent-marking bin/run-app.js bench/validation-engine-worker.ts ASSEMBLY_DIR`. Prints one JSON line
 * (ValidationEngineRun). Started by bench/bench.ts only.
 *
 * It does what the app's validation worker (lib/compliance/cfn-validation/validation-worker.js) does, without the
 * app: V8's baseline WebAssembly compiler only, aws-cdk-lib's own CloudFormationValidatePlugin started on a template
 * holding one resource of each type of the assembly (the worker's prewarm), then the plugin validating every template
 * of the assembly. The app with validation runs this work beside its own: this process's time is a floor for it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { setFlagsFromString } from 'v8';
import { CloudFormationValidatePlugin, IPolicyValidationContext } from 'aws-cdk-lib';
import { ValidationEngineRun } from './validation-engine';

// As the validation worker sets it, before the engine's WebAssembly module is compiled (at the plugin's first use).
if (process.arch === 'x64' || process.arch === 'arm64') setFlagsFromString('--liftoff-only');

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node --no-concurrent-marking bin/run-app.js bench/validation-engine-worker.ts DIR\n');
  process.exit(2);
}

interface StackArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string };
}

/**
 * Every stack template of the assembly in `assemblyDir`, as aws-cdk-lib hands them to its validation plugins. Without
 * the app's construct: the plugin reads only the templates (the app's worker gets none either: it cannot be posted).
 */
function contextOf(assemblyDir: string): IPolicyValidationContext {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, StackArtifact>;
  };
  const stackTemplates = Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([id, a]) => {
      const [, , accountId = '', region = ''] = (a.environment ?? '').split('/');
      return {
        stackConstructPath: a.displayName ?? id,
        templatePath: join(assemblyDir, a.properties!.templateFile!),
        accountId,
        region,
      };
    });
  if (stackTemplates.length === 0) throw new Error(`${assemblyDir}: no stack templates in manifest.json`);
  return { templatePaths: stackTemplates.map((t) => t.templatePath), stackTemplates } as IPolicyValidationContext;
}

function main(): ValidationEngineRun {
  const context = contextOf(dir!);
  const types = new Set<string>();
  for (const path of context.templatePaths) {
    const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, { Type: string }> };
    for (const r of Object.values(template.Resources ?? {})) types.add(r.Type);
  }
  const scratch = mkdtempSync(join(tmpdir(), 'bench-validation-engine-'));
  try {
    const prewarmPath = join(scratch, 'Prewarm.template.json');
    const resources = Object.fromEntries([...types].map((type, i) => [`R${i}`, { Type: type }]));
    writeFileSync(prewarmPath, JSON.stringify({ Resources: resources }));
    const prewarm = {
      templatePaths: [prewarmPath],
      stackTemplates: [{ stackConstructPath: 'Prewarm', templatePath: prewarmPath, accountId: '', region: '' }],
    } as IPolicyValidationContext;
    const plugin = new CloudFormationValidatePlugin();
    const t0 = performance.now();
    plugin.validate(prewarm); // its diagnostics (the throw-away resources lack required properties) are discarded
    const t1 = performance.now();
    const report = plugin.validate(context);
    const t2 = performance.now();
    return {
      startMs: t1 - t0,
      validateMs: t2 - t1,
      templates: context.templatePaths.length,
      types: types.size,
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
