import { MANAGED_RULE_GROUPS } from '../../../../constructs/alb-web-acl';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnAlternatives,
  cfnListForms,
  isIntrinsic,
  isObject,
  Json,
  resolveValue,
  StackResource,
} from '../core/template-json';
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

/** Whether an action object is exactly `{ <kind>: {} }` (WAF's action and override action shapes). */
const isAction = (value: unknown, kind: string): boolean =>
  isObject(value) && !isIntrinsic(value) && Object.keys(value).length === 1 && isObject(value[kind]);

/**
 * Why the web ACL's rules may not block what the blueprint's do (empty when they do): each AWS managed rule group of
 * MANAGED_RULE_GROUPS is a rule of its own whose OverrideAction is None (Count lets every request through), without a
 * scope-down statement (which can make it match nothing) or a rule override to Allow; and no rule allows (Allow ends
 * the evaluation: a rule before the groups would let requests past them). The rules' list only deploy resolves is a
 * finding.
 */
export function webAclShortfalls(acl: Json): string[] {
  const lists = cfnListForms(acl.Rules);
  if (lists === undefined) return ['Rules-unresolved'];
  const problems = new Set<string>();
  for (const rules of lists) {
    for (const group of MANAGED_RULE_GROUPS) {
      const rule = rules.filter(isObject).find((r) => {
        const statement = isObject(r.Statement) ? r.Statement.ManagedRuleGroupStatement : undefined;
        return isObject(statement) && statement.VendorName === 'AWS' && statement.Name === group;
      });
      if (rule === undefined) {
        problems.add(`${group}-absent`);
        continue;
      }
      const statement = (rule.Statement as Json).ManagedRuleGroupStatement as Json;
      if (!isAction(rule.OverrideAction, 'None')) problems.add(`${group}-not-blocking`);
      if (statement.ScopeDownStatement !== undefined) problems.add(`${group}-scoped-down`);
      const overrides = asList(statement.RuleActionOverrides);
      if (overrides.some((o) => !isObject(o) || !isObject(o.ActionToUse) || isObject(o.ActionToUse.Allow))) {
        problems.add(`${group}-rule-allows`);
      }
    }
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
 * N2 E3: every internet-facing application load balancer of the assembly has exactly one web ACL association
 * (AWS::WAFv2::WebACLAssociation whose ResourceArn names it, in any stack; a load balancer has one web ACL, and of two
 * associations the one deployed last wins), to a web ACL of the assembly whose AWS managed rule groups
 * (MANAGED_RULE_GROUPS) block (OverrideAction None) and whose rules allow nothing past them. An association whose
 * resource only deploy resolves, or that names a load balancer by a literal ARN (a deployed one's), is a finding: it
 * may replace the judged one.
 */
export const LoadBalancerWebAcl: AssemblyRule = {
  name: NAME,
  info: 'An internet-facing application load balancer has no web ACL association, more than one (the last deployed replaces the judged one), or one to a web ACL only deploy resolves or whose AWS managed rule groups (IP reputation, common, known bad inputs, SQL injection) are absent, counted instead of blocking (OverrideAction other than None), scoped down or overridden to Allow, or with a rule that allows; or a web ACL association names a resource only deploy resolves.',
  explanation:
    'The public tier exposes the load balancer only (164.312(e)(1), 164.308(a)(3)): AWS WAF blocks known exploits, SQL injection and abusive sources before a request carrying or asking for PHI reaches the sign-in and the service (164.308(a)(5)(ii)(B), 164.312(c)(1)).',
  safeguards: ['N2', 'E3'],
  hipaaSections: ['164.312(e)(1)', '164.308(a)(3)', '164.308(a)(5)(ii)(B)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
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
          `is protected by web ACL ${acl.target.logicalId} whose managed rules do not all block (${problems.join(', ')})`,
        );
      }
    }
    return { findings, evaluated: balancers.length + all.length };
  },
};
