import { DetectionServicesPresent } from '../../../../lib/compliance/gate/assembly/detection-services-present';
import { findingsOf, Mutable, RUNNING_RULE_STATES } from './assembly-fixture';

const PRIMARY = 'us-east-1';
const REPLICA = 'us-west-2';
const busArn = (region: unknown) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, `:events:${String(region)}:`, { Ref: 'AWS::AccountId' }, ':event-bus/default'],
  ],
});
const DETAIL_TYPES: Record<string, string> = {
  'aws.guardduty': 'GuardDuty Finding',
  'aws.securityhub': 'Security Hub Findings - Imported',
};
const forwardRule = (source: string, region: unknown = PRIMARY) => ({
  Type: 'AWS::Events::Rule',
  Properties: {
    Name: `app-prod-fwd-${source}`,
    EventPattern: { source: [source], 'detail-type': [DETAIL_TYPES[source]] },
    State: 'ENABLED',
    Targets: [
      {
        Id: 'Target0',
        Arn: busArn(region),
        RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['ForwardDeadLetters', 'Arn'] } },
      },
    ],
  },
});
/** FindingForwarder's FailedInvocations alarm of the rule forwarding `source`: Sum >= 1 over 5 minutes, no action. */
const failedInvocationsAlarm = (source: string) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    Namespace: 'AWS/Events',
    MetricName: 'FailedInvocations',
    Dimensions: [{ Name: 'RuleName', Value: `app-prod-fwd-${source}` }],
    Statistic: 'Sum',
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
  },
});

/** The fixture with a PHI replica region declared and its detection stack (GuardDuty, Security Hub, Config, forwarding). */
function withReplica(t: Record<string, Mutable>): void {
  t.detection.Metadata.HipaaBlueprint.detection.replicaRegion = REPLICA;
  const resources: Mutable = JSON.parse(JSON.stringify(t.detection.Resources));
  delete resources.Macie;
  resources.ForwardGuardDuty = forwardRule('aws.guardduty');
  resources.ForwardSecurityHub = forwardRule('aws.securityhub');
  // D2 D3: retried, dead-lettered, FailedInvocations alarmed and the alarms' state changes forwarded.
  resources.ForwardDeadLetters = { Type: 'AWS::SQS::Queue', Properties: {} };
  resources.Role = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnEquals: { 'aws:SourceArn': ['arn:aws:events:us-west-2:123456789012:rule/app-prod-fwd-aws.guardduty'] },
            },
          },
        ],
      },
    },
  };
  resources.GuardDutyFailedInvocations = failedInvocationsAlarm('aws.guardduty');
  resources.SecurityHubFailedInvocations = failedInvocationsAlarm('aws.securityhub');
  resources.ForwardAlarmStateChanges = {
    Type: 'AWS::Events::Rule',
    Properties: {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [
          { 'Fn::GetAtt': ['GuardDutyFailedInvocations', 'Arn'] },
          { 'Fn::GetAtt': ['SecurityHubFailedInvocations', 'Arn'] },
        ],
      },
      State: 'ENABLED',
      Targets: [{ Id: 'Target0', Arn: busArn(PRIMARY), RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] } }],
    },
  };
  t.replicaDetection = {
    Metadata: { HipaaBlueprint: { appName: 'app', envName: 'prod', replicaDetection: { region: REPLICA } } },
    Resources: resources,
  };
  // The fixture's alerting stack routes the replica region's alarm state changes to the formatter (ForwardedAlarms).
}
const replica = (t: Record<string, Mutable>) => t.replicaDetection.Resources;

