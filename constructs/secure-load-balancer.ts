import { Duration } from 'aws-cdk-lib';
import { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { IUserPool, IUserPoolClient, IUserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { IVpc, Peer, Port, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import {
  ApplicationListener,
  ApplicationLoadBalancer,
  ApplicationProtocol,
  ApplicationTargetGroup,
  DesyncMitigationMode,
  ListenerAction,
  ListenerCertificate,
  ListenerCondition,
  Protocol,
  SslPolicy,
  TargetType,
  UnauthenticatedAction,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AuthenticateCognitoAction } from 'aws-cdk-lib/aws-elasticloadbalancingv2-actions';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  ALLOWED_TLS_POLICIES,
  DEFAULT_TLS_POLICY,
  RetentionPolicy,
  SESSION_LIMIT_MINUTES,
  tagSafeguards,
} from './core';
import { AccessLogBucket } from './access-log-bucket';
import { AlbWebAcl } from './alb-web-acl';

/** One service behind the load balancer: how requests reach it. */
export interface LoadBalancerRoute {
  /** Service name, lower-case letters, digits and dashes; names the target group. */
  readonly name: string;
  /** HTTPS port the service's tasks listen on (the target group's port). */
  readonly port: number;
  /** Listener rule priority, 1-50000, unique per load balancer. */
  readonly priority: number;
  /**
   * Path patterns the rule matches, e.g. ['/api/*'].
   * @default - any path (then hostHeaders is required)
   */
  readonly pathPatterns?: readonly string[];
  /**
   * Host headers the rule matches, e.g. ['api.example.org'].
   * @default - any host (then pathPatterns is required)
   */
  readonly hostHeaders?: readonly string[];
  /**
   * Path of the HTTPS health check.
   * @default '/health'
   */
  readonly healthCheckPath?: string;
}

/** The Cognito sign-in every routed request goes through (safeguards A2, A4). */
export interface LoadBalancerAuthentication {
  readonly userPool: IUserPool;
  /** An app client with the authorization code grant, a secret and `https://<domain>/oauth2/idpresponse` as callback. */
  readonly userPoolClient: IUserPoolClient;
  readonly userPoolDomain: IUserPoolDomain;
  /** Authentication session timeout: 1 minute to SESSION_LIMIT_MINUTES (A4). */
  readonly sessionTimeout: Duration;
}

/** Props of a SecureLoadBalancer. */
export interface SecureLoadBalancerProps {
  /** The PHI VPC: the load balancer goes in its 'Public' tier only. */
  readonly vpc: IVpc;
  /** Certificate of the HTTPS listener (AppCertificate). */
  readonly certificate: ICertificate;
  /** Receives the access logs (SSE-S3: ALB log delivery cannot use SSE-KMS), under 'alb/'. */
  readonly accessLogs: AccessLogBucket;
  /** Key of the WAF log group (operations domain). */
  readonly logsKey: IKey;
  /** The blueprint's retention policy (WAF logs, U3). */
  readonly retention: RetentionPolicy;
  /** Name prefix of the web ACL, e.g. 'hipaa-dev'. */
  readonly name: string;
  /** Cognito sign-in in front of every route. */
  readonly authentication: LoadBalancerAuthentication;
  /** The services behind the load balancer. */
  readonly routes: readonly LoadBalancerRoute[];
  /**
   * Security policy of the HTTPS listener; must be in ALLOWED_TLS_POLICIES.
   * @default ELBSecurityPolicy-TLS13-1-2-Res-2021-06
   */
  readonly sslPolicy?: SslPolicy;
  /**
   * Seconds an idle client connection stays open.
   * @default 60
   */
  readonly idleTimeout?: Duration;
}

const ROUTE_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const MAX_SESSION = Duration.minutes(SESSION_LIMIT_MINUTES);

/**
 * The internet-facing entry of the PHI application (safeguards E3, A2, A4, N2, U3):
 *
 * - an application load balancer in the public tier only, with its own security group: 443 and 80
 *   from anywhere, egress only to the targets' security groups on their ports (added when targets
 *   register) and HTTPS to the Cognito endpoints for sign-in (the ALB exchanges the authorization code;
 *   Cognito has no fixed addresses, so this is 443 to anywhere);
 * - deletion protection, invalid header fields dropped, strictest desync mitigation, WAF fail-closed,
 *   access logs to the AccessLogBucket under 'alb/';
 * - an HTTPS listener on 443 with a TLS 1.3/1.2 policy from the allow-list, default action 404,
 *   one rule per route: authenticate with Cognito (session timeout <= 15 minutes, forced
 *   re-authentication at the IdP with prompt=login), then forward to an HTTPS target group whose
 *   health check is HTTPS (TLS end to end: the task presents its own certificate);
 * - a port 80 listener that only redirects to HTTPS (permanent);
 * - an AWS WAF web ACL (AlbWebAcl) associated with the load balancer, logging to an encrypted log group.
 */
export class SecureLoadBalancer extends Construct {
  public readonly loadBalancer: ApplicationLoadBalancer;
  public readonly securityGroup: SecurityGroup;
  public readonly httpsListener: ApplicationListener;
  public readonly httpListener: ApplicationListener;
  public readonly webAcl: AlbWebAcl;
  /** Target group of each route, by route name. Register targets with `addTarget`. */
  public readonly targetGroups: Readonly<Record<string, ApplicationTargetGroup>>;

  constructor(scope: Construct, id: string, props: SecureLoadBalancerProps) {
    super(scope, id);
    const where = `SecureLoadBalancer ${this.node.path}`;
    const sslPolicy = props.sslPolicy ?? DEFAULT_TLS_POLICY;
    if (!ALLOWED_TLS_POLICIES.includes(sslPolicy)) {
      throw new Error(
        `${where}: sslPolicy = '${sslPolicy}': must be one of ${ALLOWED_TLS_POLICIES.join(', ')} (safeguard E3)`,
      );
    }
    const session = props.authentication.sessionTimeout.toSeconds();
    if (session < 60 || session > MAX_SESSION.toSeconds()) {
      throw new Error(
        `${where}: authentication.sessionTimeout = ${session} s: must be 60 to ${MAX_SESSION.toSeconds()} s (safeguard A4)`,
      );
    }
    validateRoutes(where, props.routes);

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'PHI load balancer: HTTPS and redirect-only HTTP from the internet; egress to its targets only',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS from clients');
    this.securityGroup.addIngressRule(Peer.anyIpv4(), Port.tcp(80), 'HTTP from clients, redirected to HTTPS');

    this.loadBalancer = new ApplicationLoadBalancer(this, 'Resource', {
      vpc: props.vpc,
      vpcSubnets: { subnetGroupName: 'Public' },
      securityGroup: this.securityGroup,
      idleTimeout: props.idleTimeout,
      // Safeguards last: nothing above can override them.
      internetFacing: true,
      deletionProtection: true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: DesyncMitigationMode.STRICTEST,
      wafFailOpen: false,
      http2Enabled: true,
    });
    props.accessLogs.receiveLoadBalancerLogsFrom(this.loadBalancer, 'alb');

    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: ApplicationProtocol.HTTPS,
      certificates: [ListenerCertificate.fromCertificateManager(props.certificate)],
      sslPolicy,
      open: false,
      defaultAction: ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not found' }),
    });
    this.httpListener = this.loadBalancer.addListener('HttpRedirect', {
      port: 80,
      protocol: ApplicationProtocol.HTTP,
      open: false,
      defaultAction: ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });

    const targetGroups: Record<string, ApplicationTargetGroup> = {};
    for (const route of props.routes) {
      const tgId = `${pascal(route.name)}Targets`;
      const targetGroup = new ApplicationTargetGroup(this, tgId, {
        vpc: props.vpc,
        targetType: TargetType.IP,
        port: route.port,
        deregistrationDelay: Duration.seconds(30),
        // Safeguard E3 (end to end): the load balancer re-encrypts to the task.
        protocol: ApplicationProtocol.HTTPS,
        healthCheck: {
          protocol: Protocol.HTTPS,
          path: route.healthCheckPath ?? '/health',
          healthyHttpCodes: '200-399',
        },
      });
      const conditions = [
        ...(route.pathPatterns ? [ListenerCondition.pathPatterns([...route.pathPatterns])] : []),
        ...(route.hostHeaders ? [ListenerCondition.hostHeaders([...route.hostHeaders])] : []),
      ];
      this.httpsListener.addAction(`${pascal(route.name)}Route`, {
        priority: route.priority,
        conditions,
        action: new AuthenticateCognitoAction({
          userPool: props.authentication.userPool,
          userPoolClient: props.authentication.userPoolClient,
          userPoolDomain: props.authentication.userPoolDomain,
          scope: 'openid',
          sessionTimeout: props.authentication.sessionTimeout,
          onUnauthenticatedRequest: UnauthenticatedAction.AUTHENTICATE,
          // The IdP asks for password and MFA again instead of reusing its own (longer) session.
          authenticationRequestExtraParams: { prompt: 'login' },
          next: ListenerAction.forward([targetGroup]),
        }),
      });
      targetGroups[route.name] = targetGroup;
    }
    this.targetGroups = targetGroups;

    this.webAcl = new AlbWebAcl(this, 'WebAcl', {
      name: `${props.name}-alb`,
      loadBalancerArn: this.loadBalancer.loadBalancerArn,
      logsKey: props.logsKey,
      retention: props.retention,
    });

    tagSafeguards(this, ['E3', 'A2', 'A4', 'N2', 'U3']);
  }
}

