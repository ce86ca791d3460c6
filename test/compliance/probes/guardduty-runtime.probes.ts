import { eventRuleFor, Json, moveAlertRuleRouting, one, Probe, remove, Templates } from './probe';

const statementsOf = (resource: Json): Json[] => {
  const s = resource.Properties.PolicyDocument.Statement;
  return Array.isArray(s) ? s : [s];
};
const isAgentRepository = (r: unknown) =>
  typeof r === 'string' && r.endsWith(':repository/aws-guardduty-agent-fargate');
const isQuarantine = (s: Json) => s.Sid === 'DenyReadsOfObjectsWithThreatsFound';
const phiBucketPolicy = (t: Templates): Json =>
  one(t, 'data', 'AWS::S3::BucketPolicy', (r) => statementsOf(r).some(isQuarantine))[1];
const ruleRouting = (t: Templates, detailType: string): string => eventRuleFor(t, 'alerting', detailType)[0];

/** GuardDuty runtime monitoring that works once deployed, and the malware quarantine and alerts (issue 15, task d). */
export const PROBES: readonly Probe[] = [
  {
    name: "D2 the task execution role may no longer pull GuardDuty's runtime agent",
    safeguards: ['D2'],
    mutate: (t) => {
      const [, policy] = one(t, 'app', 'AWS::IAM::ManagedPolicy', (r) =>
        statementsOf(r).some((s) => s.Sid === 'GuardDutyAgentPull'),
      );
      policy.Properties.PolicyDocument.Statement = statementsOf(policy).filter((s) => s.Sid !== 'GuardDutyAgentPull');
    },
    caughtBy: /ThreatProtectionPresent\[\w+::guardduty-agent-not-pullable\]/,
  },
  {
    name: "D2 the ecr.dkr endpoint no longer admits GuardDuty's agent repository",
    safeguards: ['D2'],
    mutate: (t) => {
      const [, endpoint] = one(
        t,
        'network',
        'AWS::EC2::VPCEndpoint',
        (r) =>
          /ecr\.dkr/.test(JSON.stringify(r.Properties.ServiceName)) &&
          statementsOf(r).some((s) => isAgentRepository(s.Resource)),
      );
      endpoint.Properties.PolicyDocument.Statement = statementsOf(endpoint).filter(
        (s) => !isAgentRepository(s.Resource),
      );
    },
    caughtBy: /ThreatProtectionPresent\[\w+::guardduty-agent-repository-not-admitted\]/,
  },
  {
    name: 'D2 D3 the runtime coverage alert rule removed',
    safeguards: ['D2', 'D3'],
    mutate: (t) => remove(t, 'alerting', [ruleRouting(t, 'GuardDuty Runtime Protection Unhealthy')]),
    caughtBy: /ThreatProtectionPresent\[GuardDuty::no-runtime-coverage-alert\]/,
  },
  {
    name: "D2 D3 the malware scan result alert rule sent to another account's event bus",
    safeguards: ['D2', 'D3'],
    mutate: (t) => {
      const id = ruleRouting(t, 'GuardDuty Malware Protection Object Scan Result');
      t.alerting.Resources[id].Properties.Targets = [
        { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default', Id: 'Target0' },
      ];
    },
    caughtBy: /ThreatProtectionPresent\[MalwareProtection::no-scan-result-alert\]/,
  },
  {
    name: "D2 D3 the runtime coverage alert rule gives the formatter a heartbeat's constant input (the alert is dropped)",
    safeguards: ['D2', 'D3'],
    mutate: (t) => {
      const id = ruleRouting(t, 'GuardDuty Runtime Protection Unhealthy');
      for (const target of t.alerting.Resources[id].Properties.Targets)
        target.Input = JSON.stringify({ source: 'hipaa-blueprint.alert-path', 'detail-type': 'Alert Path Heartbeat' });
    },
    caughtBy: /ThreatProtectionPresent\[GuardDuty::no-runtime-coverage-alert\]/,
  },
  {
    name: 'D2 objects tagged THREATS_FOUND readable again (the quarantine deny removed from the PHI bucket policy)',
    safeguards: ['D2'],
    mutate: (t) => {
      const policy = phiBucketPolicy(t);
      policy.Properties.PolicyDocument.Statement = statementsOf(policy).filter((s) => !isQuarantine(s));
    },
    caughtBy: /ThreatProtectionPresent\[PhiBucket\w+::no-malware-quarantine\]/,
  },
  {
    name: 'D2 the quarantine narrowed so that the task roles still read infected objects',
    safeguards: ['D2'],
    mutate: (t) => {
      const quarantine = statementsOf(phiBucketPolicy(t)).find(isQuarantine)!;
      quarantine.Condition.ArnNotLike = { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*-task' };
    },
    caughtBy: /ThreatProtectionPresent\[PhiBucket\w+::no-malware-quarantine\]/,
  },
  {
    name: 'D2 the quarantine liftable: tagging a THREATS_FOUND object is no longer denied (overwrite the tag, then read)',
    safeguards: ['D2'],
    mutate: (t) => {
      const policy = phiBucketPolicy(t);
      policy.Properties.PolicyDocument.Statement = statementsOf(policy).filter(
        (s) => s.Sid !== 'DenyLiftingTheMalwareQuarantine',
      );
    },
    caughtBy: /ThreatProtectionPresent\[PhiBucket\w+::malware-quarantine-liftable\]/,
  },
  {
    name: 'D2 the quarantine tag lock narrowed to PutObjectTagging (the version tag still overwritable)',
    safeguards: ['D2'],
    mutate: (t) => {
      const lock = statementsOf(phiBucketPolicy(t)).find((s) => s.Sid === 'DenyLiftingTheMalwareQuarantine')!;
      lock.Action = ['s3:PutObjectTagging', 's3:DeleteObjectTagging'];
    },
    caughtBy: /ThreatProtectionPresent\[PhiBucket\w+::malware-quarantine-liftable\]/,
  },
  {
    name: 'D2 the quarantine made dead: a Null test on its own tag key beside THREATS_FOUND (never both true)',
    safeguards: ['D2'],
    mutate: (t) => {
      const quarantine = statementsOf(phiBucketPolicy(t)).find(isQuarantine)!;
      quarantine.Condition.Null = { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'true' };
    },
    caughtBy: /ThreatProtectionPresent\[PhiBucket\w+::no-malware-quarantine\]/,
  },
  {
    name: "D2 the PHI replica bucket's quarantine removed (objects replicate before GuardDuty tags them)",
    safeguards: ['D2'],
    mutate: (t) => {
      const [, policy] = one(t, 'phiReplica', 'AWS::S3::BucketPolicy', (r) => statementsOf(r).some(isQuarantine));
      policy.Properties.PolicyDocument.Statement = statementsOf(policy).filter(
        (s) => !isQuarantine(s) && s.Sid !== 'DenyLiftingTheMalwareQuarantine',
      );
    },
    caughtBy: /ThreatProtectionPresent\[PhiReplicaBucket\w+::no-malware-quarantine\]/,
  },
  {
    name: "A3 U4 D2 the malware scan results sent as they are to the alert topic (each names the PHI object's key)",
    safeguards: ['A3', 'U4', 'D2'],
    mutate: (t) => {
      const [, rule] = eventRuleFor(t, 'alerting', 'GuardDuty Malware Protection Object Scan Result');
      const [topic] = one(t, 'alerting', 'AWS::SNS::Topic');
      rule.Properties.Targets = [{ Id: 'raw', Arn: { Ref: topic } }];
    },
    caughtBy: /PhiObjectEventsStayInside\[\w+::routes-object-keys-unformatted\]/,
  },
  {
    name: "A3 U4 GuardDuty's findings also sent as they are to the alert topic (an S3 finding names the PHI object's key)",
    safeguards: ['A3', 'U4'],
    mutate: (t) => {
      const [, rule] = eventRuleFor(t, 'alerting', 'GuardDuty Finding');
      const [topic] = one(t, 'alerting', 'AWS::SNS::Topic');
      rule.Properties.Targets.push({ Id: 'raw', Arn: { Ref: topic } });
    },
    caughtBy: /PhiObjectEventsStayInside\[\w+::routes-object-keys-unformatted\]/,
  },
  {
    name: 'D2 D3 the malware scan result alert rule removed',
    safeguards: ['D2', 'D3'],
    mutate: (t) => remove(t, 'alerting', [ruleRouting(t, 'GuardDuty Malware Protection Object Scan Result')]),
    caughtBy: /ThreatProtectionPresent\[MalwareProtection::no-scan-result-alert\]/,
  },
  {
    name: 'D2 D3 the malware scan result alert narrowed to THREATS_FOUND (unscanned uploads silent)',
    safeguards: ['D2', 'D3'],
    mutate: (t) => {
      const id = ruleRouting(t, 'GuardDuty Malware Protection Object Scan Result');
      t.alerting!.Resources[id]!.Properties.EventPattern.detail.scanResultDetails.scanResultStatus = ['THREATS_FOUND'];
    },
    caughtBy: /ThreatProtectionPresent\[MalwareProtection::no-scan-result-alert\]/,
  },
  {
    name: "D2 D3 the runtime coverage alert rule moved, with a function to invoke, to the replica region's stack (which never sees the tasks' events)",
    safeguards: ['D2', 'D3'],
    mutate: (t) => moveAlertRuleRouting(t, 'GuardDuty Runtime Protection Unhealthy', 'replicaDetection'),
    caughtBy: /ThreatProtectionPresent\[GuardDuty::no-runtime-coverage-alert\]/,
  },
  {
    name: "D2 D3 the malware scan result alert rule moved, with a function to invoke, to the replica region's stack (which never sees the bucket's events)",
    safeguards: ['D2', 'D3'],
    mutate: (t) => moveAlertRuleRouting(t, 'GuardDuty Malware Protection Object Scan Result', 'replicaDetection'),
    caughtBy: /ThreatProtectionPresent\[MalwareProtection::no-scan-result-alert\]/,
  },
  {
    name: 'U6 D2 the tamper rule no longer watches the malware protection plan',
    safeguards: ['U6', 'D2'],
    mutate: (t) => {
      const [, rule] = one(t, 'alerting', 'AWS::Events::Rule', (r) =>
        (r.Properties.EventPattern?.detail?.eventName ?? []).includes('DeleteMalwareProtectionPlan'),
      );
      const detail = rule.Properties.EventPattern.detail;
      detail.eventName = detail.eventName.filter((n: string) => !/MalwareProtectionPlan$/.test(n));
    },
    caughtBy: /TamperDetectionPresent\[GuardDuty::not-watched\]/,
  },
];
