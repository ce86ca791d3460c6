import { App, Stack } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { AuditTrail } from '../../../../constructs/audit-trail';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { TrailRecordsArchiveDeletes } from '../../../../lib/compliance/gate/rules/trail-records-archive-deletes';
import { templateProperties } from '../../../../lib/compliance/gate/rules/template-properties';

type Selector = { Name?: string; FieldSelectors: Array<Record<string, unknown>> };

function trail(): CfnTrail {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Audit', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  return new AuditTrail(stack, 'Trail', {
    trailName: 'app-env-trail',
    bucket: new Bucket(stack, 'Archive'),
    encryptionKey: new Key(stack, 'Key'),
    retention: { logRetentionDays: 2192, auditRetentionDays: 2192, auditLockMode: 'COMPLIANCE' },
    dataEventBucketNames: ['app-env-phi-data-123456789012-us-east-1'],
  }).trail;
}

/** The trail's findings after replacing its archive selector's fields with `edit` (undefined: remove it). */
function after(edit: (fields: Selector['FieldSelectors']) => Selector['FieldSelectors'] | undefined) {
  const t = trail();
  const selectors = templateProperties(t).AdvancedEventSelectors as Selector[];
  const edited = selectors.flatMap((s) => {
    if (s.Name !== 'AuditArchiveDeletes') return [s];
    const fields = edit(s.FieldSelectors);
    return fields === undefined ? [] : [{ ...s, FieldSelectors: fields }];
  });
  t.addPropertyOverride('AdvancedEventSelectors', edited);
  return TrailRecordsArchiveDeletes(t);
}

describe('TrailRecordsArchiveDeletes', () => {
  test('U2 U6 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === TrailRecordsArchiveDeletes)?.safeguards).toEqual(['U2', 'U6']);
  });

  test('U2 U6 passes on the AuditTrail (deletes in its archive, without its deliveries)', () => {
    expect(TrailRecordsArchiveDeletes(trail())).toBe(NagRuleCompliance.COMPLIANT);
    // Excluding the deliveries by NotEquals PutObject is loop-free too.
    expect(
      after((f) => f.map((x) => (x.Field === 'eventName' ? { Field: 'eventName', NotEquals: ['PutObject'] } : x))),
    ).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('U2 U6 fires when the archive deletes are not recorded', () => {
    expect(after(() => undefined)).toEqual(['ArchiveDeletes::not-recorded']);
    // Recording deletes in another bucket, or read-only events, is not recording the archive's.
    expect(
      after((f) => f.map((x) => (x.Field === 'resources.ARN' ? { ...x, StartsWith: ['arn:aws:s3:::other/'] } : x))),
    ).toEqual(['ArchiveDeletes::not-recorded']);
    expect(after((f) => f.map((x) => (x.Field === 'readOnly' ? { ...x, Equals: ['true'] } : x)))).toEqual([
      'ArchiveDeletes::not-recorded',
    ]);
    // CloudFormation reads a Boolean in a list of strings as its string form: `true` is "true" (a hand edit, an
    // override), and `false` as "false" records the deletes.
    expect(after((f) => f.map((x) => (x.Field === 'readOnly' ? { ...x, Equals: [true] } : x)))).toEqual([
      'ArchiveDeletes::not-recorded',
    ]);
    expect(after((f) => f.map((x) => (x.Field === 'readOnly' ? { ...x, Equals: [false] } : x)))).toBe(
      NagRuleCompliance.COMPLIANT,
    );
    const basic = trail();
    basic.addPropertyDeletionOverride('AdvancedEventSelectors');
    expect(TrailRecordsArchiveDeletes(basic)).toEqual(['ArchiveDeletes::not-recorded']);
  });

  test("U2 U6 fires when the selector would record the trail's own deliveries (a logging loop)", () => {
    expect(after((f) => f.filter((x) => x.Field !== 'eventName'))).toEqual(['ArchiveDeletes::selects-deliveries']);
    expect(
      after((f) => f.map((x) => (x.Field === 'eventName' ? { ...x, Equals: ['DeleteObject', 'PutObject'] } : x))),
    ).toEqual(['ArchiveDeletes::selects-deliveries']);
  });
});
