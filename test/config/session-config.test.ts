import { configProblems } from '../../lib/config';
import { testConfig } from '../support/blueprint';

describe('app.sessionTimeoutMinutes (A4)', () => {
  it('A4 the shipped environments end sessions after 15 minutes', () => {
    expect(testConfig('dev').app.sessionTimeoutMinutes).toBe(15);
    expect(testConfig('prod').app.sessionTimeoutMinutes).toBe(15);
    expect(configProblems(testConfig('prod', { app: { sessionTimeoutMinutes: 5 } }))).toEqual([]);
  });

  it('A4 rejects a 60-minute session, naming field, value and safeguard', () => {
    expect(configProblems(testConfig('dev', { app: { sessionTimeoutMinutes: 60 } }))).toContainEqual(
      'app.sessionTimeoutMinutes = 60: must be a whole number of minutes from 1 to 15 (safeguard A4, automatic logoff, 164.312(a)(2)(iii))',
    );
  });

  it('A4 rejects 0, fractions and a missing app section', () => {
    for (const bad of [0, 7.5]) {
      expect(configProblems(testConfig('dev', { app: { sessionTimeoutMinutes: bad } }))).toContainEqual(
        expect.stringMatching(new RegExp(`^app.sessionTimeoutMinutes = ${bad}: .*safeguard A4`)),
      );
    }
    const withoutApp: Record<string, unknown> = { ...testConfig('dev') };
    delete withoutApp.app;
    expect(configProblems(withoutApp as never)).toContainEqual(
      expect.stringMatching(/^app.sessionTimeoutMinutes = undefined/),
    );
  });
});
