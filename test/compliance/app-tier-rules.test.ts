import { App, Stack } from 'aws-cdk-lib';
import { CfnListener, CfnListenerRule, CfnTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { BlueprintChecks } from '../../lib/compliance/gate/blueprint-checks';
import { ALLOWED_TLS_POLICIES } from '../../constructs/core/tls-policies';

/** Findings of the project pack on one fresh stack built by `build`. */
function findings(build: (stack: Stack) => void): string[] {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  build(stack);
  return new BlueprintChecks().validateScope(app).violations.map((v) => v.ruleName);
}

const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1';
const CERT = [
  { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000' },
];
const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1';
const REDIRECT = [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }];

function httpsListener(s: Stack, id: string, sslPolicy?: string): CfnListener {
  return new CfnListener(s, id, {
    loadBalancerArn: LB,
    port: 443,
    protocol: 'HTTPS',
    certificates: CERT,
    sslPolicy,
    defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }],
  });
}

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

describe('project rule NoHttpTargetGroup (E3, end to end)', () => {
  it('E3 passes on an HTTPS target group with an HTTPS health check, and on a Lambda target group', () => {
    expect(
      findings((s) => {
        new CfnTargetGroup(s, 'Good', {
          protocol: 'HTTPS',
          port: 8443,
          healthCheckProtocol: 'HTTPS',
          targetType: 'ip',
        });
        new CfnTargetGroup(s, 'Fn', { targetType: 'lambda' });
      }),
    ).not.toContainEqual(expect.stringMatching(/NoHttpTargetGroup/));
  });

  it('E3 fires on an HTTP target group and on an HTTP health check', () => {
    const out = findings((s) => {
      new CfnTargetGroup(s, 'Plain', { protocol: 'HTTP', port: 8080, targetType: 'ip' });
      new CfnTargetGroup(s, 'PlainCheck', {
        protocol: 'HTTPS',
        port: 8443,
        healthCheckProtocol: 'HTTP',
        targetType: 'ip',
      });
    });
    expect(out).toEqual(
      expect.arrayContaining([
        'Blueprint-NoHttpTargetGroup[Protocol::HTTP]',
        'Blueprint-NoHttpTargetGroup[HealthCheckProtocol::HTTP]',
      ]),
    );
  });
});
