import { renderTable, runVerify, VERIFY_CHECKS } from '../../../lib/deploy/verify/run-verify';
import { testConfig } from '../../support/blueprint';
import { deployedState, sdkError } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

describe('verify runner and table', () => {
  it('covers U1, U2, E1, D2, D1 and I1', () => {
    expect(VERIFY_CHECKS.map((c) => c.safeguard)).toEqual([
      'U1',
      'U2',
      'E1',
      'D2',
      'D2',
      'D2',
      'D2',
      'D2',
      'I2',
      'D1',
      'D3',
      'I1',
    ]);
  });

  it('a check that cannot run is a FAIL naming the SDK error, never a silent pass', async () => {
    const rows = await runVerify(verifyContext(testConfig('prod'), deployedState()), [
      {
        safeguard: 'U1',
        name: 'CloudTrail',
        run: async () => {
          throw sdkError('AccessDeniedException', 'not authorized to perform cloudtrail:GetTrailStatus', 403);
        },
      },
    ]);
    expect(rows).toEqual([
      {
        safeguard: 'U1',
        check: 'CloudTrail',
        status: 'FAIL',
        detail: 'could not check: AccessDeniedException: not authorized to perform cloudtrail:GetTrailStatus',
      },
    ]);
  });

  it('renders safeguard, check, status and detail columns', () => {
    expect(
      renderTable([
        { safeguard: 'U1', check: 'CloudTrail logging', status: 'PASS', detail: 'trail is logging' },
        { safeguard: 'E1', check: 'key rotation', status: 'FAIL', detail: 'rotation OFF' },
      ]),
    ).toBe(
      [
        'SAFEGUARD  CHECK               STATUS  DETAIL',
        'U1         CloudTrail logging  PASS    trail is logging',
        'E1         key rotation        FAIL    rotation OFF',
      ].join('\n'),
    );
  });
});
