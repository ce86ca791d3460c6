import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ServiceConfiguration } from '../../constructs/service-configuration';

function stack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
}

describe('ServiceConfiguration', () => {
  const s = stack();
  const host = 'db.example.internal';
  const configuration = new ServiceConfiguration(s, 'Config', {
    path: '/hipaa-dev/api',
    values: { DB_HOST: host, DB_PORT: '5433', DB_USER: 'api' },
  });
  const parameters = Object.values(Template.fromStack(s).findResources('AWS::SSM::Parameter'));

  test('A3 one standard String parameter per variable, at <path>/<VARIABLE>, holding the value', () => {
    expect(
      parameters.map((p) => [p.Properties.Name, p.Properties.Type, p.Properties.Tier, p.Properties.Value]),
    ).toEqual([
      ['/hipaa-dev/api/DB_HOST', 'String', 'Standard', host],
      ['/hipaa-dev/api/DB_PORT', 'String', 'Standard', '5433'],
      ['/hipaa-dev/api/DB_USER', 'String', 'Standard', 'api'],
    ]);
  });

  test('containerSecrets gives PhiService one parameter per variable name', () => {
    const secrets = configuration.containerSecrets();
    expect(Object.keys(secrets)).toEqual(['DB_HOST', 'DB_PORT', 'DB_USER']);
    expect(secrets.DB_PORT.parameter).toBe(configuration.parameters.DB_PORT);
  });

  test.each([
    [{ path: 'hipaa-dev/api', values: { A: 'x' } }, /path = 'hipaa-dev\/api': must be a Parameter Store path/],
    [{ path: '/hipaa-dev/api/', values: { A: 'x' } }, /path = '\/hipaa-dev\/api\/'/],
    [{ path: '/hipaa-dev/api', values: {} }, /values = \{\}: must hold at least one variable/],
    [{ path: '/hipaa-dev/api', values: { 'db-host': 'x' } }, /values.db-host: variable names must be UPPER_SNAKE_CASE/],
    [{ path: '/hipaa-dev/api', values: { BASE_PATH: '' } }, /values.BASE_PATH = '': must be 1-4096 characters/],
    [{ path: '/hipaa-dev/api', values: { BIG: 'x'.repeat(4097) } }, /values.BIG = 'x+': must be 1-4096 characters/],
  ])('refuses %j', (props, message) => {
    expect(() => new ServiceConfiguration(stack(), 'C', props)).toThrow(message);
  });
});
