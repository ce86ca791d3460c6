import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SslPolicy } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AccessLogBucket } from '../../constructs/access-log-bucket';
import { AppCertificate } from '../../constructs/app-certificate';
import { AppUserPool } from '../../constructs/app-user-pool';
import { LoadBalancerRoute, SecureLoadBalancer } from '../../constructs/secure-load-balancer';
import { appTierFixture, retention, userPoolProps } from '../support/app-tier-fixture';

function loadBalancer(
  overrides: { routes?: LoadBalancerRoute[]; sslPolicy?: SslPolicy; sessionTimeout?: Duration } = {},
): Stack {
  const { stack, vpc, key } = appTierFixture();
  const users = new AppUserPool(stack, 'Users', userPoolProps);
  new SecureLoadBalancer(stack, 'Lb', {
    vpc,
    name: 'test-app',
    certificate: new AppCertificate(stack, 'Cert', {}).certificate,
    accessLogs: new AccessLogBucket(stack, 'AccessLogs', { retention }),
    logsKey: key,
    retention,
    sslPolicy: overrides.sslPolicy,
    authentication: {
      userPool: users.userPool,
      userPoolClient: users.client,
      userPoolDomain: users.domain,
      sessionTimeout: overrides.sessionTimeout ?? Duration.minutes(15),
    },
    routes: overrides.routes ?? [{ name: 'api', port: 8443, priority: 10, pathPatterns: ['/api/*'] }],
  });
  return stack;
}

describe('SecureLoadBalancer', () => {
  it('E3 refuses a TLS policy outside the allow-list, naming it', () => {
    expect(() => loadBalancer({ sslPolicy: SslPolicy.TLS12 })).toThrow(
      /sslPolicy = 'ELBSecurityPolicy-TLS-1-2-2017-01': must be one of .*\(safeguard E3\)/,
    );
  });

  it('A4 refuses an authentication session longer than 15 minutes', () => {
    expect(() => loadBalancer({ sessionTimeout: Duration.hours(1) })).toThrow(
      /authentication.sessionTimeout = 3600 s: must be 60 to 900 s \(safeguard A4\)/,
    );
  });

  it('refuses duplicate priorities and routes without a condition', () => {
    expect(() =>
      loadBalancer({
        routes: [
          { name: 'a', port: 8443, priority: 10, pathPatterns: ['/a/*'] },
          { name: 'b', port: 8443, priority: 10, pathPatterns: ['/b/*'] },
        ],
      }),
    ).toThrow(/routes\[1\].priority = 10: must be unique/);
    expect(() => loadBalancer({ routes: [{ name: 'a', port: 8443, priority: 1 }] })).toThrow(
      /routes\[0\]: needs pathPatterns or hostHeaders/,
    );
  });

  it('E3 one HTTPS target group per route, host and path conditions', () => {
    const template = Template.fromStack(
      loadBalancer({
        routes: [
          { name: 'api', port: 8443, priority: 10, pathPatterns: ['/api/*'] },
          { name: 'admin-ui', port: 9443, priority: 20, hostHeaders: ['admin.example.org'], healthCheckPath: '/ok' },
        ],
      }),
    );
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 9443,
      Protocol: 'HTTPS',
      HealthCheckProtocol: 'HTTPS',
      HealthCheckPath: '/ok',
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 20,
      Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['admin.example.org'] } }],
    });
  });
});
