import { App, Stack } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { phiObjectAccessFilterPattern, SecurityAlarms } from '../../constructs/security-alarms';

function stack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
}

describe('SecurityAlarms', () => {
  function alarms(props: Partial<ConstructorParameters<typeof SecurityAlarms>[2]> = {}) {
    const s = stack();
    return new SecurityAlarms(s, 'A', {
      logGroup: new LogGroup(s, 'G'),
      alarmAction: new SnsAction(new Topic(s, 'T')),
      phiBucketNames: ['phi-a'],
      ...props,
    });
  }

  test('D1 refuses an AWS/ namespace, no PHI buckets, and duplicate filter ids', () => {
    expect(() => alarms({ namespace: 'AWS/Security' })).toThrow(/namespace = 'AWS\/Security'/);
    expect(() => alarms({ phiBucketNames: [] })).toThrow(/phiBucketNames = \[\]/);
    const dup = {
      id: 'RootAccountUsage',
      metricName: 'X',
      description: 'x',
      filterPattern: '{ $.x = 1 }',
      safeguard: 'D1',
      hipaaSections: [],
    };
    expect(() => alarms({ additionalFilters: [dup] })).toThrow(/filter id 'RootAccountUsage' appears twice/);
  });

  test('D1 PHI object access pattern names each bucket and stays within 1024 characters', () => {
    expect(phiObjectAccessFilterPattern(['a-b', 'c-d'])).toBe(
      '{ ($.eventSource = "s3.amazonaws.com") && (($.eventName = "GetObject") || ($.eventName = "PutObject")) && (($.requestParameters.bucketName = "a-b") || ($.requestParameters.bucketName = "c-d")) }',
    );
    expect(() => phiObjectAccessFilterPattern(Array.from({ length: 30 }, (_, i) => `bucket-name-number-${i}`))).toThrow(
      /over 1024/,
    );
  });
});
