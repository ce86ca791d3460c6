import { spawn } from 'child_process';

/** Runs the CDK CLI; returns its exit code. The executor's only way to run CDK (tests inject a recorder). */
export interface CdkRunner {
  run(args: readonly string[]): Promise<number>;
}

/**
 * The real runner: `npx cdk ARGS` in the project directory with inherited stdio (the operator sees
 * CDK's own progress and answers its approval prompts), resolving to the exit code.
 */
export class NpxCdkRunner implements CdkRunner {
  constructor(private readonly cwd: string) {}

  public run(args: readonly string[]): Promise<number> {
    return new Promise((resolve) => {
      const child = spawn('npx', ['cdk', ...args], { cwd: this.cwd, stdio: 'inherit' });
      child.on('error', (e) => {
        console.error(`could not start npx cdk: ${e.message}`);
        resolve(127);
      });
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  }
}
