import { Stack } from 'aws-cdk-lib';
import { CfnListener } from 'aws-cdk-lib/aws-elasticloadbalancingv2';

/** Fixtures of the listener and target group rule tests. */
export const LB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1';
export const CERT = [
  { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000' },
];
export const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/x/1';
export const REDIRECT = [
  { type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } },
];

/** An HTTPS listener answering 404, with `sslPolicy` (none when undefined). */
export function httpsListener(s: Stack, id: string, sslPolicy?: string): CfnListener {
  return new CfnListener(s, id, {
    loadBalancerArn: LB,
    port: 443,
    protocol: 'HTTPS',
    certificates: CERT,
    sslPolicy,
    defaultActions: [{ type: 'fixed-response', fixedResponseConfig: { statusCode: '404' } }],
  });
}
