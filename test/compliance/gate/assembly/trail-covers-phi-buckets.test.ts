import { TrailCoversPhiBuckets } from '../../../../lib/compliance/gate/assembly/trail-covers-phi-buckets';
import { findingsOf, Mutable, PHI_BUCKET } from './assembly-fixture';

const trail = (t: Record<string, Mutable>) => t.audit.Resources.Trail.Properties;

describe('TrailCoversPhiBuckets', () => {
  test('U1 a trail with read and write data events on the PHI bucket passes; so do advanced selectors', () => {
    expect(findingsOf(TrailCoversPhiBuckets)).toEqual([]);
    expect(
      findingsOf(TrailCoversPhiBuckets, (t) => {
        delete trail(t).EventSelectors;
        trail(t).AdvancedEventSelectors = [
          { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
              { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${PHI_BUCKET}/`] },
            ],
          },
        ];
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    ['the trail removed', (t) => delete t.audit.Resources.Trail, ['[Trail::absent] (template)']],
    ['no data events', (t) => delete trail(t).EventSelectors, [`[DataEvents::${PHI_BUCKET}-none] Trail`]],
    [
      'write events only',
      (t) => (trail(t).EventSelectors[0].ReadWriteType = 'WriteOnly'),
      // A basic selector's ReadWriteType applies to its management events too.
      [`[DataEvents::${PHI_BUCKET}-write-only] Trail`, '[ManagementEvents::not-recorded] Trail'],
    ],
    [
      'the trail not logging',
      (t) => (trail(t).IsLogging = false),
      [
        `[DataEvents::${PHI_BUCKET}-none] Trail`,
        '[ManagementEvents::not-recorded] Trail',
        '[Trail::not-logging] Trail',
      ],
    ],
    [
      'the trail logging "false" (a string)',
      (t) => (trail(t).IsLogging = 'false'),
      [
        `[DataEvents::${PHI_BUCKET}-none] Trail`,
        '[ManagementEvents::not-recorded] Trail',
        '[Trail::not-logging] Trail',
      ],
    ],
    [
      'IsLogging removed',
      (t) => delete trail(t).IsLogging,
      [
        `[DataEvents::${PHI_BUCKET}-none] Trail`,
        '[ManagementEvents::not-recorded] Trail',
        '[Trail::not-logging] Trail',
      ],
    ],
    [
      'management events excluded from the basic selector',
      (t) => (trail(t).EventSelectors[0].IncludeManagementEvents = false),
      ['[ManagementEvents::not-recorded] Trail'],
    ],
    [
      'data events on another bucket only',
      (t) => (trail(t).EventSelectors[0].DataResources[0].Values = ['arn:aws:s3:::other-bucket/']),
      [`[DataEvents::${PHI_BUCKET}-none] Trail`],
    ],
    [
      'a second PHI bucket (found by its marker) not in the selectors',
      (t) =>
        (t.data.Resources.Replica = {
          Type: 'AWS::S3::Bucket',
          Metadata: { 'HipaaBlueprint::PhiStore': true },
          Properties: { BucketName: 'records-archive' },
        }),
      ['[DataEvents::records-archive-none] Trail'],
    ],
  ])('U1 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(TrailCoversPhiBuckets, mutate)).toEqual(expected);
  });

  test('U1 advanced selectors narrowed by a field or operator the rule does not read cover nothing', () => {
    const management = { Field: 'eventCategory', Equals: ['Management'] };
    const data = (...extra: Mutable[]) => [
      { Field: 'eventCategory', Equals: ['Data'] },
      { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${PHI_BUCKET}/`] },
      ...extra,
    ];
    const withSelectors = (managementFields: Mutable[], dataFields: Mutable[]) =>
      findingsOf(TrailCoversPhiBuckets, (t) => {
        delete trail(t).EventSelectors;
        trail(t).AdvancedEventSelectors = [{ FieldSelectors: managementFields }, { FieldSelectors: dataFields }];
      });
    expect(withSelectors([management], data())).toEqual([]);
    for (const extra of [
      { Field: 'eventName', Equals: ['RestoreObject'] },
      { Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:sts::111111111111:assumed-role/task/'] },
      { Field: 'resources.ARN', NotStartsWith: [`arn:aws:s3:::${PHI_BUCKET}/a`] },
      { Field: 'readOnly', NotEquals: ['true'] },
    ]) {
      expect([extra, withSelectors([management], data(extra))]).toEqual([
        extra,
        [`[DataEvents::${PHI_BUCKET}-none] Trail`],
      ]);
    }
    // A folder of the bucket, or single objects by Equals: the rest of its keys unrecorded.
    for (const arn of [
      { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${PHI_BUCKET}/nothing-here/`] },
      { Field: 'resources.ARN', Equals: [`arn:aws:s3:::${PHI_BUCKET}/one-key`] },
    ]) {
      const dataFields = [...data().slice(0, 2), arn];
      expect([arn, withSelectors([management], dataFields)]).toEqual([arn, [`[DataEvents::${PHI_BUCKET}-none] Trail`]]);
    }
    // Management events narrowed to reads: the tamper rules and the alarms see no write.
    expect(withSelectors([management, { Field: 'readOnly', Equals: ['true'] }], data())).toEqual([
      '[ManagementEvents::not-recorded] Trail',
    ]);
  });
});
