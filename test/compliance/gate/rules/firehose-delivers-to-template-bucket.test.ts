import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { FirehoseDeliversToTemplateBucket } from '../../../../lib/compliance/gate/rules/firehose-delivers-to-template-bucket';
import { findingsOf, template } from './rule-fixtures';

/** The S3 destination as constructs/access-audit-channel.ts writes it, with `changes`. */
const destination = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  BucketARN: { 'Fn::GetAtt': ['Events', 'Arn'] },
  RoleARN: 'arn:aws:iam::123456789012:role/delivery',
  Prefix: 'events/',
  ...changes,
});

/** The rule's findings on a template with a bucket and a stream of `properties`. */
function found(properties: Record<string, unknown>): string[] {
  return findingsOf(
    'FirehoseDeliversToTemplateBucket',
    template({
      Events: { Type: 'AWS::S3::Bucket', Properties: {} },
      Stream: {
        Type: 'AWS::KinesisFirehose::DeliveryStream',
        Properties: { DeliveryStreamType: 'DirectPut', ...properties },
      },
    }),
    ['Blueprint'],
  );
}

describe('FirehoseDeliversToTemplateBucket', () => {
  test('U6 E1 A3 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === FirehoseDeliversToTemplateBucket)?.safeguards).toEqual([
      'U6',
      'E1',
      'A3',
    ]);
  });

  test("U6 E1 A3 the blueprint's streams pass: a bucket of the template by GetAtt or by a join of its Ref, a delimiter processor", () => {
    expect(found({ ExtendedS3DestinationConfiguration: destination() })).toEqual([]);
    expect(
      found({
        ExtendedS3DestinationConfiguration: destination({
          BucketARN: { 'Fn::Join': ['', ['arn:aws:s3:::', { Ref: 'Events' }]] },
          ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'AppendDelimiterToRecord' }] },
        }),
      }),
    ).toEqual([]);
    expect(found({ S3DestinationConfiguration: destination() })).toEqual([]);
  });

  test('U6 E1 A3 fires on another bucket by literal ARN, a backup elsewhere, a Lambda processor, an HTTP endpoint, or no destination', () => {
    expect(
      found({ ExtendedS3DestinationConfiguration: destination({ BucketARN: 'arn:aws:s3:::someone-elses-bucket' }) }),
    ).toEqual(['[BucketARN::not-a-bucket-of-template] Stream']);
    expect(
      found({
        ExtendedS3DestinationConfiguration: destination({
          S3BackupMode: 'Enabled',
          S3BackupConfiguration: { BucketARN: 'arn:aws:s3:::someone-elses-bucket', RoleARN: 'r' },
        }),
      }),
    ).toEqual(['[S3BackupConfiguration::not-a-bucket-of-template] Stream']);
    expect(
      found({
        ExtendedS3DestinationConfiguration: destination({
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [
              {
                Type: 'Lambda',
                Parameters: [
                  { ParameterName: 'LambdaArn', ParameterValue: 'arn:aws:lambda:us-east-1:999999999999:function:f' },
                ],
              },
            ],
          },
        }),
      }),
    ).toEqual(['[ProcessingConfiguration::lambda] Stream']);
    expect(
      found({
        HttpEndpointDestinationConfiguration: {
          EndpointConfiguration: { Url: 'https://collector.example.net' },
          S3Configuration: destination(),
        },
      }),
    ).toEqual(['[HttpEndpointDestinationConfiguration::not-S3] Stream']);
    expect(found({})).toEqual(['[Destinations::0] Stream']);
    expect(
      found({
        ExtendedS3DestinationConfiguration: destination(),
        SplunkDestinationConfiguration: { HECEndpoint: 'x' },
      }),
    ).toEqual(['[Destinations::2] Stream', '[SplunkDestinationConfiguration::not-S3] Stream']);
  });
});
