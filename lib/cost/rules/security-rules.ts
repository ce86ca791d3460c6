import { UsageCharge } from '../core/model';
import { show } from '../core/rule-context';
import { plural, PricingRule, props, RuleSet } from './pricing-rule';

/** AWS managed rule groups with a subscription fee of their own (not in the price table). */
const PAID_MANAGED_GROUPS = new Set([
  'AWSManagedRulesBotControlRuleSet',
  'AWSManagedRulesATPRuleSet',
  'AWSManagedRulesACFPRuleSet',
  'AWSManagedRulesAntiDDoSRuleSet',
]);

const kmsKey: PricingRule = (r, ctx) => {
  const p = props(r);
  const billed =
    r.Type === 'AWS::KMS::ReplicaKey'
      ? 'replica multi-Region key'
      : p.MultiRegion === true
        ? 'multi-Region primary key'
        : 'customer managed key';
  return {
    lines: [
      ctx.line({
        category: 'KMS keys',
        billed: `${billed}${p.EnableKeyRotation === true ? ' (rotation on)' : ''}`,
        priceId: 'kms.key.month',
        quantity: 1,
        quantityText: '1 key-month',
        note:
          p.EnableKeyRotation === true
            ? 'each rotated key version adds $1/month after the first year (see the price note)'
            : undefined,
      }),
    ],
    usage: [
      ctx.usage(
        'kms.requests.per10k',
        'AWS KMS',
        'key requests',
        'encrypt/decrypt calls by the services using the key',
      ),
    ],
  };
};

