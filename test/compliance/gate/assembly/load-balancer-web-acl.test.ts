import { MANAGED_RULE_GROUPS, WAF_REDACTED_FIELDS } from '../../../../constructs/alb-web-acl';
import {
  LoadBalancerWebAcl,
  redactionOf,
  SHIPPED_REDACTIONS,
} from '../../../../lib/compliance/gate/assembly/load-balancer-web-acl';
import { findingsOf, Mutable } from './assembly-fixture';

const visibility = (name: string) => ({
  CloudWatchMetricsEnabled: true,
  MetricName: name,
  SampledRequestsEnabled: true,
});
/** The web ACL as constructs/alb-web-acl.ts writes it: the managed groups blocking, a rate limit, default allow. */
const webAcl = (): Mutable => ({
  Type: 'AWS::WAFv2::WebACL',
  Properties: {
    DefaultAction: { Allow: {} },
    Scope: 'REGIONAL',
    VisibilityConfig: visibility('acl'),
    Rules: [
      ...MANAGED_RULE_GROUPS.map((group, i) => ({
        Name: group,
        Priority: (i + 1) * 10,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: group } },
        VisibilityConfig: visibility(group),
      })),
      {
        Name: 'RateLimitPerIp',
        Priority: 50,
        Action: { Block: {} },
        Statement: { RateBasedStatement: { AggregateKeyType: 'IP', EvaluationWindowSec: 300, Limit: 2000 } },
        VisibilityConfig: visibility('RateLimitPerIp'),
      },
    ],
  },
});
const association = (acl: string, lb: unknown = { Ref: 'LoadBalancer' }): Mutable => ({
  Type: 'AWS::WAFv2::WebACLAssociation',
  Properties: { ResourceArn: lb, WebACLArn: { 'Fn::GetAtt': [acl, 'Arn'] } },
});

/** The web ACL's logging as constructs/alb-web-acl.ts writes it: every record, credentials and query string redacted. */
const logging = (acl = 'WebAcl'): Mutable => ({
  Type: 'AWS::WAFv2::LoggingConfiguration',
  Properties: {
    ResourceArn: { 'Fn::GetAtt': [acl, 'Arn'] },
    LogDestinationConfigs: ['arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-app'],
    RedactedFields: [
      { SingleHeader: { Name: 'authorization' } },
      { SingleHeader: { Name: 'cookie' } },
      { QueryString: {} },
    ],
  },
});

/**
 * The fixture with an internet-facing load balancer in the data stack, its web ACL, association and logging, then
 * `mutate`.
 */
const withAcl =
  (mutate: (r: Mutable) => void = () => undefined) =>
  (t: Record<string, Mutable>): void => {
    const r = t.data.Resources;
    r.LoadBalancer = {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internet-facing', Type: 'application', Subnets: ['subnet-1', 'subnet-2'] },
    };
    r.WebAcl = webAcl();
    r.WebAclAssociation = association('WebAcl');
    r.WebAclLogging = logging();
    mutate(r);
  };
const managed = (r: Mutable): Mutable[] => r.WebAcl.Properties.Rules.filter((x: Mutable) => x.OverrideAction);
const rate = (r: Mutable): Mutable => r.WebAcl.Properties.Rules.find((x: Mutable) => x.Name === 'RateLimitPerIp');
const ALL_NOT_BLOCKING = MANAGED_RULE_GROUPS.map((g) => `${g}-not-blocking`)
  .sort()
  .join('+');

