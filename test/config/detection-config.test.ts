import { configProblems } from '../../lib/config';
import { BlueprintConfig } from '../../lib/config/blueprint-config';
import { testConfig } from '../support/blueprint';

describe('D2 detection config validation', () => {
  it('the shipped environments enable every detection service', () => {
    for (const env of ['dev', 'prod'] as const) {
      expect(testConfig(env).detection).toEqual({
        config: true,
        configServiceLinkedRole: 'create',
        guardDuty: true,
        securityHub: true,
        macie: true,
        inspector: true,
      });
    }
  });

  it('rejects a missing detection block', () => {
    const config = { ...testConfig(), detection: undefined } as unknown as BlueprintConfig;
    expect(configProblems(config)).toEqual([
      'detection = undefined: must be an object with boolean config, guardDuty, securityHub, macie, inspector (D2)',
    ]);
  });

  it('rejects a detection switch that is not a boolean, naming field and value', () => {
    const config = {
      ...testConfig(),
      detection: { config: true, configServiceLinkedRole: 'create', guardDuty: 'yes', securityHub: true, macie: true },
    } as unknown as BlueprintConfig;
    expect(configProblems(config)).toEqual([
      "detection.guardDuty = 'yes': must be true or false (safeguard D2)",
      'detection.inspector = undefined: must be true or false (safeguard D2)',
    ]);
  });

  it('D2 accepts configServiceLinkedRole create or existing', () => {
    for (const value of ['create', 'existing'] as const) {
      const detection = { ...testConfig('prod').detection, configServiceLinkedRole: value };
      expect(configProblems(testConfig('prod', { detection }))).toEqual([]);
    }
  });

  it.each([['reuse'], [true], [undefined]])(
    'D2 rejects configServiceLinkedRole = %p, naming field, value and rule',
    (value) => {
      const detection = { ...testConfig().detection, configServiceLinkedRole: value };
      const config = { ...testConfig(), detection } as unknown as BlueprintConfig;
      expect(configProblems(config)).toEqual([
        `detection.configServiceLinkedRole = ${typeof value === 'string' ? `'${value}'` : String(value)}: must be 'create' (a fresh account) or 'existing' (AWSServiceRoleForConfig already exists: one per account)`,
      ]);
    },
  );

  it('accepts every switch off (the account already has the services)', () => {
    const off = {
      config: false,
      configServiceLinkedRole: 'existing' as const,
      guardDuty: false,
      securityHub: false,
      macie: false,
      inspector: false,
    };
    expect(configProblems(testConfig('prod', { detection: off }))).toEqual([]);
  });
});
