/**
 * CloudWatch Logs metric filters over the CloudTrail log group, one alarm each (safeguard D1). Pure
 * data: a construct creates the MetricFilter and Alarm for each entry.
 *
 * Filter patterns are the CIS AWS Foundations Benchmark patterns exactly as the AWS Security Hub
 * CloudWatch.1-14 controls check them (awsdocs/aws-security-hub-user-guide, doc_source/cloudwatch-controls.md).
 * Security Hub fails those controls unless the pattern is the CIS one, with no terms added, so do not
 * edit them. CIS numbers are v1.4.0 section 4, except CloudWatch.2 and CloudWatch.3, which Security Hub
 * ties to v1.2.0 (3.1, 3.2). v1.4.0 4.1 also excludes delivery.logs.amazonaws.com and HeadBucket
 * noise; Security Hub checks the v1.2.0 pattern below.
 *
 * HIPAA sections are this blueprint's mapping (every filter serves 164.312(b) audit controls).
 * CloudWatch Logs accepts filter patterns of at most 1024 characters.
 */

/** One metric filter on the CloudTrail log group, with the metadata its alarm needs. */
export interface SecurityMetricFilter {
  /** PascalCase construct id */
  readonly id: string;
  /** Metric name in the blueprint's security metric namespace. */
  readonly metricName: string;
  /** What the alarm means, for its description. */
  readonly description: string;
  /** CloudWatch Logs filter pattern for CloudTrail JSON events */
  readonly filterPattern: string;
  /** e.g. 'D1' */
  readonly safeguard: string;
  /** HIPAA Security Rule sections, e.g. '164.312(b)'. */
  readonly hipaaSections: readonly string[];
  /** CIS AWS Foundations Benchmark recommendation, e.g. 'v1.4.0 4.3'. */
  readonly cisControl?: string;
}

/** CloudWatch Logs limit on a metric filter pattern (PutMetricFilter filterPattern). */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

const SAFEGUARD = 'D1';

export const SECURITY_METRIC_FILTERS: readonly SecurityMetricFilter[] = [
  {
    id: 'RootAccountUsage',
    metricName: 'RootAccountUsage',
    description: 'The root user made an API call or signed in (Security Hub CloudWatch.1).',
    filterPattern:
      '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.308(a)(1)(ii)(D)', '164.308(a)(3)(ii)(A)', '164.312(b)'],
    cisControl: 'v1.4.0 4.3',
  },
  {
    id: 'UnauthorizedApiCalls',
    metricName: 'UnauthorizedApiCalls',
    description: 'An API call was denied: UnauthorizedOperation or AccessDenied (Security Hub CloudWatch.2).',
    filterPattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)', '164.312(b)'],
    cisControl: 'v1.2.0 3.1',
  },
  {
    id: 'ConsoleSignInWithoutMfa',
    metricName: 'ConsoleSignInWithoutMfa',
    description: 'An IAM user signed in to the console without MFA (Security Hub CloudWatch.3).',
    filterPattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.308(a)(5)(ii)(C)', '164.312(d)', '164.312(b)'],
    cisControl: 'v1.2.0 3.2',
  },
  {
    id: 'IamPolicyChanges',
    metricName: 'IamPolicyChanges',
    description:
      'An IAM policy was created, changed, attached or detached (Security Hub CloudWatch.4). Also fires on Auto Scaling DeletePolicy.',
    filterPattern:
      '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(b)'],
    cisControl: 'v1.4.0 4.4',
  },
  {
    id: 'CloudTrailConfigChanges',
    metricName: 'CloudTrailConfigChanges',
    description:
      'A trail was created, updated or deleted, or logging was started or stopped (Security Hub CloudWatch.5).',
    filterPattern:
      '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.308(a)(1)(ii)(D)', '164.312(b)', '164.312(c)(1)'],
    cisControl: 'v1.4.0 4.5',
  },
  {
    id: 'ConsoleAuthenticationFailures',
    metricName: 'ConsoleAuthenticationFailures',
    description: 'A console sign-in failed authentication (Security Hub CloudWatch.6).',
    filterPattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.308(a)(5)(ii)(C)', '164.308(a)(6)(ii)', '164.312(b)'],
    cisControl: 'v1.4.0 4.6',
  },
  {
    id: 'KmsKeyDisabledOrScheduledForDeletion',
    metricName: 'KmsKeyDisabledOrScheduledForDeletion',
    description: 'A KMS key was disabled or scheduled for deletion (Security Hub CloudWatch.7).',
    filterPattern:
      '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.308(a)(7)(ii)(A)', '164.312(a)(2)(iv)', '164.312(b)'],
    cisControl: 'v1.4.0 4.7',
  },
  {
    id: 'S3BucketPolicyChanges',
    metricName: 'S3BucketPolicyChanges',
    description:
      'An S3 bucket ACL, policy, CORS, lifecycle or replication configuration was changed (Security Hub CloudWatch.8).',
    filterPattern:
      '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(b)'],
    cisControl: 'v1.4.0 4.8',
  },
  {
    id: 'AwsConfigChanges',
    metricName: 'AwsConfigChanges',
    description:
      'The AWS Config recorder or delivery channel was stopped, changed or deleted (Security Hub CloudWatch.9).',
    filterPattern:
      '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.308(a)(1)(ii)(D)', '164.312(b)'],
    cisControl: 'v1.4.0 4.9',
  },
  {
    id: 'SecurityGroupChanges',
    metricName: 'SecurityGroupChanges',
    description: 'A security group or one of its rules was created, changed or deleted (Security Hub CloudWatch.10).',
    filterPattern:
      '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.312(e)(1)', '164.312(b)'],
    cisControl: 'v1.4.0 4.10',
  },
  {
    id: 'NetworkAclChanges',
    metricName: 'NetworkAclChanges',
    description:
      'A network ACL, an entry or an association was created, changed or deleted (Security Hub CloudWatch.11).',
    filterPattern:
      '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.312(e)(1)', '164.312(b)'],
    cisControl: 'v1.4.0 4.11',
  },
  {
    id: 'NetworkGatewayChanges',
    metricName: 'NetworkGatewayChanges',
    description:
      'An internet or customer gateway was created, attached, detached or deleted (Security Hub CloudWatch.12).',
    filterPattern:
      '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.312(e)(1)', '164.312(b)'],
    cisControl: 'v1.4.0 4.12',
  },
  {
    id: 'RouteTableChanges',
    metricName: 'RouteTableChanges',
    description: 'A route table, route or association was created, changed or deleted (Security Hub CloudWatch.13).',
    filterPattern:
      '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.312(e)(1)', '164.312(b)'],
    cisControl: 'v1.4.0 4.13',
  },
  {
    id: 'VpcChanges',
    metricName: 'VpcChanges',
    description:
      'A VPC, VPC attribute or peering connection was created, changed or deleted (Security Hub CloudWatch.14).',
    filterPattern:
      '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
    safeguard: SAFEGUARD,
    hipaaSections: ['164.312(e)(1)', '164.312(b)'],
    cisControl: 'v1.4.0 4.14',
  },
];
