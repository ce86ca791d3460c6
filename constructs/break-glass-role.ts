import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { ArnPrincipal, Effect, ManagedPolicy, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MAX_FILTER_PATTERN_LENGTH, SecurityMetricFilter } from './security-metric-filters';
import { tagSafeguards } from './core';

/** The resources of one environment that break-glass may act on to contain an incident. */
export interface BreakGlassContainment {
  /** Name of this environment's ECS cluster: the only one whose services and tasks break-glass may stop. */
  readonly ecsClusterName: string;
  /**
   * Tags that every resource of this environment carries (the stage tags Application and Environment):
   * break-glass may revoke security group rules and stop database instances/clusters only where
   * every one of these tags matches (aws:ResourceTag). At least one.
   */
  readonly environmentTags: Readonly<Record<string, string>>;
}

/** Props of a BreakGlassRole. */
export interface BreakGlassRoleProps {
  /** Physical role name (operators assume it by name in an emergency). */
  readonly roleName: string;
  /**
   * IAM USER ARNs (any account, typically a separate security/identity account) that may assume the
   * role, with MFA used within the last hour. At least one. Not roles: see the class comment.
   */
  readonly principalArns: readonly string[];
  /**
   * What break-glass may contain, scoped to this environment (see BreakGlassContainment).
   * @default - no containment actions: the role can investigate only
   */
  readonly containment?: BreakGlassContainment;
}

/** A literal IAM role ARN (any partition, optional path). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** An unresolved CDK token, e.g. `${Token[TOKEN.21]}` or `${Token[AWS.AccountId.6]}`; it resolves in the template. */
const CDK_TOKEN = /\$\{Token\[[^\]]+\]\}/;

/**
 * Filter pattern for the break-glass role being assumed: STS AssumeRole events (successful or
 * denied) whose requestParameters.roleArn is the given ARN. Takes a literal role ARN, or one that
 * contains CDK tokens (`role.roleArn`, `stack.formatArn(...)`), which resolve at synthesis.
 *
 * This matches the AssumeRole API call as CloudTrail records it in the role's account. Check in the
 * trail that the way break-glass is used (CLI, SDK, console role switching) produces that event.
 */
