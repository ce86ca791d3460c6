/** Access-audit event format v1 (safeguard U5): each field's rules, and the committed JSON Schema. */
import { readFileSync } from 'node:fs';
import {
  AccessAuditEvent,
  accessAuditEventProblems,
  accessAuditEventSchema,
  accessAuditJsonSchema,
} from '../../../../services/sample-api/src/access-audit';
import { JSON_SCHEMA_PATH } from '../../../../services/sample-api/src/access-audit/write-json-schema';

// Synthetic values only.
const VALID: AccessAuditEvent = {
  version: 1,
  eventId: '3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b',
  time: '2026-03-04T05:06:07.089Z',
  service: 'sample-api',
  who: { userId: '8f14e45f-ceea-467f-a0e6-1e5f3f0c9b21' },
  what: { resourceType: 'record', recordId: 'rec-0001', action: 'read', outcome: 'success' },
  where: {
    clientIp: '198.51.100.23',
    userAgent: 'SyntheticBrowser/1.0',
    requestId: '1-67891233-abcdef012345678912345678',
  },
};

type Mutable = { -readonly [K in keyof AccessAuditEvent]: Record<string, unknown> | unknown };

/** A copy of VALID with one field set (path like 'who.userId'); undefined deletes it. */
function withField(path: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(VALID)) as Mutable;
  const keys = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

function problemsOf(event: unknown): string[] {
  return accessAuditEventProblems(event);
}

describe('U5 access-audit event v1', () => {
  test('U5 a complete event is accepted', () => {
    expect(problemsOf(VALID)).toEqual([]);
    expect(accessAuditEventSchema.parse(VALID)).toEqual(VALID);
  });

  test.each([
    ['top level', 'extra'],
    ['who', 'who.name'],
    ['what', 'what.notes'],
    ['where', 'where.headers'],
  ])('unknown keys are refused (%s)', (_where, path) => {
    const problems = problemsOf(withField(path, 'synthetic'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/Unrecognized key/);
  });

  test.each([
    ['version', 2, 'version'],
    ['version as text', '1', 'version'],
    ['eventId not a uuid', 'not-a-uuid', 'eventId'],
    ['time with an offset', '2026-03-04T06:06:07.089+01:00', 'time'],
    ['time without a zone', '2026-03-04T05:06:07.089', 'time'],
    ['time without milliseconds', '2026-03-04T05:06:07Z', 'time'],
    ['time not a date', '2026-02-30T05:06:07.089Z', 'time'],
    ['service not kebab-case', 'Sample_API', 'service'],
    ['userId an e-mail address', 'jane.doe@example.com', 'who.userId'],
    ['userId with a space', 'Jane Doe', 'who.userId'],
    ['userId empty', '', 'who.userId'],
    ['userId too long', 'a'.repeat(129), 'who.userId'],
    ['resourceType not kebab-case', 'Record', 'what.resourceType'],
    ['recordId free text', 'John Smith', 'what.recordId'],
    ['recordId too long', 'r'.repeat(129), 'what.recordId'],
    ['action unknown', 'export', 'what.action'],
    ['outcome unknown', 'partial', 'what.outcome'],
    ['clientIp not an address', 'client.example.com', 'where.clientIp'],
    ['userAgent too long', 'u'.repeat(257), 'where.userAgent'],
    ['userAgent with a newline', 'UA/1.0\n{"forged":true}', 'where.userAgent'],
    ['userAgent with a NUL', 'UA/1.0\u0000', 'where.userAgent'],
    ['userAgent with a line separator', 'UA/1.0\u2028x', 'where.userAgent'],
    ['userAgent with a C1 control', 'UA/1.0\u0085', 'where.userAgent'],
    ['requestId with a space', 'req 1', 'where.requestId'],
    ['requestId too long', 'r'.repeat(129), 'where.requestId'],
    ['requestId missing', undefined, 'where.requestId'],
  ])('%s is refused, naming the field', (_name, value, path) => {
    const problems = problemsOf(withField(path, value));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.startsWith(`${path}: `))).toBe(true);
  });

  test('problems name the field and the rule, never the value', () => {
    const problems = problemsOf(withField('who.userId', 'jane.doe@example.com'));
    expect(problems).toEqual([
      "who.userId: must be a stable user id (the OIDC 'sub'), never a name or an e-mail address",
    ]);
  });

  test('IPv6 client addresses and null user agent are accepted', () => {
    expect(problemsOf(withField('where.clientIp', '2001:db8::17'))).toEqual([]);
    expect(problemsOf(withField('where.userAgent', null))).toEqual([]);
  });

  test('a null user is allowed only on a denied access', () => {
    const denied = withField('what.outcome', 'denied') as Record<string, Record<string, unknown>>;
    denied.who.userId = null;
    expect(problemsOf(denied)).toEqual([]);
    expect(problemsOf(withField('who.userId', null))).toEqual([
      "who.userId: may be null only when what.outcome is 'denied'",
    ]);
  });

  test('a null record id is allowed only on a list or a denied access', () => {
    expect(problemsOf(withField('what.recordId', null))).toEqual([
      "what.recordId: may be null only when what.action is 'list' or what.outcome is 'denied'",
    ]);
    const list = withField('what.recordId', null) as Record<string, Record<string, unknown>>;
    list.what.action = 'list';
    expect(problemsOf(list)).toEqual([]);
  });
});

describe('U5 JSON Schema', () => {
  test('U5 the committed access-audit-event.v1.schema.json matches the zod schema (regenerate with write-json-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(JSON_SCHEMA_PATH, 'utf8')) as unknown;
    expect(committed).toEqual(accessAuditJsonSchema());
  });

  test('the JSON Schema is strict and bounded', () => {
    const schema = accessAuditJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, { additionalProperties?: boolean }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['version', 'eventId', 'time', 'service', 'who', 'what', 'where']);
    for (const part of ['who', 'what', 'where']) expect(schema.properties[part].additionalProperties).toBe(false);
    expect(JSON.stringify(schema)).toContain('"maxLength":256');
  });
});
