/**
 * A static reading of services/sample-api/Dockerfile (Docker does not run here: this checks the
 * text, not a built image). It pins what the task definition relies on: non-root 1000:1000, curl
 * for the health check, the RDS CA bundle where the service looks for it, port 8443, no secrets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CA_BUNDLE_PATH, DEFAULT_PORT } from '../../../services/sample-api/src/config';

const SERVICE_DIR = join(__dirname, '../../../services/sample-api');

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Instructions of the Dockerfile (comments dropped, continuation lines joined). */
function instructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l) => {
      const [keyword, ...rest] = l.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

const all = instructions(readFileSync(join(SERVICE_DIR, 'Dockerfile'), 'utf8'));
const fromIndexes = all.flatMap((ins, i) => (ins.keyword === 'FROM' ? [i] : []));
const stage = (n: number): Instruction[] => all.slice(fromIndexes[n], fromIndexes[n + 1] ?? all.length);
const buildStage = stage(0);
const runtimeStage = stage(fromIndexes.length - 1);
const args = (list: Instruction[], keyword: string): string[] =>
  list.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile (static)', () => {
  test('multi-stage, both stages on one pinned node:24 Alpine tag', () => {
    expect(fromIndexes.length).toBeGreaterThanOrEqual(2);
    const image = args(all.slice(0, fromIndexes[0]), 'ARG')
      .map((a) => /^NODE_IMAGE=(.+)$/.exec(a)?.[1])
      .find((v) => v !== undefined);
    expect(image).toMatch(/^node:24\.\d+\.\d+-alpine3\.\d+$/);
    expect(args(all, 'FROM')).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
  });

  test('the build stage installs from the lockfile and bundles with the service build script', () => {
    const runs = args(buildStage, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run build\b/);
    expect(args(buildStage, 'COPY')).toContain('package.json package-lock.json ./');
  });

  test('the RDS CA bundle is fetched at build time and copied to the path the service reads', () => {
    expect(args(buildStage, 'RUN').join('\n')).toContain(
      'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem',
    );
    expect(args(runtimeStage, 'COPY')).toContain(`--from=build /build/rds-global-bundle.pem ${DEFAULT_CA_BUNDLE_PATH}`);
  });

  test('the runtime stage installs curl (the ECS health check runs curl -fsk)', () => {
    expect(args(runtimeStage, 'RUN').join('\n')).toMatch(/apk add --no-cache curl\b/);
  });

  test('the runtime stage runs as 1000:1000, after its last RUN, and exposes the HTTPS port', () => {
    const users = args(runtimeStage, 'USER');
    expect(users[users.length - 1]).toBe('1000:1000');
    const lastUser = runtimeStage.map((i) => i.keyword).lastIndexOf('USER');
    const lastRun = runtimeStage.map((i) => i.keyword).lastIndexOf('RUN');
    expect(lastUser).toBeGreaterThan(lastRun);
    expect(args(runtimeStage, 'EXPOSE')).toEqual([String(DEFAULT_PORT)]);
    expect(args(runtimeStage, 'CMD')).toEqual(['["node", "--enable-source-maps", "/app/main.js"]']);
  });

  test('no secrets baked in: no ENV or ARG named like a credential, no ADD, no .env copied', () => {
    const named = [...args(all, 'ENV'), ...args(all, 'ARG')].map((a) => a.split(/[=\s]/)[0]);
    for (const name of named) expect(name).not.toMatch(/PASS|SECRET|TOKEN|KEY|CREDENTIAL|AUTH/i);
    expect(args(all, 'ADD')).toEqual([]);
    expect(args(all, 'COPY').join('\n')).not.toMatch(/\.env|\.npmrc/);
  });

  test('.dockerignore keeps node_modules and local builds out of the context', () => {
    const ignored = readFileSync(join(SERVICE_DIR, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.env']));
  });
});
