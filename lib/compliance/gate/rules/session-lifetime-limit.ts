import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { SESSION_LIMIT_MINUTES } from '../../../../constructs/core/session-limit';
import {
  asList,
  cfnAbsent,
  cfnListForms,
  cfnNumber,
  isIntrinsic,
  isObject,
  Json,
  JsonResource,
} from '../core/template-json';
import { sessionDocumentContent } from './session-manager-logging';
import { viewOf } from './template-view';

const AUTHENTICATE = ['authenticate-cognito', 'authenticate-oidc'];
/** The load balancer's default authentication session (7 days) when SessionTimeout is not set. */
const ALB_DEFAULT_SESSION_SECONDS = 604800;
/** Cognito's default access and ID token validity (1 hour) when not set. */
const COGNITO_DEFAULT_TOKEN_MINUTES = 60;
/** Cognito's default refresh token validity (30 days) when not set, and the shortest it allows (60 minutes). */
const COGNITO_DEFAULT_REFRESH_MINUTES = 30 * 1440;
const REFRESH_LIMIT_MINUTES = 60;
/** IAM's default role session (1 hour), which is also the shortest it allows. */
const IAM_MIN_SESSION_SECONDS = 3600;

const MINUTES_PER: Readonly<Record<string, number>> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

/**
 * Findings of the authenticate actions of a listener or listener rule, in every list the actions may be when deployed
 * (cfnListForms: each branch of a condition). An action, an action's Type or a list only deploy resolves may be a
 * sign-in with any session: unresolved (fail closed).
 */
function albFindings(actions: unknown, where: string): string[] {
  const forms = cfnListForms(actions);
  const entries = forms === undefined ? [undefined] : forms.flat();
  const unresolved = (a: unknown): boolean => !isObject(a) || isIntrinsic(a) || typeof a.Type !== 'string';
  const findings = entries
    .filter((a) => unresolved(a) || AUTHENTICATE.includes((a as Json).Type as string))
    .flatMap((entry) => {
      if (unresolved(entry)) return [`${where}.SessionTimeout::unresolved`];
      const a = entry as Json;
      // The configuration of the action's own type (a Cognito configuration on an OIDC action is not the one used).
      const own = a.Type === 'authenticate-cognito' ? a.AuthenticateCognitoConfig : a.AuthenticateOidcConfig;
      const config = isObject(own) ? own : undefined;
      const timeout = config?.SessionTimeout;
      if (timeout === undefined) return [`${where}.SessionTimeout::default-${ALB_DEFAULT_SESSION_SECONDS}s`];
      // A number or its string form; anything else ('', null, an intrinsic) cannot be judged.
      const seconds = cfnNumber(timeout);
      if (seconds === undefined) return [`${where}.SessionTimeout::unresolved`];
      return seconds > SESSION_LIMIT_MINUTES * 60 ? [`${where}.SessionTimeout::${seconds}s`] : [];
    });
  return [...new Set(findings)];
}

/**
 * Findings of a Cognito app client: access and ID tokens live at most SESSION_LIMIT_MINUTES, refresh tokens at most
 * REFRESH_LIMIT_MINUTES (Cognito's shortest; its default, 30 days, let a stolen refresh token mint new tokens for a
 * month, and 10 years passed the gate until the attacker review of 2026-12-03).
 */
function cognitoFindings(p: Json): string[] {
  const units = isObject(p.TokenValidityUnits) ? p.TokenValidityUnits : {};
  return (
    [
      ['AccessTokenValidity', 'AccessToken', COGNITO_DEFAULT_TOKEN_MINUTES, 'hours', SESSION_LIMIT_MINUTES],
      ['IdTokenValidity', 'IdToken', COGNITO_DEFAULT_TOKEN_MINUTES, 'hours', SESSION_LIMIT_MINUTES],
      ['RefreshTokenValidity', 'RefreshToken', COGNITO_DEFAULT_REFRESH_MINUTES, 'days', REFRESH_LIMIT_MINUTES],
    ] as const
  ).flatMap(([property, unitKey, defaultMinutes, defaultUnit, limit]) => {
    const value = p[property];
    if (value === undefined) return [`${property}::default-${defaultMinutes}min`];
    const unit = typeof units[unitKey] === 'string' ? (units[unitKey] as string) : defaultUnit;
    const amount = cfnNumber(value);
    if (amount === undefined || MINUTES_PER[unit] === undefined) {
      return [`${property}::unresolved`];
    }
    const minutes = amount * MINUTES_PER[unit]!;
    // Below Cognito's shortest refresh token (0 included), Cognito applies its 30-day default instead (the API
    // reference; the second review of 2026-12-03).
    if (property === 'RefreshTokenValidity' && minutes < REFRESH_LIMIT_MINUTES) {
      return [`${property}::${minutes}min-becomes-default-${defaultMinutes}min`];
    }
    return minutes > limit ? [`${property}::${minutes}min`] : [];
  });
}

