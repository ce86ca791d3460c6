/**
 * The entry point as the image runs it: the service's own `build` script (esbuild, as in the
 * Dockerfile) bundles src/main.ts, and the bundle is started with node. Configuration errors exit
 * non-zero with one line naming the variable, before listening; SIGTERM stops it gracefully. No
 * AWS call is made: /health touches neither the database nor Firehose.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { generateSelfSignedCertificate } from '../../../services/sample-api/src/tls-certificate';
import { httpsRequest } from './support/https-client';
import { scratchDir } from '../../support/scratch';

const SERVICE_DIR = join(__dirname, '../../../services/sample-api');
const ESBUILD = join(__dirname, '../../../node_modules/.bin/esbuild');

let workDir: string;
let bundle: string;
let caFile: string;

beforeAll(async () => {
  workDir = scratchDir('sample-api-main-');
  bundle = join(workDir, 'main.js');
  const script = (JSON.parse(readFileSync(join(SERVICE_DIR, 'package.json'), 'utf8')) as { scripts: { build: string } })
    .scripts.build;
  const [tool, ...args] = script.split(/\s+/);
  expect(tool).toBe('esbuild');
  const outfileArgs = args.filter((a) => a.startsWith('--outfile='));
  expect(outfileArgs).toEqual(['--outfile=dist/main.js']);
  execFileSync(
    ESBUILD,
    [...args.filter((a) => !a.startsWith('--outfile=')), `--outfile=${bundle}`, '--log-level=error'],
    {
      cwd: SERVICE_DIR,
    },
  );
  // Any PEM certificate stands in for the RDS CA bundle (the database is never reached here).
  caFile = join(workDir, 'ca.pem');
  writeFileSync(caFile, (await generateSelfSignedCertificate()).cert);
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const BASE_ENV = {
  DB_HOST: 'hipaa-dev-data-database.abcdefghijkl.us-east-1.rds.amazonaws.com',
  DB_PORT: '5433',
  DB_NAME: 'postgres',
  DB_USER: 'sample-api',
  AWS_REGION: 'us-east-1',
  AUDIT_STREAM_NAME: 'hipaa-dev-access-audit',
};

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle], { env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** stderr without Node's own runtime warnings (e.g. the AWS SDK's Node version notice). */
function ownLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('sample-api: '));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('configuration errors', () => {
  test('a missing variable: exit 1, one line naming it, no stack trace, nothing served', async () => {
    const env: Record<string, string> = { ...BASE_ENV };
    delete env.AUDIT_STREAM_NAME;
    const result = await run({ ...env, DB_CA_BUNDLE: caFile });
    expect(result.code).toBe(1);
    expect(ownLines(result.stderr)).toEqual([
      "sample-api: Invalid configuration: AUDIT_STREAM_NAME is not set: must be a Firehose stream name: 1-64 of letters, digits, '_', '.' and '-'",
    ]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toContain('listening');
  });

  test('a malformed variable: exit 1, one line naming it and its value', async () => {
    const result = await run({ ...BASE_ENV, DB_PORT: 'five', DB_CA_BUNDLE: caFile });
    expect(result.code).toBe(1);
    expect(ownLines(result.stderr)).toEqual([
      "sample-api: Invalid configuration: DB_PORT = 'five': must be an integer from 1 to 65535",
    ]);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  test('a CA bundle that is missing or holds no certificate: exit 1, one line naming DB_CA_BUNDLE', async () => {
    const missing = await run({ ...BASE_ENV, DB_CA_BUNDLE: join(workDir, 'absent.pem') });
    expect(missing.code).toBe(1);
    expect(ownLines(missing.stderr)).toEqual([
      `sample-api: DB_CA_BUNDLE = '${join(workDir, 'absent.pem')}': cannot be read (ENOENT): must be the RDS CA bundle file in the image`,
    ]);
    const empty = join(workDir, 'empty.pem');
    writeFileSync(empty, 'not a certificate\n');
    const wrong = await run({ ...BASE_ENV, DB_CA_BUNDLE: empty });
    expect(wrong.code).toBe(1);
    expect(ownLines(wrong.stderr)).toEqual([
      `sample-api: DB_CA_BUNDLE = '${empty}': holds no PEM certificate: must be the RDS CA bundle`,
    ]);
  });
});

describe('the bundle serves HTTPS and stops on SIGTERM', () => {
  test('GET /health answers 200 over TLS; SIGTERM exits 0 after "stopped"', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bundle], {
      env: { PATH: process.env.PATH ?? '', ...BASE_ENV, DB_CA_BUNDLE: caFile, PORT: String(port) },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 15_000;
    while (!stdout.includes('"listening"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stdout).toContain('"listening"');

    const res = await httpsRequest(port, '/health');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok' });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const messages = stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { message: string }).message);
    expect(messages).toEqual(['listening', 'request', 'stopping', 'stopped']);
  });
});
