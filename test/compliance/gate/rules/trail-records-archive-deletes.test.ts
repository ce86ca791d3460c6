import { writeFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { AuditTrail } from '../../../../constructs/audit-trail';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { TrailRecordsArchiveDeletes } from '../../../../lib/compliance/gate/rules/trail-records-archive-deletes';
import { templateProperties } from '../../../../lib/compliance/gate/rules/template-properties';
import { findingsOf, RETAIN } from './rule-fixtures';
import { scratchDir } from '../../../support/scratch';

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

describe('TrailRecordsArchiveDeletes: the selector names the delivery bucket by what it references', () => {
  const ARCHIVE_EVENTS = ['DeleteObject', 'DeleteObjects', 'PutObjectAcl'];
  const bucket = (props: Record<string, unknown> = {}) => ({ Type: 'AWS::S3::Bucket', ...RETAIN, Properties: props });
  type Buckets = Record<string, Record<string, unknown>>;
  const ONE: Buckets = { AuditArchive: bucket() };
  const TWO: Buckets = { AuditArchive: bucket(), AuditArchiveCopy: bucket() };
  const NAMED: Buckets = { AuditArchive: bucket({ BucketName: 'app-prod-audit-archive' }) };
  /** A trail delivering to `deliversTo` whose archive selector's resources.ARN field is `arnField`, and `buckets`. */
  const trailTemplate = (deliversTo: unknown, arnField: Record<string, unknown>, buckets: Buckets): unknown => ({
    Parameters: { ArchiveName: { Type: 'String' } },
    Resources: {
      ...buckets,
      Trail: {
        Type: 'AWS::CloudTrail::Trail',
        Properties: {
          IsLogging: true,
          S3BucketName: deliversTo,
          AdvancedEventSelectors: [
            {
              Name: 'AuditArchiveDeletes',
              FieldSelectors: [
                { Field: 'eventCategory', Equals: ['Data'] },
                { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
                { Field: 'readOnly', Equals: ['false'] },
                { Field: 'resources.ARN', ...arnField },
                { Field: 'eventName', Equals: ARCHIVE_EVENTS },
              ],
            },
          ],
        },
      },
    },
  });
  const ARCHIVE = { Ref: 'AuditArchive' };
  /** The rule on the trail of template `t` included in a stack deployed to `region`. */
  const inRegion = (region: string, t: unknown) => {
    const file = join(scratchDir('trail-'), 'template.json');
    writeFileSync(file, JSON.stringify(t));
    const stack = new Stack(new App(), 'Audit', { env: { account: '123456789012', region } });
    return TrailRecordsArchiveDeletes(new CfnInclude(stack, 'T', { templateFile: file }).getResource('Trail'));
  };
  const arnOf = (id: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/']] });

  // Each row: what the selector names, the trail's S3BucketName, the resources.ARN operators, the buckets.
  test.each<[string, unknown, Record<string, unknown>, Buckets]>([
    [
      'its Fn::GetAtt Arn joined with "/" (as AuditTrail writes it)',
      ARCHIVE,
      { StartsWith: [arnOf('AuditArchive')] },
      ONE,
    ],
    ['an Fn::Sub of its Arn', ARCHIVE, { StartsWith: [{ 'Fn::Sub': '${AuditArchive.Arn}/' }] }, ONE],
    [
      'an Fn::Sub of its name with a variable map',
      ARCHIVE,
      { StartsWith: [{ 'Fn::Sub': ['arn:${AWS::Partition}:s3:::${Name}/', { Name: { Ref: 'AuditArchive' } }] }] },
      ONE,
    ],
    [
      'an Fn::Join of its Ref',
      ARCHIVE,
      {
        StartsWith: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'AuditArchive' }, '/']] }],
      },
      ONE,
    ],
    [
      'its literal ARN, the trail delivering to its literal name',
      'app-prod-audit-archive',
      { StartsWith: ['arn:aws:s3:::app-prod-audit-archive/'] },
      ONE,
    ],
    [
      'the Arn of the bucket of the template named as the trail delivers',
      'app-prod-audit-archive',
      { StartsWith: [arnOf('AuditArchive')] },
      NAMED,
    ],
    [
      'the same parameter the trail delivers to',
      { Ref: 'ArchiveName' },
      { StartsWith: [{ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ArchiveName}/' }] },
      ONE,
    ],
    ['every bucket (a shorter prefix)', ARCHIVE, { StartsWith: ['arn:aws:s3:::'] }, ONE],
    [
      'every bucket but another one',
      ARCHIVE,
      { StartsWith: ['arn:aws:s3:::'], NotStartsWith: ['arn:aws:s3:::app-prod-other/'] },
      NAMED,
    ],
  ])('U2 U6 a selector naming the delivery bucket by %s passes', (_name, deliversTo, arnField, buckets) => {
    const t = trailTemplate(deliversTo, arnField, buckets);
    expect(inRegion('us-east-1', t)).toBe(NagRuleCompliance.COMPLIANT);
    // The template checker's stack has no region: a literal partition is not known to be the deployed one (below).
    if (!JSON.stringify(arnField).includes('arn:aws:')) expect(findingsOf('TrailRecordsArchiveDeletes', t)).toEqual([]);
  });

  test.each<[string, unknown, Record<string, unknown>, Buckets]>([
    [
      'another bucket whose logical id contains the delivery bucket s',
      ARCHIVE,
      { StartsWith: [arnOf('AuditArchiveCopy')] },
      TWO,
    ],
    [
      'another bucket, the delivery bucket renamed to a logical id the other s contains',
      { Ref: 'Archive' },
      { StartsWith: [arnOf('AuditArchive')] },
      { Archive: bucket(), AuditArchive: bucket() },
    ],
    [
      'a path inside another bucket that spells the delivery bucket s logical id',
      ARCHIVE,
      { StartsWith: ['arn:aws:s3:::app-prod-other/AuditArchive/'] },
      ONE,
    ],
    ['an Fn::Sub of another bucket s Arn', ARCHIVE, { StartsWith: [{ 'Fn::Sub': '${AuditArchiveCopy.Arn}/' }] }, TWO],
    [
      'another literal bucket whose name starts with the delivery bucket s',
      'app-prod-audit-archive',
      { StartsWith: ['arn:aws:s3:::app-prod-audit-archive-copy/'] },
      ONE,
    ],
    [
      'only some of its objects (a longer prefix)',
      ARCHIVE,
      { StartsWith: [{ 'Fn::Sub': '${AuditArchive.Arn}/x/' }] },
      ONE,
    ],
    ['one of its objects (Equals)', ARCHIVE, { Equals: [arnOf('AuditArchive')] }, ONE],
    [
      'every bucket but the delivery bucket (NotStartsWith)',
      ARCHIVE,
      { StartsWith: ['arn:aws:s3:::'], NotStartsWith: [arnOf('AuditArchive')] },
      ONE,
    ],
    [
      'every bucket but one that may be the delivery bucket (whose name CloudFormation generates)',
      ARCHIVE,
      { StartsWith: ['arn:aws:s3:::'], NotStartsWith: ['arn:aws:s3:::app-prod-other/'] },
      ONE,
    ],
    [
      'its Arn with an exclusion only deploy resolves',
      ARCHIVE,
      { StartsWith: [arnOf('AuditArchive')], NotStartsWith: [{ 'Fn::Sub': 'arn:aws:s3:::${ArchiveName}/' }] },
      ONE,
    ],
  ])('U2 U6 a selector naming %s is a finding', (_name, deliversTo, arnField, buckets) => {
    expect(findingsOf('TrailRecordsArchiveDeletes', trailTemplate(deliversTo, arnField, buckets))).toEqual([
      '[ArchiveDeletes::not-recorded] Trail',
    ]);
  });

  test('U2 U6 a literal partition counts only when it is the one the stack s region implies', () => {
    const name = 'app-prod-audit-archive';
    const literal = (partition: string) => trailTemplate(name, { StartsWith: [`arn:${partition}:s3:::${name}/`] }, ONE);
    expect(inRegion('us-east-1', literal('aws'))).toBe(NagRuleCompliance.COMPLIANT);
    expect(inRegion('cn-north-1', literal('aws-cn'))).toBe(NagRuleCompliance.COMPLIANT);
    expect(inRegion('us-gov-west-1', literal('aws-us-gov'))).toBe(NagRuleCompliance.COMPLIANT);
    // Another partition's ARN names no object of the deployed archive.
    expect(inRegion('us-east-1', literal('aws-cn'))).toEqual(['ArchiveDeletes::not-recorded']);
    expect(inRegion('us-east-1', literal('aws-us-gov'))).toEqual(['ArchiveDeletes::not-recorded']);
    expect(inRegion('cn-north-1', literal('aws'))).toEqual(['ArchiveDeletes::not-recorded']);
    // The template checker's stack has no region: only AWS::Partition is known to be the deployed partition.
    expect(findingsOf('TrailRecordsArchiveDeletes', literal('aws'))).toEqual(['[ArchiveDeletes::not-recorded] Trail']);
  });
});

