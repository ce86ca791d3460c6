/**
 * Parse: a CloudFormation custom resource event -> a typed request, or a problem naming the field,
 * the value and the rule. Pure; no AWS, no database.
 *
 * Resource properties (set by constructs/database-users.ts; CloudFormation passes every scalar as a string):
 * - Users: the service user names, e.g. ["sample-api"]
 * - SecretArn: ARN of the RDS-managed master user secret (JSON with username and password)
 * - Host, Port, DatabaseName: where to connect
 */
import { serviceUserProblem, show } from './identifiers';

/** What CloudFormation sends to a Lambda-backed custom resource (the fields the handler reads). */
export interface CustomResourceEvent {
  readonly RequestType: string;
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties?: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** Where and as whom to connect, and which users must exist. */
export interface DatabaseTarget {
  readonly users: readonly string[];
  readonly secretArn: string;
  readonly host: string;
  readonly port: number;
  readonly databaseName: string;
}

/** A parsed request: what to do. */
export type DbUsersRequest =
  | { readonly kind: 'Create'; readonly target: DatabaseTarget }
  | { readonly kind: 'Update'; readonly target: DatabaseTarget; readonly removedUsers: readonly string[] }
  | { readonly kind: 'Delete' };

/** Thrown for an event the handler refuses; the message is safe to return to CloudFormation. */
export class RequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestError';
  }
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]{1,512}$/;
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const DATABASE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
/** Pre-signed S3 URL CloudFormation sends the response to (https, an amazonaws.com host). */
const RESPONSE_URL = /^https:\/\/[a-z0-9.-]+\.amazonaws\.com(\.cn)?\//;

/** Problems with a ResponseURL (empty when it is a pre-signed S3 URL the handler may PUT to). */
export function responseUrlProblem(url: unknown): string | undefined {
  return typeof url === 'string' && RESPONSE_URL.test(url)
    ? undefined
    : 'ResponseURL: must be an https URL on an amazonaws.com host';
}

function usersOf(field: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new RequestError(`${field} = ${show(value)}: must be a non-empty list of service names`);
  }
  const problems = value.map((u, i) => serviceUserProblem(u) && `${field}[${i}] = ${serviceUserProblem(u)}`);
  const first = problems.find((p) => p !== undefined);
  if (first) throw new RequestError(first);
  const users = value as string[];
  const duplicate = users.find((u, i) => users.indexOf(u) !== i);
  if (duplicate) throw new RequestError(`${field}: '${duplicate}' is listed twice: names must be unique`);
  return users;
}

function targetOf(props: Record<string, unknown> | undefined): DatabaseTarget {
  const p = props ?? {};
  const users = usersOf('Users', p.Users);
  if (typeof p.SecretArn !== 'string' || !SECRET_ARN.test(p.SecretArn)) {
    throw new RequestError(`SecretArn = ${show(p.SecretArn)}: must be a Secrets Manager secret ARN`);
  }
  if (typeof p.Host !== 'string' || !HOST.test(p.Host)) {
    throw new RequestError(`Host = ${show(p.Host)}: must be a DNS name (the database endpoint)`);
  }
  const portText = typeof p.Port === 'number' ? String(p.Port) : p.Port;
  const port = typeof portText === 'string' && /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1150 && port <= 65535)) {
    throw new RequestError(`Port = ${show(portText)}: must be an integer from 1150 to 65535`);
  }
  if (typeof p.DatabaseName !== 'string' || !DATABASE_NAME.test(p.DatabaseName)) {
    throw new RequestError(
      `DatabaseName = ${show(p.DatabaseName)}: must be a letter, then letters, digits or '_' (1-63 characters)`,
    );
  }
  return { users, secretArn: p.SecretArn, host: p.Host, port, databaseName: p.DatabaseName };
}

/**
 * The request an event asks for. Delete needs nothing from the properties (users, schemas and data
 * are retained), so a malformed Delete still succeeds and never blocks a stack deletion or rollback.
 * @throws RequestError naming the field, the value and the rule.
 */
export function parseRequest(event: CustomResourceEvent): DbUsersRequest {
  switch (event.RequestType) {
    case 'Delete':
      return { kind: 'Delete' };
    case 'Create':
      return { kind: 'Create', target: targetOf(event.ResourceProperties) };
    case 'Update': {
      const target = targetOf(event.ResourceProperties);
      // Old names were validated when they were created; names that fail today are skipped, never quoted.
      const old = Array.isArray(event.OldResourceProperties?.Users) ? event.OldResourceProperties.Users : [];
      const removedUsers = old.filter(
        (u): u is string => serviceUserProblem(u) === undefined && !target.users.includes(u as string),
      );
      return { kind: 'Update', target, removedUsers: [...new Set(removedUsers)] };
    }
    default:
      throw new RequestError(`RequestType = ${show(event.RequestType)}: must be Create, Update or Delete`);
  }
}
