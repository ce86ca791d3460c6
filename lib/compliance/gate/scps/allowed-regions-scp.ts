/**
 * Service control policy that denies every request to a region outside config.allowedRegions (where PHI may be),
 * except to the global services whose single endpoint lives in one region (IAM, STS's global endpoint,
 * Organizations, Route 53, CloudFront, Support, billing, AWS Artifact where the BAA is accepted, IAM Identity
 * Center). The global services follow the IAM User Guide example "AWS: Denies access to AWS based on the
 * requested Region" and the AWS Control Tower Region deny control; `aws:RequestedRegion` is the region the
 * request is sent to.
 */
import { BlueprintConfig } from '../../../config/schema';

/** Global services (single-region endpoints) left out of the region deny; IAM action prefixes and actions. */
export const GLOBAL_SERVICE_ACTIONS: readonly string[] = [
  'account:*',
  'artifact:*',
  'aws-portal:*',
  'billing:*',
  'budgets:*',
  'ce:*',
  'cloudfront:*',
  'cur:*',
  'ec2:DescribeRegions',
  'globalaccelerator:*',
  'health:*',
  'iam:*',
  'identitystore:*',
  'organizations:*',
  'pricing:*',
  'route53:*',
  'route53domains:*',
  's3:GetAccountPublicAccessBlock',
  's3:ListAllMyBuckets',
  'shield:*',
  'sso:*',
  'sts:*',
  'support:*',
  'tax:*',
  'trustedadvisor:*',
  'waf:*',
];

/** A service control policy document. */
export interface ScpDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly Record<string, unknown>[];
}

/** Deny every action outside the global services in a region not in config.allowedRegions. */
export function buildAllowedRegionsScp(config: Pick<BlueprintConfig, 'allowedRegions'>): ScpDocument {
  if (config.allowedRegions.length === 0) {
    throw new Error('allowedRegions = []: must list at least one region (the region SCP would deny everything)');
  }
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyRegionsOutsideAllowedRegions',
        Effect: 'Deny',
        NotAction: [...GLOBAL_SERVICE_ACTIONS],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': [...config.allowedRegions] } },
      },
    ],
  };
}
