/**
 * Probes of tamper detection (issue 12, the detection half; U6, D3): each removes a tamper rule, the direct path,
 * the heartbeat or the throttle alarm from the synthesized alerting stack, the way a hand edit of the template
 * would, and names the TamperDetectionPresent finding that must catch it.
 */
import { REPLICA_FORWARDED_WATCHES, TAMPER_WATCHES } from '../../../constructs/tamper-watches';
import { Json, one, Probe, remove, Templates } from './probe';

const RULE = 'AWS::Events::Rule';
const ALARM = 'AWS::CloudWatch::Alarm';
/** The tamper rule watching `eventSource` (first match). */
const ruleOn = (eventSource: string) => (r: Json) =>
  (r.Properties.EventPattern?.detail?.eventSource ?? []).includes(eventSource);
const removeRuleOf = (t: Templates, eventSource: string): void =>
  remove(t, 'alerting', [one(t, 'alerting', RULE, ruleOn(eventSource))[0]]);
const isTopicRef = (v: Json): boolean => typeof v?.Ref === 'string' && (v.Ref as string).includes('Topic');

/** One probe per watched group: its rule removed. */
const RULE_REMOVALS: Probe[] = TAMPER_WATCHES.filter((w) => !w.directCallsOnly).map((w) => ({
  name: `U6 the ${w.id} tamper rule removed (${w.eventSource})`,
  safeguards: ['U6'],
  mutate: (t: Templates) => removeRuleOf(t, w.eventSource),
  // Removing the first rule of a shared event source (KMS) leaves its other rule: the finding names the group.
  caughtBy: new RegExp(`TamperDetectionPresent\\[${w.id}::not-watched\\]`),
}));

/** One probe per watch the replica region forwards: its forwarding rule removed from the replica detection stack. */
const REPLICA_FORWARD_REMOVALS: Probe[] = REPLICA_FORWARDED_WATCHES.filter((w) => !w.directCallsOnly).map((w) => ({
  name: `U6 the replica region no longer forwards ${w.id} tamper events (${w.eventSource})`,
  safeguards: ['U6'],
  mutate: (t: Templates) => remove(t, 'replicaDetection', [one(t, 'replicaDetection', RULE, ruleOn(w.eventSource))[0]]),
  caughtBy: new RegExp(`TamperDetectionPresent\\[ReplicaRegion::${w.id}::not-forwarded\\]`),
}));

