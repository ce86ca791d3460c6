/**
 * Synth stays offline and Docker-free although dev builds its sample service from a Dockerfile: the app entry
 * point (bin/hipaa-blueprint.ts, what `cdk synth` runs) is run with a `docker` that records every call and
 * fails, first on PATH and as CDK_DOCKER (the executable CDK's own Docker calls use). Synth must succeed,
 * stage the image directory, and never call it. Docker is needed only when `cdk deploy` publishes the asset.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const { context } = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

describe('bin/hipaa-blueprint.ts synthesizes dev without Docker', () => {
  const work = mkdtempSync(join(tmpdir(), 'hipaa-no-docker-'));
  const calls = join(work, 'docker-calls.log');
  const fakeDocker = join(work, 'docker');
  writeFileSync(fakeDocker, `#!/bin/sh\necho "docker $*" >> '${calls}'\nexit 1\n`);
  chmodSync(fakeDocker, 0o755);
  const env = { ...process.env, PATH: `${work}${delimiter}${process.env.PATH ?? ''}`, CDK_DOCKER: fakeDocker };

  it('the trap works: a docker call through PATH is recorded (control)', () => {
    const control = spawnSync('docker', ['version'], { env, encoding: 'utf8' });
    expect(control.status).toBe(1);
    expect(readFileSync(calls, 'utf8')).toBe('docker version\n');
    writeFileSync(calls, '');
  });

  it('synth succeeds, stages services/sample-api with its Dockerfile, and never calls docker', () => {
    const outdir = join(work, 'cdk.out');
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'bin', 'hipaa-blueprint.ts')],
      {
        env: {
          ...env,
          CDK_OUTDIR: outdir,
          CDK_CONTEXT_JSON: JSON.stringify({ ...context, env: 'dev' }),
          CDK_VALIDATION: 'false',
        },
        encoding: 'utf8',
      },
    );
    expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
      status: 0,
      stderr: '',
    });
    expect(readFileSync(calls, 'utf8')).toBe('');
    const manifest = readdirSync(outdir).find((f) => /^DevApp.*\.assets\.json$/.test(f))!;
    const images = Object.values(
      (JSON.parse(readFileSync(join(outdir, manifest), 'utf8')) as { dockerImages: object }).dockerImages,
    ) as Array<{ source: { directory: string } }>;
    expect(images).toHaveLength(1);
    expect(existsSync(join(outdir, images[0].source.directory, 'Dockerfile'))).toBe(true);
    // .dockerignore is honoured when staging: no build output or dependencies are copied.
    expect(existsSync(join(outdir, images[0].source.directory, 'node_modules'))).toBe(false);
  });
});
