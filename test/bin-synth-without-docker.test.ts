/**
 * Synth stays offline and Docker-free although dev builds its sample service from a Dockerfile. The Jest
 * globalSetup runs the app's entry point (bin/hipaa-blueprint.ts, what `cdk synth` runs) for dev with a `docker`
 * that lists every call and fails, first on PATH and as CDK_DOCKER (the executable CDK's own Docker calls use):
 * cdkSynthDir('dev') is that synth's assembly. Synth must succeed, stage the image directory, and never call it.
 * Docker is needed only when `cdk deploy` publishes the asset.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { cdkSynthDir, cdkSynthDockerCalls } from './support/synthesized';

describe('bin/hipaa-blueprint.ts synthesizes dev without Docker', () => {
  it('the trap works: a docker call through PATH is recorded (control)', () => {
    // The same trap as the globalSetup's (test/support/global-setup.ts dockerTrap), in a folder of this test's.
    const work = mkdtempSync(join(tmpdir(), 'hipaa-no-docker-'));
    try {
      const calls = join(work, 'docker-calls.log');
      const fakeDocker = join(work, 'docker');
      writeFileSync(fakeDocker, `#!/bin/sh\necho "docker $*" >> '${calls}'\nexit 1\n`);
      chmodSync(fakeDocker, 0o755);
      const env = { ...process.env, PATH: `${work}${delimiter}${process.env.PATH ?? ''}` };
      const control = spawnSync('docker', ['version'], { env, encoding: 'utf8' });
      expect(control.status).toBe(1);
      expect(readFileSync(calls, 'utf8')).toBe('docker version\n');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('synth succeeds, stages services/sample-api with its Dockerfile, and never calls docker', () => {
    const outdir = cdkSynthDir('dev'); // throws the synth's own error if it failed
    expect(cdkSynthDockerCalls('dev')).toBe('');
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
