/** test/support/light-runner-worker.mjs: jest-light-runner's per-file worker, each file's time including its load. */
export default function run(testFilePath: string): Promise<unknown>;
export declare function withLoadCounted<R>(result: R, started: number): R;
