import { configProblems, ENVIRONMENTS, FARGATE_MEMORY_BY_CPU, ServiceConfig } from '../../lib/config';
import { TEST_SERVICE } from '../support/app-services';
import { testConfig } from '../support/blueprint';

/** Problems of a dev (or prod) config whose services are `services`. */
function problemsWith(services: readonly Partial<ServiceConfig>[], env: 'dev' | 'prod' = 'dev'): string[] {
  const config = { ...testConfig(env), services: services.map((s) => ({ ...TEST_SERVICE, ...s }) as ServiceConfig) };
  return configProblems(config);
}

describe('services config', () => {
  it('the shipped environments each run the sample api service, 2 tasks in production (I3)', () => {
    for (const env of Object.values(ENVIRONMENTS)) {
      expect(env.services.map((s) => s.name)).toEqual(['api']);
      expect(env.ecsExec).toBe(false);
    }
    expect(ENVIRONMENTS.prod.services[0].desiredCount).toBeGreaterThanOrEqual(2);
  });

  it('I3 both samples deploy before their image exists (repository created in the same deploy); prod steady state still runs >= 2 tasks', () => {
    for (const env of Object.values(ENVIRONMENTS)) {
      expect([env.envName, env.services[0].awaitingFirstImage]).toEqual([env.envName, true]);
    }
    // After the image is pushed the fork flips the flag: the prod sample then validates as >= 2 tasks.
    const steady = { ...ENVIRONMENTS.prod.services[0], awaitingFirstImage: false };
    expect(problemsWith([steady], 'prod')).toEqual([]);
    expect(problemsWith([{ ...steady, desiredCount: 1 }], 'prod')).toEqual([
      'services[0].desiredCount = 1: must be at least 2 in a production environment: tasks spread over AZs (safeguard I3)',
    ]);
  });

  it('accepts the sample service and an empty list', () => {
    expect(problemsWith([{}])).toEqual([]);
    expect(problemsWith([])).toEqual([]);
  });

  it('rejects a name that is not lower-case kebab', () => {
    expect(problemsWith([{ name: 'Api_Service' }])).toEqual([
      "services[0].name = 'Api_Service': must be 2-24 lower-case letters, digits or single dashes, starting with a letter",
    ]);
    expect(problemsWith([{ name: 'api-' }])).toHaveLength(1);
    expect(problemsWith([{ name: 'a--b' }])).toHaveLength(1);
  });

  it('rejects duplicate names', () => {
    expect(problemsWith([{}, { routing: { pathPattern: '/x/*', priority: 200 } }])).toEqual([
      "services[1].name = 'api': must be unique; services[0] has the same name",
    ]);
  });

  it("rejects the mutable 'latest' tag and malformed tags", () => {
    const rule = "must be an image tag (1-128 of [A-Za-z0-9_.-]), not 'latest' (tags are immutable)";
    expect(problemsWith([{ imageTag: 'latest' }])).toEqual([`services[0].imageTag = 'latest': ${rule}`]);
    expect(problemsWith([{ imageTag: 'v1 beta' }])).toEqual([`services[0].imageTag = 'v1 beta': ${rule}`]);
  });

  it('rejects a container port a non-root user cannot bind (below 1024) or out of range', () => {
    const rule = 'must be 1024-65535: the container runs as a non-root user, which cannot bind lower ports';
    expect(problemsWith([{ containerPort: 443 }])).toEqual([`services[0].containerPort = 443: ${rule}`]);
    expect(problemsWith([{ containerPort: 70000 }])).toEqual([`services[0].containerPort = 70000: ${rule}`]);
  });

  it('rejects a CPU size Fargate does not offer', () => {
    expect(problemsWith([{ cpu: 300 }])).toEqual([
      'services[0].cpu = 300: must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192, 16384',
    ]);
  });

  it('rejects a memory size that is not a valid Fargate combination with the CPU', () => {
    expect(problemsWith([{ cpu: 256, memoryMiB: 4096 }])).toEqual([
      'services[0].memoryMiB = 4096: is not a valid Fargate memory size for cpu 256: 512-2048 in steps of 512',
    ]);
    expect(problemsWith([{ cpu: 1024, memoryMiB: 1024 }])).toEqual([
      'services[0].memoryMiB = 1024: is not a valid Fargate memory size for cpu 1024: 2048-8192 in steps of 1024',
    ]);
    for (const [cpu, memories] of Object.entries(FARGATE_MEMORY_BY_CPU)) {
      expect(problemsWith([{ cpu: Number(cpu), memoryMiB: memories[memories.length - 1] }])).toEqual([]);
    }
  });

  it('rejects a desired count below 1', () => {
    expect(problemsWith([{ desiredCount: 0 }])).toEqual([
      'services[0].desiredCount = 0: must be an integer of at least 1 (use awaitingFirstImage for zero tasks)',
    ]);
  });

  it('I3 rejects fewer than 2 tasks in production', () => {
    expect(problemsWith([{ desiredCount: 1 }], 'prod')).toEqual([
      'services[0].desiredCount = 1: must be at least 2 in a production environment: tasks spread over AZs (safeguard I3)',
    ]);
    expect(problemsWith([{ desiredCount: 1 }], 'dev')).toEqual([]);
  });

  it('rejects a non-boolean awaitingFirstImage', () => {
    expect(problemsWith([{ awaitingFirstImage: 'yes' as unknown as boolean }])).toEqual([
      "services[0].awaitingFirstImage = 'yes': must be true or false",
    ]);
  });

  it('rejects listener rule priorities out of range or shared', () => {
    expect(problemsWith([{ routing: { pathPattern: '/*', priority: 0 } }])).toEqual([
      'services[0].routing.priority = 0: must be an integer from 1 to 50000',
    ]);
    expect(problemsWith([{}, { name: 'web', routing: { hostHeader: 'web.example.org', priority: 100 } }])).toEqual([
      'services[1].routing.priority = 100: must be unique; services[0] has the same priority',
    ]);
  });

  it('rejects routing without a path pattern or a host header', () => {
    expect(problemsWith([{ routing: { priority: 100 } }])).toEqual([
      'services[0].routing = {"priority":100}: must set pathPattern or hostHeader (or both)',
    ]);
  });

  it('rejects a malformed path pattern or host header', () => {
    expect(problemsWith([{ routing: { pathPattern: 'api/*', priority: 100 } }])).toEqual([
      "services[0].routing.pathPattern = 'api/*': must start with '/' and be at most 128 characters",
    ]);
    expect(problemsWith([{ routing: { hostHeader: 'Not A Host', priority: 100 } }])).toEqual([
      "services[0].routing.hostHeader = 'Not A Host': must be a lower-case host name, optionally starting with *.",
    ]);
    expect(problemsWith([{ routing: { hostHeader: '*.example.org', priority: 100 } }])).toEqual([]);
  });

  it('rejects a missing routing', () => {
    expect(problemsWith([{ routing: undefined as never }])).toEqual([
      'services[0].routing = undefined: is required (pathPattern and/or hostHeader, priority)',
    ]);
  });

  it('rejects a services value that is not a list, and a non-boolean ecsExec', () => {
    expect(configProblems({ ...testConfig('dev'), services: undefined as never })).toEqual([
      'services = undefined: must be a list of services (may be empty)',
    ]);
    expect(configProblems({ ...testConfig('dev'), ecsExec: 'no' as never })).toEqual([
      "ecsExec = 'no': must be true or false",
    ]);
  });
});
