import { Json, one, Probe, remove, Templates } from './probe';

const RULE = 'AWS::Events::Rule';
const forwarding = (source: string) => (r: Json) =>
  JSON.stringify(r.Properties.EventPattern?.source) === JSON.stringify([source]);
const targetOf = (t: Templates, source: string): Json =>
  one(t, 'replicaDetection', RULE, forwarding(source))[1].Properties.Targets[0];
const failedInvocationsOf = (t: Templates, source: string): [string, Json] => {
  const name = one(t, 'replicaDetection', RULE, forwarding(source))[1].Properties.Name;
  return one(
    t,
    'replicaDetection',
    'AWS::CloudWatch::Alarm',
    (r) => r.Properties.MetricName === 'FailedInvocations' && r.Properties.Dimensions?.[0]?.Value === name,
  );
};

/** D2 D3: the replica region's forwarding of findings to the primary region cannot stop unnoticed. */
export const PROBES: readonly Probe[] = [
  {
    name: 'D2 D3 the GuardDuty forwarding retry policy removed (replica region)',
    safeguards: ['D2', 'D3'],
    mutate: (t) => delete targetOf(t, 'aws.guardduty').RetryPolicy,
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::guardDuty-forwarding-retry\]/,
  },
  {
    name: 'D2 D3 the Security Hub forwarding dead-letter queue removed (replica region)',
    safeguards: ['D2', 'D3'],
    mutate: (t) => delete targetOf(t, 'aws.securityhub').DeadLetterConfig,
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::securityHub-forwarding-no-dead-letter\]/,
  },
  {
    name: 'D2 D3 the GuardDuty forwarding FailedInvocations alarm removed (replica region)',
    safeguards: ['D2', 'D3'],
    mutate: (t) => remove(t, 'replicaDetection', [failedInvocationsOf(t, 'aws.guardduty')[0]]),
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::guardDuty-forwarding-no-failed-invocations-alarm\]/,
  },
  {
    name: 'D2 D3 the GuardDuty forwarding FailedInvocations alarm muted (SampleCount over a day)',
    safeguards: ['D2', 'D3'],
    mutate: (t) =>
      Object.assign(failedInvocationsOf(t, 'aws.guardduty')[1].Properties, { Statistic: 'SampleCount', Period: 86400 }),
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::guardDuty-forwarding-failed-invocations-alarm-cannot-fire\]/,
  },
  {
    name: 'D2 D3 the forwarding role trusted by any EventBridge rule of any account (conditions removed)',
    safeguards: ['D2', 'D3'],
    mutate: (t) => {
      const roleId = targetOf(t, 'aws.guardduty').RoleArn['Fn::GetAtt'][0];
      delete t.replicaDetection!.Resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement[0].Condition;
    },
    caughtBy: /DetectionServicesPresent\[ReplicaRegion::guardDuty-forwarding-role-trust\]/,
  },
  {
    name: "D2 D3 the forwarder's alarm state changes no longer forwarded (replica region)",
    safeguards: ['D2', 'D3'],
    mutate: (t) => (one(t, 'replicaDetection', RULE, forwarding('aws.cloudwatch'))[1].Properties.State = 'DISABLED'),
    caughtBy:
      /DetectionServicesPresent\[ReplicaRegion::(guardDuty|securityHub)-forwarding-failed-invocations-alarm-not-forwarded\]/,
  },
  {
    name: 'U6 the replica bucket protection tamper events forwarded to a bus named default-sink (read by no rule)',
    safeguards: ['U6'],
    mutate: (t) => {
      const rule = one(t, 'replicaDetection', RULE, (_r, id) =>
        id.startsWith('FindingForwarderTamperBucketProtection'),
      )[1];
      const parts = rule.Properties.Targets[0].Arn['Fn::Join'][1];
      parts[parts.length - 1] = ':event-bus/default-sink';
    },
    caughtBy: /TamperDetectionPresent\[ReplicaRegion::BucketProtection::not-forwarded\]/,
  },
  {
    name: "U6 the replica stack's declared region edited to the primary region, its bucket protection tamper events sent to its own region's bus",
    safeguards: ['U6'],
    mutate: (t) => {
      const declared = (t.replicaDetection!.Metadata as Json).HipaaBlueprint.replicaDetection;
      const rule = one(t, 'replicaDetection', RULE, (_r, id) =>
        id.startsWith('FindingForwarderTamperBucketProtection'),
      )[1];
      const parts = rule.Properties.Targets[0].Arn['Fn::Join'][1] as unknown[];
      const at = parts.findIndex((p) => typeof p === 'string' && p.startsWith(':events:'));
      const primary = (parts[at] as string).split(':')[2]!;
      parts[at] = `:events:${String(declared.region)}:`;
      declared.region = primary;
    },
    caughtBy: /TamperDetectionPresent\[ReplicaRegion::BucketProtection::not-forwarded\]/,
  },
];
