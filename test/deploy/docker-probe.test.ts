import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProcessDockerProbe } from '../../lib/deploy/core/docker-probe';
import { scratchDir } from '../support/scratch';

/** A fake docker client: a shell script with the given body. */
function fakeDocker(body: string): string {
  const file = join(scratchDir('docker-probe-'), 'docker');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('ProcessDockerProbe', () => {
  it('an engine that answers gives its server version (asked with `version --format {{.Server.Version}}`)', async () => {
    const docker = fakeDocker('[ "$1 $2 $3" = "version --format {{.Server.Version}}" ] && echo 27.3.1 || exit 3');
    expect(await new ProcessDockerProbe(docker).probe()).toEqual({ available: true, serverVersion: '27.3.1' });
  });

  it('a client without an engine is not usable: the exit code and the first line of its error', async () => {
    const docker = fakeDocker('echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock." >&2\nexit 1');
    expect(await new ProcessDockerProbe(docker).probe()).toEqual({
      available: false,
      reason: `'${docker} version' exited 1: Cannot connect to the Docker daemon at unix:///var/run/docker.sock.`,
    });
  });

  it('no client at all', async () => {
    expect(await new ProcessDockerProbe('/nonexistent/docker').probe()).toEqual({
      available: false,
      reason: "'/nonexistent/docker' is not installed (not on PATH)",
    });
  });

  it('an engine that hangs is given up on after the timeout', async () => {
    const docker = fakeDocker('exec sleep 30');
    const status = await new ProcessDockerProbe(docker, 300).probe();
    expect(status).toEqual({ available: false, reason: `'${docker} version' did not answer within 0.3 s` });
  });
});
