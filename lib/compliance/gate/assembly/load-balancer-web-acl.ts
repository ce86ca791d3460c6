import { MANAGED_RULE_GROUPS, MAX_RATE_LIMIT_PER_5_MINUTES } from '../../../../constructs/alb-web-acl';
import {
  assemblyResources,
  AssemblyStack,
  cfnAbsent,
  cfnAlternatives,
  cfnListAlways,
  cfnListForms,
  cfnNumber,
  isIntrinsic,
  isObject,
  Json,
  resolveValue,
  StackResource,
} from '../core/template-json';
import { duplicateKeyOf } from '../core/json-text';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { keyOf } from './network-facts';

const NAME = 'LoadBalancerWebAcl';

/** Whether a load balancer may face the internet and take a web ACL: Scheme not internal, Type application. */
function internetFacingApplication(lb: StackResource): boolean {
  const p = lb.resource.Properties ?? {};
  const internal = cfnAlternatives(p.Scheme).every((s) => s === 'internal');
  const other = cfnAlternatives(p.Type).every((t) => t === 'network' || t === 'gateway');
  return !internal && !other;
}

/**
 * Whether a rule action override keeps the rule blocking (ActionToUse Block). Challenge and Captcha let a request with
 * a solved token on to the next rule, like Count (the second attacker review of 2026-12-03: SQL
 * injection past a solved challenge for the token's immunity time).
 */
const keepsBlocking = (override: unknown): boolean =>
  isObject(override) && !isIntrinsic(override) && isAction(override.ActionToUse, 'Block');

/** Whether an action object is exactly `{ <kind>: {} }` (WAF's action and override action shapes). */
const isAction = (value: unknown, kind: string): boolean =>
  isObject(value) && !isIntrinsic(value) && Object.keys(value).length === 1 && isObject(value[kind]);

/**
 * Why a rate-based rule may not block a client IP sending more than MAX_RATE_LIMIT_PER_5_MINUTES requests in 5 minutes
 * (empty when it does): its Action is Block (Count lets every request through); AggregateKeyType IP (FORWARDED_IP or
 * custom keys count by a header the client writes, so each request can name a new client); no ScopeDownStatement
 * (which can make it count nothing); a literal Limit of at most the maximum, over an EvaluationWindowSec of 300 or
 * 600 seconds (absent: 300; 60 or 120 seconds with the same limit allow 5 or 2.5 times the rate).
 */
export function rateRuleShortfalls(rule: Json): string[] {
  const statement = (rule.Statement as Json).RateBasedStatement as Json;
  const problems: string[] = [];
  if (!isAction(rule.Action, 'Block')) problems.push('not-blocking');
  if (statement.AggregateKeyType !== 'IP') problems.push('not-per-ip');
  if (statement.ScopeDownStatement !== undefined) problems.push('scoped-down');
  // CloudFormation takes a number written as a string too.
  // The limit per 5 minutes it comes to: 100 over 60 s is 500 per 5 minutes, stricter than 2000 over 300 s.
  const limit = cfnNumber(statement.Limit);
  const window = statement.EvaluationWindowSec === undefined ? 300 : cfnNumber(statement.EvaluationWindowSec);
  if (limit === undefined || window === undefined || ![60, 120, 300, 600].includes(window)) {
    problems.push('limit-too-high');
  } else if ((limit * 300) / window > MAX_RATE_LIMIT_PER_5_MINUTES) {
    problems.push(window < 300 ? 'window-too-short' : 'limit-too-high');
  }
  return problems;
}

/**
 * Why the web ACL's rules may not block what the blueprint's do (empty when they do): each AWS managed rule group of
 * MANAGED_RULE_GROUPS is a rule of its own whose OverrideAction is None (Count lets every request through), without a
 * scope-down statement (which can make it match nothing) or a rule override to Allow; a rate-based rule blocks each
 * client IP at the blueprint's limit (rateRuleShortfalls); and no rule allows (Allow ends the evaluation: a rule before
 * the groups would let requests past them). The rules' list only deploy resolves is a
 * finding.
 */
