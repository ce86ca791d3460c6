import { Json, one, Probe, remove, Templates } from './probe';

const route = (t: Templates): Json => one(t, 'app', 'AWS::ElasticLoadBalancingV2::ListenerRule')[1];
const signIn = (t: Templates): Json => route(t).Properties.Actions.find((a: Json) => a.Type === 'authenticate-cognito');
const wafLogging = (t: Templates): [string, Json] => one(t, 'app', 'AWS::WAFv2::LoggingConfiguration');
const container = (t: Templates): Json =>
  one(t, 'app', 'AWS::ECS::TaskDefinition')[1].Properties.ContainerDefinitions[0];

/** The attacker review of the load balancer sign-in, the WAF log and the container images: edits that passed the gate. */
export const PROBES: readonly Probe[] = [
  {
    name: "A2 the route's Cognito sign-in replaced by an outside OIDC identity provider",
    safeguards: ['A2'],
    mutate: (t) => {
      const actions = route(t).Properties.Actions as Json[];
      actions[actions.indexOf(signIn(t))] = {
        Order: 1,
        Type: 'authenticate-oidc',
        AuthenticateOidcConfig: {
          Issuer: 'https://idp.partner.example',
          AuthorizationEndpoint: 'https://idp.partner.example/authorize',
          TokenEndpoint: 'https://idp.partner.example/token',
          UserInfoEndpoint: 'https://idp.partner.example/userinfo',
          ClientId: 'synthetic-client',
          ClientSecret: 'synthetic-not-a-secret',
          OnUnauthenticatedRequest: 'authenticate',
          Scope: 'openid',
          SessionTimeout: 900,
        },
      };
    },
    caughtBy: /ForwardRequiresSignIn\[Actions::sign-in-not-cognito\]/,
  },
  {
    name: 'A2 the Cognito sign-in pointed at a user pool outside the assembly (a literal ARN)',
    safeguards: ['A2'],
    mutate: (t) =>
      (signIn(t).AuthenticateCognitoConfig.UserPoolArn =
        'arn:aws:cognito-idp:us-east-1:999999999999:userpool/us-east-1_Synthetic'),
    caughtBy: /ForwardRequiresSignIn\[Actions::user-pool-not-of-this-template\]/,
  },
  {
    name: "A2 the sign-in's user pool with MFA optional",
    safeguards: ['A2'],
    mutate: (t) => (one(t, 'app', 'AWS::Cognito::UserPool')[1].Properties.MfaConfiguration = 'OPTIONAL'),
    caughtBy: /ForwardRequiresSignIn\[Actions::user-pool-mfa-not-on\]/,
  },
  {
    name: "A2 the sign-in's client also admitting a federated identity provider (its users skip the pool's MFA)",
    safeguards: ['A2'],
    mutate: (t) =>
      one(t, 'app', 'AWS::Cognito::UserPoolClient')[1].Properties.SupportedIdentityProviders.push('PartnerOidc'),
    caughtBy: /ForwardRequiresSignIn\[Actions::client-not-cognito-only\]/,
  },
  {
    name: 'U3 the WAF logging filter dropping every record but those of a label nothing sets',
    safeguards: ['U3'],
    mutate: (t) =>
      (wafLogging(t)[1].Properties.LoggingFilter = {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ALL',
            Conditions: [{ LabelNameCondition: { LabelName: 'awswaf:never:synthetic' } }],
          },
        ],
      }),
    caughtBy: /LoadBalancerWebAcl\[LoggingFilter::drops\]/,
  },
  {
    name: 'U3 the WAF log redacting the URI path (what an attack asked for)',
    safeguards: ['U3'],
    mutate: (t) => wafLogging(t)[1].Properties.RedactedFields.push({ UriPath: {} }),
    caughtBy: /LoadBalancerWebAcl\[RedactedFields::beyond-shipped\]/,
  },
  {
    name: 'U3 the WAF logging configuration removed',
    safeguards: ['U3'],
    mutate: (t) => remove(t, 'app', [wafLogging(t)[0]]),
    caughtBy: /LoadBalancerWebAcl\[WebAclLogging::none\]/,
  },
  {
    name: 'D2 the service container running an image of Docker Hub (no Inspector scan)',
    safeguards: ['D2'],
    mutate: (t) => (container(t).Image = 'docker.io/partnerorg/api:latest'),
    caughtBy: /ContainerImagesFromAssembly\[Image::outside-assembly\]/,
  },
  {
    name: "D2 the service container running an image of another account's private registry",
    safeguards: ['D2'],
    mutate: (t) => (container(t).Image = '999999999999.dkr.ecr.us-east-1.amazonaws.com/api:v1'),
    caughtBy: /ContainerImagesFromAssembly\[Image::outside-assembly\]/,
  },
];