export function breakGlassFilterPattern(roleArn: string): string {
  const valid = CDK_TOKEN.test(roleArn) ? !/["\\\s]/.test(roleArn) : ROLE_ARN.test(roleArn);
  if (!valid) {
    throw new Error(
      `breakGlassFilterPattern: '${roleArn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  }
  const pattern = `{ ($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "${roleArn}") }`;
  if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
    throw new Error(
      `breakGlassFilterPattern: pattern is ${pattern.length} characters, over ${MAX_FILTER_PATTERN_LENGTH}`,
    );
  }
  return pattern;
}

/** Longest time since MFA sign-in that still lets a principal assume the role (seconds). */
export const BREAK_GLASS_MFA_MAX_AGE_SECONDS = 3600;
/** Session length: one hour, the shortest maximum session duration IAM allows (A4). */
export const BREAK_GLASS_SESSION = Duration.hours(1);

/** An IAM user ARN in any account (optional path). Roles are refused: see BreakGlassRole. */
export const BREAK_GLASS_USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:user\/[\w+=,.@/-]{1,512}$/;

/** Partition, region and account of the ARNs the policy names (pseudo-parameters at deploy time). */
interface ArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}
const DEPLOY_ARN_PARTS: ArnParts = { partition: Aws.PARTITION, region: Aws.REGION, account: Aws.ACCOUNT_ID };
/** The same ARNs as cdk-nag reports them (flattened pseudo-parameters), for the register. */
const NAG_ARN_PARTS: ArnParts = { partition: '<AWS::Partition>', region: '<AWS::Region>', account: '<AWS::AccountId>' };

/** Log read actions that return log events (contents), as opposed to log metadata. */
export const BREAK_GLASS_LOG_CONTENT_READS = ['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:StartQuery'] as const;

/**
 * Log groups whose events break-glass may never read: RDS exports (`/aws/rds/...`) can hold PHI from
 * statements and errors. An explicit Deny, so no other grant can reopen them.
 */
export const BREAK_GLASS_DENIED_LOG_GROUP_PREFIXES = ['/aws/rds/'] as const;

/**
 * What an emergency operator may do, and why (A3 least privilege, A5 emergency access).
 *
 * Break-glass is for investigating and containing an incident when the normal operator roles or
 * the identity provider are unavailable. It gets:
 * - `InvestigateReadOnly`: describe/list/get of configuration and security telemetry. These actions
 *   support no resource-level permissions (IAM requires Resource '*' for them), so they keep '*';
 *   none returns PHI or secret values;
 * - `ReadOperationalLogs`: log event reads (FilterLogEvents, GetLogEvents, StartQuery) on the log
 *   groups of this account and region only, and `DenyPhiLogReads`: never on RDS log exports
 *   (`/aws/rds/*`, which may hold PHI), and never logs:Unmask (container, ECS Exec and Session Manager
 *   log groups mask PHI identifiers with a data protection policy; without Unmask reads stay masked);
 * - `Contain*`: containment scoped to this environment: revoke rules of security groups and stop
 *   database instances/clusters tagged with `environmentTags` in this account and region, update
 *   services and stop tasks of the ECS cluster `ecsClusterName` only.
 * It does not get IAM writes, KMS key administration, deletion of anything, or PHI object reads:
 * emergency access to PHI goes through the application (which has its own MFA), never around it.
 * It is not the AWS-managed ReadOnlyAccess policy, which would include reading PHI objects
 * (s3:GetObject) and secrets' metadata at account scope.
 */
export function breakGlassStatements(
  containment?: BreakGlassContainment,
  parts: ArnParts = DEPLOY_ARN_PARTS,
): PolicyStatement[] {
  const arn = (service: string, resource: string): string =>
    `arn:${parts.partition}:${service}:${parts.region}:${parts.account}:${resource}`;
  const investigate = [
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
      sid: 'ReadOperationalLogs',
      actions: [...BREAK_GLASS_LOG_CONTENT_READS],
      // Log groups (and their streams) of this account and region only.
      resources: [arn('logs', 'log-group:*')],
    }),
    new PolicyStatement({
      sid: 'DenyPhiLogReads',
      effect: Effect.DENY,
      actions: [...BREAK_GLASS_LOG_CONTENT_READS, 'logs:GetLogRecord', 'logs:StartLiveTail', 'logs:Unmask'],
      resources: BREAK_GLASS_DENIED_LOG_GROUP_PREFIXES.map((p) => arn('logs', `log-group:${p}*`)),
    }),
    new PolicyStatement({
      sid: 'DenyUnmask',
      effect: Effect.DENY,
      actions: ['logs:Unmask'],
      resources: ['*'],
    }),
  ];
  if (containment === undefined) return investigate;
  const { ecsClusterName, environmentTags } = containment;
  const tagged = {
    StringEquals: Object.fromEntries(
      Object.entries(environmentTags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]),
    ),
  };
  return [
    ...investigate,
    new PolicyStatement({
      sid: 'ContainNetwork',
      actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
      resources: [arn('ec2', 'security-group/*')],
      conditions: tagged,
    }),
    new PolicyStatement({
      sid: 'ContainDatabase',
      actions: ['rds:StopDBInstance', 'rds:StopDBCluster'],
      resources: [arn('rds', 'db:*'), arn('rds', 'cluster:*')],
      conditions: tagged,
    }),
    new PolicyStatement({
      sid: 'ContainWorkload',
      actions: ['ecs:UpdateService', 'ecs:StopTask'],
      resources: [arn('ecs', `service/${ecsClusterName}/*`), arn('ecs', `task/${ecsClusterName}/*`)],
    }),
  ];
}

function validateContainment(where: string, containment: BreakGlassContainment): void {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(containment.ecsClusterName)) {
    throw new Error(
      `${where}: containment.ecsClusterName = '${containment.ecsClusterName}': not a valid ECS cluster name`,
    );
  }
  const tags = Object.entries(containment.environmentTags);
  if (tags.length === 0) {
    throw new Error(`${where}: containment.environmentTags = {}: must name at least one tag to scope containment`);
  }
  for (const [key, value] of tags) {
    if (!/^[\w.:/=+@ -]{1,128}$/.test(key) || !/^[\w.:/=+@ -]{1,256}$/.test(value)) {
      throw new Error(
        `${where}: containment.environmentTags.${key} = '${value}': tag key and value must be literal (no wildcards or tokens)`,
      );
    }
  }
}

/**
 * The AwsSolutions-IAM5 findings the break-glass policy raises for the given ECS cluster names (one
 * per environment), exactly as cdk-nag reports them, for the acknowledgement register.
 */
export function breakGlassWildcardFindings(ecsClusterNames: readonly string[]): string[] {
  const findings = new Set<string>();
  for (const cluster of ecsClusterNames) {
    const containment = { ecsClusterName: cluster, environmentTags: { Application: 'any' } };
    for (const statement of breakGlassStatements(containment, NAG_ARN_PARTS)) {
      const json = statement.toStatementJson() as {
        Effect?: string;
        Action?: string | string[];
        Resource?: string | string[];
      };
      if (json.Effect !== 'Allow') continue; // cdk-nag does not report Deny statements
      for (const a of ([] as string[]).concat(json.Action ?? []))
        if (a.includes('*')) findings.add(`AwsSolutions-IAM5[Action::${a}]`);
      for (const r of ([] as string[]).concat(json.Resource ?? []))
        if (r.includes('*')) findings.add(`AwsSolutions-IAM5[Resource::${r}]`);
    }
  }
  return [...findings].sort();
}