describe('LoadBalancerWebAcl', () => {
  test("N2 E3 the blueprint's shape passes; an internal load balancer needs no web ACL", () => {
    expect(findingsOf(LoadBalancerWebAcl, withAcl())).toEqual([]);
    // A stricter rate rule (a lower limit over the longer window), and a second lax one beside a strict one, pass.
    expect(
      findingsOf(
        LoadBalancerWebAcl,
        withAcl((r) => {
          // Numbers as strings, as CloudFormation takes them; a Block override keeps a rule blocking.
          Object.assign(rate(r).Statement.RateBasedStatement, { Limit: '100', EvaluationWindowSec: '600' });
          managed(r)[0]!.Statement.ManagedRuleGroupStatement.RuleActionOverrides = [
            { Name: 'AWSManagedIPReputationList', ActionToUse: { Block: {} } },
          ];
          r.WebAcl.Properties.Rules.push({ ...rate(r), Name: 'Lax', Priority: 60, Action: { Count: {} } });
        }),
      ),
    ).toEqual([]);
    expect(
      findingsOf(
        LoadBalancerWebAcl,
        withAcl((r) => {
          r.LoadBalancer.Properties.Scheme = 'internal';
          delete r.WebAclAssociation;
        }),
      ),
    ).toEqual([]);
  });

  test('N2 E3 a shorter window with a limit low enough passes (100 per minute: 500 per 5 minutes)', () => {
    const perMinute = withAcl((r) =>
      Object.assign(rate(r).Statement.RateBasedStatement, { Limit: 100, EvaluationWindowSec: 60 }),
    );
    expect(findingsOf(LoadBalancerWebAcl, perMinute)).toEqual([]);
  });

  test.each<[string, (r: Mutable) => void, string[]]>([
    ['no web ACL association', (r) => delete r.WebAclAssociation, ['[WebAcl::none] LoadBalancer']],
    [
      'the scheme left to the default (internet-facing) without a web ACL',
      (r) => {
        delete r.LoadBalancer.Properties.Scheme;
        delete r.WebAclAssociation;
      },
      ['[WebAcl::none] LoadBalancer'],
    ],
    [
      'a second association to an allow-all web ACL (the last deployed wins)',
      (r) => {
        r.PermissiveAcl = {
          Type: 'AWS::WAFv2::WebACL',
          Properties: { DefaultAction: { Allow: {} }, Scope: 'REGIONAL', Rules: [], VisibilityConfig: visibility('p') },
        };
        r.PermissiveAclAssociation = association('PermissiveAcl');
      },
      ['[WebAcl::several] LoadBalancer'],
    ],
    [
      'every managed rule group counting instead of blocking',
      (r) => managed(r).forEach((x) => (x.OverrideAction = { Count: {} })),
      [`[WebAcl::${ALL_NOT_BLOCKING}] LoadBalancer`],
    ],
    [
      'the override action chosen by a condition',
      (r) => (managed(r)[1]!.OverrideAction = { 'Fn::If': ['C', { None: {} }, { Count: {} }] }),
      ['[WebAcl::AWSManagedRulesCommonRuleSet-not-blocking] LoadBalancer'],
    ],
    [
      'the SQL injection group removed',
      (r) =>
        (r.WebAcl.Properties.Rules = r.WebAcl.Properties.Rules.filter(
          (x: Mutable) => x.Name !== 'AWSManagedRulesSQLiRuleSet',
        )),
      ['[WebAcl::AWSManagedRulesSQLiRuleSet-absent] LoadBalancer'],
    ],
    [
      // The attacker review of the next sitting: a second copy placed first (WAF goes by Priority) with an Allow.
      'a second copy of a required group, first by Priority, with a rule overridden to Allow',
      (r) =>
        r.WebAcl.Properties.Rules.push({
          ...managed(r)[1],
          Name: 'Copy',
          Priority: 1,
          Statement: {
            ManagedRuleGroupStatement: {
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
              RuleActionOverrides: [{ Name: 'NoUserAgent_HEADER', ActionToUse: { Allow: {} } }],
            },
          },
        }),
      ['[WebAcl::AWSManagedRulesCommonRuleSet-rule-overridden] LoadBalancer'],
    ],
    [
      'another AWS group first, with its rules overridden to Allow',
      (r) =>
        r.WebAcl.Properties.Rules.push({
          Name: 'Anon',
          Priority: 1,
          OverrideAction: { None: {} },
          Statement: {
            ManagedRuleGroupStatement: {
              VendorName: 'AWS',
              Name: 'AWSManagedRulesAnonymousIpList',
              RuleActionOverrides: [{ Name: 'AnonymousIPList', ActionToUse: { Allow: {} } }],
            },
          },
          VisibilityConfig: visibility('Anon'),
        }),
      ['[WebAcl::AWSManagedRulesAnonymousIpList-rule-overridden] LoadBalancer'],
    ],
    [
      'the SQL injection rules overridden to Count',
      (r) =>
        (managed(r)[3]!.Statement.ManagedRuleGroupStatement.RuleActionOverrides = [
          { Name: 'SQLi_BODY', ActionToUse: { Count: {} } },
        ]),
      ['[WebAcl::AWSManagedRulesSQLiRuleSet-rule-overridden] LoadBalancer'],
    ],
    [
      'the SQL injection rules excluded (ExcludedRules, the older Count)',
      (r) => (managed(r)[3]!.Statement.ManagedRuleGroupStatement.ExcludedRules = [{ Name: 'SQLi_BODY' }]),
      ['[WebAcl::AWSManagedRulesSQLiRuleSet-rules-excluded] LoadBalancer'],
    ],
    [
      'a rule group of the account referenced first (its own rules may Allow)',
      (r) =>
        r.WebAcl.Properties.Rules.push({
          Name: 'Mine',
          Priority: 1,
          OverrideAction: { None: {} },
          Statement: { RuleGroupReferenceStatement: { Arn: { 'Fn::GetAtt': ['Group', 'Arn'] } } },
          VisibilityConfig: visibility('Mine'),
        }),
      ['[WebAcl::RuleGroupReference-unjudged] LoadBalancer'],
    ],
    [
      // The second attacker review: a solved challenge lets a request on to the next rule, like Count.
      'the SQL injection rules overridden to Challenge',
      (r) =>
        (managed(r)[3]!.Statement.ManagedRuleGroupStatement.RuleActionOverrides = [
          { Name: 'SQLi_BODY', ActionToUse: { Challenge: {} } },
        ]),
      ['[WebAcl::AWSManagedRulesSQLiRuleSet-rule-overridden] LoadBalancer'],
    ],
    [
      'a required group pinned to an old version (no signature updates)',
      (r) => (managed(r)[3]!.Statement.ManagedRuleGroupStatement.Version = 'Version_1.0'),
      ['[WebAcl::AWSManagedRulesSQLiRuleSet-version-pinned] LoadBalancer'],
    ],
    [
      "another vendor's group placed first (its rules may Allow)",
      (r) =>
        r.WebAcl.Properties.Rules.push({
          Name: 'Vendor',
          Priority: 1,
          OverrideAction: { None: {} },
          Statement: { ManagedRuleGroupStatement: { VendorName: 'Synthetic Vendor', Name: 'Bots' } },
          VisibilityConfig: visibility('Vendor'),
        }),
      ['[WebAcl::Bots-vendor-unjudged] LoadBalancer'],
    ],
    [
      'a rate limit written as a string above the limit',
      (r) => (rate(r).Statement.RateBasedStatement.Limit = '2000000000'),
      ['[WebAcl::RateLimit-limit-too-high] LoadBalancer'],
    ],
    [
      'the rate-based rule removed',
      (r) =>
        (r.WebAcl.Properties.Rules = r.WebAcl.Properties.Rules.filter((x: Mutable) => x.Name !== 'RateLimitPerIp')),
      ['[WebAcl::RateLimit-absent] LoadBalancer'],
    ],
    [
      'the rate-based rule counting instead of blocking',
      (r) => (rate(r).Action = { Count: {} }),
      ['[WebAcl::RateLimit-not-blocking] LoadBalancer'],
    ],
    [
      'a rate limit nobody reaches (2,000,000,000 requests)',
      (r) => (rate(r).Statement.RateBasedStatement.Limit = 2_000_000_000),
      ['[WebAcl::RateLimit-limit-too-high] LoadBalancer'],
    ],
    [
      'the limit chosen by a condition',
      (r) => (rate(r).Statement.RateBasedStatement.Limit = { 'Fn::If': ['C', 2000, 2_000_000_000] }),
      ['[WebAcl::RateLimit-limit-too-high] LoadBalancer'],
    ],
    [
      'the same limit over one minute (five times the rate)',
      (r) => (rate(r).Statement.RateBasedStatement.EvaluationWindowSec = 60),
      ['[WebAcl::RateLimit-window-too-short] LoadBalancer'],
    ],
    [
      'the rate rule scoped down to a path nobody requests',
      (r) =>
        (rate(r).Statement.RateBasedStatement.ScopeDownStatement = {
          ByteMatchStatement: { SearchString: '/never', FieldToMatch: { UriPath: {} } },
        }),
      ['[WebAcl::RateLimit-scoped-down] LoadBalancer'],
    ],
    [
      'requests counted per X-Forwarded-For (the client writes it)',
      (r) => {
        rate(r).Statement.RateBasedStatement.AggregateKeyType = 'FORWARDED_IP';
        rate(r).Statement.RateBasedStatement.ForwardedIPConfig = {
          HeaderName: 'X-Forwarded-For',
          FallbackBehavior: 'MATCH',
        };
      },
      ['[WebAcl::RateLimit-not-per-ip] LoadBalancer'],
    ],
    [
      'a group scoped down to nothing',
      (r) =>
        (managed(r)[0]!.Statement.ManagedRuleGroupStatement.ScopeDownStatement = {
          ByteMatchStatement: { SearchString: 'never' },
        }),
      ['[WebAcl::AWSManagedRulesAmazonIpReputationList-scoped-down] LoadBalancer'],
    ],
    [
      'a rule of a group overridden to Allow',
      (r) =>
        (managed(r)[1]!.Statement.ManagedRuleGroupStatement.RuleActionOverrides = [
          { Name: 'SizeRestrictions_BODY', ActionToUse: { Allow: {} } },
        ]),
      ['[WebAcl::AWSManagedRulesCommonRuleSet-rule-overridden] LoadBalancer'],
    ],
    [
      'an allow-everything rule before the groups',
      (r) =>
        r.WebAcl.Properties.Rules.unshift({
          Name: 'AllowAll',
          Priority: 1,
          Action: { Allow: {} },
          Statement: { ByteMatchStatement: { SearchString: '/' } },
          VisibilityConfig: visibility('AllowAll'),
        }),
      ['[WebAcl::AllowAll-allows] LoadBalancer'],
    ],
    [
      'rules only deploy resolves',
      (r) => (r.WebAcl.Properties.Rules = { 'Fn::ImportValue': 'rules' }),
      ['[WebAcl::Rules-unresolved] LoadBalancer'],
    ],
    [
      'a web ACL named by a literal ARN (no web ACL of the assembly)',
      (r) =>
        (r.WebAclAssociation.Properties.WebACLArn =
          'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/other/11111111-2222-3333-4444-555555555555'),
      ['[WebAcl::unresolved] LoadBalancer'],
    ],
    [
      'an association naming a resource only deploy resolves',
      (r) => (r.Other = association('WebAcl', { 'Fn::ImportValue': 'lb-arn' })),
      ['[Association::unresolved] Other'],
    ],
    [
      'an association naming a deployed load balancer by its literal ARN',
      (r) =>
        (r.Other = association(
          'WebAcl',
          'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/hipaa-prod/0123456789abcdef',
        )),
      ['[Association::unresolved] Other'],
    ],
  ])('N2 E3 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(LoadBalancerWebAcl, withAcl(mutate))).toEqual(expected);
  });

  test('U3 a logging filter that keeps everything, fewer redactions or header names in another case pass', () => {
    const keepAll = (r: Mutable) => {
      r.WebAclLogging.Properties.LoggingFilter = {
        DefaultBehavior: 'KEEP',
        Filters: [
          { Behavior: 'KEEP', Requirement: 'MEETS_ANY', Conditions: [{ ActionCondition: { Action: 'BLOCK' } }] },
        ],
      };
      r.WebAclLogging.Properties.RedactedFields = [{ SingleHeader: { Name: 'Authorization' } }];
    };
    expect(findingsOf(LoadBalancerWebAcl, withAcl(keepAll))).toEqual([]);
    expect(
      findingsOf(
        LoadBalancerWebAcl,
        withAcl((r) => delete r.WebAclLogging.Properties.RedactedFields),
      ),
    ).toEqual([]);
  });

  test.each<[string, (r: Mutable) => void, string[]]>([
    ['no logging configuration', (r) => delete r.WebAclLogging, ['[WebAclLogging::none] LoadBalancer']],
    [
      'a second logging configuration of the web ACL (the last deployed wins)',
      (r) => (r.OtherLogging = logging()),
      ['[WebAclLogging::several] LoadBalancer'],
    ],
    [
      // The attacker review: WAF keeps running and logs nothing.
      'a filter dropping every record but those of a label nothing sets',
      (r) =>
        (r.WebAclLogging.Properties.LoggingFilter = {
          DefaultBehavior: 'DROP',
          Filters: [
            {
              Behavior: 'KEEP',
              Requirement: 'MEETS_ALL',
              Conditions: [{ LabelNameCondition: { LabelName: 'awswaf:never:synthetic' } }],
            },
          ],
        }),
      ['[LoggingFilter::drops] WebAclLogging'],
    ],
    [
      'a filter dropping the blocked requests (default KEEP)',
      (r) =>
        (r.WebAclLogging.Properties.LoggingFilter = {
          DefaultBehavior: 'KEEP',
          Filters: [
            { Behavior: 'DROP', Requirement: 'MEETS_ANY', Conditions: [{ ActionCondition: { Action: 'BLOCK' } }] },
          ],
        }),
      ['[LoggingFilter::drops] WebAclLogging'],
    ],
    [
      'a filter behaviour chosen by a condition',
      (r) =>
        (r.WebAclLogging.Properties.LoggingFilter = {
          DefaultBehavior: { 'Fn::If': ['C', 'DROP', 'KEEP'] },
          Filters: [],
        }),
      ['[LoggingFilter::drops] WebAclLogging'],
    ],
    [
      'a filter only deploy resolves',
      (r) => (r.WebAclLogging.Properties.LoggingFilter = { 'Fn::ImportValue': 'filter' }),
      ['[LoggingFilter::unresolved] WebAclLogging'],
    ],
    [
      'the URI path redacted (what an attack asked for is gone)',
      (r) => r.WebAclLogging.Properties.RedactedFields.push({ UriPath: {} }),
      ['[RedactedFields::beyond-shipped] WebAclLogging'],
    ],
    [
      'another header redacted',
      (r) => r.WebAclLogging.Properties.RedactedFields.push({ SingleHeader: { Name: 'x-forwarded-for' } }),
      ['[RedactedFields::beyond-shipped] WebAclLogging'],
    ],
    [
      'redacted fields only deploy resolves',
      (r) => (r.WebAclLogging.Properties.RedactedFields = { 'Fn::ImportValue': 'fields' }),
      ['[RedactedFields::unresolved] WebAclLogging'],
    ],
    [
      'a logging configuration naming a web ACL by a literal ARN (it may replace the judged one)',
      (r) =>
        (r.OtherLogging = {
          ...logging(),
          Properties: {
            ...logging().Properties,
            ResourceArn:
              'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/other/11111111-2222-3333-4444-555555555555',
          },
        }),
      ['[Logging::unresolved] OtherLogging'],
    ],
  ])('U3 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(LoadBalancerWebAcl, withAcl(mutate))).toEqual(expected);
  });
});

