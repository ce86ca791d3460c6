import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { ArnPrincipal, ManagedPolicy, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { breakGlassFilterPattern, SecurityMetricFilter } from '../lib/compliance/data/security-metric-filters';
import { tagSafeguards } from '../lib/compliance/evidence/safeguard-metadata';

/** Props of a BreakGlassRole. */
export interface BreakGlassRoleProps {
  /** Physical role name (operators assume it by name in an emergency). */
  readonly roleName: string;
  /** IAM role or user ARNs that may assume the role, with MFA. At least one. */
  readonly principalArns: readonly string[];
}

/** Longest time since MFA sign-in that still lets a principal assume the role (seconds). */
export const BREAK_GLASS_MFA_MAX_AGE_SECONDS = 3600;
/** Session length: one hour, the shortest maximum session duration IAM allows (A4). */
export const BREAK_GLASS_SESSION = Duration.hours(1);

const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

/**
 * What an emergency operator may do, and why (A3 least privilege, A5 emergency access).
 *
 * Break-glass is for investigating and containing an incident when the normal operator roles or
 * the identity provider are unavailable. It gets:
 * - read of configuration and security telemetry (describe/list/get, CloudTrail and log queries),
 *   to find out what happened; these APIs have no resource-level permissions, so resources are '*';
 * - a few containment actions (scale an ECS service to zero, stop a task, revoke a security group
 *   rule, stop a database) to stop an ongoing breach.
 * It does not get IAM writes, KMS key administration, deletion of anything, or PHI object reads:
 * emergency access to PHI goes through the application (which has its own MFA), never around it.
 * It is not the AWS-managed ReadOnlyAccess policy, which would include reading PHI objects
 * (s3:GetObject) and secrets' metadata at account scope.
 */
export const BREAK_GLASS_STATEMENTS: readonly PolicyStatement[] = [
  new PolicyStatement({
    sid: 'InvestigateReadOnly',
    actions: [
      'cloudtrail:LookupEvents',
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetTrailStatus',
      'cloudtrail:GetEventSelectors',
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:DescribeMetricFilters',
      'logs:FilterLogEvents',
      'logs:GetLogEvents',
      'logs:StartQuery',
      'logs:StopQuery',
      'logs:GetQueryResults',
      'cloudwatch:DescribeAlarms',
      'cloudwatch:DescribeAlarmHistory',
      'cloudwatch:GetMetricData',
      'cloudwatch:ListMetrics',
      'config:DescribeConfigRules',
      'config:DescribeComplianceByConfigRule',
      'config:GetComplianceDetailsByConfigRule',
      'config:GetResourceConfigHistory',
      'config:SelectResourceConfig',
      'guardduty:ListDetectors',
      'guardduty:ListFindings',
      'guardduty:GetFindings',
      'securityhub:GetFindings',
      'ecs:DescribeClusters',
      'ecs:DescribeServices',
      'ecs:DescribeTasks',
      'ecs:ListClusters',
      'ecs:ListServices',
      'ecs:ListTasks',
      'iam:GetRole',
      'iam:GetRolePolicy',
      'iam:GetPolicy',
      'iam:GetPolicyVersion',
      'iam:ListRoles',
      'iam:ListAttachedRolePolicies',
      'iam:ListRolePolicies',
      's3:GetBucketPolicy',
      's3:GetBucketLogging',
      's3:GetBucketVersioning',
      's3:GetBucketPublicAccessBlock',
      's3:ListAllMyBuckets',
      'kms:DescribeKey',
      'kms:ListKeys',
      'kms:ListAliases',
      // These services have hundreds of read-only Describe calls, none resource-scoped.
      'ec2:Describe*',
      'rds:Describe*',
      'elasticloadbalancing:Describe*',
    ],
    resources: ['*'],
  }),
  new PolicyStatement({
    sid: 'ContainIncident',
    actions: [
      'ecs:UpdateService',
      'ecs:StopTask',
      'ec2:RevokeSecurityGroupIngress',
      'ec2:RevokeSecurityGroupEgress',
      'rds:StopDBInstance',
      'rds:StopDBCluster',
    ],
    resources: ['*'],
  }),
];

/** The AwsSolutions-IAM5 findings the break-glass policy raises, for the acknowledgement register. */
export function breakGlassWildcardFindings(): string[] {
  const findings = new Set<string>();
  for (const statement of BREAK_GLASS_STATEMENTS) {
    const json = statement.toStatementJson() as { Action?: string | string[]; Resource?: string | string[] };
    for (const a of ([] as string[]).concat(json.Action ?? []))
      if (a.includes('*')) findings.add(`AwsSolutions-IAM5[Action::${a}]`);
    for (const r of ([] as string[]).concat(json.Resource ?? []))
      if (r === '*') findings.add('AwsSolutions-IAM5[Resource::*]');
  }
  return [...findings].sort();
}

/**
 * The emergency access role (safeguard A5, HIPAA 164.312(a)(2)(ii)): assumable only by the named
 * principals with MFA used within the last hour, one-hour sessions, a customer-managed policy only.
 * Its every assumption raises an alarm: `usageFilter` is the metric filter to give SecurityAlarms.
 */
export class BreakGlassRole extends Construct {
  public readonly role: Role;
  public readonly policy: ManagedPolicy;
  /** Metric filter on the CloudTrail log group matching AssumeRole of this role. */
  public readonly usageFilter: SecurityMetricFilter;

  constructor(scope: Construct, id: string, props: BreakGlassRoleProps) {
    super(scope, id);
    tagSafeguards(this, ['A2', 'A5', 'D1']);
    if (props.principalArns.length === 0) {
      throw new Error(`BreakGlassRole ${this.node.path}: principalArns = []: must name at least one principal`);
    }
    for (const [i, arn] of props.principalArns.entries()) {
      if (!PRINCIPAL_ARN.test(arn)) {
        throw new Error(
          `BreakGlassRole ${this.node.path}: principalArns[${i}] = '${arn}': not an IAM role or user ARN`,
        );
      }
    }
    if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) {
      throw new Error(`BreakGlassRole ${this.node.path}: roleName = '${props.roleName}': not a valid IAM role name`);
    }
    const mfa = {
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      NumericLessThanEquals: { 'aws:MultiFactorAuthAge': String(BREAK_GLASS_MFA_MAX_AGE_SECONDS) },
    };
    const [first, ...rest] = props.principalArns;

    this.policy = new ManagedPolicy(this, 'Policy', {
      description: 'Break-glass: investigate and contain an incident; no IAM writes, no deletes, no PHI reads',
      statements: [...BREAK_GLASS_STATEMENTS],
    });
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Emergency access (A5): MFA only, one-hour sessions, every use alarms',
      managedPolicies: [this.policy],
      // Safeguards last.
      assumedBy: new ArnPrincipal(first).withConditions(mfa),
      maxSessionDuration: BREAK_GLASS_SESSION,
    });
    for (const arn of rest) {
      this.role.assumeRolePolicy?.addStatements(
        new PolicyStatement({ actions: ['sts:AssumeRole'], principals: [new ArnPrincipal(arn)], conditions: mfa }),
      );
    }

    const stack = Stack.of(this);
    const roleArn = `arn:${Aws.PARTITION}:iam::${stack.account}:role/${props.roleName}`;
    this.usageFilter = {
      id: 'BreakGlassRoleAssumed',
      metricName: 'BreakGlassRoleAssumed',
      description: `The break-glass role ${props.roleName} was assumed (or an attempt was denied).`,
      filterPattern: breakGlassFilterPattern(roleArn),
      safeguard: 'A5',
      hipaaSections: ['164.312(a)(2)(ii)', '164.308(a)(1)(ii)(D)', '164.312(b)'],
    };
  }
}
