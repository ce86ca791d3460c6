import { readFileSync } from 'fs';
import * as path from 'path';
import { SNSClient } from '@aws-sdk/client-sns';
import { FormattedAlert, formatAlert, guardDutySeverity, LIMITS } from '../../lambda/alert-formatter/format';
import { AlertPublishError, createHandler, handler, HandlerDeps, LogFields } from '../../lambda/alert-formatter/index';

// All data here is synthetic: account 123456789012, region us-east-1, fake ids, fake "PHI" canaries.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const FIXTURES = {
  cloudwatch: 'cloudwatch-alarm.json',
  cloudwatchAction: 'cloudwatch-alarm-lambda-action.json',
  guardduty: 'guardduty-finding.json',
  securityhub: 'securityhub-findings.json',
  macie: 'macie-finding.json',
  inspector: 'inspector-finding.json',
  generic: 'generic-s3-object-created.json',
  backupCopy: 'backup-copy-job-failed.json',
} as const;
type FixtureName = keyof typeof FIXTURES;
const FIXTURE_NAMES = Object.keys(FIXTURES) as FixtureName[];

/** Fixture texts, read once (the canary tests load a fixture once per field and replacement). */
const fixtureTexts = new Map<FixtureName, string>();

/** A fresh copy on every call, so tests can mutate it. */
function load(name: FixtureName): Record<string, Json> {
  let text = fixtureTexts.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(__dirname, 'fixtures', FIXTURES[name]), 'utf8');
    fixtureTexts.set(name, text);
  }
  return JSON.parse(text) as Record<string, Json>;
}

/** Fake sensitive strings planted in free text, object keys and query strings of every fixture. */
const CANARIES = [
  'SYNTHETIC-PATIENT-NAME-ZZZ',
  'ssn=000-00-0000',
  '000-00-0000',
  'patients/SYNTHETIC-0001',
  'record.pdf',
  '?token=SECRET',
  'SECRET',
];
const CANARY_TEXT =
  'Patient SYNTHETIC-PATIENT-NAME-ZZZ ssn=000-00-0000 patients/SYNTHETIC-0001/record.pdf?token=SECRET';
const CANARY_OBJECT_ARN = 'arn:aws:s3:::synthetic-phi-bucket/patients/SYNTHETIC-0001/record.pdf?token=SECRET';

// The two checks below run on every formatted alert (thousands in the canary tests): each collects what is wrong in
// plain code and makes ONE assertion, so a failure names every problem while a pass costs no expect() per rule.

/** Every canary found in the subject, the message or the dropped field names (none expected). */
function expectNoCanary(alert: FormattedAlert): void {
  const fields: [string, string][] = [
    ['subject', alert.subject],
    ['message', alert.message],
    ['dropped', alert.dropped.join('\n')],
  ];
  const leaks = CANARIES.flatMap((canary) =>
    fields.filter(([, text]) => text.includes(canary)).map(([field]) => `${field} contains '${canary}'`),
  );
  expect(leaks).toEqual([]);
}

/** Every rule of a well-formed alert that `alert` breaks (none expected). */
function expectWellFormed(alert: FormattedAlert): void {
  const problems: string[] = [];
  const { subject, message } = alert;
  if (subject.length === 0) problems.push('subject is empty');
  if (subject.length > LIMITS.subject) problems.push(`subject is ${subject.length} > ${LIMITS.subject} characters`);
  if (!/^[\x20-\x7e]+$/.test(subject)) problems.push(`subject is not printable ASCII on one line: ${subject}`);
  if (message.length > LIMITS.message) problems.push(`message is ${message.length} > ${LIMITS.message} characters`);
  if (!/^[\x20-\x7e\n]+$/.test(message)) problems.push('message is empty or not printable ASCII and newlines');
  const lastLine = message.split('\n').pop() ?? '';
  if (!/^Dropped \(field names only; details in the console\): /.test(lastLine)) {
    problems.push(`message does not end with the dropped fields line: ${lastLine}`);
  }
  for (const name of alert.dropped.slice(0, 5)) {
    if (!lastLine.includes(name)) problems.push(`the dropped fields line does not name ${name}`);
  }
  expect(problems).toEqual([]);
}

