/**
 * D2 D3: the replica region forwards EVERY GuardDuty and Security Hub finding to config.region's default bus (the
 * findings archive keeps them all), and alerting does not widen: every rule of config.region that can match such a
 * forwarded finding either keeps the alert pipeline's severity filters (FINDING_PATTERNS) or puts findings into the
 * findings archive; no other rule matches them. Read from the prod assembly of the Jest globalSetup.
 */
import { FINDING_PATTERNS } from '../../constructs/alert-pipeline';
import { synthesizedStacks, templateJson } from '../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a forwarded finding looks like to a rule: its source and detail-type. */
const FORWARDED = [
  { source: 'aws.guardduty', detailType: 'GuardDuty Finding' },
  { source: 'aws.securityhub', detailType: 'Security Hub Findings - Imported' },
];

/** Whether a rule's pattern can match a forwarded finding (source and detail-type; the detail decides the rest). */
const matchesForwarded = (pattern: Json): boolean =>
  FORWARDED.some(
    (f) =>
      (pattern.source ?? []).includes(f.source) &&
      (pattern['detail-type'] === undefined || pattern['detail-type'].includes(f.detailType)),
  );

const primary = synthesizedStacks('prod').filter((s) => s.region === 'us-east-1');
const rules = primary.flatMap((s) =>
  Object.entries(templateJson('prod', s.id).Resources)
    .filter(([, r]) => r.Type === 'AWS::Events::Rule' && matchesForwarded((r.Properties as Json).EventPattern ?? {}))
    .map(([id, r]) => ({ stack: s.id, id, properties: r.Properties as Json })),
);

describe('forwarded findings in the primary region', () => {
  test('D2 D3 only the alert pipeline rules (severity-filtered) and the findings archive rules match them', () => {
    expect(primary.map((s) => s.id)).toEqual(expect.arrayContaining(['Alerting', 'Audit', 'Detection']));
    const summary = rules.map((r) => `${r.stack} ${r.properties.Name ?? r.id.replace(/[0-9A-F]{8}$/, '')}`).sort();
    expect(summary).toEqual([
      'Alerting AlertPipelineGuardDutyFindings',
      'Alerting AlertPipelineSecurityHubFindings',
      'Audit hipaa-prod-findings-archive-guardduty-forwarded',
      'Audit hipaa-prod-findings-archive-securityhub',
    ]);
  });

  test('D3 the alerting rules keep their severity filters: forwarding every finding alerts on no more of them', () => {
    for (const name of ['GuardDutyFindings', 'SecurityHubFindings']) {
      const rule = rules.find((r) => r.stack === 'Alerting' && r.id.startsWith(`AlertPipeline${name}`));
      const expected = FINDING_PATTERNS[name]!;
      expect(rule?.properties.EventPattern).toEqual({
        source: expected.source,
        'detail-type': expected.detailType,
        detail: expected.detail,
      });
      expect(rule?.properties.EventPattern.detail).toBeDefined();
    }
  });

  test('D2 the findings archive rules target its Firehose streams; the GuardDuty one only the replica region', () => {
    const archive = rules.filter((r) => r.stack === 'Audit');
    for (const r of archive) {
      expect(JSON.stringify(r.properties.Targets[0].Arn)).toMatch(/FindingsArchive(ForwardedGuardDuty)?Stream/);
    }
    const guardDuty = archive.find((r) => r.properties.EventPattern.source[0] === 'aws.guardduty');
    expect(guardDuty?.properties.EventPattern.region).toEqual(['us-west-2']);
  });

  test('D2 E1 the audit key admits EventBridge dead letters for the two archive rules only', () => {
    const key = Object.entries(templateJson('prod', 'Keys').Resources).find(([id]) => id.startsWith('AuditKey'))![1];
    const statement = (key.Properties as Json).KeyPolicy.Statement.find(
      (s: Json) => s.Sid === 'EventBridgeDeadLettersOfNamedRules',
    );
    expect(statement).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnEquals: {
          'aws:SourceArn': [
            'arn:aws:events:us-east-1:123456789012:rule/hipaa-prod-findings-archive-securityhub',
            'arn:aws:events:us-east-1:123456789012:rule/hipaa-prod-findings-archive-guardduty-forwarded',
          ],
        },
      },
    });
  });
});
