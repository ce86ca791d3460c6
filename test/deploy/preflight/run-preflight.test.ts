import { PREFLIGHT_CHECKS, runPreflight } from '../../../lib/deploy/preflight/run-preflight';
import { testConfig } from '../../support/blueprint';
import { preflightContext, sdkError } from '../../support/deploy';

describe('preflight runner', () => {
  it('runs every check of the brief, in order', () => {
    expect(PREFLIGHT_CHECKS.map((c) => c.name)).toEqual([
      'deploy target',
      'stack states',
      'bootstrap',
      'docker',
      'service-linked roles',
      'lambda concurrency',
      'account singletons',
      'domain',
      'break-glass principals',
      'leftovers',
    ]);
  });

  it('a check that cannot run is an error naming the check and the SDK error, and the others still run', async () => {
    const ran: string[] = [];
    const outcomes = await runPreflight(preflightContext(testConfig('prod')), [
      {
        name: 'first',
        run: async () => {
          throw sdkError('AccessDeniedException', 'User is not authorized to perform guardduty:ListDetectors', 403);
        },
      },
      { name: 'second', run: async () => (ran.push('second'), []) },
    ]);
    expect(outcomes).toEqual([
      {
        name: 'first',
        findings: [
          {
            level: 'error',
            check: 'first',
            message:
              'could not run the first check: AccessDeniedException: User is not authorized to perform guardduty:ListDetectors; fix access and run it again',
          },
        ],
      },
      { name: 'second', findings: [] },
    ]);
    expect(ran).toEqual(['second']);
  });
});
