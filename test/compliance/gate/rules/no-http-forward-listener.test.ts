import { CfnListener, CfnListenerRule } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ALLOWED_TLS_POLICIES } from '../../../../constructs/core/tls-policies';
import { httpsListener, LB, REDIRECT, TG } from '../../../support/listener-fixtures';
import { projectFindings as findings } from '../../../support/rule-fixtures';
import { findingsOf, template } from './rule-fixtures';

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

  // The template as written, with conditions (what `npm run check-template` judges on a hand-edited template).
  const NO_VALUE = { Ref: 'AWS::NoValue' };
  const FORWARD = { Type: 'forward', TargetGroupArn: TG };
  const TO_HTTPS = { Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } };
  const app = (protocol: unknown, defaults: unknown, rule?: { actions: unknown; listener?: unknown }) => ({
    Conditions: { Open: { 'Fn::Equals': ['open', 'closed'] } },
    Parameters: { ListenerProtocol: { Type: 'String' }, RouteActions: { Type: 'CommaDelimitedList' } },
    ...template({
      Listener: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: { LoadBalancerArn: LB, Port: 80, Protocol: protocol, DefaultActions: defaults },
      },
      Https: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          LoadBalancerArn: LB,
          Port: 443,
          Protocol: 'HTTPS',
          SslPolicy: ALLOWED_TLS_POLICIES[0],
          Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }],
          DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
        },
      },
      ...(rule
        ? {
            Route: {
              Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
              Properties: {
                ListenerArn: rule.listener ?? { Ref: 'Listener' },
                Priority: 10,
                Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
                Actions: rule.actions,
              },
            },
          }
        : {}),
    }),
  });

  test.each<[string, unknown, unknown, { actions: unknown; listener?: unknown } | undefined, string[]]>([
    [
      'a listener whose Protocol a condition chooses (HTTP or HTTPS) forwarding',
      { 'Fn::If': ['Open', 'HTTP', 'HTTPS'] },
      [FORWARD],
      undefined,
      ['[DefaultAction::forward] Listener'],
    ],
    [
      'a listener whose Protocol only deploy resolves (a parameter) forwarding',
      { Ref: 'ListenerProtocol' },
      [FORWARD],
      undefined,
      ['[DefaultAction::forward] Listener'],
    ],
    [
      'a rule of the HTTP listener whose list of actions a condition chooses',
      'HTTP',
      [TO_HTTPS],
      { actions: { 'Fn::If': ['Open', [FORWARD], [TO_HTTPS]] } },
      ['[ListenerRule::Route::forward] Listener'],
    ],
    [
      'a rule whose ListenerArn a condition points at the HTTP listener',
      'HTTP',
      [TO_HTTPS],
      { actions: [FORWARD], listener: { 'Fn::If': ['Open', { Ref: 'Listener' }, { Ref: 'Https' }] } },
      ['[ListenerRule::Route::forward] Listener'],
    ],
    [
      'a rule of the HTTP listener whose list of actions only deploy resolves (a parameter)',
      'HTTP',
      [TO_HTTPS],
      { actions: { Ref: 'RouteActions' } },
      ['[ListenerRule::Route::action-only-deploy-resolves] Listener'],
    ],
    [
      // Caught before too (as "DefaultActions::none": the list was not read).
      'default actions a condition chooses',
      'HTTP',
      { 'Fn::If': ['Open', [FORWARD], [TO_HTTPS]] },
      undefined,
      ['[DefaultAction::forward] Listener'],
    ],
    [
      // Caught before too (as "DefaultAction::undefined").
      'a default action a condition chooses',
      'HTTP',
      [{ 'Fn::If': ['Open', FORWARD, TO_HTTPS] }],
      undefined,
      ['[DefaultAction::forward] Listener'],
    ],
    [
      'a default action whose Type a condition chooses',
      'HTTP',
      [{ ...TO_HTTPS, Type: { 'Fn::If': ['Open', 'forward', 'redirect'] }, TargetGroupArn: TG }],
      undefined,
      ['[DefaultAction::forward] Listener'],
    ],
    [
      'a redirect whose Protocol a condition chooses',
      'HTTP',
      [
        {
          ...TO_HTTPS,
          RedirectConfig: { ...TO_HTTPS.RedirectConfig, Protocol: { 'Fn::If': ['Open', 'HTTP', 'HTTPS'] } },
        },
      ],
      undefined,
      ['[DefaultAction::redirect] Listener'],
    ],
    [
      'an only default action a condition may remove',
      'HTTP',
      [{ 'Fn::If': ['Open', NO_VALUE, TO_HTTPS] }],
      undefined,
      ['[DefaultActions::none] Listener'],
    ],
  ])('E3 %s is a finding', (_name, protocol, defaults, rule, expected) => {
    expect(findingsOf('NoHttpForwardListener', app(protocol, defaults, rule))).toEqual(expected);
  });

  test('E3 an HTTP listener redirecting to HTTPS passes with AWS::NoValue beside the redirect, and conditions that only redirect', () => {
    expect(findingsOf('NoHttpForwardListener', app('HTTP', [TO_HTTPS, NO_VALUE]))).toEqual([]);
    expect(findingsOf('NoHttpForwardListener', app({ 'Fn::If': ['Open', 'HTTP', 'HTTPS'] }, [TO_HTTPS]))).toEqual([]);
    expect(
      findingsOf(
        'NoHttpForwardListener',
        app('HTTP', [TO_HTTPS], { actions: { 'Fn::If': ['Open', [TO_HTTPS], NO_VALUE] } }),
      ),
    ).toEqual([]);
  });
});
