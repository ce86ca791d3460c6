import { isDomainKey, Json, one, Probe, refersTo, remove, Templates } from './probe';

const client = (t: Templates): Json => one(t, 'app', 'AWS::Cognito::UserPoolClient')[1];
const rateRule = (t: Templates): Json =>
  one(t, 'app', 'AWS::WAFv2::WebACL')[1].Properties.Rules.find((r: Json) => r.Statement.RateBasedStatement);
const managedGroup = (t: Templates, name: string): Json =>
  one(t, 'app', 'AWS::WAFv2::WebACL')[1].Properties.Rules.find(
    (r: Json) => r.Statement.ManagedRuleGroupStatement?.Name === name,
  ).Statement.ManagedRuleGroupStatement;
const userPool = (t: Templates): Json => one(t, 'app', 'AWS::Cognito::UserPool')[1];
const sessionInputs = (t: Templates): Json => one(t, 'app', 'AWS::SSM::Document')[1].Properties.Content.inputs;
/** The PHI data key (keys stack). */
const phiKey = (t: Templates): Json => one(t, 'keys', 'AWS::KMS::Key', isDomainKey('phi'))[1];

/**
 * What the attacker review of 2026-12-03 found and the gate let pass until the next sitting: the load balancer's
 * sign-in client handing codes elsewhere, a rate rule that limits nothing, a policy string that says two things.
 */
