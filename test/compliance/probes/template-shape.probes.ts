import { dropGrants, eventRuleFor, Json, one, Probe } from './probe';

/**
 * Edits that leave every safeguard resource in the template but take it out of play: a Condition deploy may resolve to
 * false, an alerting rule moved off the default event bus (AWS services deliver events only there), and a log bucket
 * and its writer renamed through Fn::Sub so that neither names the other by reference.
 */
export const PROBES: readonly Probe[] = [
  {
    name: 'U1 V2 the trail given a Condition that is never true (deploy creates no trail)',
    safeguards: ['U1', 'V2'],
    mutate: (t) => {
      t.audit!.Conditions = {
        ...((t.audit!.Conditions as Json | undefined) ?? {}),
        Never: { 'Fn::Equals': ['a', 'b'] },
      };
      one(t, 'audit', 'AWS::CloudTrail::Trail')[1].Condition = 'Never';
    },
    caughtBy: /UnconditionalResources\[Condition::Never\]/,
  },
  {
    name: 'I1 D3 the alert on failed backup copy jobs moved to a custom event bus (AWS Backup events never reach it)',
    safeguards: ['I1', 'D3'],
    mutate: (t) => {
      t.alerting!.Resources.QuietBus = { Type: 'AWS::Events::EventBus', Properties: { Name: 'quiet' } };
      eventRuleFor(t, 'alerting', 'Copy Job State Change')[1].Properties.EventBusName = { Ref: 'QuietBus' };
    },
    caughtBy: /ServiceEventRulesOnDefaultBus\[EventBusName::not-default\]/,
  },
  {
    name: "I1 D3 the alert on failed backup copy jobs moved to another account's default event bus (this account's events never reach it)",
    safeguards: ['I1', 'D3'],
    mutate: (t) => {
      eventRuleFor(t, 'alerting', 'Copy Job State Change')[1].Properties.EventBusName =
        'arn:aws:events:us-east-1:999999999999:event-bus/default';
    },
    caughtBy: /ServiceEventRulesOnDefaultBus\[EventBusName::not-default\]/,
  },
  {
    name: 'I1 the alert on failed backup copy jobs narrowed to another account (it never matches)',
    safeguards: ['I1'],
    mutate: (t) => {
      eventRuleFor(t, 'alerting', 'Copy Job State Change')[1].Properties.EventPattern.account = ['000000000000'];
    },
    caughtBy: /BackupCopiedToLockedVault\[CopyJobFailures::not-alerted\]/,
  },
  {
    name: 'D3 the tamper alert rules (CloudTrail API calls, no source in their pattern) moved to a custom event bus',
    safeguards: ['D3'],
    mutate: (t) => {
      t.alerting!.Resources.QuietBus = { Type: 'AWS::Events::EventBus', Properties: { Name: 'quiet' } };
      const rules = Object.values(t.alerting!.Resources).filter(
        (r) => r.Type === 'AWS::Events::Rule' && r.Properties?.EventPattern && !('source' in r.Properties.EventPattern),
      );
      if (rules.length === 0) throw new Error('probe: no event rule without a source in the alerting stack');
      for (const r of rules) r.Properties.EventBusName = { Ref: 'QuietBus' };
    },
    caughtBy: /ServiceEventRulesOnDefaultBus\[EventBusName::not-default\]/,
  },
  {
    name: 'U3 the load balancer log bucket renamed with Fn::Sub (and its writer), unmarked, its log service grant dropped, kept 90 days',
    safeguards: ['U3'],
    mutate: (t) => {
      const [id, bucket] = one(t, 'app', 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::LogBucket']);
      const name = { 'Fn::Sub': 'hipaa-prod-app-logs-${AWS::AccountId}' };
      bucket.Properties.BucketName = name;
      delete bucket.Metadata['HipaaBlueprint::LogBucket'];
      bucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays = 90;
      const lb = one(t, 'app', 'AWS::ElasticLoadBalancingV2::LoadBalancer')[1];
      for (const a of lb.Properties.LoadBalancerAttributes as Json[])
        if (a.Key === 'access_logs.s3.bucket') a.Value = name;
      dropGrants(t, 'app', id, 'logging.s3');
    },
    caughtBy: /LogBucketRetention/,
  },
];
