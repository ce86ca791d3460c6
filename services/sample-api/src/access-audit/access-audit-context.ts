/**
 * Who and where of an access, derived from the headers the application load balancer forwards.
 * Each helper returns a value that passes the event schema, or null (or a generated id): a header
 * that does not fit is never copied into an event half-checked.
 */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { MAX_LENGTH, MAX_USER_AGENT_LENGTH, accessAuditEventSchema } from './access-audit-event';

/** The header values the helpers read (Node's IncomingHttpHeaders fits). */
export type ForwardedHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced here
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._:|+=/-]*$/;
/** The Root field the load balancer puts in X-Amzn-Trace-Id: `Root=1-<8 hex>-<24 hex>`. */
const TRACE_ROOT = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\s*(?:;|$)/;

function single(headers: ForwardedHeaders, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The signed-in user's stable id from `x-amzn-oidc-identity` (the OIDC `sub`), or null when the
 * header is missing, repeated, empty, too long, or looks like anything but an opaque id (an e-mail
 * address, spaces, control characters). Null means: treat the request as unauthenticated.
 */
export function userIdFromHeaders(headers: ForwardedHeaders): string | null {
  const value = single(headers, 'x-amzn-oidc-identity');
  if (value === undefined || value.length === 0 || value.length > MAX_LENGTH.userId) return null;
  return USER_ID.test(value) ? value : null;
}

/**
 * The client address: the hop the load balancer appended to `x-forwarded-for`, counted from the
 * right. In its default mode (`routing.http.xff_header_processing.mode` = append) the load balancer
 * keeps whatever the client sent and appends the address it saw, so the left-most entry is whatever
 * the client chose to write; the right-most `trustedProxies`-th entry is the first one a trusted
 * proxy wrote. With the load balancer as the only proxy, trustedProxies is 1 (the last entry). Falls
 * back to the socket's peer address when the header is absent (a direct connection), and returns
 * null when the chosen entry is not an IP address.
 */
export function clientIpFromHeaders(
  headers: ForwardedHeaders,
  socketAddress: string | undefined,
  trustedProxies = 1,
): string | null {
  if (!Number.isInteger(trustedProxies) || trustedProxies < 1) {
    throw new Error(`trustedProxies = ${trustedProxies}: must be an integer >= 1`);
  }
  const forwarded = headers['x-forwarded-for'];
  const joined = typeof forwarded === 'string' ? forwarded : forwarded?.join(',');
  if (joined === undefined || joined.trim().length === 0) return normaliseIp(socketAddress);
  const hops = joined.split(',').map((hop) => hop.trim());
  if (hops.length < trustedProxies) return null;
  return normaliseIp(hops[hops.length - trustedProxies]);
}

function normaliseIp(value: string | undefined): string | null {
  if (value === undefined) return null;
  // IPv4-mapped IPv6 (how a dual-stack socket reports an IPv4 peer) is recorded as IPv4.
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  const ip = mapped ? mapped[1] : value;
  if (isIP(ip) === 0) return null;
  const parsed = accessAuditEventSchema.shape.where.shape.clientIp.safeParse(ip);
  return parsed.success ? ip : null;
}

/**
 * The user agent with control characters replaced by '?' and cut to MAX_USER_AGENT_LENGTH, or null
 * when absent or empty.
 */
export function userAgentFromHeaders(headers: ForwardedHeaders): string | null {
  const value = single(headers, 'user-agent');
  if (value === undefined) return null;
  const cleaned = value.replace(CONTROL_CHARACTERS, '?').slice(0, MAX_USER_AGENT_LENGTH);
  return cleaned.length > 0 ? cleaned : null;
}

/**
 * The request id shared by the audit event and the request log line: the Root of the load
 * balancer's `x-amzn-trace-id` (`1-<8 hex>-<24 hex>`, nothing else from that header), or a generated
 * `req-<uuid>` when the header is missing or has no valid Root.
 */
export function requestIdFromHeaders(headers: ForwardedHeaders, newId: () => string = randomUUID): string {
  const value = single(headers, 'x-amzn-trace-id');
  const root = value === undefined ? null : TRACE_ROOT.exec(value);
  return root ? root[1] : `req-${newId()}`;
}
