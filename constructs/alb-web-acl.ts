import { ArnFormat, CfnResource, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { markPhiLogGroup, RetentionPolicy, stackCreateId } from './core';
import { EncryptedLogGroup } from './encrypted-log-group';
import { phiDataProtectionPolicy } from './phi-log-group';

/** Props of an AlbWebAcl. */
export interface AlbWebAclProps {
  /**
   * Name of the web ACL (letters, digits, dashes); the log group is `aws-waf-logs-<name>-<stack create id>`
   * (see stackCreateId: the retained log group of a failed first create does not block the retry).
   */
  readonly name: string;
  /** ARN of the application load balancer the web ACL protects. */
  readonly loadBalancerArn: string;
  /** Customer-managed key of the WAF log group (operations domain, E2). */
  readonly logsKey: IKey;
  /** The blueprint's retention policy (U3). */
  readonly retention: RetentionPolicy;
  /**
   * Requests one client IP may send in any 5-minute window before it is blocked (rate-based rule): 10 to
   * MAX_RATE_LIMIT_PER_5_MINUTES (the gate refuses a higher one).
   * @default 2000
   */
  readonly rateLimitPer5Minutes?: number;
}

/**
 * The AWS managed rule groups every web ACL evaluates, in priority order (kept as data). They run in
 * their default (blocking) mode, without rule action overrides or excluded rules (the gate, LoadBalancerWebAcl,
 * refuses an override to Count or Allow: counting a noisy rule is a reviewed change of the gate, not of this list).
 */
export const MANAGED_RULE_GROUPS: readonly string[] = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

/**
 * Request fields WAF never writes to its logs (U4: no PHI in logs): credentials (authorization
 * header, session cookies) and the query string, which may carry identifiers.
 */
export const WAF_REDACTED_FIELDS: readonly CfnLoggingConfiguration.FieldToMatchProperty[] = [
  { singleHeader: { Name: 'authorization' } },
  { singleHeader: { Name: 'cookie' } },
  { queryString: {} },
];

/**
 * The most requests per client IP and 5 minutes the rate-based rule lets through before it blocks (the shipped default;
 * LoadBalancerWebAcl refuses a web ACL whose rate rule allows more). Guessing passwords against the sign-in, or
 * scraping records, faster than this is blocked.
 */
export const MAX_RATE_LIMIT_PER_5_MINUTES = 2000;

const NAME = /^[a-zA-Z0-9-]{1,100}$/;

/**
 * A REGIONAL AWS WAFv2 web ACL in front of an application load balancer (safeguards E3, N2, U3, U4):
 * AWS managed rule groups (IP reputation, common exploits, known bad inputs, SQL injection), a
 * per-IP rate-based rule, default allow, associated with the load balancer, and full logging to a
 * KMS-encrypted six-year log group named `aws-waf-logs-<name>-<stack create id>` with credentials and query
 * strings redacted.
 *
 * Logging to CloudWatch Logs is a vended log delivery (delivery.logs.amazonaws.com). The log group
 * gets the resource policy that delivery needs, created here explicitly so deploy does not depend
 * on the deploying role's logs:PutResourcePolicy being used implicitly by WAF. CloudWatch Logs
 * encrypts the delivered events with the log group's KMS key (the key policy lets the logs service
 * use it for this account's log groups).
 */
export class AlbWebAcl extends Construct {
  public readonly webAcl: CfnWebACL;
  public readonly logGroup: EncryptedLogGroup;
  /** Where the log group's data protection policy reports the identifiers it masked (never the values). */
  public readonly logFindingsGroup: EncryptedLogGroup;
  public readonly loggingConfiguration: CfnLoggingConfiguration;

  constructor(scope: Construct, id: string, props: AlbWebAclProps) {
    super(scope, id);
    if (!NAME.test(props.name)) {
      throw new Error(`AlbWebAcl ${this.node.path}: name = '${props.name}': must be 1-100 letters, digits or dashes`);
    }
    const limit = props.rateLimitPer5Minutes ?? MAX_RATE_LIMIT_PER_5_MINUTES;
    if (!Number.isInteger(limit) || limit < 10 || limit > MAX_RATE_LIMIT_PER_5_MINUTES) {
      throw new Error(
        `AlbWebAcl ${this.node.path}: rateLimitPer5Minutes = ${limit}: must be an integer from 10 to ${MAX_RATE_LIMIT_PER_5_MINUTES}`,
      );
    }
    const metric = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: name,
      sampledRequestsEnabled: true,
    });

    const rules: CfnWebACL.RuleProperty[] = MANAGED_RULE_GROUPS.map((group, i) => ({
      name: group,
      priority: (i + 1) * 10,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
      visibilityConfig: metric(group),
    }));
    rules.push({
      name: 'RateLimitPerIp',
      priority: (MANAGED_RULE_GROUPS.length + 1) * 10,
      action: { block: {} },
      statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
      visibilityConfig: metric('RateLimitPerIp'),
    });

    this.webAcl = new CfnWebACL(this, 'Resource', {
      name: props.name,
      description: 'Protects the PHI application load balancer: AWS managed rules, per-IP rate limit',
      // Safeguards last.
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: metric(props.name),
    });

    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.loadBalancerArn,
      webAclArn: this.webAcl.attrArn,
    });

    const stack = Stack.of(this);
    // WAF logs only to a log group named aws-waf-logs-*, so it must be named; it is retained, so the name
    // carries the stack's creation id: a retried first create does not collide with the group a failed one left.
    const logGroupName = `aws-waf-logs-${props.name}-${stackCreateId()}`;
    // WAF wants the log group ARN without the trailing ':*' that LogGroup.logGroupArn carries.
    const destination = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // U4: request logs can carry identifiers in headers, paths and bodies WAF inspected, so the log group masks
    // them like the application's (redactedFields above already drop authorization, cookie and the query string).
    this.logFindingsGroup = new EncryptedLogGroup(this, 'LogFindings', {
      encryptionKey: props.logsKey,
      retention: props.retention,
    });
    this.logGroup = new EncryptedLogGroup(this, 'Logs', {
      logGroupName,
      encryptionKey: props.logsKey,
      retention: props.retention,
      dataProtectionPolicy: phiDataProtectionPolicy(this.logFindingsGroup.logGroup),
    });
    markPhiLogGroup(this.logGroup.logGroup.node.defaultChild as CfnResource);
    // Vended log delivery writes the streams; scoped to this account's deliveries.
    this.logGroup.logGroup.addToResourcePolicy(
      new PolicyStatement({
        sid: 'WafLogDelivery',
        principals: [new ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${destination}:log-stream:*`],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:*` },
        },
      }),
    );

    this.loggingConfiguration = new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [destination],
      redactedFields: [...WAF_REDACTED_FIELDS],
    });
    this.loggingConfiguration.node.addDependency(this.logGroup);
  }
}