/** Findings of a Session Manager preferences document: idle sessions end after SESSION_LIMIT_MINUTES. */
function sessionDocumentFindings(p: Json): string[] {
  const content = sessionDocumentContent(p.Content);
  if (content === undefined) return ['Content::unreadable'];
  const inputs = isObject(content) && isObject(content.inputs) ? content.inputs : undefined;
  const idle = inputs?.idleSessionTimeout;
  if (idle === undefined) return ['idleSessionTimeout::default-20min'];
  const minutes = cfnNumber(idle);
  return minutes === undefined || minutes > SESSION_LIMIT_MINUTES ? [`idleSessionTimeout::${String(idle)}`] : [];
}

/** Principal types whose sessions a person holds: AWS accounts, users and roles, and federated identities. */
const PEOPLE_PRINCIPALS = ['AWS', 'Federated'];

/**
 * Whether a trust statement may let a person assume the role: not a literal Deny (an Effect only deploy resolves may
 * allow), and a principal that may be a person: anyone ("*"), an AWS or federated principal, NotPrincipal (everyone
 * but those listed), or a principal or a statement only deploy resolves. Only statements naming services alone are not.
 */
function mayAdmitPeople(statement: unknown): boolean {
  if (!isObject(statement) || isIntrinsic(statement)) return !cfnAbsent(statement);
  if (statement.Effect === 'Deny') return false;
  if (statement.NotPrincipal !== undefined) return true;
  const principal = statement.Principal;
  if (!isObject(principal) || isIntrinsic(principal)) return principal !== undefined;
  return Object.keys(principal).some((type) => PEOPLE_PRINCIPALS.includes(type));
}

/** Whether a role's trust policy may admit a person (mayAdmitPeople), not only services. */
function assumedByPeople(p: Json): boolean {
  const document = p.AssumeRolePolicyDocument;
  if (!isObject(document) || isIntrinsic(document)) return document !== undefined;
  const statements = document.Statement;
  if (isIntrinsic(statements)) return true;
  return asList(statements).some(mayAdmitPeople);
}

/** Findings of one resource, or undefined when the rule does not apply to its type. */
export function sessionLimitFindings(resource: JsonResource): string[] | undefined {
  const p: Json = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::ElasticLoadBalancingV2::Listener':
      return albFindings(p.DefaultActions, 'DefaultActions');
    case 'AWS::ElasticLoadBalancingV2::ListenerRule':
      return albFindings(p.Actions, 'Actions');
    case 'AWS::Cognito::UserPoolClient':
      return cognitoFindings(p);
    case 'AWS::SSM::Document':
      // A type only deploy resolves may be Session: judged as one (fail closed).
      return p.DocumentType === 'Session' || isIntrinsic(p.DocumentType) ? sessionDocumentFindings(p) : undefined;
    case 'AWS::IAM::Role': {
      if (!assumedByPeople(p)) return undefined;
      const max = p.MaxSessionDuration;
      return max === undefined || cfnNumber(max) === IAM_MIN_SESSION_SECONDS
        ? []
        : [`MaxSessionDuration::${typeof max === 'object' ? JSON.stringify(max) : String(max)}`];
    }
    default:
      return undefined;
  }
}

/**
 * A4 automatic logoff: every session a person holds ends within the limit (SESSION_LIMIT_MINUTES, 15): the load
 * balancer's Cognito/OIDC sign-in session (SessionTimeout; unset is 7 days), the Cognito app client's access and
 * ID tokens (unset is 1 hour), the Session Manager idle timeout; roles people may assume (an AWS or federated
 * principal, anyone, NotPrincipal, or a trust policy only deploy resolves: assumedByPeople) keep IAM's shortest session
 * (1 hour).
 */
export function SessionLifetimeLimit(node: CfnResource): NagRuleResult {
  const findings = sessionLimitFindings(viewOf(node).resource);
  if (findings === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