function format(event: unknown): FormattedAlert {
  const alert = formatAlert(event);
  expectWellFormed(alert);
  expectNoCanary(alert);
  return alert;
}

/** Paths of every leaf (and every container) in a JSON value. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function setAt(root: Record<string, Json>, at: (string | number)[], value: unknown): void {
  let node: unknown = root;
  for (const key of at.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  (node as Record<string | number, unknown>)[at[at.length - 1] as string | number] = value;
}

describe('formatAlert: realistic events', () => {
  it('CloudWatch alarm: name, states, alarm ARN and console link; reason dropped', () => {
    const alert = format(load('cloudwatch'));
    expect(alert.kind).toBe('cloudwatch-alarm');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toBe('[HIGH] CloudWatch alarm synthetic-api-5xx OK -> ALARM | 123456789012 us-east-1');
    expect(alert.message).toContain('arn:aws:cloudwatch:us-east-1:123456789012:alarm:synthetic-api-5xx');
    expect(alert.message).toContain('Time: 2024-05-01T12:34:56.000Z');
    expect(alert.message).toContain(
      'Console: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/synthetic-api-5xx',
    );
    expect(alert.dropped).toEqual(
      expect.arrayContaining(['detail.state.reason', 'detail.state.reasonData', 'detail.configuration.description']),
    );
  });

  it('CloudWatch alarm Lambda action: name, states, alarm ARN, time with +0000 offset; reasons dropped', () => {
    const alert = format(load('cloudwatchAction'));
    expect(alert.kind).toBe('cloudwatch-alarm');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toBe('[HIGH] CloudWatch alarm synthetic-api-5xx OK -> ALARM | 123456789012 us-east-1');
    expect(alert.message).toContain('  - arn:aws:cloudwatch:us-east-1:123456789012:alarm:synthetic-api-5xx');
    expect(alert.message).toContain('Time: 2024-05-01T12:34:56.789Z');
    expect(alert.message).toContain('Event id: none (alarm action)');
    expect(alert.message).toContain(
      'Console: https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/synthetic-api-5xx',
    );
    expect([...alert.dropped].sort()).toEqual([
      'alarmData.configuration.description',
      'alarmData.previousState.reason',
      'alarmData.previousState.reasonData',
      'alarmData.state.reason',
      'alarmData.state.reasonData',
    ]);
  });

  it('CloudWatch alarm Lambda action and EventBridge alarm event give the same subject', () => {
    expect(format(load('cloudwatchAction')).subject).toBe(format(load('cloudwatch')).subject);
  });

  it('an aws.cloudwatch event with a detail-type is never read as an alarm action', () => {
    const event = load('cloudwatchAction');
    event['detail-type'] = 'Synthetic Other Event';
    const alert = format(event);
    expect(alert.kind).toBe('generic');
  });

  it('GuardDuty finding: type, banded severity, id, finding ARN, resource type; title/description dropped', () => {
    const alert = format(load('guardduty'));
    expect(alert.kind).toBe('guardduty');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toContain('[HIGH] GuardDuty finding Exfiltration:S3/AnomalousBehavior');
    expect(alert.message).toContain('Finding id: a1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(alert.message).toContain('Resource type: S3Bucket');
    expect(alert.message).toContain('arn:aws:guardduty:us-east-1:123456789012:detector/');
    expect(alert.message).toContain(
      'https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?macros=current&fId=a1b2c3d4e5f60718293a4b5c6d7e8f90',
    );
    expect(alert.dropped).toEqual(expect.arrayContaining(['detail.title', 'detail.description', 'detail.service']));
  });

  it('Security Hub findings: per-finding metadata, highest severity, object ARNs cut to the bucket', () => {
    const alert = format(load('securityhub'));
    expect(alert.kind).toBe('securityhub');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toBe('[HIGH] Security Hub: 2 finding(s) | 123456789012 us-east-1');
    expect(alert.message).toContain(
      '#1 [HIGH] security-control/S3.1 | product: Security Hub | compliance: FAILED | account: 123456789012 | ' +
        'region: us-east-1 | resources: AwsS3Bucket arn:aws:s3:::synthetic-phi-bucket, AwsS3Object arn:aws:s3:::synthetic-phi-bucket',
    );
    expect(alert.message).toContain('#2 [MEDIUM] security-control/KMS.4');
    expect(alert.message).toContain(
      'https://us-east-1.console.aws.amazon.com/securityhub/home?region=us-east-1#/findings',
    );
    expect(alert.dropped).toEqual(
      expect.arrayContaining([
        'detail.findings[].Title',
        'detail.findings[].Description',
        'detail.findings[].Remediation',
        'detail.findings[].Note',
        'detail.findings[].Resources[].Id.query',
        'detail.findings[].Resources[].Id.objectKey',
      ]),
    );
  });

  it('Macie finding: type, severity, bucket ARN only; object, classification details and text dropped', () => {
    const alert = format(load('macie'));
    expect(alert.kind).toBe('macie');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toContain('[HIGH] Macie finding SensitiveData:S3Object/Personal');
    expect(alert.message).toContain('Bucket: arn:aws:s3:::synthetic-phi-bucket');
    expect(alert.message).toContain('https://us-east-1.console.aws.amazon.com/macie/home?region=us-east-1#findings?');
    expect(alert.message).not.toContain('synthetic-phi-bucket/');
    expect(alert.dropped).toEqual(
      expect.arrayContaining([
        'detail.resourcesAffected.s3Object',
        'detail.classificationDetails',
        'detail.title',
        'detail.description',
      ]),
    );
  });

  it('Inspector finding: type, CVE id, severity, image ARN; title, description, packages, remediation dropped', () => {
    const alert = format(load('inspector'));
    expect(alert.kind).toBe('inspector');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toBe(
      '[HIGH] Inspector finding PACKAGE_VULNERABILITY CVE-2024-00001 | 123456789012 us-east-1',
    );
    expect(alert.message).toContain(
      '  - arn:aws:inspector2:us-east-1:123456789012:finding/0123456789abcdef0123456789abcdef',
    );
    expect(alert.message).toContain(
      'Resources: AWS_ECR_CONTAINER_IMAGE arn:aws:ecr:us-east-1:123456789012:repository/synthetic-app/sha256:',
    );
    expect(alert.message).toContain('Status: ACTIVE');
    expect([...alert.dropped].sort()).toEqual([
      'detail.description',
      'detail.packageVulnerabilityDetails.vulnerablePackages',
      'detail.remediation',
      'detail.title',
    ]);
  });

  it('I1 I2 AWS Backup copy job failed: job id, state, resource type, destination vault; status message dropped', () => {
    const alert = format(load('backupCopy'));
    expect(alert.kind).toBe('backup-copy');
    expect(alert.severity).toBe('HIGH');
    expect(alert.subject).toContain('[HIGH] AWS Backup copy job FAILED: a RDS recovery point did not reach');
    expect(alert.message).toContain(
      'Destination vault: arn:aws:backup:us-west-2:123456789012:backup-vault:app-prod-phi-vault-replica',
    );
    expect(alert.message).toContain('Copy job: 0000AAAA-1111-2222-3333-444455556666');
    expect(alert.message).not.toContain('SYNTHETIC-PATIENT');
    expect(alert.dropped).toEqual(['detail.statusMessage']);
  });

  it('any other event: source, detail-type, account, region, time and resource ARNs; detail dropped', () => {
    const alert = format(load('generic'));
    expect(alert.kind).toBe('generic');
    expect(alert.severity).toBe('UNKNOWN');
    expect(alert.subject).toBe('[UNKNOWN] Event aws.s3 / Object Created | 123456789012 us-east-1');
    expect(alert.message).toContain('  - arn:aws:s3:::synthetic-phi-bucket');
    expect(alert.message).toContain('Time: 2024-05-01T15:00:00.000Z');
    expect(alert.dropped).toEqual(['detail']);
  });

  it('ends with "Dropped: none" when nothing was dropped', () => {
    const event = load('generic');
    delete event.detail;
    const alert = format(event);
    expect(alert.dropped).toEqual([]);
    expect(alert.message.endsWith('details in the console): none')).toBe(true);
  });
});

describe('formatAlert: canaries never leak', () => {
  describe.each(FIXTURE_NAMES)('%s fixture', (name) => {
    const fixturePaths = paths(load(name));
    const replacements: [string, unknown][] = [
      ['free text', CANARY_TEXT],
      ['S3 object ARN with query', CANARY_OBJECT_ARN],
      ['canary with newline', `ok\n${CANARY_TEXT}`],
      ['canary in array', [CANARY_TEXT, CANARY_OBJECT_ARN]],
      ['canary in object', { key: CANARY_TEXT, arn: CANARY_OBJECT_ARN }],
      ['number', 123],
      ['null', null],
    ];

    it.each(replacements)('every field replaced by %s: never throws, never leaks', (_label, value) => {
      for (const at of fixturePaths) {
        const event = load(name);
        setAt(event, at, value);
        format(event);
      }
    });
  });

  it.each<[FixtureName, (string | number)[], string]>([
    ['cloudwatch', ['detail', 'alarmName'], 'detail.alarmName'],
    ['cloudwatch', ['detail', 'state', 'value'], 'detail.state.value'],
    ['cloudwatch', ['account'], 'account'],
    ['cloudwatch', ['region'], 'region'],
    ['cloudwatch', ['time'], 'time'],
    ['cloudwatch', ['resources', 0], 'resources[]'],
    ['cloudwatchAction', ['alarmData', 'alarmName'], 'alarmData.alarmName'],
    ['cloudwatchAction', ['alarmData', 'state', 'value'], 'alarmData.state.value'],
    ['cloudwatchAction', ['alarmData', 'previousState', 'value'], 'alarmData.previousState.value'],
    ['cloudwatchAction', ['accountId'], 'accountId'],
    ['cloudwatchAction', ['region'], 'region'],
    ['cloudwatchAction', ['time'], 'time'],
    ['cloudwatchAction', ['alarmArn'], 'alarmArn'],
    ['guardduty', ['detail', 'type'], 'detail.type'],
    ['guardduty', ['detail', 'id'], 'detail.id'],
    ['guardduty', ['detail', 'accountId'], 'detail.accountId'],
    ['guardduty', ['detail', 'region'], 'detail.region'],
    ['guardduty', ['detail', 'severity'], 'detail.severity'],
    ['guardduty', ['detail', 'resource', 'resourceType'], 'detail.resource.resourceType'],
    ['securityhub', ['detail', 'findings', 0, 'GeneratorId'], 'detail.findings[].GeneratorId'],
    ['securityhub', ['detail', 'findings', 0, 'ProductName'], 'detail.findings[].ProductName'],
    ['securityhub', ['detail', 'findings', 0, 'Severity', 'Label'], 'detail.findings[].Severity.Label'],
    ['securityhub', ['detail', 'findings', 0, 'Compliance', 'Status'], 'detail.findings[].Compliance.Status'],
    ['securityhub', ['detail', 'findings', 1, 'Resources', 0, 'Type'], 'detail.findings[].Resources[].Type'],
    ['securityhub', ['detail', 'findings', 1, 'AwsAccountId'], 'detail.findings[].AwsAccountId'],
    ['macie', ['detail', 'type'], 'detail.type'],
    ['macie', ['detail', 'severity', 'description'], 'detail.severity.description'],
    ['macie', ['detail', 'resourcesAffected', 's3Bucket', 'arn'], 'detail.resourcesAffected.s3Bucket.arn'],
    ['inspector', ['detail', 'type'], 'detail.type'],
    ['inspector', ['detail', 'severity'], 'detail.severity'],
    ['inspector', ['detail', 'awsAccountId'], 'detail.awsAccountId'],
    ['inspector', ['detail', 'resources', 0, 'id'], 'detail.resources[].id'],
    ['generic', ['id'], 'id'],
  ])('%s: canary text in %j is replaced and %s is reported', (name, at, field) => {
    const event = load(name);
    setAt(event, at, CANARY_TEXT);
    const alert = format(event);
    expect(alert.dropped).toContain(field);
    expect(alert.message).toMatch(/<invalid>|Severity: UNKNOWN|Resources: none/);
  });

  it('ARNs: query strings, fragments and S3 object keys are stripped; non-ARNs are dropped', () => {
    const event = load('generic');
    event.resources = [
      CANARY_OBJECT_ARN,
      'arn:aws:s3:us-east-1:123456789012:accesspoint/synthetic-ap/object/patients/SYNTHETIC-0001/record.pdf',
      'arn:aws:lambda:us-east-1:123456789012:function:synthetic-fn#SECRET',
      'https://synthetic-phi-bucket.s3.amazonaws.com/patients/SYNTHETIC-0001/record.pdf',
      'arn:aws:s3:::synthetic-phi-bucket',
    ];
    const alert = format(event);
    const listed = alert.message.split('\n').filter((line) => line.startsWith('  - '));
    expect(listed).toEqual([
      '  - arn:aws:s3:::synthetic-phi-bucket',
      '  - arn:aws:s3:us-east-1:123456789012:accesspoint/synthetic-ap',
      '  - arn:aws:lambda:us-east-1:123456789012:function:synthetic-fn',
    ]);
    expect(alert.dropped).toEqual(
      expect.arrayContaining(['resources[]', 'resources[].query', 'resources[].objectKey']),
    );
  });
});

describe('formatAlert: malformed input never throws', () => {
  const circular: Record<string, unknown> = { source: 'aws.guardduty', 'detail-type': 'GuardDuty Finding' };
  circular.detail = circular;

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['number', 42],
    ['NaN', NaN],
    ['string', CANARY_TEXT],
    ['boolean', true],
    ['bigint', BigInt(7)],
    ['symbol', Symbol('synthetic')],
    ['function', () => CANARY_TEXT],
    ['empty array', []],
    ['array of events', [load('guardduty')]],
    ['empty object', {}],
    ['source not a string', { source: 7, 'detail-type': 'GuardDuty Finding' }],
    ['detail-type free text', { source: 'aws.guardduty', 'detail-type': CANARY_TEXT }],
  ])('%s -> unparseable alert', (_label, input) => {
    const alert = format(input);
    expect(alert.kind).toBe('unparseable');
    expect(alert.subject).toBe('[UNKNOWN] Unparseable event | <invalid> <invalid>');
    expect(alert.dropped.length).toBeGreaterThan(0);
  });

  it('throwing getters and hostile proxies -> unparseable alert', () => {
    const getter = load('cloudwatch');
    Object.defineProperty(getter, 'detail', {
      enumerable: true,
      get() {
        throw new Error(CANARY_TEXT);
      },
    });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error(CANARY_TEXT);
        },
        has() {
          throw new Error(CANARY_TEXT);
        },
        getOwnPropertyDescriptor() {
          throw new Error(CANARY_TEXT);
        },
      },
    );
    for (const input of [getter, proxy]) {
      const alert = format(input);
      expect(alert.kind).toBe('unparseable');
      expect(alert.dropped).toEqual(['event']);
    }
  });

  it('circular references are never walked', () => {
    const alert = format(circular);
    expect(alert.kind).toBe('guardduty');
    expect(alert.dropped).toEqual(expect.arrayContaining(['detail.type', 'detail.id', 'detail.severity']));

    for (const name of FIXTURE_NAMES) {
      const event: Record<string, unknown> = load(name);
      ((event.detail ?? event.alarmData) as Record<string, unknown>).self = event;
      event.loop = event;
      format(event);
    }
  });

  it.each<[FixtureName, string]>([
    ['cloudwatch', 'detail.alarmName'],
    ['guardduty', 'detail.type'],
    ['securityhub', 'detail.findings'],
    ['macie', 'detail.type'],
  ])('%s without detail: typed alert with placeholders, reports %s', (name, field) => {
    const event = load(name);
    delete event.detail;
    delete event.account;
    const alert = format(event);
    expect(alert.kind).not.toBe('unparseable');
    expect(alert.dropped).toEqual(expect.arrayContaining([field, 'account']));
    expect(alert.message).toContain('Account: <missing>');
  });

  it('wrong types are replaced and reported', () => {
    const gd = load('guardduty');
    setAt(gd, ['detail', 'severity'], '8');
    setAt(gd, ['detail', 'id'], 12345);
    setAt(gd, ['resources'], 'arn:aws:s3:::synthetic-phi-bucket');
    const gdAlert = format(gd);
    expect(gdAlert.severity).toBe('UNKNOWN');
    expect(gdAlert.dropped).toEqual(expect.arrayContaining(['detail.severity', 'detail.id', 'resources']));

    const sh = load('securityhub');
    setAt(sh, ['detail', 'findings'], { 0: { Severity: { Label: 'CRITICAL' } } });
    const shAlert = format(sh);
    expect(shAlert.kind).toBe('securityhub');
    expect(shAlert.severity).toBe('UNKNOWN');
    expect(shAlert.dropped).toContain('detail.findings');

    const shItems = load('securityhub');
    setAt(shItems, ['detail', 'findings'], [null, 'text', 7, { Resources: 'not-a-list', Severity: { Label: 9 } }]);
    const itemsAlert = format(shItems);
    expect(itemsAlert.dropped).toEqual(
      expect.arrayContaining(['detail.findings[].Severity.Label', 'detail.findings[].Resources']),
    );

    const macie = load('macie');
    setAt(macie, ['detail', 'severity'], 3);
    setAt(macie, ['detail', 'resourcesAffected'], ['arn:aws:s3:::synthetic-phi-bucket']);
    const macieAlert = format(macie);
    expect(macieAlert.severity).toBe('UNKNOWN');
    expect(macieAlert.dropped).toEqual(
      expect.arrayContaining(['detail.severity.description', 'detail.resourcesAffected.s3Bucket.arn']),
    );

    const cw = load('cloudwatch');
    setAt(cw, ['time'], 'yesterday');
    setAt(cw, ['region'], 'US-EAST-1');
    setAt(cw, ['account'], '12345678901');
    const cwAlert = format(cw);
    expect(cwAlert.dropped).toEqual(expect.arrayContaining(['time', 'region', 'account']));
    expect(cwAlert.message).toContain('Console: unavailable (invalid region)');
  });

  describe('huge payloads finish quickly', () => {
    const HUGE = 'x'.repeat(5 * 1024 * 1024);

    function timed(input: unknown): FormattedAlert {
      const start = performance.now();
      const alert = format(input);
      expect(performance.now() - start).toBeLessThan(1000);
      return alert;
    }

    it('a 5 MB string as the event or in fields', () => {
      expect(timed(HUGE).kind).toBe('unparseable');
      const cw = load('cloudwatch');
      setAt(cw, ['detail', 'alarmName'], HUGE);
      setAt(cw, ['detail', 'state', 'reason'], HUGE);
      setAt(cw, ['resources', 0], `arn:aws:s3:::${HUGE}`);
      expect(timed(cw).dropped).toEqual(expect.arrayContaining(['detail.alarmName', 'resources[]']));
    });

    it('100k Security Hub findings: first 10 summarised, the rest counted', () => {
      const event = load('securityhub');
      const findings = (event.detail as { findings: Json[] }).findings;
      const many = Array.from({ length: 100_000 }, (_, i) => findings[i % 2] as Json);
      setAt(event, ['detail', 'findings'], many);
      const alert = timed(event);
      expect(alert.subject).toContain('Security Hub: 100000 finding(s)');
      expect(alert.message).toContain('(99990 more findings omitted)');
      expect(alert.message).toContain('#10 ');
      expect(alert.message).not.toContain('#11 ');
      expect(alert.dropped).toContain('detail.findings[] (99990 more)');
    });

    it('100k resources: capped, and the message is truncated to the limit', () => {
      const event = load('generic');
      const longArn = (i: number): string => `arn:aws:lambda:us-east-1:123456789012:function:${'f'.repeat(200)}-${i}`;
      event.resources = Array.from({ length: 100_000 }, (_, i) => longArn(i));
      const alert = timed(event);
      expect(alert.dropped).toEqual(expect.arrayContaining(['resources[] (99980 more)', 'message (truncated)']));
      expect(alert.message.length).toBeLessThanOrEqual(LIMITS.message);
      expect(alert.message).toContain('\n[truncated]\n');
    });
  });
});

describe('GuardDuty severity bands', () => {
  it.each<[unknown, string | undefined]>([
    [0, 'LOW'],
    [1, 'LOW'],
    [3.9, 'LOW'],
    [4, 'MEDIUM'],
    [6.9, 'MEDIUM'],
    [7, 'HIGH'],
    [8.9, 'HIGH'],
    [9, 'CRITICAL'],
    [10, 'CRITICAL'],
    [10.1, undefined],
    [-1, undefined],
    [NaN, undefined],
    [Infinity, undefined],
    ['8', undefined],
    [null, undefined],
  ])('%p -> %p', (value, expected) => {
    expect(guardDutySeverity(value)).toBe(expected);
  });
});

describe('regions', () => {
  it('GovCloud events link to the GovCloud console', () => {
    const event = load('cloudwatch');
    event.region = 'us-gov-west-1';
    expect(format(event).message).toContain(
      'Console: https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#alarmsV2:alarm/synthetic-api-5xx',
    );
  });
});

describe('handler', () => {
  function fakeDeps(publishImpl?: () => Promise<void>) {
    const published: [string, string][] = [];
    const logs: [string, LogFields][] = [];
    const deps: HandlerDeps = {
      publish: jest.fn(async (subject: string, message: string) => {
        published.push([subject, message]);
        if (publishImpl) await publishImpl();
      }),
      log: jest.fn((message: string, fields: LogFields) => {
        logs.push([message, fields]);
      }),
    };
    return { deps, published, logs };
  }

  function expectMetadataOnlyLogs(logs: [string, LogFields][], event: unknown): void {
    expect(logs.length).toBeGreaterThan(0);
    for (const [message, fields] of logs) {
      expect(message).not.toBe(event);
      for (const value of Object.values(fields)) {
        expect(value).not.toBe(event);
        expect(['string', 'number', 'boolean']).toContain(typeof value);
        for (const canary of CANARIES) expect(String(value)).not.toContain(canary);
      }
      for (const canary of CANARIES) expect(message).not.toContain(canary);
    }
  }

  it.each(FIXTURE_NAMES)('%s: publishes exactly once, PHI-free, subject <= 100 chars', async (name) => {
    const event = load(name);
    const { deps, published, logs } = fakeDeps();
    await createHandler(deps)(event);
    expect(deps.publish).toHaveBeenCalledTimes(1);
    const [subject, message] = published[0] ?? ['', ''];
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toBe(formatAlert(load(name)).subject);
    expect(message).toBe(formatAlert(load(name)).message);
    expectMetadataOnlyLogs(logs, event);
    expect(logs[0]?.[0]).toBe('alert published');
  });

  it('publishes an unparseable alert for garbage input', async () => {
    const { deps, published } = fakeDeps();
    await createHandler(deps)(CANARY_TEXT);
    expect(published).toHaveLength(1);
    expect(published[0]?.[0]).toContain('Unparseable event');
  });

  it('rethrows when publish fails, logging only metadata', async () => {
    const event = load('macie');
    const failure = new Error(`SNS said no: ${CANARY_TEXT}`);
    failure.name = 'AuthorizationErrorException';
    const { deps, logs } = fakeDeps(() => Promise.reject(failure));
    const error: unknown = await createHandler(deps)(event).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(AlertPublishError);
    expect((error as Error).message).toBe('Failed to publish alert to SNS (AuthorizationErrorException)');
    expect(deps.publish).toHaveBeenCalledTimes(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.[0]).toBe('alert publish failed');
    expect(logs[0]?.[1]).toMatchObject({ kind: 'macie', severity: 'HIGH', error: 'AuthorizationErrorException' });
    expectMetadataOnlyLogs(logs, event);
  });

  it('rethrows non-Error rejections without echoing them', async () => {
    const { deps, logs } = fakeDeps(() => Promise.reject(CANARY_TEXT));
    await expect(createHandler(deps)(load('cloudwatch'))).rejects.toThrow('Failed to publish alert to SNS (string)');
    expectMetadataOnlyLogs(logs, undefined);
  });
});

describe('default handler (SNS wiring, no AWS calls)', () => {
  const topicArn = 'arn:aws:sns:us-east-1:123456789012:synthetic-alerts';
  let send: jest.SpyInstance;
  let consoleLog: jest.SpyInstance;
  const clients: unknown[] = [];
  const inputs: Record<string, unknown>[] = [];

  beforeEach(() => {
    clients.length = 0;
    inputs.length = 0;
    send = jest.spyOn(SNSClient.prototype, 'send').mockImplementation(function (this: unknown, command: unknown) {
      clients.push(this);
      inputs.push((command as { input: Record<string, unknown> }).input);
      return Promise.resolve({ MessageId: 'synthetic' });
    } as never);
    consoleLog = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => {
    send.mockRestore();
    consoleLog.mockRestore();
    delete process.env.ALERT_TOPIC_ARN;
  });

  it('fails fast without ALERT_TOPIC_ARN', async () => {
    delete process.env.ALERT_TOPIC_ARN;
    await expect(handler(load('guardduty'))).rejects.toThrow('ALERT_TOPIC_ARN is not set');
    expect(send).not.toHaveBeenCalled();
  });

  it('publishes one PublishCommand per event and reuses the client', async () => {
    process.env.ALERT_TOPIC_ARN = topicArn;
    await handler(load('guardduty'));
    await handler(load('securityhub'));
    expect(send).toHaveBeenCalledTimes(2);
    expect(clients[0]).toBe(clients[1]);
    for (const input of inputs) {
      expect(Object.keys(input).sort()).toEqual(['Message', 'Subject', 'TopicArn']);
      expect(input.TopicArn).toBe(topicArn);
      expect(String(input.Subject).length).toBeLessThanOrEqual(100);
      expect(String(input.Subject)).toMatch(/^[\x20-\x7e]+$/);
      for (const canary of CANARIES) expect(String(input.Message)).not.toContain(canary);
    }
    for (const call of consoleLog.mock.calls) {
      for (const canary of CANARIES) expect(String(call[0])).not.toContain(canary);
    }
  });
});
