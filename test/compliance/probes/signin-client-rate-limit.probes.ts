import { isDomainKey, Json, one, Probe, Templates } from './probe';

const client = (t: Templates): Json => one(t, 'app', 'AWS::Cognito::UserPoolClient')[1];
const rateRule = (t: Templates): Json =>
  one(t, 'app', 'AWS::WAFv2::WebACL')[1].Properties.Rules.find((r: Json) => r.Statement.RateBasedStatement);
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
];
