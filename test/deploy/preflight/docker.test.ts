import { checkDocker } from '../../../lib/deploy/preflight/docker';
import { DockerStatus } from '../../../lib/deploy/core/docker-probe';
import { testConfig } from '../../support/blueprint';
import { preflightContext } from '../../support/deploy';

/** A probe that answers `status` and counts its calls. */
function probe(status: DockerStatus): { probe: () => Promise<DockerStatus>; calls: number } {
  const p = { calls: 0, probe: async () => (p.calls++, status) };
  return p;
}

describe('preflight: docker (services built from a directory)', () => {
  it('dev builds the sample from services/sample-api: a running engine passes', async () => {
    const docker = probe({ available: true, serverVersion: '27.3.1' });
    expect(await checkDocker(preflightContext(testConfig('dev'), { docker }))).toEqual([]);
    expect(docker.calls).toBe(1);
  });

  it('refuses, before anything is deployed, when the engine is missing or stopped, naming the service and the way out', async () => {
    const docker = probe({
      available: false,
      reason: "'docker version' exited 1: Cannot connect to the Docker daemon at unix:///var/run/docker.sock",
    });
    expect(await checkDocker(preflightContext(testConfig('dev'), { docker }))).toEqual([
      {
        level: 'error',
        check: 'docker',
        message:
          "services 'api' (services/sample-api) is built by `cdk deploy` with Docker, which is not usable here: 'docker version' exited 1: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Start a Docker engine (or set CDK_DOCKER to a compatible client such as finch or podman), or give the service an imageTag pushed to its repository in lib/config/environments.ts",
      },
    ]);
  });

  it('an environment whose services all run image tags (prod) needs no Docker: not probed', async () => {
    const docker = probe({ available: false, reason: 'not installed' });
    expect(await checkDocker(preflightContext(testConfig('prod'), { docker }))).toEqual([]);
    expect(docker.calls).toBe(0);
  });
});
