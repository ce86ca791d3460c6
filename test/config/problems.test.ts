import { configProblems, ENVIRONMENTS } from '../../lib/config';
import { editDistance, fieldName, MAX_SHOWN_VALUE_LENGTH, nearestKey, showValue } from '../../lib/config/problems';

const dev = (): any => JSON.parse(JSON.stringify(ENVIRONMENTS.dev)); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('problem lines', () => {
  test('an unknown key names the nearest known key', () => {
    const typo = dev();
    typo.producton = false;
    delete typo.production;
    typo.services[0].awaitingFirstImages = true;
    typo.network.interfaceEndpoint = [];
    expect(configProblems(typo)).toEqual(
      expect.arrayContaining([
        'producton = false: unknown key; did you mean production?',
        'services[0].awaitingFirstImages = true: unknown key; did you mean awaitingFirstImage?',
        'network.interfaceEndpoint = []: unknown key; did you mean interfaceEndpoints?',
        'production = undefined: is required',
      ]),
    );
  });

  test('an unknown key with no near neighbour lists the known keys', () => {
    const c = dev();
    c.app.zzzzzzzzzz = 1;
    expect(configProblems(c)).toEqual([
      'app.zzzzzzzzzz = 1: unknown key; known keys here: sessionTimeoutMinutes, accessVolumeThresholdPerHour',
    ]);
  });

  test('values are shown safely: quoted, escaped, cut', () => {
    expect(showValue("a'b")).toBe("'a\\'b'");
    expect(showValue('line\nbreak\u0000')).toBe("'line\\nbreak\\u0000'");
    expect(showValue('rtl\u202eoverride')).toBe("'rtl\\u202eoverride'");
    expect(showValue('${process.exit(1)}')).toBe("'${process.exit(1)}'");
    expect(showValue('x'.repeat(10000))).toHaveLength(MAX_SHOWN_VALUE_LENGTH);
    expect(showValue('x'.repeat(10000)).endsWith('…')).toBe(true);
    expect(showValue(undefined)).toBe('undefined');
    expect(showValue(null)).toBe('null');
    expect(showValue(Number.NaN)).toBe('NaN');
    expect(showValue([1, 'a'])).toBe('[1,"a"]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(showValue(cyclic)).toBe('[object Object]');
  });

  test('field names and edit distance', () => {
    expect(fieldName(['services', 0, 'routing', 'priority'])).toBe('services[0].routing.priority');
    expect(fieldName([])).toBe('(config)');
    expect(editDistance('producton', 'production')).toBe(1);
    expect(nearestKey('guardduty', ['guardDuty', 'macie'])).toBe('guardDuty');
    expect(nearestKey('zzz', ['guardDuty', 'macie'])).toBeUndefined();
  });

  test('a problem names field, value and rule, for every problem at once', () => {
    const c = dev();
    c.network.databasePort = 1000;
    c.owner = '';
    c.retention.logRetentionDays = 365;
    expect(configProblems(c)).toEqual([
      "owner = '': must be 1-256 letters, digits, spaces or _ . : / = + - @ (an AWS tag value)",
      'network.databasePort = 1000: must be 1150-65535 (the ports RDS for PostgreSQL accepts)',
      'retention.logRetentionDays = 365: must be at least 2192 days (six years, HIPAA 164.316(b)(2)(i))',
    ]);
  });
});
