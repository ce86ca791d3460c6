/* global require, module, process */
/* eslint-disable @typescript-eslint/no-require-imports */
const { writeFileSync } = require('fs');
const { join } = require('path');
/**
 * How this project starts aws-cdk-lib's CloudFormation validation engine, shared by the app's validation worker
 * (validation-worker.js) and the bench's measure of the engine alone (bench/validation-engine-worker.ts), so that the
 * bench's floor is the worker's own start. Plain JavaScript: the worker thread loads it without a TypeScript loader.
 */

/**
 * Has V8 compile WebAssembly with its baseline compiler (Liftoff) only, process-wide. The engine is a 9 MB WebAssembly
 * module. By default V8 compiles it with its baseline compiler and then recompiles hot functions with its optimizing
 * compiler on background threads: about 1.8 s of extra CPU in a ~2.5 s run, taken from the core the synth runs on. The
 * baseline code alone is faster over one synth (measured: 2.5 s wall, 2.9 s CPU against 2.9 s and 4.8 s). Only where
 * Liftoff is complete: x64 and arm64. V8 flags are process-wide: WebAssembly compiled later in the same process
 * (another test file under Jest) is baseline code too, with the same results. aws-cdk-lib compiles the module at the
 * plugin's first use, so a call after loading aws-cdk-lib still applies.
 */
function useBaselineWasmCompilerOnly() {
  if (process.arch === 'x64' || process.arch === 'arm64') require('v8').setFlagsFromString('--liftoff-only');
}

/**
 * Starts `plugin`'s engine: validates, in the folder `dir`, a throw-away template holding one resource of each of
 * `types`, named R0, R1, ... in the given order. Its diagnostics (the resources lack their required properties) are
 * discarded; what it keeps is the started engine, which the plugin's next validation reuses.
 */
function startEngine(plugin, types, dir) {
  const resources = {};
  types.forEach((type, i) => (resources[`R${i}`] = { Type: type }));
  const templatePath = join(dir, 'prewarm.template.json');
  writeFileSync(templatePath, JSON.stringify({ Resources: resources }));
  plugin.validate({ templatePaths: [templatePath], stackTemplates: [{ stackConstructPath: 'Prewarm', templatePath }] });
}

/** The engine a CloudFormationValidatePlugin holds (a private field, read only to tell whether a started one served). */
const engineOf = (plugin) => (plugin ? plugin.engine : undefined);

module.exports = { useBaselineWasmCompilerOnly, startEngine, engineOf };
