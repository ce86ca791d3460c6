import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPool,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { COGNITO_MIN_TOKEN_VALIDITY_MINUTES, SESSION_LIMIT_MINUTES, tagSafeguards } from './core';

/** Props of an AppUserPool. */
export interface AppUserPoolProps {
  /** Name of the user pool, e.g. 'hipaa-dev-users'. */
  readonly userPoolName: string;
  /**
   * Prefix of the Cognito-hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`):
   * lower-case letters, digits and dashes, unique in the region, without 'aws', 'amazon' or 'cognito'.
   */
  readonly domainPrefix: string;
  /** Host name the application is served on; the callback is `https://<host>/oauth2/idpresponse` (the ALB's). */
  readonly applicationHost: string;
  /** Session length in minutes (1-15, safeguard A4); tokens live this long (Cognito's floor: 5 minutes). */
  readonly sessionTimeoutMinutes: number;
  /**
   * Refresh token validity. The load balancer does not use refresh tokens to extend its session; this
   * bounds any other client of the pool.
   * @default 60 minutes (Cognito's minimum)
   */
  readonly refreshTokenValidity?: Duration;
}

/** Password policy of application users (A2), kept as data. */
export const APP_PASSWORD_POLICY = {
  minLength: 14,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  tempPasswordValidity: Duration.days(1),
  passwordHistorySize: 24,
} as const;

const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Application users (safeguards A1, A2, A4): a Cognito user pool with MFA required (TOTP
 * authenticator apps; no SMS), a 14-character password policy with every character class, one-day
 * temporary passwords, no self sign-up (administrators invite users), the Plus feature plan with
 * threat protection enforced (compromised credentials and adaptive authentication block risky
 * sign-ins), deletion protection and Retain.
 *
 * Its app client is the load balancer's: authorization code grant with a secret, scope openid, the
 * ALB's `/oauth2/idpresponse` callback, access and ID tokens valid at most 15 minutes, token
 * revocation and no user-existence errors. Sign-in uses the Cognito prefix domain.
 */
export class AppUserPool extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  public readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: AppUserPoolProps) {
    super(scope, id);
    const where = `AppUserPool ${this.node.path}`;
    const minutes = props.sessionTimeoutMinutes;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > SESSION_LIMIT_MINUTES) {
      throw new Error(
        `${where}: sessionTimeoutMinutes = ${minutes}: must be a whole number from 1 to ${SESSION_LIMIT_MINUTES} (safeguard A4)`,
      );
    }
    if (!DOMAIN_PREFIX.test(props.domainPrefix) || /aws|amazon|cognito/.test(props.domainPrefix)) {
      throw new Error(
        `${where}: domainPrefix = '${props.domainPrefix}': must be lower-case letters, digits and dashes (at most 63), without 'aws', 'amazon' or 'cognito'`,
      );
    }
    if (!HOST.test(props.applicationHost)) {
      throw new Error(`${where}: applicationHost = '${props.applicationHost}': must be a lower-case host name`);
    }
    const refresh = props.refreshTokenValidity ?? Duration.minutes(60);
    const tokenMinutes = Math.max(COGNITO_MIN_TOKEN_VALIDITY_MINUTES, minutes);

    this.userPool = new UserPool(this, 'Resource', {
      userPoolName: props.userPoolName,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Safeguards last: nothing above can override them.
      selfSignUpEnabled: false,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { ...APP_PASSWORD_POLICY },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const cfn = this.userPool.node.defaultChild as CfnUserPool;
    cfn.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
    // cdk-nag AwsSolutions-COG3 (and Security Hub Cognito.1) read the add-on's AdvancedSecurityMode.
    cfn.userPoolAddOns = { advancedSecurityMode: 'ENFORCED' };

    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    this.client = this.userPool.addClient('AlbClient', {
      userPoolClientName: 'load-balancer',
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      authFlows: { userSrp: true },
      // Safeguards last.
      generateSecret: true,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID],
        callbackUrls: [`https://${props.applicationHost}/oauth2/idpresponse`],
        logoutUrls: [`https://${props.applicationHost}/`],
      },
      accessTokenValidity: Duration.minutes(tokenMinutes),
      idTokenValidity: Duration.minutes(tokenMinutes),
      refreshTokenValidity: refresh,
      authSessionValidity: Duration.minutes(3),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    tagSafeguards(this, ['A1', 'A2', 'A4']);
  }
}
