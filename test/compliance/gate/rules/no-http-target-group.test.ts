import { CfnTargetGroup } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { projectFindings as findings } from '../../../support/rule-fixtures';

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

  it('E3 fires on a target group without a protocol and on a TCP health check', () => {
    const out = findings((s) => {
      new CfnTargetGroup(s, 'NoProtocol', { port: 8443, targetType: 'ip' });
      new CfnTargetGroup(s, 'TcpCheck', {
        protocol: 'HTTPS',
        port: 8443,
        healthCheckProtocol: 'TCP',
        targetType: 'ip',
      });
    });
    expect(out).toEqual(
      expect.arrayContaining([
        'Blueprint-NoHttpTargetGroup[Protocol::none]',
        'Blueprint-NoHttpTargetGroup[HealthCheckProtocol::TCP]',
      ]),
    );
  });
});