export function webAclShortfalls(acl: Json): string[] {
  const lists = cfnListForms(acl.Rules);
  if (lists === undefined) return ['Rules-unresolved'];
  const problems = new Set<string>();
  for (const rules of lists) {
    for (const group of MANAGED_RULE_GROUPS) {
      // Every copy of the group is judged: WAF evaluates rules by Priority, not list order, so a weakened copy placed
      // first decides (the attacker review of the next sitting: a second copy with an Allow override passed).
      const copies = rules.filter((r) => {
        const statement = isObject(r) && isObject(r.Statement) ? r.Statement.ManagedRuleGroupStatement : undefined;
        return isObject(statement) && statement.VendorName === 'AWS' && statement.Name === group;
      }) as Json[];
      if (copies.length === 0) problems.add(`${group}-absent`);
      for (const rule of copies) {
        const statement = (rule.Statement as Json).ManagedRuleGroupStatement as Json;
        if (!isAction(rule.OverrideAction, 'None')) problems.add(`${group}-not-blocking`);
        if (statement.ScopeDownStatement !== undefined) problems.add(`${group}-scoped-down`);
        // A pinned version stops getting AWS's signature updates.
        if (!cfnAbsent(statement.Version)) problems.add(`${group}-version-pinned`);
      }
    }
    // Every managed rule group, required or not: its rules keep the actions AWS gives them. An override to Allow ends
    // the web ACL's evaluation (a group of any vendor placed first lets requests past the required ones); one to Count
    // (or an ExcludedRules entry, the older form of it) turns a blocking rule off.
    for (const rule of rules) {
      const statement =
        isObject(rule) && isObject(rule.Statement) ? rule.Statement.ManagedRuleGroupStatement : undefined;
      if (!isObject(statement)) continue;
      const name = typeof statement.Name === 'string' ? statement.Name : 'ManagedRuleGroup';
      // Another vendor's group (AWS Marketplace): its rules, which may Allow, are not judged here.
      if (statement.VendorName !== 'AWS') problems.add(`${name}-vendor-unjudged`);
      const overrides = cfnListForms(statement.RuleActionOverrides);
      if (overrides === undefined || overrides.some((l) => l.some((o) => !keepsBlocking(o)))) {
        problems.add(`${name}-rule-overridden`);
      }
      if (!cfnListAlways(statement.ExcludedRules, (l) => l.length === 0)) problems.add(`${name}-rules-excluded`);
      if (isIntrinsic(statement)) problems.add('Rule-unresolved');
    }
    // A rule group of the account (or another's): its own rules may Allow, which ends the web ACL's evaluation. The
    // blueprint uses none; one added is not judged here, so it is a finding.
    if (rules.some((r) => isObject(r) && JSON.stringify(r.Statement ?? null).includes('RuleGroupReferenceStatement'))) {
      problems.add('RuleGroupReference-unjudged');
    }
    // The per-IP rate limit: one rate-based rule that blocks at the blueprint's limit suffices; else each one's
    // shortfalls (or its absence) are findings.
    const rateRules = rules.filter(
      (r) => isObject(r) && !isIntrinsic(r) && isObject(r.Statement) && isObject(r.Statement.RateBasedStatement),
    ) as Json[];
    const rateProblems = rateRules.map(rateRuleShortfalls);
    if (rateRules.length === 0) problems.add('RateLimit-absent');
    else if (rateProblems.every((p) => p.length > 0))
      rateProblems.flat().forEach((p) => problems.add(`RateLimit-${p}`));
    for (const rule of rules) {
      if (!isObject(rule) || isIntrinsic(rule)) problems.add('Rule-unresolved');
      else if (rule.Action !== undefined && (!isObject(rule.Action) || isIntrinsic(rule.Action))) {
        problems.add('Rule-unresolved');
      } else if (isObject(rule.Action) && rule.Action.Allow !== undefined) {
        problems.add(`${typeof rule.Name === 'string' ? rule.Name : 'Rule'}-allows`);
      }
    }
  }
  return [...problems];
}

