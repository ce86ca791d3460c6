/** Types of engine-start.js (plain JavaScript: the validation worker thread loads it without a TypeScript loader). */
/** Has V8 compile WebAssembly with its baseline compiler only (x64 and arm64), process-wide. */
export function useBaselineWasmCompilerOnly(): void;
/** The throw-away template the engine is started on: one resource of each of `types`, named R0, R1, ... */
export function prewarmTemplate(types: readonly string[]): { Resources: Record<string, { Type: string }> };
/** The engine a CloudFormationValidatePlugin holds (a private field). */
export function engineOf(plugin: unknown): unknown;