export const PROBES: readonly Probe[] = [
  {
    name: "A2 a second callback URL on the load balancer's sign-in client (Cognito hands it the user's code)",
    safeguards: ['A2'],
    mutate: (t) => client(t).Properties.CallbackURLs.push('https://collector.example.net/oauth2/idpresponse'),
    caughtBy: /ForwardRequiresSignIn\[Actions::client-callback-not-load-balancer\]/,
  },
  {
    name: "A2 the sign-in client's one callback moved to another host's /oauth2/idpresponse",
    safeguards: ['A2'],
    mutate: (t) => (client(t).Properties.CallbackURLs = ['https://collector.example.net/oauth2/idpresponse']),
    caughtBy: /AllowListsAsConfigured\[[A-Za-z0-9]+::redirect-not-in-config\]/,
  },
  {
    name: 'A2 the sign-in client also allowing the implicit flow (tokens in the redirect)',
    safeguards: ['A2'],
    mutate: (t) => client(t).Properties.AllowedOAuthFlows.push('implicit'),
    caughtBy: /ForwardRequiresSignIn\[Actions::client-flows-not-code-only\]/,
  },
  {
    name: 'A2 the sign-in client without a secret (whoever holds a code exchanges it)',
    safeguards: ['A2'],
    mutate: (t) => (client(t).Properties.GenerateSecret = false),
    caughtBy: /ForwardRequiresSignIn\[Actions::client-without-secret\]/,
  },
  {
    name: 'E3 the WAF rate limit raised to 2,000,000,000 requests per IP and 5 minutes',
    safeguards: ['E3'],
    mutate: (t) => (rateRule(t).Statement.RateBasedStatement.Limit = 2_000_000_000),
    caughtBy: /LoadBalancerWebAcl\[WebAcl::RateLimit-limit-too-high\]/,
  },
  {
    name: 'E3 the WAF rate rule scoped down to a path nobody requests',
    safeguards: ['E3'],
    mutate: (t) =>
      (rateRule(t).Statement.RateBasedStatement.ScopeDownStatement = {
        ByteMatchStatement: {
          SearchString: '/synthetic-never',
          FieldToMatch: { UriPath: {} },
          PositionalConstraint: 'EXACTLY',
          TextTransformations: [{ Priority: 0, Type: 'NONE' }],
        },
      }),
    caughtBy: /LoadBalancerWebAcl\[WebAcl::RateLimit-scoped-down\]/,
  },
  {
    name: 'E3 the WAF rate rule counting instead of blocking',
    safeguards: ['E3'],
    mutate: (t) => (rateRule(t).Action = { Count: {} }),
    caughtBy: /LoadBalancerWebAcl\[WebAcl::RateLimit-not-blocking\]/,
  },
  {
    name: 'E1 the PHI key policy as a JSON string whose grant to another account says Effect twice (Allow, then Deny)',
    safeguards: ['E1'],
    mutate: (t) => {
      const key = phiKey(t);
      const grant =
        '{"Sid": "Ops", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "kms:*", "Resource": "*", "Effect": "Deny"}';
      key.Properties.KeyPolicy = `{"Version": "2012-10-17", "Statement": [${grant}]}`;
    },
    caughtBy: /KmsKeySafeguards\[KeyPolicy::duplicate-key\]/,
  },
  {
    name: "U3 the account's Session Manager preferences with transcript streaming off",
    safeguards: ['U3'],
    mutate: (t) => (sessionInputs(t).cloudWatchStreamingEnabled = false),
    caughtBy: /SessionManagerLogging\[cloudWatchStreamingEnabled::off\]/,
  },
  {
    name: 'U3 Session Manager transcripts sent to a log group by literal name (one nobody keeps six years)',
    safeguards: ['U3'],
    mutate: (t) => (sessionInputs(t).cloudWatchLogGroupName = 'synthetic-scratch'),
    caughtBy: /SessionManagerLogging\[cloudWatchLogGroupName::not-a-log-group-of-the-template\]/,
  },
  {
    name: 'E3 a rule group of the account referenced first, its one rule allowing every request',
    safeguards: ['E3'],
    mutate: (t) => {
      const acl = one(t, 'app', 'AWS::WAFv2::WebACL')[1];
      t.app!.Resources.SyntheticAllowGroup = {
        Type: 'AWS::WAFv2::RuleGroup',
        Properties: {
          Capacity: 10,
          Scope: 'REGIONAL',
          VisibilityConfig: { CloudWatchMetricsEnabled: false, MetricName: 'g', SampledRequestsEnabled: false },
          Rules: [
            {
              Name: 'AllowAll',
              Priority: 0,
              Action: { Allow: {} },
              Statement: {
                NotStatement: {
                  Statement: {
                    ByteMatchStatement: {
                      SearchString: '/synthetic-never',
                      FieldToMatch: { UriPath: {} },
                      PositionalConstraint: 'EXACTLY',
                      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
                    },
                  },
                },
              },
              VisibilityConfig: { CloudWatchMetricsEnabled: false, MetricName: 'a', SampledRequestsEnabled: false },
            },
          ],
        },
      };
      acl.Properties.Rules.push({
        Name: 'Mine',
        Priority: 1,
        OverrideAction: { None: {} },
        Statement: { RuleGroupReferenceStatement: { Arn: { 'Fn::GetAtt': ['SyntheticAllowGroup', 'Arn'] } } },
        VisibilityConfig: { CloudWatchMetricsEnabled: false, MetricName: 'm', SampledRequestsEnabled: false },
      });
    },
    caughtBy: /LoadBalancerWebAcl\[WebAcl::RuleGroupReference-unjudged\]/,
  },
  {
    name: 'E3 a second copy of the common rule set first by Priority, requests without a User-Agent allowed',
    safeguards: ['E3'],
    mutate: (t) =>
      one(t, 'app', 'AWS::WAFv2::WebACL')[1].Properties.Rules.push({
        Name: 'CommonCopy',
        Priority: 1,
        OverrideAction: { None: {} },
        Statement: {
          ManagedRuleGroupStatement: {
            VendorName: 'AWS',
            Name: 'AWSManagedRulesCommonRuleSet',
            RuleActionOverrides: [{ Name: 'NoUserAgent_HEADER', ActionToUse: { Allow: {} } }],
          },
        },
        VisibilityConfig: { CloudWatchMetricsEnabled: false, MetricName: 'c', SampledRequestsEnabled: false },
      }),
    caughtBy: /LoadBalancerWebAcl\[WebAcl::AWSManagedRulesCommonRuleSet-rule-overridden\]/,
  },
  {
    name: "A2 the load balancer's sign-in sent to a host outside the pool (UserPoolDomain a literal)",
    safeguards: ['A2'],
    mutate: (t) => {
      const rule = one(t, 'app', 'AWS::ElasticLoadBalancingV2::ListenerRule')[1];
      const signIn = rule.Properties.Actions.find((a: Json) => a.Type === 'authenticate-cognito');
      signIn.AuthenticateCognitoConfig.UserPoolDomain = 'login.collector.example.net';
    },
    caughtBy: /ForwardRequiresSignIn\[Actions::domain-not-of-the-pool\]/,
  },
  {
    name: 'A2 a second user pool client, implicit flow, its callback an Fn::Select of a URL with a part only deploy knows',
    safeguards: ['A2'],
    mutate: (t) => {
      const [, first] = one(t, 'app', 'AWS::Cognito::UserPoolClient');
      t.app!.Resources.SyntheticSecondClient = {
        Type: 'AWS::Cognito::UserPoolClient',
        Properties: {
          UserPoolId: first.Properties.UserPoolId,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['implicit'],
          AllowedOAuthScopes: ['openid'],
          SupportedIdentityProviders: ['COGNITO'],
          CallbackURLs: [
            {
              'Fn::Select': [
                0,
                [
                  { 'Fn::Sub': 'https://collector.example.net/cb?s=${AWS::StackName}' },
                  first.Properties.CallbackURLs[0],
                ],
              ],
            },
          ],
        },
      };
    },
    caughtBy: /AllowListsAsConfigured\[SyntheticSecondClient::redirect-not-in-config\]/,
  },
  {
    name: "I1 the backup vault's access policy as a string allowing deletes to everyone, Effect written twice (Allow, then Deny)",
    safeguards: ['I1'],
    mutate: (t) => {
      const [, vault] = one(t, 'data', 'AWS::Backup::BackupVault');
      vault.Properties.AccessPolicy =
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "backup:DeleteRecoveryPoint", "Resource": "*", "Effect": "Deny"}]}';
    },
    caughtBy: /TemplateDeploysAsWritten\[JsonText::duplicate-key@AccessPolicy\]/,
  },
  {
    name: "U3 the account's Session Manager preferences renamed (Session Manager reads only SSM-SessionManagerRunShell)",
    safeguards: ['U3'],
    mutate: (t) => (one(t, 'app', 'AWS::SSM::Document')[1].Properties.Name = 'synthetic-session-prefs'),
    caughtBy: /SessionPreferencesPresent\[absent\]/,
  },
  {
    name: "U3 the account's Session Manager preferences removed",
    safeguards: ['U3'],
    mutate: (t) => remove(t, 'app', [one(t, 'app', 'AWS::SSM::Document')[0]]),
    caughtBy: /SessionPreferencesPresent\[absent\]/,
  },
  {
    name: 'A2 the sign-in client allowing plain-password and custom sign-in through the API',
    safeguards: ['A2'],
    mutate: (t) => client(t).Properties.ExplicitAuthFlows.push('ALLOW_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH'),
    caughtBy: /ForwardRequiresSignIn\[Actions::client-auth-flows-beyond-srp\]/,
  },
  {
    name: "A2 the sign-in client's tokens allowed to change their own user (aws.cognito.signin.user.admin)",
    safeguards: ['A2'],
    mutate: (t) => client(t).Properties.AllowedOAuthScopes.push('aws.cognito.signin.user.admin'),
    caughtBy: /ForwardRequiresSignIn\[Actions::client-scopes-beyond-identity\]/,
  },
  // The second attacker review of 2026-12-03, each missed until the next sitting.
  {
    name: 'E3 the SQL injection rule of the SQLi rule set overridden to Challenge (a solved challenge lets the injection on)',
    safeguards: ['E3'],
    mutate: (t) =>
      (managedGroup(t, 'AWSManagedRulesSQLiRuleSet').RuleActionOverrides = [
        { Name: 'SQLi_BODY', ActionToUse: { Challenge: {} } },
      ]),
    caughtBy: /LoadBalancerWebAcl\[WebAcl::AWSManagedRulesSQLiRuleSet-rule-overridden\]/,
  },
  {
    name: 'E3 the SQLi rule set pinned to one version (no more signature updates)',
    safeguards: ['E3'],
    mutate: (t) => (managedGroup(t, 'AWSManagedRulesSQLiRuleSet').Version = 'Version_1.0'),
    caughtBy: /LoadBalancerWebAcl\[WebAcl::AWSManagedRulesSQLiRuleSet-version-pinned\]/,
  },
  {
    name: "E3 another vendor's managed rule group first by Priority (its rules, which may Allow, unjudged)",
    safeguards: ['E3'],
    mutate: (t) =>
      one(t, 'app', 'AWS::WAFv2::WebACL')[1].Properties.Rules.push({
        Name: 'Vendor',
        Priority: 1,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'SyntheticVendor', Name: 'SyntheticAllowList' } },
        VisibilityConfig: { CloudWatchMetricsEnabled: false, MetricName: 'v', SampledRequestsEnabled: false },
      }),
    caughtBy: /LoadBalancerWebAcl\[WebAcl::SyntheticAllowList-vendor-unjudged\]/,
  },
  {
    name: "A2 the pool's sign-in domain made a custom domain (whoever holds its DNS receives the codes)",
    safeguards: ['A2'],
    mutate: (t) => {
      const domain = one(t, 'app', 'AWS::Cognito::UserPoolDomain')[1];
      domain.Properties.Domain = 'login.synthetic.example.net';
      domain.Properties.CustomDomainConfig = {
        CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
      };
    },
    caughtBy: /ForwardRequiresSignIn\[(Default)?Actions::domain-custom\]/,
  },
  {
    name: 'A2 a UserMigration trigger on the pool (it creates a confirmed user for any password it accepts)',
    safeguards: ['A2'],
    mutate: (t) =>
      (userPool(t).Properties.LambdaConfig = {
        UserMigration: 'arn:aws:lambda:us-east-1:123456789012:function:synthetic-migrate',
      }),
    caughtBy: /ForwardRequiresSignIn\[(Default)?Actions::user-pool-triggers\]/,
  },
  {
    name: "A2 the pool's threat protection only auditing (compromised credentials sign in)",
    safeguards: ['A2'],
    mutate: (t) => (userPool(t).Properties.UserPoolAddOns = { AdvancedSecurityMode: 'AUDIT' }),
    caughtBy: /ForwardRequiresSignIn\[(Default)?Actions::user-pool-threat-protection-not-enforced\]/,
  },
  {
    name: "U3 the account's Session Manager preferences, with their log group, moved to a stack of the replica region",
    safeguards: ['U3'],
    mutate: (t) => {
      // The document and every resource of the app stack it references, directly or through another (its log group,
      // the log group's data protection findings group).
      const app = t.app!.Resources;
      const moved = [one(t, 'app', 'AWS::SSM::Document')[0]];
      for (let i = 0; i < moved.length; i++) {
        const properties = app[moved[i]!]!.Properties;
        for (const id of Object.keys(app)) if (!moved.includes(id) && refersTo(properties, id)) moved.push(id);
      }
      for (const id of moved) t.phiReplica!.Resources[id] = app[id]!;
      remove(t, 'app', moved);
    },
    caughtBy: /SessionPreferencesPresent\[[A-Za-z0-9]+::other-region\]/,
  },
  {
    name: "N2 E3 a Firewall Manager WAF policy over the account's load balancers, overriding their web ACL associations",
    safeguards: ['N2', 'E3'],
    mutate: (t) =>
      (t.app!.Resources.SyntheticFirewallPolicy = {
        Type: 'AWS::FMS::Policy',
        Properties: {
          PolicyName: 'synthetic-waf',
          ExcludeResourceTags: false,
          RemediationEnabled: true,
          ResourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          SecurityServicePolicyData: {
            Type: 'WAFV2',
            ManagedServiceData: JSON.stringify({
              type: 'WAFV2',
              defaultAction: { type: 'ALLOW' },
              overrideCustomerWebACLAssociation: true,
              preProcessRuleGroups: [],
              postProcessRuleGroups: [],
            }),
          },
        },
      }),
    caughtBy: /LoadBalancerWebAcl\[SyntheticFirewallPolicy::FmsPolicy-replaces-association\]/,
  },
];
