import { ServiceConfig } from '../../lib/config';
import { basePathOf, serviceVariables } from '../../lib/stacks/service-variables';
import { testConfig } from '../support/blueprint';

const service = (routing: ServiceConfig['routing'], name = 'api'): ServiceConfig => ({
  name,
  buildDirectory: 'services/sample-api',
  containerPort: 8443,
  cpu: 512,
  memoryMiB: 1024,
  desiredCount: 1,
  routing,
});

/** The rule services/sample-api/src/config.ts applies to BASE_PATH. */
const SAMPLE_BASE_PATH = /^(\/[a-z0-9][a-z0-9-]*)*$/;

describe('serviceVariables', () => {
  test('E3 A3 every variable the sample service requires, from config: its own database user, TLS port, the audit stream name', () => {
    const config = testConfig('dev');
    expect(serviceVariables(config, service({ pathPattern: '/*', priority: 100 }), 'db.example.internal')).toEqual({
      DB_HOST: 'db.example.internal',
      DB_PORT: '5433',
      DB_NAME: 'postgres',
      DB_USER: 'api',
      PORT: '8443',
      SERVICE_NAME: 'api',
      AUDIT_STREAM_NAME: 'hipaa-dev-api-access-audit',
    });
  });

  test('BASE_PATH follows a fixed-prefix route (the load balancer does not strip prefixes), and is absent at the root', () => {
    const config = testConfig('dev');
    const vars = serviceVariables(config, service({ pathPattern: '/reports/v2/*', priority: 5 }, 'reports'), 'h');
    expect(vars.BASE_PATH).toBe('/reports/v2');
    expect(vars.DB_USER).toBe('reports');
    expect(vars.AUDIT_STREAM_NAME).toBe('hipaa-dev-reports-access-audit');
  });

  test.each([
    [{ pathPattern: '/*', priority: 1 }, undefined],
    [{ hostHeader: 'api.example.org', priority: 1 }, undefined],
    [{ pathPattern: '/api/*', priority: 1 }, '/api'],
    [{ pathPattern: '/api/v1/*', priority: 1 }, '/api/v1'],
    [{ pathPattern: '/api*', priority: 1 }, undefined],
    [{ pathPattern: '/API/*', priority: 1 }, undefined],
    [{ pathPattern: '/a/*/b', priority: 1 }, undefined],
  ])('basePathOf(%j) = %s, always one the sample accepts', (routing, expected) => {
    const base = basePathOf(routing);
    expect(base).toBe(expected);
    if (base !== undefined) expect(base).toMatch(SAMPLE_BASE_PATH);
  });
});