/**
 * Whether a Firewall Manager policy of the assembly may replace the web ACL association of an application load
 * balancer (the attacker review of 2026-12-03 left it open): a WAF or WAFV2 policy (or one whose type only deploy
 * resolves) covering application load balancers (ResourceType, or ResourceTypeList, naming
 * AWS::ElasticLoadBalancingV2::LoadBalancer, or not read whole) whose ManagedServiceData sets
 * overrideCustomerWebACLAssociation (or cannot be read whole as one JSON object without repeated keys). Firewall
 * Manager then associates its own web ACL, whose rules this rule never sees, in place of the judged one. A policy of
 * another account (this account not the Firewall Manager administrator) is not in the assembly.
 */
export function fmsPolicyReplacesAssociation(policy: Json): boolean {
  const p = isObject(policy.Properties) ? policy.Properties : {};
  const data = isObject(p.SecurityServicePolicyData) ? p.SecurityServicePolicyData : undefined;
  if (data === undefined || isIntrinsic(data)) return true;
  const types = cfnAlternatives(data.Type);
  if (!types.some((t) => typeof t !== 'string' || t === 'WAFV2' || t === 'WAF')) return false;
  const lb = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
  const covered = [...cfnAlternatives(p.ResourceType), ...(cfnListForms(p.ResourceTypeList) ?? [[undefined]]).flat()];
  if (!covered.some((t) => typeof t !== 'string' || t === lb)) return false;
  const text = data.ManagedServiceData;
  if (cfnAbsent(text)) return false;
  if (typeof text !== 'string' || duplicateKeyOf(text) !== undefined) return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return true;
  }
  if (!isObject(parsed)) return true;
  return parsed.overrideCustomerWebACLAssociation !== undefined && parsed.overrideCustomerWebACLAssociation !== false;
}

/**
 * A redacted field in one spelling: its one key (SingleHeader, QueryString...) and, for a header, its name in lower
 * case (WAF matches header names in any case); undefined for anything else (two keys, an intrinsic).
 */
export function redactionOf(field: unknown): string | undefined {
  if (!isObject(field) || isIntrinsic(field) || Object.keys(field).length !== 1) return undefined;
  const [key, value] = Object.entries(field)[0]!;
  const kind = key.charAt(0).toUpperCase() + key.slice(1);
  if (kind === 'SingleHeader') {
    return isObject(value) && Object.keys(value).length === 1 && typeof value.Name === 'string'
      ? `SingleHeader:${value.Name.toLowerCase()}`
      : undefined;
  }
  return isObject(value) && Object.keys(value).length === 0 ? kind : undefined;
}

/**
 * What the blueprint redacts from its WAF logs (constructs/alb-web-acl.ts WAF_REDACTED_FIELDS, kept here: a construct
 * that redacts more fails the gate instead of widening it; a test pins that the construct redacts only these): the
 * authorization and cookie headers (credentials) and the query string (identifiers), as redactionOf names them.
 * Redaction replaces a value with REDACTED in a record that is still kept; any other field (the URI path, the method,
 * another header such as the client's address) hides what an investigation of an attack needs, so only these, or
 * fewer, pass.
 */
export const SHIPPED_REDACTIONS: ReadonlySet<string> = new Set([
  'SingleHeader:authorization',
  'SingleHeader:cookie',
  'QueryString',
]);

/**
 * Why a WAF logging configuration may not keep every request's record as the blueprint writes it (empty when it
 * does): a LoggingFilter other than none or one whose DefaultBehavior is KEEP and none of whose filters DROP (a filter
 * keeping only a label nothing sets logs nothing), RedactedFields beyond SHIPPED_REDACTIONS, or either only deploy
 * resolves.
 */
export function loggingShortfalls(config: Json): string[] {
  const problems: string[] = [];
  const filter = config.LoggingFilter;
  if (!cfnAbsent(filter)) {
    const lists = isObject(filter) && !isIntrinsic(filter) ? cfnListForms(filter.Filters) : undefined;
    if (!isObject(filter) || isIntrinsic(filter) || lists === undefined) problems.push('LoggingFilter::unresolved');
    else if (
      filter.DefaultBehavior !== 'KEEP' ||
      lists.some((l) => l.some((f) => !isObject(f) || isIntrinsic(f) || f.Behavior !== 'KEEP'))
    ) {
      problems.push('LoggingFilter::drops');
    }
  }
  const redacted = cfnListForms(config.RedactedFields);
  if (redacted === undefined) problems.push('RedactedFields::unresolved');
  else if (redacted.some((l) => l.some((f) => !SHIPPED_REDACTIONS.has(redactionOf(f) ?? '')))) {
    problems.push('RedactedFields::beyond-shipped');
  }
  return problems;
}

