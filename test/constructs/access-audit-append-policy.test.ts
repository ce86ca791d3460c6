import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AccessAuditAppendPolicy } from '../../constructs/access-audit-append-policy';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(streamName = 'app-prod-api-access-audit'): Template {
  const s = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const role = new Role(s, 'TaskRole', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com') });
  new AccessAuditAppendPolicy(s, 'ApiAccessAudit', { role, streamName, streamKey: new Key(s, 'AuditKey') });
  return Template.fromStack(s);
}

describe('AccessAuditAppendPolicy', () => {
  test('U5 A3 append only: PutRecord and PutRecordBatch on one stream, the key through Firehose only, nothing else', () => {
    const policies = Object.values(build().findResources('AWS::IAM::ManagedPolicy')) as Json[];
    expect(policies).toHaveLength(1);
    const [append, key] = policies[0].Properties.PolicyDocument.Statement;
    expect(policies[0].Properties.PolicyDocument.Statement).toHaveLength(2);
    expect(append).toEqual({
      Sid: 'AppendAccessAuditEvents',
      Effect: 'Allow',
      Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
      Resource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':firehose:us-east-1:123456789012:deliverystream/app-prod-api-access-audit',
          ],
        ],
      },
    });
    expect(key).toMatchObject({
      Sid: 'StreamKeyThroughFirehose',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'kms:ViaService': 'firehose.us-east-1.amazonaws.com' } },
    });
    expect(policies[0].Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^TaskRole/) }]);
  });

  test('refuses a stream name Firehose would refuse, naming the field', () => {
    expect(() => build('a*')).toThrow("streamName = 'a*': must be 1-64 of [a-zA-Z0-9_.-]");
  });
});