function pascal(name: string): string {
  return name
    .split('-')
    .filter((p) => p.length > 0)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function validateRoutes(where: string, routes: readonly LoadBalancerRoute[]): void {
  const priorities = new Set<number>();
  const names = new Set<string>();
  for (const [i, route] of routes.entries()) {
    const field = `routes[${i}]`;
    if (!ROUTE_NAME.test(route.name)) {
      throw new Error(`${where}: ${field}.name = '${route.name}': must be lower-case letters, digits and dashes`);
    }
    if (names.has(route.name)) throw new Error(`${where}: ${field}.name = '${route.name}': duplicate route name`);
    names.add(route.name);
    if (!Number.isInteger(route.port) || route.port < 1 || route.port > 65535) {
      throw new Error(`${where}: ${field}.port = ${route.port}: must be a port number from 1 to 65535`);
    }
    if (!Number.isInteger(route.priority) || route.priority < 1 || route.priority > 50000) {
      throw new Error(`${where}: ${field}.priority = ${route.priority}: must be an integer from 1 to 50000`);
    }
    if (priorities.has(route.priority)) {
      throw new Error(`${where}: ${field}.priority = ${route.priority}: must be unique on the listener`);
    }
    priorities.add(route.priority);
    if (!route.pathPatterns?.length && !route.hostHeaders?.length) {
      throw new Error(`${where}: ${field}: needs pathPatterns or hostHeaders (a listener rule needs a condition)`);
    }
  }
}