describe('DetectionServicesPresent in the PHI replica region', () => {
  test('D2 the replica region running GuardDuty, Security Hub and Config, findings forwarded, passes', () => {
    expect(findingsOf(DetectionServicesPresent, withReplica)).toEqual([]);
  });

  test('D2 services switched off with a provider are required in neither region', () => {
    expect(
      findingsOf(DetectionServicesPresent, (t) => {
        withReplica(t);
        delete t.detection.Resources.Detector;
        delete replica(t).Detector;
        delete replica(t).ForwardGuardDuty;
        t.detection.Metadata.HipaaBlueprint.detection.services.guardDuty = false;
        t.detection.Metadata.HipaaBlueprint.detection.providedBy = 'the organization security account';
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the replica region stack absent',
      (t) => {
        withReplica(t);
        delete t.replicaDetection;
      },
      ['[ReplicaRegion::stack-absent] (template)'],
    ],
    [
      'its GuardDuty detector removed',
      (t) => (withReplica(t), delete replica(t).Detector),
      ['[ReplicaRegion::GuardDuty::absent] (template)'],
    ],
    [
      'its GuardDuty RDS protection off',
      (t) => (withReplica(t), (replica(t).Detector.Properties.Features[1].Status = 'DISABLED')),
      ['[ReplicaRegion::GuardDuty::RDS_LOGIN_EVENTS-off] (template)'],
    ],
    [
      'its Security Hub removed',
      (t) => (withReplica(t), delete replica(t).Hub),
      ['[ReplicaRegion::SecurityHub::absent] (template)'],
    ],
    [
      'its Config recorder removed',
      (t) => (withReplica(t), delete replica(t).Recorder),
      ['[ReplicaRegion::Config::recorder-absent] (template)'],
    ],
    [
      'the primary detector removed while the replica region has one (no region stands in for another)',
      (t) => (withReplica(t), delete t.detection.Resources.Detector),
      ['[GuardDuty::absent] (template)'],
    ],
    [
      'the GuardDuty forwarding rule removed',
      (t) => (withReplica(t), delete replica(t).ForwardGuardDuty),
      ['[ReplicaRegion::guardDuty-findings-not-forwarded] (template)'],
    ],
    [
      'Security Hub findings sent to the replica region own bus',
      (t) => (withReplica(t), (replica(t).ForwardSecurityHub = forwardRule('aws.securityhub', REPLICA))),
      ['[ReplicaRegion::securityHub-findings-not-forwarded] (template)'],
    ],
    [
      'GuardDuty findings sent to the bus of AWS::Region (the replica region itself)',
      (t) => {
        withReplica(t);
        replica(t).ForwardGuardDuty.Properties.Targets[0].Arn = {
          'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default',
        };
      },
      ['[ReplicaRegion::guardDuty-findings-not-forwarded] (template)'],
    ],
    [
      "both declarations of the replica region edited to the primary region, GuardDuty findings sent to the replica region's own bus",
      (t) => {
        withReplica(t);
        t.detection.Metadata.HipaaBlueprint.detection.replicaRegion = PRIMARY;
        t.replicaDetection.Metadata.HipaaBlueprint.replicaDetection.region = PRIMARY;
        replica(t).ForwardGuardDuty = forwardRule('aws.guardduty', REPLICA);
      },
      // Security Hub's forwarding to the primary region now looks like the declared own region: found as well.
      [
        '[ReplicaRegion::guardDuty-findings-not-forwarded] (template)',
        '[ReplicaRegion::securityHub-findings-not-forwarded] (template)',
      ],
    ],
    [
      'GuardDuty findings sent to a bus named default-sink in the primary region (read by no rule)',
      (t) => {
        withReplica(t);
        replica(t).ForwardGuardDuty.Properties.Targets[0].Arn = {
          'Fn::Sub': `arn:\${AWS::Partition}:events:${PRIMARY}:\${AWS::AccountId}:event-bus/default-sink`,
        };
      },
      ['[ReplicaRegion::guardDuty-findings-not-forwarded] (template)'],
    ],
    [
      'GuardDuty findings sent to the default bus of a third region (not the primary one)',
      (t) => (withReplica(t), (replica(t).ForwardGuardDuty = forwardRule('aws.guardduty', 'eu-west-1'))),
      ['[ReplicaRegion::guardDuty-findings-not-forwarded] (template)'],
    ],
    [
      'the forwarding target without a role',
      (t) => (withReplica(t), delete replica(t).ForwardGuardDuty.Properties.Targets[0].RoleArn),
      ['[ReplicaRegion::guardDuty-findings-not-forwarded] (template)'],
    ],
    [
      'the GuardDuty forwarding narrowed to MEDIUM and above (the findings archive would miss the rest)',
      (t) => {
        withReplica(t);
        replica(t).ForwardGuardDuty.Properties.EventPattern.detail = { severity: [{ numeric: ['>=', 4] }] };
      },
      ['[ReplicaRegion::guardDuty-findings-not-forwarded] (template)'],
    ],
    [
      'the Security Hub forwarding narrowed to new HIGH and CRITICAL findings',
      (t) => {
        withReplica(t);
        replica(t).ForwardSecurityHub.Properties.EventPattern = {
          source: ['aws.securityhub'],
          'detail-type': ['Security Hub Findings - Imported'],
          detail: { findings: { Severity: { Label: ['HIGH', 'CRITICAL'] }, Workflow: { Status: ['NEW'] } } },
        };
      },
      ['[ReplicaRegion::securityHub-findings-not-forwarded] (template)'],
    ],
    [
      'the Security Hub forwarding limited to another detail-type',
      (t) => {
        withReplica(t);
        replica(t).ForwardSecurityHub.Properties.EventPattern['detail-type'] = [
          'Security Hub Findings - Custom Action',
        ];
      },
      ['[ReplicaRegion::securityHub-findings-not-forwarded] (template)'],
    ],
    [
      'the forwarding rule disabled',
      (t) => (withReplica(t), (replica(t).ForwardSecurityHub.Properties.State = 'DISABLED')),
      ['[ReplicaRegion::securityHub-findings-not-forwarded] (template)'],
    ],
    [
      'the GuardDuty forwarding without a retry policy',
      (t) => (withReplica(t), delete replica(t).ForwardGuardDuty.Properties.Targets[0].RetryPolicy),
      [
        '[ReplicaRegion::guardDuty-forwarding-retry] (template)',
        '[ReplicaRegion::guardDuty-forwarding-retry] (template)',
      ],
    ],
    [
      'the Security Hub forwarding retrying 3 times only',
      (t) => (
        withReplica(t),
        (replica(t).ForwardSecurityHub.Properties.Targets[0].RetryPolicy.MaximumRetryAttempts = 3)
      ),
      ['[ReplicaRegion::securityHub-forwarding-retry] (template)'],
    ],
    [
      'the forwarding role trusted by any EventBridge rule (no aws:SourceArn)',
      (t) => (
        withReplica(t),
        delete replica(t).Role.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnEquals
      ),
      [
        '[ReplicaRegion::guardDuty-forwarding-role-trust] (template)',
        '[ReplicaRegion::securityHub-forwarding-role-trust] (template)',
      ],
    ],
    [
      'the GuardDuty forwarding without a dead-letter queue',
      (t) => (withReplica(t), delete replica(t).ForwardGuardDuty.Properties.Targets[0].DeadLetterConfig),
      ['[ReplicaRegion::guardDuty-forwarding-no-dead-letter] (template)'],
    ],
    [
      'the GuardDuty forwarding dead-lettering into a queue of no stack of the assembly',
      (t) => (withReplica(t), delete replica(t).ForwardDeadLetters),
      [
        '[ReplicaRegion::guardDuty-forwarding-no-dead-letter] (template)',
        '[ReplicaRegion::securityHub-forwarding-no-dead-letter] (template)',
      ],
    ],
    [
      'the GuardDuty forwarding without a FailedInvocations alarm',
      (t) => {
        withReplica(t);
        delete replica(t).GuardDutyFailedInvocations;
        replica(t).ForwardAlarmStateChanges.Properties.EventPattern.resources.shift();
      },
      ['[ReplicaRegion::guardDuty-forwarding-no-failed-invocations-alarm] (template)'],
    ],
    [
      'the FailedInvocations alarm on another rule',
      (t) => (withReplica(t), (replica(t).GuardDutyFailedInvocations.Properties.Dimensions[0].Value = 'other-rule')),
      ['[ReplicaRegion::guardDuty-forwarding-no-failed-invocations-alarm] (template)'],
    ],
    [
      'the FailedInvocations alarm muted (Minimum over a day)',
      (t) => {
        withReplica(t);
        Object.assign(replica(t).SecurityHubFailedInvocations.Properties, { Statistic: 'Minimum', Period: 86400 });
      },
      ['[ReplicaRegion::securityHub-forwarding-failed-invocations-alarm-cannot-fire] (template)'],
    ],
    [
      "the FailedInvocations alarm's state changes not forwarded",
      (t) => (withReplica(t), replica(t).ForwardAlarmStateChanges.Properties.EventPattern.resources.shift()),
      ['[ReplicaRegion::guardDuty-forwarding-failed-invocations-alarm-not-forwarded] (template)'],
    ],
    [
      'no rule of the primary region routing forwarded alarm state changes to a function',
      (t) => (withReplica(t), (t.alerting.Resources.ForwardedAlarms.Properties.State = 'DISABLED')),
      [
        '[ReplicaRegion::guardDuty-forwarding-failed-invocations-alarm-not-forwarded] (template)',
        '[ReplicaRegion::securityHub-forwarding-failed-invocations-alarm-not-forwarded] (template)',
      ],
    ],
  ])('D2 D3 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(DetectionServicesPresent, mutate)).toEqual(expected);
  });

  test.each(RUNNING_RULE_STATES)('D2 the forwarding rule with State %s still runs: no finding', (_name, state) => {
    expect(
      findingsOf(
        DetectionServicesPresent,
        (t) => (withReplica(t), (replica(t).ForwardSecurityHub.Properties.State = state)),
      ),
    ).toEqual([]);
  });
});
