import { spawn } from 'child_process';
import { createServer, Server, Socket } from 'net';
import { join } from 'path';
import { credentialChain } from '../../lib/deploy/cli-main';
import { scriptCommandArgs } from '../support/app-node-options';

/** An environment with no credentials anywhere, and an instance metadata endpoint that never answers. */
function noCredentialsEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_') || k.startsWith('CDK_')) delete env[k];
  return {
    ...env,
    AWS_CONFIG_FILE: '/nonexistent/aws/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws/credentials',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}`,
  };
}

/** What a command's process did. */
interface BinResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs COMMAND as `npm run COMMAND` does (package.json's script: bin/COMMAND.ts through bin/run-app.js), in its own
 * process with `env`, in the project folder; killed after 60 s.
 */
function runBin(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...scriptCommandArgs(command), ...args], {
      cwd: join(__dirname, '..', '..'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let server: Server;
let port: number;
const sockets: Socket[] = [];
beforeAll(async () => {
  // Accepts connections and never answers: what a laptop on a network that drops 169.254.169.254 looks like.
  server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  sockets.forEach((s) => s.destroy());
  server.close();
});

describe('no credentials: fail fast, name them, run no CDK command', () => {
  it('the credential chain gives up within ~1 s when the metadata endpoint hangs (short timeouts, no retry)', async () => {
    const saved = process.env;
    process.env = noCredentialsEnv(port);
    const started = Date.now();
    try {
      const chain = credentialChain() as () => Promise<unknown>;
      await expect(chain()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
    } finally {
      process.env = saved;
    }
    // Two metadata requests (token, then the v1 fallback) of 500 ms each; the SDK default (1 s each) takes over 2 s.
    expect(Date.now() - started).toBeLessThan(1600);
  });

  describe('the real bins, in processes of their own', () => {
    // The three commands start together: deploy and verify each wait about 1 s on the metadata endpoint that never
    // answers, which they spent one after the other before. Each test reads its own command's result.
    let results: Record<string, BinResult>;
    beforeAll(async () => {
      const env = noCredentialsEnv(port);
      const [deploy, verify, preflight] = await Promise.all([
        runBin('deploy', ['--env', 'prod'], env),
        runBin('verify', ['--env', 'prod'], env),
        runBin('preflight', ['prod'], env),
      ]);
      results = { deploy, verify, preflight };
    });

    it.each(['deploy', 'verify'])('bin/%s.ts exits 1 with one line naming the missing credentials', (command) => {
      const result = results[command]!;
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^credentials: no AWS credentials found \(looked at environment variables/),
      ]);
    });

    it('bin/preflight.ts: a usage error exits 2 with one line plus usage, no stack trace', () => {
      const result = results.preflight!;
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        /^preflight: unexpected argument 'prod': preflight takes only flags \(did you mean --env prod\?\)\nUsage: npm run preflight/,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  });
});