/** Keys, secrets, WAF, detection services, Cognito, AWS Config and CloudTrail. */
export const SECURITY_RULES: RuleSet = {
  'AWS::KMS::Key': kmsKey,
  'AWS::KMS::ReplicaKey': kmsKey,

  // Parameter Store: standard parameters cost nothing (and standard API throughput is free); an advanced one is
  // charged per parameter-month, and one created without Tier takes the account's default tier, which may be advanced.
  'AWS::SSM::Parameter': (r) =>
    props(r).Tier === 'Standard'
      ? { free: 'standard-tier parameter: no charge (standard API throughput is free)' }
      : {
          notPriced: `Tier = ${show(props(r).Tier)}: an advanced parameter (or the account's default tier) is charged and its price is not in the table`,
        },

  'AWS::SecretsManager::Secret': (_r, ctx) => ({
    lines: [
      ctx.line({
        category: 'Secrets Manager secrets',
        billed: 'secret',
        priceId: 'secretsmanager.secret.month',
        quantity: 1,
        quantityText: '1 secret-month',
      }),
    ],
    usage: [ctx.usage('secretsmanager.api.per10k', 'AWS Secrets Manager', 'API calls', 'secret reads and rotations')],
  }),

  'AWS::WAFv2::WebACL': (r, ctx) => {
    const rules = props(r).Rules;
    if (rules !== undefined && !Array.isArray(rules)) return { notPriced: `Rules = ${show(rules)}: not a list` };
    const list = (rules ?? []) as { Name?: string; Statement?: { ManagedRuleGroupStatement?: { Name?: string } } }[];
    const paid = list
      .map((x) => x.Statement?.ManagedRuleGroupStatement?.Name)
      .filter((n): n is string => !!n && PAID_MANAGED_GROUPS.has(n));
    if (paid.length > 0) {
      return { notPriced: `Rules include ${paid.join(', ')}: paid managed rule groups are not in the price table` };
    }
    return {
      lines: [
        ctx.line({
          category: 'AWS WAF',
          billed: 'web ACL',
          priceId: 'waf.webAcl.month',
          quantity: 1,
          quantityText: '1 web ACL-month',
        }),
        ctx.line({
          category: 'AWS WAF',
          billed: `${list.length} rules (${list.map((x) => x.Name ?? '?').join(', ')})`,
          group: plural(list.length, 'rule'),
          priceId: 'waf.rule.month',
          quantity: list.length,
          quantityText: `${list.length} rule-month`,
        }),
      ],
      usage: [ctx.usage('waf.requests.perMillion', 'AWS WAF', 'requests inspected', 'requests reaching the web ACL')],
    };
  },

  'AWS::WAFv2::RuleGroup': (_r, ctx) => ({
    lines: [
      ctx.line({
        category: 'AWS WAF',
        billed: 'rule group',
        priceId: 'waf.rule.month',
        quantity: 1,
        quantityText: '1 rule-month',
      }),
    ],
  }),

  'AWS::GuardDuty::Detector': (r, ctx) => {
    const p = props(r);
    if (p.Enable === false) return { free: 'detector disabled' };
    const features = Array.isArray(p.Features) ? (p.Features as { Name?: string; Status?: string }[]) : [];
    const on = (name: string): boolean => features.some((f) => f.Name === name && f.Status === 'ENABLED');
    const usage: UsageCharge[] = [
      ctx.usage(
        'guardduty.cloudTrailEvents.perMillion',
        'Amazon GuardDuty',
        'CloudTrail management events analysed',
        'API activity in the account and region',
      ),
      ctx.usage('guardduty.flowAndDnsLogs.gb', 'Amazon GuardDuty', 'VPC flow and DNS logs analysed', 'network traffic'),
    ];
    if (on('S3_DATA_EVENTS')) {
      usage.push(
        ctx.usage(
          'guardduty.s3DataEvents.perMillion',
          'Amazon GuardDuty',
          'S3 data events analysed',
          'object reads and writes',
        ),
      );
    }
    if (on('RDS_LOGIN_EVENTS')) {
      usage.push(ctx.usage('guardduty.rdsLoginEvents', 'Amazon GuardDuty', 'RDS Protection', 'database sign-ins'));
    }
    return { usage };
  },

  'AWS::SecurityHub::Hub': (_r, ctx) => {
    const standards = Object.values(ctx.template.Resources ?? {}).filter(
      (x) => x.Type === 'AWS::SecurityHub::Standard',
    );
    return {
      usage: [
        ctx.usage(
          'securityhub.check',
          'AWS Security Hub CSPM',
          'security checks',
          `controls of the ${standards.length} standards in the template, times resources, times evaluations`,
        ),
        ctx.usage(
          'securityhub.findingIngestion',
          'AWS Security Hub CSPM',
          'finding ingestion',
          'findings from GuardDuty, Macie, Inspector',
        ),
      ],
    };
  },

  'AWS::Macie::Session': (r, ctx) => {
    if (props(r).Status === 'PAUSED') return { free: 'Macie session paused' };
    return {
      usage: [
        ctx.usage(
          'macie.bucket.month',
          'Amazon Macie',
          'bucket inventory and monitoring',
          'S3 buckets in the account and region',
        ),
        ctx.usage(
          'macie.automatedDiscovery.per100kObjects',
          'Amazon Macie',
          'automated discovery monitoring',
          'objects in the buckets',
        ),
        ctx.usage('macie.inspected.gb', 'Amazon Macie', 'sensitive data inspected', 'GB sampled or classified by jobs'),
      ],
    };
  },

  'AWS::Cognito::UserPool': (r, ctx) => {
    const p = props(r);
    const addOns = p.UserPoolAddOns as { AdvancedSecurityMode?: string } | undefined;
    const threat = addOns?.AdvancedSecurityMode === 'ENFORCED' || addOns?.AdvancedSecurityMode === 'AUDIT';
    const tier = typeof p.UserPoolTier === 'string' ? p.UserPoolTier : threat ? 'PLUS' : 'ESSENTIALS';
    if (tier === 'LITE') return { notPriced: `UserPoolTier = 'LITE': the Lite MAU price is not in the table` };
    const priceId = tier === 'PLUS' ? 'cognito.plus.mau' : 'cognito.essentials.mau';
    const why = threat ? 'threat protection needs the Plus tier' : `tier ${tier}`;
    return {
      usage: [
        ctx.usage(priceId, 'Amazon Cognito', `monthly active users (${why})`, 'users who sign in during the month'),
      ],
    };
  },

  'AWS::Config::ConfigurationRecorder': (_r, ctx) => ({
    usage: [
      ctx.usage(
        'config.configurationItem',
        'AWS Config',
        'configuration items recorded',
        'changes to recorded resources',
      ),
    ],
  }),

  'AWS::Config::ConfigRule': (_r, ctx) => ({
    usage: [
      ctx.usage(
        'config.ruleEvaluation',
        'AWS Config',
        'rule evaluations',
        'resources in scope of each rule, times changes',
      ),
    ],
  }),

  'AWS::CloudTrail::Trail': (r, ctx) => {
    const selectors = props(r).EventSelectors;
    const advanced = props(r).AdvancedEventSelectors;
    // Basic selectors name data resources; advanced ones select eventCategory Data.
    const dataEvents =
      (Array.isArray(selectors) &&
        selectors.some((s) => Array.isArray((s as { DataResources?: unknown }).DataResources))) ||
      (Array.isArray(advanced) &&
        advanced.some((s) =>
          ((s as { FieldSelectors?: { Field?: string; Equals?: unknown }[] }).FieldSelectors ?? []).some(
            (f) => f.Field === 'eventCategory' && Array.isArray(f.Equals) && f.Equals.includes('Data'),
          ),
        ));
    const usage: UsageCharge[] = [];
    if (dataEvents) {
      usage.push(
        ctx.usage(
          'cloudtrail.dataEvents.per100k',
          'AWS CloudTrail',
          'data events delivered',
          'object-level calls on the selected buckets',
        ),
      );
    }
    return {
      lines: [
        ctx.line({
          category: 'CloudTrail',
          billed: 'first copy of management events',
          priceId: 'cloudtrail.managementEvents.firstCopy',
          quantity: 1,
          quantityText: '1 trail',
          note: 'free only if no other trail already delivers management events in the account',
        }),
      ],
      usage,
    };
  },
};
