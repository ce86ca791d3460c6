import { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { CONFIG_DELIVERY_KEY_PREFIX, ConfigRecorder, ConfigRecorderProps } from '../../constructs/config-recorder';
import { fixtureStack, importedKey, KEY_ARN } from '../support/construct-fixtures';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

/** A ConfigRecorder alone in its stack, delivering to an imported bucket with an imported key (the audit key). */
function recorder(props: Partial<ConfigRecorderProps> = {}): { recorder: ConfigRecorder; template: Template } {
  const s = fixtureStack('Detection');
  const built = new ConfigRecorder(s, 'ConfigRecorder', {
    deliveryBucket: Bucket.fromBucketName(s, 'ConfigDelivery', 'hipaa-test-config-delivery'),
    deliveryKey: importedKey(s),
    ...props,
  });
  return { recorder: built, template: Template.fromStack(s) };
}

const { recorder: main, template } = recorder();
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string): Array<[string, Resource]> =>
  Object.entries(resources).filter(([, r]) => r.Type === type);

describe('ConfigRecorder', () => {
  it('D2 AWS Config records every supported type, global ones included, continuously', () => {
    template.resourceCountIs('AWS::Config::ConfigurationRecorder', 1);
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
      RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
      RoleARN: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':iam::',
            { Ref: 'AWS::AccountId' },
            ':role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
          ],
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::ServiceLinkedRole', { AWSServiceName: 'config.amazonaws.com' });
  });

  it('D2 by default it creates the service-linked role and the recorder waits for it', () => {
    const [[roleId]] = ofType('AWS::IAM::ServiceLinkedRole');
    const [[, created]] = ofType('AWS::Config::ConfigurationRecorder');
    expect(created.DependsOn).toContain(roleId);
    expect(main.serviceLinkedRole).toBeDefined();
  });

  it('D2 createServiceLinkedRole false: no role is created, the recorder still uses AWSServiceRoleForConfig', () => {
    const existing = recorder({ createServiceLinkedRole: false });
    existing.template.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
    expect(existing.recorder.serviceLinkedRole).toBeUndefined();
    const [r] = Object.values(existing.template.findResources('AWS::Config::ConfigurationRecorder'));
    expect(JSON.stringify(r.Properties.RoleARN)).toContain('AWSServiceRoleForConfig');
    expect(r.DependsOn).toBeUndefined();
  });

  it.each([['AWS::Config::ConfigurationRecorder'], ['AWS::Config::DeliveryChannel'], ['AWS::IAM::ServiceLinkedRole']])(
    'I2 %s is retained on delete and on replacement (its findings or recording must survive the stack)',
    (type) => {
      template.resourceCountIs(type, 1);
      template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    },
  );

  it('D2 E2 the delivery channel sends daily snapshots to the given bucket under config/, encrypted with the given key, once the recorder exists', () => {
    template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: 'hipaa-test-config-delivery',
      S3KeyPrefix: CONFIG_DELIVERY_KEY_PREFIX,
      S3KmsKeyArn: KEY_ARN,
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
    expect(CONFIG_DELIVERY_KEY_PREFIX).toBe('config');
    const [[recorderId]] = ofType('AWS::Config::ConfigurationRecorder');
    const [[, channel]] = ofType('AWS::Config::DeliveryChannel');
    expect(channel.DependsOn).toContain(recorderId);
  });

  it('A3 no IAM role or policy of its own: only the service-linked role', () => {
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'])
      template.resourceCountIs(type, 0);
    expect(
      Object.values(resources)
        .map((r) => r.Type)
        .sort(),
    ).toEqual(['AWS::Config::ConfigurationRecorder', 'AWS::Config::DeliveryChannel', 'AWS::IAM::ServiceLinkedRole']);
  });

  it('keyPrefix: another valid prefix is used as is; an invalid one is refused, naming field and value', () => {
    recorder({ keyPrefix: 'aws-config' }).template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3KeyPrefix: 'aws-config',
    });
    expect(() => recorder({ keyPrefix: 'Config/Logs' })).toThrow(
      "ConfigRecorder Detection/ConfigRecorder: keyPrefix = 'Config/Logs': must be 1-64 of [a-z0-9-]",
    );
    expect(() => recorder({ keyPrefix: '' })).toThrow("keyPrefix = ''");
  });

  it('exposes the recorder and the channel it creates', () => {
    expect(CfnResource.isCfnResource(main.recorder)).toBe(true);
    expect(main.recorder.cfnResourceType).toBe('AWS::Config::ConfigurationRecorder');
    expect(main.deliveryChannel.cfnResourceType).toBe('AWS::Config::DeliveryChannel');
  });
});
