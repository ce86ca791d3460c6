/** Types of engine-start.js (plain JavaScript: the validation worker thread loads it without a TypeScript loader). */
/** Has V8 compile WebAssembly with its baseline compiler only (x64 and arm64), process-wide. */
export function useBaselineWasmCompilerOnly(): void;
/** Starts the plugin's engine on a throw-away template (written in `dir`) holding one resource of each of `types`. */
export function startEngine(
  plugin: { validate(context: { templatePaths: string[]; stackTemplates: unknown[] }): unknown },
  types: readonly string[],
  dir: string,
): void;
/** The engine a CloudFormationValidatePlugin holds (a private field). */
export function engineOf(plugin: unknown): unknown;