export const PROBES: readonly Probe[] = [
  ...RULE_REMOVALS,
  ...REPLICA_FORWARD_REMOVALS,
  {
    name: 'U6 the KMS grant rule removed (CreateGrant by a principal itself)',
    safeguards: ['U6'],
    mutate: (t) =>
      remove(t, 'alerting', [
        one(t, 'alerting', RULE, (r) =>
          (r.Properties.EventPattern?.detail?.eventName ?? []).includes('CreateGrant'),
        )[0],
      ]),
    caughtBy: /TamperDetectionPresent\[KeyGrant::not-watched\]/,
  },
  {
    name: 'U6 the Lambda tamper rule narrowed to the alert formatter (the restore validation and the checks unwatched)',
    safeguards: ['U6', 'I1', 'V2'],
    mutate: (t) => {
      const detail = one(t, 'alerting', RULE, ruleOn('lambda.amazonaws.com'))[1].Properties.EventPattern.detail;
      detail.requestParameters = { functionName: [{ suffix: 'alert-formatter' }] };
    },
    caughtBy: /TamperDetectionPresent\[Functions::not-watched\]/,
  },
  {
    name: 'U6 the Object Lock configuration dropped from the bucket protection rule',
    safeguards: ['U6'],
    mutate: (t) => {
      const detail = one(t, 'alerting', RULE, ruleOn('s3.amazonaws.com'))[1].Properties.EventPattern.detail;
      detail.eventName = detail.eventName.filter((n: string) => !n.includes('ObjectLock'));
    },
    caughtBy: /TamperDetectionPresent\[BucketProtection::not-watched\]/,
  },
  {
    name: 'E2 U6 the default encryption changes dropped from the bucket protection rule (a PHI bucket switched to SSE-S3 unalerted)',
    safeguards: ['E2', 'U6'],
    mutate: (t) => {
      const detail = one(t, 'alerting', RULE, ruleOn('s3.amazonaws.com'))[1].Properties.EventPattern.detail;
      detail.eventName = detail.eventName.filter((n: string) => !n.endsWith('BucketEncryption'));
    },
    caughtBy: /TamperDetectionPresent\[BucketProtection::not-watched\]/,
  },
  {
    name: 'I1 D2 U6 the bucket notifications rule removed (EventBridge notifications switched off unalerted: AWS Backup and GuardDuty Malware Protection no longer see new objects)',
    safeguards: ['I1', 'D2', 'U6'],
    mutate: (t) =>
      remove(t, 'alerting', [
        one(t, 'alerting', RULE, (r) =>
          (r.Properties.EventPattern?.detail?.eventName ?? []).includes('PutBucketNotification'),
        )[0],
      ]),
    caughtBy: /TamperDetectionPresent\[BucketNotifications::not-watched\]/,
  },
  {
    name: "U6 the bucket protection rule narrowed to another account's calls, the notifications rule to calls an AWS service makes",
    safeguards: ['U6'],
    mutate: (t) => {
      one(t, 'alerting', RULE, ruleOn('s3.amazonaws.com'))[1].Properties.EventPattern.account = ['000000000000'];
      const notifications = one(t, 'alerting', RULE, (r) =>
        (r.Properties.EventPattern?.detail?.eventName ?? []).includes('PutBucketNotification'),
      )[1];
      notifications.Properties.EventPattern.detail.userIdentity = { invokedBy: [{ exists: true }] };
    },
    caughtBy: /TamperDetectionPresent\[(BucketProtection|BucketNotifications)::not-watched\]/,
  },
  {
    name: 'U6 D3 the trail rule and its replica forwarding hand on a constant heartbeat instead of the event (logged, never alerted)',
    safeguards: ['U6', 'D3'],
    mutate: (t) => {
      const heartbeat = JSON.stringify({ source: 'hipaa-blueprint.alert-path', 'detail-type': 'Alert Path Heartbeat' });
      for (const stack of ['alerting', 'replicaDetection']) {
        const [, rule] = one(t, stack, RULE, ruleOn('cloudtrail.amazonaws.com'));
        rule.Properties.Targets[0].Input = heartbeat;
      }
    },
    caughtBy: /TamperDetectionPresent\[(Trail::formatter-input-rewritten|ReplicaRegion::Trail::not-forwarded)\]/,
  },
  {
    name: "U6 D3 the trail tamper rule's permission to invoke the formatter deleted (every invocation fails)",
    safeguards: ['U6', 'D3'],
    mutate: (t) => {
      const [ruleId] = one(t, 'alerting', RULE, ruleOn('cloudtrail.amazonaws.com'));
      const permissions = Object.entries(t.alerting!.Resources)
        .filter(
          ([, r]) =>
            r.Type === 'AWS::Lambda::Permission' &&
            JSON.stringify(r.Properties.SourceArn) === JSON.stringify({ 'Fn::GetAtt': [ruleId, 'Arn'] }),
        )
        .map(([id]) => id);
      if (permissions.length === 0) throw new Error('probe: no permission of the trail rule');
      remove(t, 'alerting', permissions);
    },
    caughtBy: /EventRuleMayInvokeItsFunctions\[Target::no-invoke-permission\]/,
  },
  {
    name: 'U6 the replica region no longer forwards bucket notification changes',
    safeguards: ['U6'],
    mutate: (t) =>
      remove(t, 'replicaDetection', [
        one(t, 'replicaDetection', RULE, (r) =>
          (r.Properties.EventPattern?.detail?.eventName ?? []).includes('PutBucketNotification'),
        )[0],
      ]),
    caughtBy: /TamperDetectionPresent\[ReplicaRegion::BucketNotifications::not-forwarded\]/,
  },
  {
    name: "E1 U6 inventory changes dropped from the bucket protection rule (a daily list of the PHI bucket's keys sent elsewhere unalerted)",
    safeguards: ['E1', 'U6'],
    mutate: (t) => {
      const detail = one(t, 'alerting', RULE, (r) =>
        (r.Properties.EventPattern?.detail?.eventName ?? []).includes('PutBucketInventoryConfiguration'),
      )[1].Properties.EventPattern.detail;
      detail.eventName = detail.eventName.filter((n: string) => n !== 'PutBucketInventoryConfiguration');
    },
    caughtBy: /TamperDetectionPresent\[BucketProtection::not-watched\]/,
  },
  {
    name: 'U6 the bucket protection tamper rule re-targeted at a decoy function that ignores its event (no alert)',
    safeguards: ['U6'],
    mutate: (t) => {
      const [, formatter] = one(t, 'alerting', 'AWS::Lambda::Function', (_r, id) => id.includes('Formatter'));
      t.alerting!.Resources.DecoyFunction = JSON.parse(JSON.stringify(formatter));
      const rule = one(t, 'alerting', RULE, (_r, id) => id.includes('TamperBucketProtection'))[1];
      for (const target of rule.Properties.Targets as Json[]) {
        if (target.Arn?.['Fn::GetAtt']) target.Arn = { 'Fn::GetAtt': ['DecoyFunction', 'Arn'] };
      }
    },
    caughtBy: /TamperDetectionPresent\[BucketProtection::no-formatter-target\]/,
  },
  {
    name: 'U6 D3 the bucket protection tamper rule re-targeted at a decoy function with its own log group and its own heartbeat rule',
    safeguards: ['U6', 'D3'],
    mutate: (t) => {
      const r = t.alerting!.Resources;
      const [formatterId, formatter] = one(t, 'alerting', 'AWS::Lambda::Function', (_r, id) =>
        id.includes('Formatter'),
      );
      const logGroupId = formatter.Properties.LoggingConfig.LogGroup.Ref as string;
      r.DecoyLogGroup = JSON.parse(JSON.stringify(r[logGroupId]));
      r.DecoyFunction = JSON.parse(JSON.stringify(formatter));
      r.DecoyFunction.Properties.LoggingConfig.LogGroup = { Ref: 'DecoyLogGroup' };
      const [, heartbeat] = one(
        t,
        'alerting',
        RULE,
        (x) =>
          x.Properties.ScheduleExpression !== undefined && JSON.stringify(x.Properties.Targets).includes(formatterId),
      );
      r.DecoyHeartbeat = JSON.parse(JSON.stringify(heartbeat));
      for (const target of r.DecoyHeartbeat.Properties.Targets as Json[]) {
        if (target.Arn?.['Fn::GetAtt']) target.Arn = { 'Fn::GetAtt': ['DecoyFunction', 'Arn'] };
      }
      const rule = one(t, 'alerting', RULE, (_r, id) => id.includes('TamperBucketProtection'))[1];
      for (const target of rule.Properties.Targets as Json[]) {
        if (target.Arn?.['Fn::GetAtt']) target.Arn = { 'Fn::GetAtt': ['DecoyFunction', 'Arn'] };
      }
    },
    caughtBy: /TamperDetectionPresent\[BucketProtection::no-formatter-target\]/,
  },
  {
    name: "E1 U6 S3 Metadata configurations dropped from the bucket protection rule (the PHI bucket's keys put in a table unalerted)",
    safeguards: ['E1', 'U6'],
    mutate: (t) => {
      const detail = one(t, 'alerting', RULE, (r) =>
        (r.Properties.EventPattern?.detail?.eventName ?? []).includes('CreateBucketMetadataConfiguration'),
      )[1].Properties.EventPattern.detail;
      detail.eventName = detail.eventName.filter((n: string) => n !== 'CreateBucketMetadataConfiguration');
    },
    caughtBy: /TamperDetectionPresent\[BucketProtection::not-watched\]/,
  },
  {
    name: 'D3 the formatter rule loses its direct path to the topic (the formatter a single point of silence)',
    safeguards: ['U6', 'D3'],
    mutate: (t) => {
      const rule = one(t, 'alerting', RULE, ruleOn('lambda.amazonaws.com'))[1];
      rule.Properties.Targets = rule.Properties.Targets.filter((x: Json) => !isTopicRef(x.Arn));
    },
    caughtBy: /TamperDetectionPresent\[Functions::no-direct-target\]/,
  },
  {
    name: 'D3 the topic rule publishes the raw CloudTrail event directly (request data in the alert)',
    safeguards: ['D3'],
    mutate: (t) => {
      const rule = one(t, 'alerting', RULE, ruleOn('sns.amazonaws.com'))[1];
      for (const x of rule.Properties.Targets) if (isTopicRef(x.Arn)) delete x.InputTransformer;
    },
    caughtBy: /TamperDetectionPresent\[AlertTopic::direct-raw-event\]/,
  },
  {
    name: 'U6 the EventBridge rule watch disabled',
    safeguards: ['U6'],
    mutate: (t) => (one(t, 'alerting', RULE, ruleOn('events.amazonaws.com'))[1].Properties.State = 'DISABLED'),
    caughtBy: /TamperDetectionPresent\[EventRules::not-watched\]/,
  },
  {
    name: 'D3 the alert-path heartbeat rule removed',
    safeguards: ['D3'],
    mutate: (t) =>
      remove(t, 'alerting', [one(t, 'alerting', RULE, (r) => r.Properties.ScheduleExpression !== undefined)[0]]),
    caughtBy: /TamperDetectionPresent\[Heartbeat::no-schedule\]/,
  },
  {
    name: 'D3 the heartbeat alarm removed',
    safeguards: ['D3'],
    mutate: (t) =>
      remove(t, 'alerting', [one(t, 'alerting', ALARM, (r) => r.Properties.MetricName === 'Heartbeat')[0]]),
    caughtBy: /TamperDetectionPresent\[Heartbeat::no-alarm\]/,
  },
  {
    name: 'D3 the heartbeat alarm treats missing heartbeats as fine',
    safeguards: ['D3'],
    mutate: (t) =>
      (one(t, 'alerting', ALARM, (r) => r.Properties.MetricName === 'Heartbeat')[1].Properties.TreatMissingData =
        'notBreaching'),
    caughtBy: /TamperDetectionPresent\[Heartbeat::alarm-not-direct\]/,
  },
  {
    name: 'D3 the formatter throttle alarm removed',
    safeguards: ['D3'],
    mutate: (t) =>
      remove(t, 'alerting', [one(t, 'alerting', ALARM, (r) => r.Properties.MetricName === 'Throttles')[0]]),
    caughtBy: /TamperDetectionPresent\[FormatterThrottle::absent\]/,
  },
  {
    name: 'U6 the role trust change alarm on the trail log group removed (IAM events reach EventBridge in us-east-1 only)',
    safeguards: ['U6'],
    mutate: (t) =>
      remove(t, 'audit', [one(t, 'audit', ALARM, (r) => r.Properties.MetricName === 'RoleTrustPolicyChanges')[0]]),
    caughtBy: /TamperDetectionPresent\[RoleTrust::no-trail-alarm\]/,
  },
  {
    name: 'I1 U6 the backup heartbeat alarm removed (a deleted plan stops backups silently)',
    safeguards: ['I1', 'U6'],
    mutate: (t) =>
      remove(t, 'data', [one(t, 'data', ALARM, (r) => r.Properties.MetricName === 'NumberOfBackupJobsCompleted')[0]]),
    caughtBy: /TamperDetectionPresent\[BackupHeartbeat::absent\]/,
  },
];
