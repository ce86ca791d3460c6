import { CfnListener } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ALLOWED_TLS_POLICIES } from '../../../../constructs/core/tls-policies';
import { projectFindings as findings } from '../../../support/rule-fixtures';
import { httpsListener, LB, REDIRECT } from '../../../support/listener-fixtures';

describe('project rule AlbTlsPolicyAllowList (E3)', () => {
  it('E3 passes on every allow-listed TLS 1.3/1.2 policy', () => {
    expect(
      findings((s) => ALLOWED_TLS_POLICIES.forEach((p, i) => httpsListener(s, `L${i}`, p))).filter((f) =>
        f.includes('AlbTlsPolicyAllowList'),
      ),
    ).toEqual([]);
  });

  it('E3 fires on an old TLS policy (ELBSecurityPolicy-2016-08) and on a listener without a policy', () => {
    const out = findings((s) => {
      httpsListener(s, 'Old', 'ELBSecurityPolicy-2016-08');
      httpsListener(s, 'Default');
    });
    expect(out).toEqual(
      expect.arrayContaining([
        'Blueprint-AlbTlsPolicyAllowList[SslPolicy::ELBSecurityPolicy-2016-08]',
        'Blueprint-AlbTlsPolicyAllowList[SslPolicy::none]',
      ]),
    );
  });

  it('does not apply to plain HTTP listeners', () => {
    expect(
      findings(
        (s) =>
          new CfnListener(s, 'Http', { loadBalancerArn: LB, port: 80, protocol: 'HTTP', defaultActions: REDIRECT }),
      ),
    ).not.toContainEqual(expect.stringMatching(/AlbTlsPolicyAllowList/));
  });
});
