/**
 * The acknowledgements of the register, for users of AWS CloudFormation Guard: the cdk-nag rules of the register
 * mapped to the rule names of the Guard Rules Registry's HIPAA Security rule set, so the register writes them as
 * `Metadata.guard.SuppressedRules` on the same resources (applyAcknowledgements) and the Guard HIPAA set reports only
 * what the register has not decided.
 *
 * Evidence: aws-cloudformation/aws-guard-rules-registry at commit 7f7340c ("Update mappings to reflect latest
 * ruleset"), mappings/rule_set_hipaa_security.json (the HIPAA Security set: which .guard files it runs) and each
 * rule file's `rule NAME` and its `Metadata.guard.SuppressedRules.* != "NAME"` filter (the path is given per rule).
 * A cdk-nag rule is mapped only where a rule of that set checks the same property of the same resource type.
 */

/** One mapping: the Guard rule name and the registry file it is defined in. */
export interface GuardRuleMapping {
  readonly guardRule: string;
  readonly file: string;
}

/** cdk-nag rule name (without the pack prefix) -> the Guard HIPAA Security rule that checks the same thing. */
export const GUARD_RULES_BY_NAG_RULE: Readonly<Record<string, GuardRuleMapping>> = {
  S3BucketReplicationEnabled: {
    guardRule: 'S3_BUCKET_REPLICATION_ENABLED',
    file: 'rules/aws/amazon_s3/s3_bucket_replication_enabled.guard',
  },
  S3DefaultEncryptionKMS: {
    guardRule: 'S3_DEFAULT_ENCRYPTION_KMS',
    file: 'rules/aws/amazon_s3/s3_default_encryption_kms.guard',
  },
  VPCNoUnrestrictedRouteToIGW: {
    guardRule: 'NO_UNRESTRICTED_ROUTE_TO_IGW',
    file: 'rules/aws/amazon_ec2/no_unrestricted_route_to_igw.guard',
  },
  ELBv2ACMCertificateRequired: {
    guardRule: 'ELBV2_ACM_CERTIFICATE_REQUIRED',
    file: 'rules/aws/elastic_load_balancing_v2/elbv2_acm_certificate_required.guard',
  },
  IAMNoInlinePolicy: {
    guardRule: 'IAM_NO_INLINE_POLICY_CHECK',
    file: 'rules/aws/iam/iam_no_inline_policy_check.guard',
  },
  LambdaConcurrency: { guardRule: 'LAMBDA_CONCURRENCY_CHECK', file: 'rules/aws/lambda/lambda_concurrency_check.guard' },
  LambdaDLQ: { guardRule: 'LAMBDA_DLQ_CHECK', file: 'rules/aws/lambda/lambda_dlq_check.guard' },
  LambdaInsideVPC: { guardRule: 'LAMBDA_INSIDE_VPC', file: 'rules/aws/lambda/lambda_inside_vpc.guard' },
};

/**
 * cdk-nag rules of the register with no counterpart in the Guard HIPAA Security set (AwsSolutions rules are not
 * HIPAA rules; the set has no wildcard-resource, managed-policy, open-ingress or network-ACL-presence rule).
 */
export const UNMAPPED_NAG_RULES: readonly string[] = [
  'AwsSolutions-IAM4',
  'AwsSolutions-IAM5',
  'AwsSolutions-EC23',
  'AwsSolutions-VPC3',
  // The HIPAA set's mapping lists rules/aws/cloudwatch/cloudwatch_alarm_action_check.guard, but that registry file
  // holds no `rule` (only the AWS Config rule's name, cloudwatch-alarm-action-check): no Guard rule name to suppress.
  'HIPAA.Security-CloudWatchAlarmAction',
  'NIST.800.53.R5-CloudWatchAlarmAction',
  // The findings archive's EventBridge dead-letter queue (not itself given a DLQ): an AwsSolutions rule.
  'AwsSolutions-SQS3',
];

/** The Guard rule names that cover `ruleIds` (cdk-nag ids with pack prefix and optional [finding] suffix), sorted. */
export function guardRulesFor(ruleIds: readonly string[]): string[] {
  const names = new Set<string>();
  for (const id of ruleIds) {
    const rule = id.replace(/\[.*$/, '').replace(/^(HIPAA\.Security|NIST\.800\.53\.R5)-/, '');
    const mapping = GUARD_RULES_BY_NAG_RULE[rule];
    if (mapping && /^(HIPAA\.Security|NIST\.800\.53\.R5)-/.test(id)) names.add(mapping.guardRule);
  }
  return [...names].sort();
}
