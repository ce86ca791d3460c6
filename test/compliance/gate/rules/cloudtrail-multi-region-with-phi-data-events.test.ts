import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { NagRuleCompliance } from 'cdk-nag';
import { CloudTrailMultiRegionWithPhiDataEvents } from '../../../../lib/compliance/gate/rules/cloudtrail-multi-region-with-phi-data-events';
import { fixtureStack as stack } from '../../../support/rule-fixtures';

describe('U1 project rule CloudTrailMultiRegionWithPhiDataEvents', () => {
  const S3_DATA: CfnTrail.EventSelectorProperty = {
    readWriteType: 'All',
    includeManagementEvents: true,
    dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::phi-bucket/'] }],
  };
  const trail = (props: Partial<CfnTrail.EventSelectorProperty> | null, extra: Partial<CfnTrailProps> = {}): CfnTrail =>
    new CfnTrail(stack(), 'Trail', {
      isLogging: true,
      s3BucketName: 'audit',
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      eventSelectors: props === null ? undefined : [{ ...S3_DATA, ...props }],
      ...extra,
    });

  test('U1 passes on a multi-region trail with global service events and S3 object read and write data events', () => {
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({}))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('U1 fires on a single-region trail and on a trail without global service events', () => {
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({}, { isMultiRegionTrail: false }))).toEqual([
      'IsMultiRegionTrail::false',
    ]);
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({}, { includeGlobalServiceEvents: undefined }))).toEqual([
      'IncludeGlobalServiceEvents::false',
    ]);
  });

  test('U1 reads the string forms CloudFormation accepts ("true", "false"; a property override, a hand edit)', () => {
    const strings = (multiRegion: string, global: string): CfnTrail => {
      const t = trail({});
      t.addPropertyOverride('IsMultiRegionTrail', multiRegion);
      t.addPropertyOverride('IncludeGlobalServiceEvents', global);
      return t;
    };
    expect(CloudTrailMultiRegionWithPhiDataEvents(strings('true', 'TRUE'))).toBe(NagRuleCompliance.COMPLIANT);
    expect(CloudTrailMultiRegionWithPhiDataEvents(strings('false', 'true'))).toEqual(['IsMultiRegionTrail::false']);
    expect(CloudTrailMultiRegionWithPhiDataEvents(strings('true', 'false'))).toEqual([
      'IncludeGlobalServiceEvents::false',
    ]);
  });

  test('U1 reads Booleans in advanced selectors as CloudFormation does ("true" and true alike)', () => {
    const field = (f: string, equalTo: unknown[]) => ({ Field: f, Equals: equalTo });
    const s3 = [field('eventCategory', ['Data']), field('resources.type', ['AWS::S3::Object'])];
    const selectors = (readOnly: unknown[][]) => {
      const t = trail(null);
      t.addPropertyOverride(
        'AdvancedEventSelectors',
        readOnly.map((values) => ({ FieldSelectors: [...s3, field('readOnly', values)] })),
      );
      return t;
    };
    expect(CloudTrailMultiRegionWithPhiDataEvents(selectors([[true], [false]]))).toBe(NagRuleCompliance.COMPLIANT);
    expect(CloudTrailMultiRegionWithPhiDataEvents(selectors([[true]]))).toEqual(['S3DataEvents::ReadOnly']);
  });

  test('U1 fires on a trail without S3 data events, or with only reads or only writes', () => {
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail(null))).toEqual(['S3DataEvents::none']);
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({ dataResources: [] }))).toEqual(['S3DataEvents::none']);
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({ readWriteType: 'ReadOnly' }))).toEqual([
      'S3DataEvents::ReadOnly',
    ]);
    expect(CloudTrailMultiRegionWithPhiDataEvents(trail({ readWriteType: 'WriteOnly' }))).toEqual([
      'S3DataEvents::WriteOnly',
    ]);
  });

  test('U1 accepts advanced event selectors for S3 object reads and writes', () => {
    const field = (f: string, equalTo: string[]): CfnTrail.AdvancedFieldSelectorProperty => ({ field: f, equalTo });
    const s3 = [field('eventCategory', ['Data']), field('resources.type', ['AWS::S3::Object'])];
    const both = trail(null, { advancedEventSelectors: [{ fieldSelectors: s3 }] });
    expect(CloudTrailMultiRegionWithPhiDataEvents(both)).toBe(NagRuleCompliance.COMPLIANT);
    const split = trail(null, {
      advancedEventSelectors: [
        { fieldSelectors: [...s3, field('readOnly', ['true'])] },
        { fieldSelectors: [...s3, field('readOnly', ['false'])] },
      ],
    });
    expect(CloudTrailMultiRegionWithPhiDataEvents(split)).toBe(NagRuleCompliance.COMPLIANT);
    const readsOnly = trail(null, {
      advancedEventSelectors: [{ fieldSelectors: [...s3, field('readOnly', ['true'])] }],
    });
    expect(CloudTrailMultiRegionWithPhiDataEvents(readsOnly)).toEqual(['S3DataEvents::ReadOnly']);
  });
});

type CfnTrailProps = ConstructorParameters<typeof CfnTrail>[2];