describe('TrailRecordsArchiveDeletes: every field of the selector is judged (B1)', () => {
  /** The trail's findings in a us-east-1 stack after adding `extra` fields to its archive selector / replacing some. */
  const withFields = (
    replace: Record<string, Record<string, unknown> | undefined>,
    extra: Array<Record<string, unknown>> = [],
  ) =>
    after((f) => [
      ...f.flatMap((x) => {
        const field = x.Field as string;
        if (!(field in replace)) return [x];
        const r = replace[field];
        return r === undefined ? [] : [{ Field: field, ...r }];
      }),
      ...extra,
    ]);

  test('U2 U6 an eventName NotEquals excluding DeleteObject is a finding', () => {
    expect(withFields({ eventName: { NotEquals: ['PutObject', 'DeleteObject', 'DeleteObjects'] } })).toEqual([
      'ArchiveDeletes::not-recorded',
    ]);
  });

  test('U2 U6 an eventName operator beside Equals that deselects DeleteObject is a finding', () => {
    expect(withFields({ eventName: { Equals: ['DeleteObject'], NotEndsWith: ['Object'] } })).toEqual([
      'ArchiveDeletes::not-recorded',
    ]);
    expect(withFields({ eventName: { Equals: ['DeleteObject'], NotStartsWith: ['Delete'] } })).toEqual([
      'ArchiveDeletes::not-recorded',
    ]);
    expect(withFields({ eventName: { Equals: ['DeleteObject'], EndsWith: ['Tagging'] } })).toEqual([
      'ArchiveDeletes::not-recorded',
    ]);
    // A second eventName field applies too.
    expect(withFields({}, [{ Field: 'eventName', NotEquals: ['DeleteObject'] }])).toEqual([
      'ArchiveDeletes::not-recorded',
    ]);
  });

  test('U2 U6 eventName operators that surely select DeleteObject and never PutObject pass', () => {
    expect(withFields({ eventName: { StartsWith: ['Delete'] } })).toBe(NagRuleCompliance.COMPLIANT);
    expect(withFields({ eventName: { Equals: ['DeleteObject'], EndsWith: ['Object'] } })).toBe(
      NagRuleCompliance.COMPLIANT,
    );
    // StartsWith "Put" may select the deliveries: a logging loop.
    expect(withFields({ eventName: { StartsWith: ['Delete', 'Put'] } })).toEqual([
      'ArchiveDeletes::selects-deliveries',
    ]);
  });

  test('U2 U6 an eventName value only deploy resolves is a finding', () => {
    // It may be PutObject (the deliveries) as well as other than DeleteObject: a finding either way.
    expect(withFields({ eventName: { Equals: [{ 'Fn::If': ['C', 'DeleteObject', 'GetObject'] }] } })).toEqual([
      'ArchiveDeletes::selects-deliveries',
    ]);
    expect(withFields({ eventName: { Equals: ['DeleteObject'], NotEquals: [{ Ref: 'P' }] } })).toEqual([
      'ArchiveDeletes::not-recorded',
    ]);
  });

  test('U2 U6 a readOnly only deploy resolves is a finding', () => {
    expect(withFields({ readOnly: { Equals: [{ 'Fn::If': ['C', 'true', 'false'] }] } })).toEqual([
      'ArchiveDeletes::not-recorded',
    ]);
    expect(withFields({ readOnly: { Equals: [{ Ref: 'P' }] } })).toEqual(['ArchiveDeletes::not-recorded']);
    expect(withFields({ readOnly: { NotEquals: ['false'] } })).toEqual(['ArchiveDeletes::not-recorded']);
    // No readOnly field records reads and writes: the deletes too.
    expect(withFields({ readOnly: undefined })).toBe(NagRuleCompliance.COMPLIANT);
  });

  test.each<[string, Record<string, unknown>]>([
    ['userIdentity.arn', { Field: 'userIdentity.arn', Equals: ['arn:aws:iam::123456789012:role/nobody'] }],
    ['eventSource', { Field: 'eventSource', Equals: ['nothing.amazonaws.com'] }],
    ['eventType', { Field: 'eventType', Equals: ['AwsServiceEvent'] }],
    ['sessionCredentialFromConsole', { Field: 'sessionCredentialFromConsole', Equals: ['true'] }],
    ['a field only deploy resolves', { Field: { 'Fn::If': ['C', 'userIdentity.arn', 'eventName'] }, Equals: ['x'] }],
    ['a field selector only deploy resolves', { 'Fn::If': ['C', { Field: 'eventName', Equals: ['x'] }, {}] }],
  ])('U2 U6 a selector narrowed by %s is a finding', (_name, extra) => {
    expect(withFields({}, [extra])).toEqual(['ArchiveDeletes::not-recorded']);
  });

  test('U2 U6 an eventCategory or resources.type that may not be Data on S3 objects is a finding', () => {
    expect(withFields({ eventCategory: { Equals: [{ Ref: 'P' }] } })).toEqual(['ArchiveDeletes::not-recorded']);
    expect(
      withFields({ 'resources.type': { Equals: [{ 'Fn::If': ['C', 'AWS::S3::Object', 'AWS::Lambda::Function'] }] } }),
    ).toEqual(['ArchiveDeletes::not-recorded']);
  });
});
