import { spawn } from 'child_process';

/** Whether a Docker engine answers, as the CDK CLI will need it to build image assets at deploy. */
export type DockerStatus =
  { readonly available: true; readonly serverVersion: string } | { readonly available: false; readonly reason: string };

/** Asks whether Docker can build images here (tests inject a fake). */
export interface DockerProbe {
  probe(): Promise<DockerStatus>;
}

/** How long the engine gets to answer `docker version`. */
export const DOCKER_PROBE_TIMEOUT_MS = 20_000;

/** First line of a tool's output, without control characters, at most 200 characters. */
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  // eslint-disable-next-line no-control-regex
  const printable = line.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return printable.trim().slice(0, 200);
}

/**
 * The real probe: `<command> version --format {{.Server.Version}}`, which answers only when the client can
 * reach the engine (the client alone, or an engine that is not running, fails). `command` is what the CDK CLI
 * builds with: `docker`, or CDK_DOCKER when it names another client (bin/ reads it).
 */
export class ProcessDockerProbe implements DockerProbe {
  constructor(
    private readonly command: string = 'docker',
    private readonly timeoutMs: number = DOCKER_PROBE_TIMEOUT_MS,
  ) {}

  public probe(): Promise<DockerStatus> {
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let settled = false;
      const done = (status: DockerStatus): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(status);
      };
      const child = spawn(this.command, ['version', '--format', '{{.Server.Version}}'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const timer = setTimeout(() => {
        child.kill();
        // A grandchild of the client can keep the pipes open: stop reading them.
        child.stdout.destroy();
        child.stderr.destroy();
        done({
          available: false,
          reason: `'${this.command} version' did not answer within ${this.timeoutMs / 1000} s`,
        });
      }, this.timeoutMs);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', (e: NodeJS.ErrnoException) =>
        done({
          available: false,
          reason:
            e.code === 'ENOENT'
              ? `'${this.command}' is not installed (not on PATH)`
              : `'${this.command}' could not start (${e.code ?? 'error'})`,
        }),
      );
      child.on('close', (code) => {
        const version = firstLine(stdout);
        if (code === 0 && version !== '') done({ available: true, serverVersion: version });
        else
          done({
            available: false,
            reason: `'${this.command} version' exited ${code ?? 'on a signal'}: ${firstLine(stderr) || 'no Docker engine answered'}`,
          });
      });
    });
  }
}
