/**
 * Access-audit event, format version 1 (safeguard U5, HIPAA 164.312(b)): who accessed which record,
 * doing what, with which outcome, when and from where. Defined once, here, as a zod schema: the
 * TypeScript type is inferred from it and the committed JSON Schema is generated from it
 * (`accessAuditJsonSchema`, FORMAT.md). Any change to the shape is a new version.
 *
 * The event carries no PHI beyond the record identifier: no names, e-mail addresses, record
 * contents, URLs, query strings or headers other than the bounded user agent.
 */
import { z } from 'zod';

/** The format version this schema describes. */
export const ACCESS_AUDIT_FORMAT_VERSION = 1;

/** Longest user agent kept; longer ones are cut by `boundedUserAgent` (access-audit-context.ts). */
export const MAX_USER_AGENT_LENGTH = 256;

/** Bounds of the other strings (characters). */
export const MAX_LENGTH = {
  service: 64,
  userId: 128,
  resourceType: 64,
  recordId: 128,
  requestId: 128,
} as const;

/** The actions an event can record. */
export const ACCESS_ACTIONS = ['read', 'create', 'update', 'delete', 'list'] as const;
/** The outcomes an event can record. */
export const ACCESS_OUTCOMES = ['success', 'not-found', 'denied', 'error'] as const;

/**
 * C0 and C1 control characters, DEL, and the Unicode line and paragraph separators: none may appear
 * in any string of an event (a JSON-lines reader or a log viewer must not be tricked into a new line).
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;

function text(max: number): z.ZodString {
  return z.string().min(1).max(max).regex(NO_CONTROL_CHARACTERS, { message: 'must not contain control characters' });
}

/**
 * A stable user id: the `sub` the load balancer forwards in `x-amzn-oidc-identity` (a UUID for
 * Cognito). Never a name or an e-mail address: '@' is refused, so a mis-wired header that carries an
 * e-mail cannot put one in the audit trail.
 */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._:|+=/-]*$/;
/** A record identifier, not free text (no spaces, no '@'). */
const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Kebab-case names (service, resource type). */
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** A request id: printable ASCII without spaces, quotes or backslashes. */
const REQUEST_ID = /^[A-Za-z0-9=;:._-]+$/;

export const accessAuditEventSchema = z
  .strictObject({
    version: z.literal(ACCESS_AUDIT_FORMAT_VERSION),
    eventId: z.uuid(),
    time: z.iso.datetime({ precision: 3 }),
    service: text(MAX_LENGTH.service).regex(KEBAB, { message: 'must be a lower-case kebab-case name' }),
    who: z.strictObject({
      userId: text(MAX_LENGTH.userId)
        .regex(USER_ID, { message: "must be a stable user id (the OIDC 'sub'), never a name or an e-mail address" })
        .nullable(),
    }),
    what: z.strictObject({
      resourceType: text(MAX_LENGTH.resourceType).regex(KEBAB, { message: 'must be a lower-case kebab-case name' }),
      recordId: text(MAX_LENGTH.recordId)
        .regex(RECORD_ID, { message: 'must be a record identifier (letters, digits, . _ : -), not free text' })
        .nullable(),
      action: z.enum(ACCESS_ACTIONS),
      outcome: z.enum(ACCESS_OUTCOMES),
    }),
    where: z.strictObject({
      clientIp: z.union([z.ipv4(), z.ipv6()]).nullable(),
      userAgent: text(MAX_USER_AGENT_LENGTH).nullable(),
      requestId: text(MAX_LENGTH.requestId).regex(REQUEST_ID, { message: 'must be printable ASCII without spaces' }),
    }),
  })
  .superRefine((event, ctx) => {
    // Only a refused request may lack a user (no or an unusable identity header).
    if (event.who.userId === null && event.what.outcome !== 'denied') {
      ctx.addIssue({
        code: 'custom',
        path: ['who', 'userId'],
        message: "may be null only when what.outcome is 'denied'",
      });
    }
    // A record id is absent only for a list, or for a refused request whose id was not valid.
    if (event.what.recordId === null && event.what.action !== 'list' && event.what.outcome !== 'denied') {
      ctx.addIssue({
        code: 'custom',
        path: ['what', 'recordId'],
        message: "may be null only when what.action is 'list' or what.outcome is 'denied'",
      });
    }
  })
  .meta({
    title: 'Access-audit event v1',
    description:
      'One access to PHI through a service: who (stable user id), what (record id, action, outcome), when (UTC) and from where. See FORMAT.md.',
  });

/** An access-audit event, format version 1. */
export type AccessAuditEvent = z.infer<typeof accessAuditEventSchema>;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];
export type AccessOutcome = (typeof ACCESS_OUTCOMES)[number];

/** The JSON Schema committed next to FORMAT.md, generated from `accessAuditEventSchema`. */
export function accessAuditJsonSchema(): Record<string, unknown> {
  return {
    $id: 'access-audit-event.v1.schema.json',
    ...z.toJSONSchema(accessAuditEventSchema),
  };
}

/**
 * Problems with an event, one per field: the field path and the rule broken. Values are left out on
 * purpose: an invalid value may be exactly the PHI or free text that must not reach a log.
 */
export function accessAuditEventProblems(event: unknown): string[] {
  const result = accessAuditEventSchema.safeParse(event);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(event)';
    return `${path}: ${issue.message}`;
  });
}
