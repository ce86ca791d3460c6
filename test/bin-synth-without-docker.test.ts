/**
 * Synth stays offline and Docker-free although dev builds its sample service from a Dockerfile. The Jest
 * globalSetup runs the app's entry point (bin/hipaa-blueprint.ts, what `cdk synth` runs) for dev with a `docker`
 * that lists every call and fails, first on PATH and as CDK_DOCKER (the executable CDK's own Docker calls use):
 * cdkSynthDir('dev') is that synth's assembly. Synth must succeed, stage the image directory, and never call it.
 * Docker is needed only when `cdk deploy` publishes the asset.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dockerTrap } from './support/global-setup';
import { dockerCallsFile } from './support/synth-inputs';
import { cdkSynthDir, cdkSynthDockerCalls } from './support/synthesized';
import { scratchDir } from './support/scratch';

describe('bin/hipaa-blueprint.ts synthesizes dev without Docker', () => {
  it("the trap works: the globalSetup's docker lists a call through PATH and through CDK_DOCKER, and fails (control)", () => {
    const work = scratchDir('hipaa-no-docker-');
    try {
      const trap = dockerTrap(work, 'dev');
      const env = { ...process.env, ...trap };
      expect(spawnSync('docker', ['version'], { env, encoding: 'utf8' }).status).toBe(1);
      expect(spawnSync(trap.CDK_DOCKER!, ['build', '.'], { env, encoding: 'utf8' }).status).toBe(1);
      expect(readFileSync(join(work, dockerCallsFile('dev')), 'utf8')).toBe('docker version\ndocker build .\n');
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