/** One trust statement of the break-glass role: an account as principal, narrowed to its named users. */
export interface BreakGlassTrust {
  /** `arn:<partition>:iam::<account>:root`: IAM checks only that the account exists when it saves the policy. */
  readonly accountRoot: string;
  /** `ArnEquals` `aws:PrincipalArn` the account's user ARNs, exactly as configured. */
  readonly conditions: { readonly ArnEquals: { readonly 'aws:PrincipalArn': string[] } };
}

/**
 * The trust statements of the break-glass role, one per account of `principalArns` (IAM user ARNs, in the
 * order first seen). Naming the users themselves in Principal would make IAM refuse the whole role
 * ("Invalid principal in policy") while one of them does not exist yet, and the audit stack would fail
 * to deploy; naming their account does not (IAM validates that the account exists, not its users). The
 * `aws:PrincipalArn` condition then admits only the named users of that account: not its root user, its
 * roles or its other users. The caller adds the MFA conditions.
 */
export function breakGlassTrust(principalArns: readonly string[]): BreakGlassTrust[] {
  const byAccount = new Map<string, string[]>();
  for (const arn of principalArns) {
    const [, partition, , , account] = arn.split(':');
    const root = `arn:${partition}:iam::${account}:root`;
    byAccount.set(root, [...(byAccount.get(root) ?? []), arn]);
  }
  return [...byAccount].map(([accountRoot, users]) => ({
    accountRoot,
    conditions: { ArnEquals: { 'aws:PrincipalArn': users } },
  }));
}

/**
 * The emergency access role (safeguard A5, HIPAA 164.312(a)(2)(ii)): assumable only by the named IAM
 * users with MFA used within the last hour, one-hour sessions, a customer-managed policy only.
 * Its every assumption raises an alarm: `usageFilter` is the metric filter to give SecurityAlarms.
 *
 * Why IAM users, not roles: the trust policy requires aws:MultiFactorAuthPresent and a maximum
 * aws:MultiFactorAuthAge. Role sessions obtained through SAML or OIDC federation (IAM Identity
 * Center, an external IdP) carry no MFA context keys, whatever MFA the IdP enforced, so a federated
 * role could never assume this role; and break-glass exists for when that identity provider is
 * unavailable. The principals are therefore IAM users kept for emergencies, with a hardware MFA
 * device, normally in a separate security/identity account: that account creates them, enforces
 * MFA, grants them sts:AssumeRole on this role, keeps their credentials sealed, and alerts on their
 * sign-in. The blueprint creates no IAM users itself (A1).
 *
 * The trust policy names each user's account and admits only the named user ARNs (`aws:PrincipalArn`, see
 * breakGlassTrust): the role deploys before the users exist, and a user deleted and created again under
 * the same name keeps its access (the security account controls who holds that name).
 */
export class BreakGlassRole extends Construct {
  public readonly role: Role;
  public readonly policy: ManagedPolicy;
  /** Metric filter on the CloudTrail log group matching AssumeRole of this role. */
  public readonly usageFilter: SecurityMetricFilter;

  constructor(scope: Construct, id: string, props: BreakGlassRoleProps) {
    super(scope, id);
    tagSafeguards(this, ['A2', 'A5', 'D1']);
    const where = `BreakGlassRole ${this.node.path}`;
    if (props.principalArns.length === 0) {
      throw new Error(`${where}: principalArns = []: must name at least one IAM user`);
    }
    for (const [i, arn] of props.principalArns.entries()) {
      if (!BREAK_GLASS_USER_ARN.test(arn)) {
        throw new Error(
          `${where}: principalArns[${i}] = '${arn}': not an IAM user ARN (arn:aws:iam::<account>:user/<name>); ` +
            'federated role sessions carry no MFA context and could not assume the role',
        );
      }
    }
    if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) {
      throw new Error(`${where}: roleName = '${props.roleName}': not a valid IAM role name`);
    }
    if (props.containment) validateContainment(where, props.containment);
    const mfa = {
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      NumericLessThanEquals: { 'aws:MultiFactorAuthAge': String(BREAK_GLASS_MFA_MAX_AGE_SECONDS) },
    };
    const [first, ...rest] = breakGlassTrust(props.principalArns);

    this.policy = new ManagedPolicy(this, 'Policy', {
      description: 'Break-glass: investigate and contain an incident; no IAM writes, no deletes, no PHI reads',
      statements: breakGlassStatements(props.containment),
    });
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Emergency access (A5): MFA-only IAM users, one-hour sessions, every use alarms',
      managedPolicies: [this.policy],
      // Safeguards last.
      assumedBy: new ArnPrincipal(first.accountRoot).withConditions({ ...first.conditions, ...mfa }),
      maxSessionDuration: BREAK_GLASS_SESSION,
    });
    for (const trust of rest) {
      this.role.assumeRolePolicy?.addStatements(
        new PolicyStatement({
          actions: ['sts:AssumeRole'],
          principals: [new ArnPrincipal(trust.accountRoot)],
          conditions: { ...trust.conditions, ...mfa },
        }),
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
