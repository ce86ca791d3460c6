import { CfnListener, CfnListenerRule } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ALLOWED_TLS_POLICIES } from '../../../../constructs/core/tls-policies';
import { httpsListener, LB, REDIRECT, TG } from '../../../support/listener-fixtures';
import { projectFindings as findings } from '../../../support/rule-fixtures';

describe('project rule NoHttpForwardListener (E3)', () => {
  it('E3 passes on an HTTP listener that only redirects to HTTPS', () => {
    expect(
      findings(
        (s) =>
          new CfnListener(s, 'Http', { loadBalancerArn: LB, port: 80, protocol: 'HTTP', defaultActions: REDIRECT }),
      ),
    ).not.toContainEqual(expect.stringMatching(/NoHttpForwardListener/));
  });

  it('E3 fires on an HTTP listener whose default action forwards', () => {
    expect(
      findings(
        (s) =>
          new CfnListener(s, 'Http', {
            loadBalancerArn: LB,
            port: 80,
            protocol: 'HTTP',
            defaultActions: [{ type: 'forward', targetGroupArn: TG }],
          }),
      ),
    ).toContainEqual('Blueprint-NoHttpForwardListener[DefaultAction::forward]');
  });

  it('E3 fires on a redirect to plain HTTP', () => {
    expect(
      findings(
        (s) =>
          new CfnListener(s, 'Http', {
            loadBalancerArn: LB,
            port: 80,
            protocol: 'HTTP',
            defaultActions: [
              { type: 'redirect', redirectConfig: { protocol: 'HTTP', port: '8080', statusCode: 'HTTP_301' } },
            ],
          }),
      ),
    ).toContainEqual('Blueprint-NoHttpForwardListener[DefaultAction::redirect]');
  });

  it('E3 fires on an HTTP listener without a default action (nothing shows it only redirects)', () => {
    expect(
      findings(
        (s) => new CfnListener(s, 'Http', { loadBalancerArn: LB, port: 80, protocol: 'HTTP', defaultActions: [] }),
      ),
    ).toContainEqual('Blueprint-NoHttpForwardListener[DefaultActions::none]');
  });

  it('E3 fires on a redirect-only HTTP listener that a listener rule makes forward', () => {
    const out = findings((s) => {
      const http = new CfnListener(s, 'Http', {
        loadBalancerArn: LB,
        port: 80,
        protocol: 'HTTP',
        defaultActions: REDIRECT,
      });
      new CfnListenerRule(s, 'Sneaky', {
        listenerArn: http.ref,
        priority: 1,
        conditions: [{ field: 'path-pattern', values: ['/*'] }],
        actions: [{ type: 'forward', targetGroupArn: TG }],
      });
    });
    expect(out).toContainEqual('Blueprint-NoHttpForwardListener[ListenerRule::Sneaky::forward]');
  });

  it('ignores rules of an HTTPS listener', () => {
    const out = findings((s) => {
      new CfnListener(s, 'Http', { loadBalancerArn: LB, port: 80, protocol: 'HTTP', defaultActions: REDIRECT });
      const https = httpsListener(s, 'Https', ALLOWED_TLS_POLICIES[0]);
      new CfnListenerRule(s, 'Route', {
        listenerArn: https.ref,
        priority: 1,
        conditions: [{ field: 'path-pattern', values: ['/*'] }],
        actions: [{ type: 'forward', targetGroupArn: TG }],
      });
    });
    expect(out).not.toContainEqual(expect.stringMatching(/NoHttpForwardListener/));
  });
});