/**
 * N2 E3 U3: every internet-facing application load balancer of the assembly has exactly one web ACL association
 * (AWS::WAFv2::WebACLAssociation whose ResourceArn names it, in any stack; a load balancer has one web ACL, and of two
 * associations the one deployed last wins), to a web ACL of the assembly whose AWS managed rule groups
 * (MANAGED_RULE_GROUPS) block (OverrideAction None) and whose rules allow nothing past them, and which has exactly one
 * logging configuration of the assembly (AWS::WAFv2::LoggingConfiguration whose ResourceArn names it). Every logging
 * configuration of the assembly keeps every record (loggingShortfalls: no filter that drops, no redaction beyond the
 * blueprint's). An association or logging configuration whose resource only deploy resolves, or that names a load
 * balancer or web ACL by a literal ARN (a deployed one's), is a finding: it may replace the judged one.
 */
export const LoadBalancerWebAcl: AssemblyRule = {
  name: NAME,
  info: `An internet-facing application load balancer has no web ACL association, more than one (the last deployed replaces the judged one), or one to a web ACL only deploy resolves or whose AWS managed rule groups (IP reputation, common, known bad inputs, SQL injection) are absent, counted instead of blocking (OverrideAction other than None) or scoped down or pinned to a Version (in any copy), or any managed rule group's rules overridden to anything but Block (Count, Allow, Challenge, Captcha) or excluded, or another vendor's managed rule group, or a rule group reference (whose rules may allow), or with a rule that allows, or without a rate-based rule that blocks each client IP (AggregateKeyType IP, no scope-down) above ${MAX_RATE_LIMIT_PER_5_MINUTES} requests in 5 minutes (a shorter window at its 5-minute rate), or that has no logging configuration (or several); a WAF logging configuration has a LoggingFilter that may drop records (DefaultBehavior DROP, a DROP filter) or redacts fields beyond the blueprint's (authorization and cookie headers, query string); or a web ACL association or logging configuration names a resource only deploy resolves; or a Firewall Manager WAF policy of the assembly covering application load balancers overrides their web ACL associations.`,
  explanation:
    'The public tier exposes the load balancer only (164.312(e)(1), 164.308(a)(3)): AWS WAF blocks known exploits, SQL injection and abusive sources before a request carrying or asking for PHI reaches the sign-in and the service (164.308(a)(5)(ii)(B), 164.312(c)(1)); its log of every request is audit evidence kept six years (164.312(b)), which a filter dropping records would leave empty while WAF keeps running.',
  safeguards: ['N2', 'E3', 'U3'],
  hipaaSections: ['164.312(e)(1)', '164.308(a)(3)', '164.308(a)(5)(ii)(B)', '164.312(b)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const fmsPolicies = assemblyResources(stacks, 'AWS::FMS::Policy');
    for (const policy of fmsPolicies.filter((f) => fmsPolicyReplacesAssociation(f.resource))) {
      findings.push(
        finding(
          NAME,
          `${policy.logicalId}::FmsPolicy-replaces-association`,
          policy.stack,
          policy.logicalId,
          `Firewall Manager policy ${policy.logicalId} (${policy.stack.stackName}) may replace the web ACL of the application load balancers (a WAF policy covering them with overrideCustomerWebACLAssociation, or a part only deploy resolves): its web ACL's rules are not judged here (N2, E3)`,
        ),
      );
    }
    const associations = new Map<string, StackResource[]>();
    const all = assemblyResources(stacks, 'AWS::WAFv2::WebACLAssociation');
    for (const association of all) {
      const target = resolveValue(association.resource.Properties?.ResourceArn, association.stack, stacks);
      if (target.kind === 'resource') {
        const key = keyOf(target.target);
        associations.set(key, [...(associations.get(key) ?? []), association]);
      } else if (target.kind === 'unresolved' || target.value.includes(':elasticloadbalancing:')) {
        findings.push(
          finding(
            NAME,
            'Association::unresolved',
            association.stack,
            association.logicalId,
            `Web ACL association ${association.logicalId} names ${target.kind === 'unresolved' ? `a resource only deploy resolves (${target.why})` : `a load balancer by a literal ARN (${target.value})`}: it may replace the web ACL of a load balancer of the assembly (N2)`,
          ),
        );
      }
    }
    // The logging configurations by the web ACL they name; each judged wherever it is (U3).
    const logging = new Map<string, StackResource[]>();
    const configs = assemblyResources(stacks, 'AWS::WAFv2::LoggingConfiguration');
    for (const config of configs) {
      const p = config.resource.Properties ?? {};
      const add = (id: string, what: string): void => {
        findings.push(
          finding(
            NAME,
            id,
            config.stack,
            config.logicalId,
            `WAF logging configuration ${config.logicalId} ${what} (U3)`,
          ),
        );
      };
      const acl = resolveValue(p.ResourceArn, config.stack, stacks);
      if (acl.kind === 'resource') {
        const key = keyOf(acl.target);
        logging.set(key, [...(logging.get(key) ?? []), config]);
      } else if (acl.kind === 'unresolved' || acl.value.includes(':wafv2:')) {
        add(
          'Logging::unresolved',
          `names ${acl.kind === 'unresolved' ? `a web ACL only deploy resolves (${acl.why})` : `a web ACL by a literal ARN (${acl.value})`}: it may replace the logging of a web ACL of the assembly`,
        );
      }
      for (const problem of loggingShortfalls(p)) {
        add(
          problem,
          problem.startsWith('LoggingFilter')
            ? 'has a LoggingFilter that may drop records (DefaultBehavior other than KEEP, a filter whose Behavior is not KEEP, or one only deploy resolves): WAF keeps filtering requests it no longer records'
            : "redacts fields beyond the blueprint's (authorization and cookie headers, query string), or fields only deploy resolves: its records no longer show what an attack sent",
        );
      }
    }
    const balancers = assemblyResources(stacks, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter(
      internetFacingApplication,
    );
    for (const lb of balancers) {
      const add = (id: string, what: string): void => {
        findings.push(finding(NAME, id, lb.stack, lb.logicalId, `Load balancer ${lb.logicalId} ${what} (N2, E3)`));
      };
      const mine = associations.get(keyOf(lb)) ?? [];
      if (mine.length !== 1) {
        add(
          mine.length === 0 ? 'WebAcl::none' : 'WebAcl::several',
          mine.length === 0
            ? 'faces the internet without a web ACL'
            : `has ${mine.length} web ACL associations (${mine.map((a) => a.logicalId).join(', ')}): the one deployed last replaces the others`,
        );
        continue;
      }
      const association = mine[0]!;
      const acl = resolveValue(association.resource.Properties?.WebACLArn, association.stack, stacks);
      if (acl.kind !== 'resource' || acl.target.resource.Type !== 'AWS::WAFv2::WebACL') {
        add('WebAcl::unresolved', `is associated with a web ACL no template of the assembly holds`);
        continue;
      }
      const problems = webAclShortfalls(acl.target.resource.Properties ?? {});
      if (problems.length > 0) {
        add(
          `WebAcl::${problems.sort().join('+')}`,
          `is protected by web ACL ${acl.target.logicalId} whose rules do not all block as the blueprint's do (${problems.join(', ')})`,
        );
      }
      // A web ACL has one logging configuration: none records nothing, and of two the last deployed wins.
      const logs = logging.get(keyOf(acl.target)) ?? [];
      if (logs.length !== 1) {
        findings.push(
          finding(
            NAME,
            logs.length === 0 ? 'WebAclLogging::none' : 'WebAclLogging::several',
            lb.stack,
            lb.logicalId,
            `Load balancer ${lb.logicalId} is protected by web ACL ${acl.target.logicalId} ${logs.length === 0 ? 'that logs no request' : `with ${logs.length} logging configurations (${logs.map((l) => l.logicalId).join(', ')}): the one deployed last replaces the others`} (U3)`,
          ),
        );
      }
    }
    return { findings, evaluated: balancers.length + all.length + configs.length + fmsPolicies.length };
  },
};
