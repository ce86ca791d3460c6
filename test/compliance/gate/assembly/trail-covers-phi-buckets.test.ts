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
      [`[DataEvents::${PHI_BUCKET}-write-only] Trail`],
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
});
