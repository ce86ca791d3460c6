/**
 * Evaluates requests against synthesized policies with @cloud-copilot/iam-simulate (a maintained IAM policy
 * simulator: identity, resource, SCP and VPC endpoint policies, KMS key policy delegation, every condition
 * operator), never with a hand-written evaluator. The simulator does not fill the request context from the
 * principal, so `requestContext` adds what AWS adds to every signed request of an IAM principal
 * (aws:PrincipalArn, aws:PrincipalAccount, aws:RequestedRegion, aws:SecureTransport) and, for KMS,
 * kms:CallerAccount.
 */
import { runSimulation, Simulation } from '@cloud-copilot/iam-simulate';

/** A policy document. */
export type PolicyDocument = { Version?: string; Statement: unknown[] } & Record<string, unknown>;

/** The decision of one request. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** One request and the policies it meets. */
export interface SimulatedRequest {
  /** IAM principal ARN (role, root) or service principal (e.g. cloudtrail.amazonaws.com). */
  readonly principal: string;
  readonly action: string;
  /** Resource ARN and the account that owns it. */
  readonly resource: string;
  readonly resourceAccount: string;
  /** Request context beyond what requestContext adds (kms:ViaService, aws:SourceVpc, aws:SourceArn...). */
  readonly context?: Record<string, string | string[]>;
  /** Identity policies of the principal. @default none */
  readonly identityPolicies?: readonly PolicyDocument[];
  /** The resource's policy (key policy, bucket policy). @default none */
  readonly resourcePolicy?: PolicyDocument;
  /** SCPs attached to the account, below the root's FullAWSAccess. @default none (FullAWSAccess only) */
  readonly scps?: readonly PolicyDocument[];
  /** VPC endpoint policies the request passes through. @default none */
  readonly endpointPolicies?: readonly PolicyDocument[];
  /** Region the request is sent to. @default 'us-east-1' */
  readonly region?: string;
}

/** AdministratorAccess: what an account administrator's IAM policy allows. */
export const ADMINISTRATOR_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

const FULL_AWS_ACCESS: PolicyDocument = ADMINISTRATOR_ACCESS;

/** The context keys AWS adds to a request of `principal` (an IAM ARN) sent to `region`, plus `extra`. */
export function requestContext(
  principal: string,
  action: string,
  region: string,
  extra: Record<string, string | string[]> = {},
): Record<string, string | string[]> {
  const iam = /^arn:[^:]+:iam::(\d{12}):/.exec(principal);
  const context: Record<string, string | string[]> = {
    'aws:RequestedRegion': region,
    'aws:SecureTransport': 'true',
  };
  if (iam) {
    context['aws:PrincipalArn'] = principal;
    context['aws:PrincipalAccount'] = iam[1]!;
    if (action.startsWith('kms:')) context['kms:CallerAccount'] = iam[1]!;
  } else {
    context['aws:PrincipalIsAWSService'] = 'true';
    context['aws:PrincipalServiceName'] = principal;
  }
  return { ...context, ...extra };
}

/** Runs one request through the simulator; throws on a simulator validation error (never a silent pass). */
export async function simulate(request: SimulatedRequest): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: requestContext(
        request.principal,
        request.action,
        request.region ?? 'us-east-1',
        request.context,
      ),
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity${i}`, policy })),
    serviceControlPolicies: request.scps
      ? [
          { orgIdentifier: 'r-root', policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }] },
          {
            orgIdentifier: request.resourceAccount,
            policies: [
              { name: 'FullAWSAccess', policy: FULL_AWS_ACCESS },
              ...request.scps.map((policy, i) => ({ name: `scp${i}`, policy })),
            ],
          },
        ]
      : [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
    vpcEndpointPolicies: request.endpointPolicies?.map((policy, i) => ({ name: `endpoint${i}`, policy })),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    throw new Error(
      `simulation of ${request.principal} ${request.action} ${request.resource} failed: ${JSON.stringify(result.errors)}`,
    );
  }
  return result.overallResult as Decision;
}