/** A Firewall Manager WAFV2 policy over the account's application load balancers, as a fork might add one. */
const fmsPolicy = (managedServiceData: unknown): Mutable => ({
  Type: 'AWS::FMS::Policy',
  Properties: {
    PolicyName: 'synthetic-waf',
    ExcludeResourceTags: false,
    RemediationEnabled: true,
    ResourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    SecurityServicePolicyData: { Type: 'WAFV2', ManagedServiceData: managedServiceData },
  },
});
const OVERRIDING = JSON.stringify({
  type: 'WAFV2',
  defaultAction: { type: 'ALLOW' },
  overrideCustomerWebACLAssociation: true,
  preProcessRuleGroups: [],
  postProcessRuleGroups: [],
});

describe('LoadBalancerWebAcl: Firewall Manager policies of the assembly', () => {
  test('N2 a WAF policy that leaves existing associations alone, or covers no load balancer, or is not WAF, passes', () => {
    const notOverriding = OVERRIDING.replace(
      '"overrideCustomerWebACLAssociation":true',
      '"overrideCustomerWebACLAssociation":false',
    );
    expect(
      findingsOf(
        LoadBalancerWebAcl,
        withAcl((r) => (r.Fms = fmsPolicy(notOverriding))),
      ),
    ).toEqual([]);
    const apiGateway = (r: Mutable): void => {
      r.Fms = fmsPolicy(OVERRIDING);
      r.Fms.Properties.ResourceType = 'AWS::ApiGateway::Stage';
    };
    expect(findingsOf(LoadBalancerWebAcl, withAcl(apiGateway))).toEqual([]);
    const otherType = (r: Mutable): void => {
      r.Fms = fmsPolicy(OVERRIDING);
      r.Fms.Properties.SecurityServicePolicyData.Type = 'SECURITY_GROUPS_CONTENT_AUDIT';
    };
    expect(findingsOf(LoadBalancerWebAcl, withAcl(otherType))).toEqual([]);
  });

  test.each<[string, (r: Mutable) => void]>([
    ['a WAFV2 policy over load balancers overriding their associations', (r) => (r.Fms = fmsPolicy(OVERRIDING))],
    [
      'the same through ResourceTypeList',
      (r) => {
        r.Fms = fmsPolicy(OVERRIDING);
        r.Fms.Properties.ResourceType = 'ResourceTypeList';
        r.Fms.Properties.ResourceTypeList = [
          'AWS::CloudFront::Distribution',
          'AWS::ElasticLoadBalancingV2::LoadBalancer',
        ];
      },
    ],
    [
      'its resource type only deploy resolves',
      (r) => {
        r.Fms = fmsPolicy(OVERRIDING);
        r.Fms.Properties.ResourceType = {
          'Fn::If': ['C', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ApiGateway::Stage'],
        };
      },
    ],
    ['its policy data only deploy resolves', (r) => (r.Fms = fmsPolicy({ 'Fn::Sub': '${Data}' }))],
    [
      'its policy data repeating the override key (false, then true)',
      (r) =>
        (r.Fms = fmsPolicy(
          '{"type": "WAFV2", "overrideCustomerWebACLAssociation": false, "overrideCustomerWebACLAssociation": true}',
        )),
    ],
    ['its policy data not JSON', (r) => (r.Fms = fmsPolicy('type: WAFV2'))],
  ])('N2 E3 %s is a finding', (_name, mutate) => {
    expect(findingsOf(LoadBalancerWebAcl, withAcl(mutate))).toEqual(['[Fms::FmsPolicy-replaces-association] Fms']);
  });
});

describe('LoadBalancerWebAcl: the redactions it allows', () => {
  test('U3 the gate keeps its own list, and the web ACL construct redacts exactly those fields (redacting more fails the gate)', () => {
    expect(WAF_REDACTED_FIELDS.map((f) => redactionOf(f))).toEqual([...SHIPPED_REDACTIONS]);
    expect(redactionOf({ uriPath: {} })).toBe('UriPath');
    expect(SHIPPED_REDACTIONS.has('UriPath')).toBe(false);
  });
});
