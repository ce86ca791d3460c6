import { DetectionServiceName } from '../../../../constructs/core/markers';
import { GUARDDUTY_FEATURES } from '../../../../constructs/guard-duty-detector';
import { HIPAA_CONFIG_RULES } from '../../../../constructs/hipaa-config-rule-set';
import { SECURITY_HUB_STANDARDS } from '../../../../constructs/security-hub';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnAbsent,
  cfnBoolean,
  cfnListAlways,
  cfnStringForm,
  eventRuleEnabled,
  flatten,
  isIntrinsic,
  isObject,
  Json,
  JsonResource,
  localAttribute,
  localTarget,
  resolveValue,
  StackResource,
  templateDeclaration,
} from '../core/template-json';
import { AlarmExpectation, judgeAlarms, mutedText } from './alarm-facts';
import { forwardsToAnotherRegion, isReplicaDetectionStack, mainRegionsOf } from './cross-region-forwarding';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'DetectionServicesPresent';
/** The services with a CloudFormation resource (Inspector has none: it is a deploy step). */
const CHECKED: readonly DetectionServiceName[] = ['config', 'guardDuty', 'securityHub', 'macie'];
/** The services that run in the PHI replica region too (Macie is regional and scans the replica from config.region). */
const REPLICA_CHECKED: readonly DetectionServiceName[] = ['config', 'guardDuty', 'securityHub'];
/**
 * The EventBridge source and detail-type of the findings the replica region forwards to config.region, by service:
 * every one of them (D2: the findings archive keeps them all; the alerting rules there filter by severity).
 */
const FORWARDED_SOURCES: Partial<Record<DetectionServiceName, { source: string; detailType: string }>> = {
  guardDuty: { source: 'aws.guardduty', detailType: 'GuardDuty Finding' },
  securityHub: { source: 'aws.securityhub', detailType: 'Security Hub Findings - Imported' },
};

/** The retry policy the forwarding targets must keep: EventBridge's maximum (FindingForwarder FORWARD_RETRY). */
const FORWARD_RETRY_FLOOR = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 } as const;

/** True when an event pattern selects CloudWatch alarm state changes (and, when it lists resources, `alarmId`'s). */
function selectsStateChanges(pattern: unknown, alarmId?: string): boolean {
  if (!isObject(pattern)) return false;
  if (!asList(pattern.source).includes('aws.cloudwatch')) return false;
  if (!asList(pattern['detail-type']).includes('CloudWatch Alarm State Change')) return false;
  if (alarmId === undefined || pattern.resources === undefined) return true;
  return asList(pattern.resources).some((r) => localTarget(r) === alarmId && localAttribute(r) === 'Arn');
}

const enabled = (rule: JsonResource): boolean => eventRuleEnabled(rule.Properties?.State);

/**
 * Whether `alarm`'s state changes reach people from the replica region: an enabled rule of its stack forwards them to
 * another region's default bus, where an enabled rule of another stack (its region filter absent or naming the replica
 * region) routes CloudWatch alarm state changes to a Lambda function (the alert pipeline's ForwardedAlarms rule).
 */
function alarmForwarded(alarm: StackResource, stacks: readonly AssemblyStack[], replicaRegion: string): boolean {
  const forwardedHere = Object.values(alarm.stack.template.Resources ?? {}).some(
    (r) =>
      r.Type === 'AWS::Events::Rule' &&
      enabled(r) &&
      selectsStateChanges(r.Properties?.EventPattern, alarm.logicalId) &&
      asList(r.Properties?.Targets)
        .filter(isObject)
        .some((t) => forwardsToAnotherRegion(t, alarm.stack, replicaRegion, mainRegionsOf(stacks))),
  );
  if (!forwardedHere) return false;
  return assemblyResources(stacks, 'AWS::Events::Rule').some((rule) => {
    if (rule.stack === alarm.stack || !enabled(rule.resource)) return false;
    const pattern = rule.resource.Properties?.EventPattern;
    if (!selectsStateChanges(pattern)) return false;
    const regions = (pattern as Json).region;
    if (regions !== undefined && !asList(regions).includes(replicaRegion)) return false;
    return asList(rule.resource.Properties?.Targets)
      .filter(isObject)
      .some((t) => {
        const id = localTarget(t.Arn);
        return id !== undefined && rule.stack.template.Resources?.[id]?.Type === 'AWS::Lambda::Function';
      });
  });
}

/** Every statement of the role's trust that admits events.amazonaws.com pins aws:SourceAccount and aws:SourceArn. */
function trustPinned(role: JsonResource): boolean {
  const doc = role.Properties?.AssumeRolePolicyDocument;
  const statements = asList(isObject(doc) ? doc.Statement : undefined).filter(isObject);
  const admitting = statements.filter(
    (st) =>
      st.Effect === 'Allow' && isObject(st.Principal) && asList(st.Principal.Service).includes('events.amazonaws.com'),
  );
  if (admitting.length === 0) return false;
  return admitting.every((st) => {
    const conditions = isObject(st.Condition) ? Object.values(st.Condition).filter(isObject) : [];
    const keys = new Set(conditions.flatMap((c) => Object.keys(c)));
    return keys.has('aws:SourceAccount') && keys.has('aws:SourceArn');
  });
}

/**
 * What the forwarding rule `rule` lacks for nothing to be lost silently ([finding id suffix, text]): a role of its stack
 * whose trust pins aws:SourceAccount and aws:SourceArn (no confused deputy), a retry policy at EventBridge's maximum, a dead-letter queue of its stack, and an alarm on its FailedInvocations (Sum >= 1 over at most
 * 5 minutes) whose state changes reach the primary region's alert pipeline.
 */
function hardeningProblems(
  rule: StackResource,
  stacks: readonly AssemblyStack[],
  replicaRegion: string,
): [string, string][] {
  const out: [string, string][] = [];
  const target = asList(rule.resource.Properties?.Targets)
    .filter(isObject)
    .find((t) => forwardsToAnotherRegion(t, rule.stack, replicaRegion, mainRegionsOf(stacks)))!;
  const retry = isObject(target.RetryPolicy) ? target.RetryPolicy : {};
  for (const [field, floor] of Object.entries(FORWARD_RETRY_FLOOR)) {
    const value = retry[field];
    if (typeof value !== 'number' || value < floor) {
      out.push(['forwarding-retry', `its target's RetryPolicy.${field} is ${String(value)}, not ${floor}`]);
    }
  }
  const roleId = localTarget(target.RoleArn);
  const role = roleId === undefined ? undefined : rule.stack.template.Resources?.[roleId];
  if (role?.Type !== 'AWS::IAM::Role' || !trustPinned(role)) {
    out.push([
      'forwarding-role-trust',
      "its target's role is not a role of its stack trusted by events.amazonaws.com only with aws:SourceAccount and aws:SourceArn conditions",
    ]);
  }
  const dlq = isObject(target.DeadLetterConfig) ? localTarget(target.DeadLetterConfig.Arn) : undefined;
  if (dlq === undefined || rule.stack.template.Resources?.[dlq]?.Type !== 'AWS::SQS::Queue') {
    out.push(['forwarding-no-dead-letter', 'its target has no DeadLetterConfig naming an SQS queue of its stack']);
  }
  const name = flatten(rule.resource.Properties?.Name);
  const expectation: AlarmExpectation = {
    metric: {
      namespace: 'AWS/Events',
      name: 'FailedInvocations',
      dimensions: {
        RuleName: (v: unknown) =>
          (name !== undefined && flatten(v) === name) ||
          (localTarget(v) === rule.logicalId && localAttribute(v) === 'Ref'),
      },
    },
    statistics: ['Sum'],
    maxPeriodSeconds: 300,
    trigger: { atLeast: 1 },
    quietAt: 0,
    // No alert path in the replica region: the alarm reaches people through its forwarded state changes.
    requireActions: false,
  };
  const alarms = assemblyResources([rule.stack], 'AWS::CloudWatch::Alarm');
  const verdict = judgeAlarms(alarms, expectation);
  if (verdict.watching.length === 0) {
    out.push([
      'forwarding-no-failed-invocations-alarm',
      `no alarm of its stack reads AWS/Events FailedInvocations of the rule (RuleName ${String(name)})`,
    ]);
  } else if (verdict.firing.length === 0) {
    out.push(['forwarding-failed-invocations-alarm-cannot-fire', mutedText(verdict)]);
  } else if (!verdict.firing.some((a) => alarmForwarded(a, stacks, replicaRegion))) {
    out.push([
      'forwarding-failed-invocations-alarm-not-forwarded',
      `its FailedInvocations alarm ${verdict.firing[0]!.logicalId} has no enabled rule forwarding its state changes to the primary region's default bus, where a rule routes them to the alert formatter`,
    ]);
  }
  return out;
}

/**
 * The forwarding of every finding of `source` (in `stacks`, the replica region's; `allStacks` for the primary region's
 * alert pipeline): the enabled EventBridge rules matching EVERY finding of `source`
 * (source and detail-type only: no severity or other detail filter, the detail-type absent or the findings' one)
 * whose target is another region's default event bus through a role. `forwarded` false when there is none; else the
 * problems of the best one (none when one is retried, dead-lettered and alarmed with the alarm forwarded).
 */
function forwarding(
  stacks: readonly AssemblyStack[],
  allStacks: readonly AssemblyStack[],
  { source, detailType }: { source: string; detailType: string },
  replicaRegion: string,
): { forwarded: boolean; problems: [string, string][] } {
  const mainRegions = mainRegionsOf(allStacks);
  const candidates = assemblyResources(stacks, 'AWS::Events::Rule').filter(({ resource, stack }) => {
    const p = resource.Properties ?? {};
    const pattern = p.EventPattern;
    if (!isObject(pattern) || JSON.stringify(pattern.source) !== JSON.stringify([source])) return false;
    if (Object.keys(pattern).some((k) => k !== 'source' && k !== 'detail-type')) return false;
    const types = pattern['detail-type'];
    if (types !== undefined && JSON.stringify(types) !== JSON.stringify([detailType])) return false;
    if (!enabled(resource)) return false;
    return asList(p.Targets)
      .filter(isObject)
      .some((t) => forwardsToAnotherRegion(t, stack, replicaRegion, mainRegions));
  });
  if (candidates.length === 0) return { forwarded: false, problems: [] };
  const judged = candidates
    .map((rule) => ({ rule, problems: hardeningProblems(rule, allStacks, replicaRegion) }))
    .sort((a, b) => a.problems.length - b.problems.length);
  const best = judged[0]!;
  return {
    forwarded: true,
    problems: best.problems.map(([id, text]) => [id, `rule ${best.rule.logicalId}: ${text}`]),
  };
}

/** The detection decision declared in the templates (first declaration found), with the stack that declares it. */
export function detectionDeclaration(stacks: readonly AssemblyStack[]):
  | {
      services: Partial<Record<DetectionServiceName, boolean>>;
      providedBy?: string;
      replicaRegion?: string;
      stack: AssemblyStack;
    }
  | undefined {
  for (const stack of stacks) {
    const detection = templateDeclaration(stack.template)?.detection;
    if (!isObject(detection)) continue;
    const services = isObject(detection.services)
      ? (detection.services as Partial<Record<DetectionServiceName, boolean>>)
      : {};
    const providedBy = typeof detection.providedBy === 'string' ? detection.providedBy : undefined;
    const replicaRegion = typeof detection.replicaRegion === 'string' ? detection.replicaRegion : undefined;
    return {
      services,
      ...(providedBy !== undefined ? { providedBy } : {}),
      ...(replicaRegion !== undefined ? { replicaRegion } : {}),
      stack,
    };
  }
  return undefined;
}

/**
 * Where the detection rules judge a (non-empty) assembly: the declaration (detectionDeclaration), the stack findings
 * are reported on when no resource is at fault (the declaring stack, else the first), and the stacks of the primary
 * region's side and of the replica region's detection stack, apart: one region's services never stand in for the
 * other's.
 */
export function detectionScope(stacks: readonly AssemblyStack[]): {
  declared: ReturnType<typeof detectionDeclaration>;
  where: AssemblyStack;
  primary: AssemblyStack[];
  replica: AssemblyStack[];
} {
  const declared = detectionDeclaration(stacks);
  return {
    declared,
    where: declared?.stack ?? stacks[0]!,
    primary: stacks.filter((s) => !isReplicaDetectionStack(s)),
    replica: stacks.filter(isReplicaDetectionStack),
  };
}

/** The forms of the stacks' own region in an ARN: the pseudo parameter (as `{Region}`), or the region they name. */
const regionForms = (stacks: readonly AssemblyStack[]): string[] => [
  '{Region}',
  ...new Set(stacks.map((s) => s.region).filter((r): r is string => r !== undefined)),
];

/**
 * What is missing of the Security Hub standards the blueprint enables (SECURITY_HUB_STANDARDS) in `stacks` (one
 * region's): each must be an AWS::SecurityHub::Standard whose StandardsArn reads (Fn::Join flattened) as that
 * standard's ARN in the stacks' region, with no control disabled (DisabledStandardsControls: disabling a control is an
 * operations decision taken in the console with a record, never a template default).
 */
function standardsMissing(stacks: readonly AssemblyStack[]): string[] {
  const out: string[] = [];
  const standards = assemblyResources(stacks, 'AWS::SecurityHub::Standard');
  const regions = regionForms(stacks);
  for (const [name, arnPath] of Object.entries(SECURITY_HUB_STANDARDS)) {
    const found = standards.some(({ resource }) => {
      // Pseudo-parameters (`<AWS::Region>`) hold colons: `{Region}` while parsing.
      const arn = flatten(resource.Properties?.StandardsArn)?.replace(/<AWS::(\w+)>/g, '{$1}');
      const m = arn === undefined ? null : /^arn:(?:\{Partition\}|aws[a-z-]*):securityhub:([^:]+)::(.+)$/.exec(arn);
      return m !== null && regions.includes(m[1]!) && m[2] === arnPath;
    });
    if (!found) out.push(`SecurityHub::standard-${name}-absent`);
  }
  for (const { logicalId, resource } of standards) {
    const disabled = resource.Properties?.DisabledStandardsControls;
    if (!cfnAbsent(disabled) && !(Array.isArray(disabled) && disabled.length === 0)) {
      out.push(`SecurityHub::controls-disabled-${logicalId}`);
    }
  }
  return out;
}

/**
 * What narrows the AWS Config recorders of `stacks` (one region's) from what the blueprint ships (constructs/
 * config-recorder.ts): every supported resource type recorded (RecordingGroup.AllSupported true, RecordingStrategy
 * absent or ALL_SUPPORTED_RESOURCE_TYPES, no ResourceTypes list, no ExclusionByResourceTypes), global resource types
 * (IAM) recorded in the primary region (`primary`: the replica region records them once there, not twice), recording
 * continuous (RecordingMode absent or CONTINUOUS without overrides). The HIPAA Config rules evaluate only what is
 * recorded; an unresolved value is narrowed.
 */
function recorderNarrowed(stacks: readonly AssemblyStack[], primary: boolean): string[] {
  const out = new Set<string>();
  for (const { resource } of assemblyResources(stacks, 'AWS::Config::ConfigurationRecorder')) {
    const group = resource.Properties?.RecordingGroup;
    if (!isObject(group)) {
      out.add('Config::recorder-narrowed');
      continue;
    }
    const strategy = isObject(group.RecordingStrategy) ? group.RecordingStrategy.UseOnly : group.RecordingStrategy;
    if (
      cfnBoolean(group.AllSupported) !== true ||
      !(cfnAbsent(strategy) || cfnStringForm(strategy) === 'ALL_SUPPORTED_RESOURCE_TYPES') ||
      !(cfnAbsent(group.ResourceTypes) || (Array.isArray(group.ResourceTypes) && group.ResourceTypes.length === 0))
    ) {
      out.add('Config::recorder-narrowed');
    }
    const exclusion = group.ExclusionByResourceTypes;
    if (!cfnAbsent(exclusion)) {
      const types = isObject(exclusion) ? exclusion.ResourceTypes : exclusion;
      if (!(Array.isArray(types) && types.length === 0)) out.add('Config::recorder-exclusions');
    }
    if (primary && cfnBoolean(group.IncludeGlobalResourceTypes) !== true) out.add('Config::global-types-not-recorded');
    const mode = resource.Properties?.RecordingMode;
    if (!cfnAbsent(mode)) {
      const overrides = isObject(mode) ? mode.RecordingModeOverrides : undefined;
      if (
        !isObject(mode) ||
        cfnStringForm(mode.RecordingFrequency) !== 'CONTINUOUS' ||
        !(cfnAbsent(overrides) || (Array.isArray(overrides) && overrides.length === 0))
      ) {
        out.add('Config::recording-not-continuous');
      }
    }
  }
  return [...out];
}

/** A Config rule's InputParameters as an object (CloudFormation takes a JSON string too), or undefined. */
function inputParametersOf(value: unknown): Json | undefined {
  if (cfnAbsent(value)) return {};
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value) as unknown;
      return isObject(parsed) && !Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return isObject(value) && !isIntrinsic(value) ? value : undefined;
}

/**
 * Whether an AWS::Config::ConfigRule evaluates what the HIPAA rule `shipped` of HIPAA_CONFIG_RULES evaluates, as
 * constructs/hipaa-config-rules.ts deploys it: a scope of resource types only (no TagKey, TagValue or
 * ComplianceResourceId: a tag nobody sets or one resource id leaves every other resource unevaluated), listing at least
 * the shipped types (none when the entry has none), the shipped InputParameters exactly (a parameter changed or added
 * weakens or narrows the check), and detective evaluation (EvaluationModes absent or naming DETECTIVE: a proactive-only
 * rule never evaluates a deployed resource). An unresolved value is narrowed.
 */
function configRuleAsShipped(rule: JsonResource, shipped: (typeof HIPAA_CONFIG_RULES)[number]): boolean {
  const p = rule.Properties ?? {};
  const scope = p.Scope;
  if (!cfnAbsent(scope)) {
    if (!isObject(scope) || isIntrinsic(scope)) return false;
    if (Object.keys(scope).some((k) => k !== 'ComplianceResourceTypes' && !cfnAbsent(scope[k]))) return false;
    const types = scope.ComplianceResourceTypes;
    if (!cfnAbsent(types)) {
      if (!Array.isArray(types)) return false;
      if (shipped.resourceTypes === undefined && types.length > 0) return false;
      if (!(shipped.resourceTypes ?? []).every((t) => types.includes(t))) return false;
    }
  }
  const params = inputParametersOf(p.InputParameters);
  const expected = shipped.inputParameters ?? {};
  if (params === undefined || Object.keys(params).length !== Object.keys(expected).length) return false;
  if (!Object.entries(expected).every(([k, v]) => cfnStringForm(params[k]) === v)) return false;
  const modes = p.EvaluationModes;
  return cfnAbsent(modes) || (Array.isArray(modes) && modes.some((m) => isObject(m) && m.Mode === 'DETECTIVE'));
}

/**
 * The GuardDuty resources of the assembly that silence findings ([finding id, resource, text]): a filter whose Action
 * is not NOOP (ARCHIVE auto-archives every finding it matches: no EventBridge event, no Security Hub finding, no
 * export, no alert; an unresolved Action may be ARCHIVE), and a trusted IP list (AWS::GuardDuty::IPSet, or its
 * successor AWS::GuardDuty::TrustedEntitySet) not written as deactivated (Activate false): GuardDuty generates no
 * finding for the addresses of a list the template cannot show. A threat list (ThreatIntelSet) only adds findings.
 */
function findingsSilenced(stacks: readonly AssemblyStack[]): [string, StackResource, string][] {
  const out: [string, StackResource, string][] = [];
  for (const filter of assemblyResources(stacks, 'AWS::GuardDuty::Filter')) {
    const action = filter.resource.Properties?.Action;
    if (cfnAbsent(action) || cfnStringForm(action) === 'NOOP') continue;
    out.push([
      'GuardDuty::archive-filter',
      filter,
      `GuardDuty filter ${filter.logicalId} has Action ${JSON.stringify(action)}, not NOOP: the findings it matches are archived as they arrive, so they never reach EventBridge, Security Hub, the findings export or an alert; a suppression rule is an operations decision taken in the console with a record, not a template default`,
    ]);
  }
  for (const type of ['AWS::GuardDuty::IPSet', 'AWS::GuardDuty::TrustedEntitySet']) {
    for (const list of assemblyResources(stacks, type)) {
      if (cfnBoolean(list.resource.Properties?.Activate) === false) continue;
      out.push([
        'GuardDuty::trusted-ip-list',
        list,
        `${type} ${list.logicalId} is a trusted IP list not written as deactivated (Activate ${JSON.stringify(list.resource.Properties?.Activate)}): GuardDuty generates no finding for the addresses it lists, which live in a file the template cannot show`,
      ]);
    }
  }
  out.push(...otherServicesSilenced(stacks));
  return out;
}

/**
 * The finding fields a Security Hub automation rule may set without hiding a finding from the alert pipeline or the
 * critical findings age check (both read the severity, workflow status and record state): a note, user-defined fields,
 * related findings, finding types (AutomationRule), a comment (AutomationRuleV2).
 */
const HARMLESS_FINDING_UPDATES: ReadonlySet<string> = new Set([
  'Note',
  'UserDefinedFields',
  'RelatedFindings',
  'Types',
  'Comment',
]);

/**
 * Whether a Security Hub automation rule (AWS::SecurityHub::AutomationRule or AutomationRuleV2) surely changes nothing
 * that decides whether a finding alerts: written DISABLED, or each of its actions (a list the template shows) an
 * external integration (V2) or a FINDING_FIELDS_UPDATE of HARMLESS_FINDING_UPDATES only. Severity, workflow status
 * (SUPPRESSED, RESOLVED, NOTIFIED), verification state, confidence and criticality (and the V2 SeverityId and StatusId)
 * are triage, an operations decision taken in the console with a record, not a template default.
 */
function automationRuleHarmless(rule: JsonResource): boolean {
  const p = rule.Properties ?? {};
  if (p.RuleStatus === 'DISABLED') return true;
  return cfnListAlways(p.Actions, (actions) =>
    actions.every((action) => {
      if (!isObject(action)) return false;
      if (action.Type === 'EXTERNAL_INTEGRATION') return true;
      const update = action.FindingFieldsUpdate;
      return (
        isObject(update) && !isIntrinsic(update) && Object.keys(update).every((k) => HARMLESS_FINDING_UPDATES.has(k))
      );
    }),
  );
}

/**
 * The resources of the assembly that silence Security Hub, Macie or Amazon Inspector findings ([finding id, resource,
 * text]), as a GuardDuty archive filter does: a Security Hub automation rule that changes a finding's severity or
 * workflow (automationRuleHarmless: SUPPRESSED or INFORMATIONAL, the findings never match the alert rules), a Macie
 * findings filter whose Action is not NOOP (ARCHIVE suppresses what it matches: no EventBridge event, no Security Hub
 * finding), an Inspector filter whose FilterAction is not NONE (SUPPRESS hides the findings it matches). An unresolved
 * value may be the silencing one.
 */
function otherServicesSilenced(stacks: readonly AssemblyStack[]): [string, StackResource, string][] {
  const out: [string, StackResource, string][] = [];
  const triage =
    'suppression and triage are operations decisions taken in the console with a record, not template defaults';
  for (const type of ['AWS::SecurityHub::AutomationRule', 'AWS::SecurityHub::AutomationRuleV2']) {
    for (const rule of assemblyResources(stacks, type)) {
      if (automationRuleHarmless(rule.resource)) continue;
      out.push([
        'SecurityHub::automation-rule',
        rule,
        `${type} ${rule.logicalId} (RuleStatus ${JSON.stringify(rule.resource.Properties?.RuleStatus)}) may change the severity, workflow status or verification of the findings it matches: a finding set to SUPPRESSED or INFORMATIONAL alerts nobody and escapes the critical findings age check; ${triage}`,
      ]);
    }
  }
  for (const filter of assemblyResources(stacks, 'AWS::Macie::FindingsFilter')) {
    const action = filter.resource.Properties?.Action;
    if (cfnAbsent(action) || cfnStringForm(action) === 'NOOP') continue;
    out.push([
      'Macie::archive-filter',
      filter,
      `Macie findings filter ${filter.logicalId} has Action ${JSON.stringify(action)}, not NOOP: the sensitive data findings it matches are archived as they arrive, so they never reach EventBridge, Security Hub or an alert; ${triage}`,
    ]);
  }
  for (const filter of assemblyResources(stacks, 'AWS::InspectorV2::Filter')) {
    const action = filter.resource.Properties?.FilterAction;
    if (cfnStringForm(action) === 'NONE') continue;
    out.push([
      'Inspector::suppression-filter',
      filter,
      `Inspector filter ${filter.logicalId} has FilterAction ${JSON.stringify(action)}, not NONE: the vulnerability findings it matches are suppressed, so they never alert; ${triage}`,
    ]);
  }
  return out;
}

/** What is missing of one service in `stacks` (one region's; `primary`: config.region's): [] when present and on. */
function missing(service: DetectionServiceName, stacks: readonly AssemblyStack[], primary: boolean): string[] {
  const of = (type: string) => assemblyResources(stacks, type);
  switch (service) {
    case 'guardDuty': {
      const detectors = of('AWS::GuardDuty::Detector');
      if (detectors.length === 0) return ['GuardDuty::absent'];
      const p = detectors[0]!.resource.Properties ?? {};
      const out: string[] = [];
      if (cfnBoolean(p.Enable) !== true) out.push('GuardDuty::disabled');
      const enabled = new Set(
        asList(p.Features)
          .filter(isObject)
          .filter((f) => f.Status === 'ENABLED')
          .map((f) => f.Name),
      );
      for (const feature of GUARDDUTY_FEATURES) if (!enabled.has(feature)) out.push(`GuardDuty::${feature}-off`);
      return out;
    }
    case 'securityHub':
      return of('AWS::SecurityHub::Hub').length === 0 ? ['SecurityHub::absent'] : standardsMissing(stacks);
    case 'macie': {
      const sessions = of('AWS::Macie::Session');
      if (sessions.length === 0) return ['Macie::absent'];
      const status = sessions[0]!.resource.Properties?.Status;
      return status === undefined || status === 'ENABLED' ? [] : [`Macie::${String(status)}`];
    }
    case 'config': {
      const out: string[] = [];
      if (of('AWS::Config::ConfigurationRecorder').length === 0) out.push('Config::recorder-absent');
      else out.push(...recorderNarrowed(stacks, primary));
      const channels = of('AWS::Config::DeliveryChannel');
      if (channels.length === 0) out.push('Config::delivery-channel-absent');
      // Each channel delivers to a bucket of the assembly in its own account (the Config delivery bucket the rules
      // judge): a bucket named outside it received every configuration snapshot (the attacker review of 2026-12-04,
      // fourth round: S3BucketName 'partner-config-999999999999' passed).
      for (const channel of channels) {
        const bucket = resolveValue(channel.resource.Properties?.S3BucketName, channel.stack, stacks);
        const ours =
          bucket.kind === 'resource' &&
          bucket.target.resource.Type === 'AWS::S3::Bucket' &&
          bucket.attribute === 'Ref' &&
          bucket.target.stack.account === channel.stack.account;
        if (!ours) out.push('Config::delivery-bucket-outside-assembly');
      }
      const configRules = of('AWS::Config::ConfigRule');
      for (const rule of HIPAA_CONFIG_RULES) {
        const deployed = configRules.filter(({ resource }) => {
          const source = resource.Properties?.Source;
          return isObject(source) && source.SourceIdentifier === rule.identifier;
        });
        if (deployed.length === 0) out.push(`Config::rule-${rule.identifier}-absent`);
        else if (!deployed.some(({ resource }) => configRuleAsShipped(resource, rule))) {
          out.push(`Config::rule-${rule.identifier}-narrowed`);
        }
      }
      return out;
    }
    default:
      return [];
  }
}

/**
 * D2: the account's detection services exist, each on, in the assembly: the GuardDuty detector with S3 and RDS
 * protection, Security Hub with the standards the blueprint enables (SECURITY_HUB_STANDARDS, no control disabled), the
 * AWS Config recorder recording every supported resource type continuously (global types in the primary region, no
 * exclusion), delivery channel and every HIPAA Security managed rule of HIPAA_CONFIG_RULES, the Macie session; and
 * nothing of the assembly silences GuardDuty findings (a filter whose Action is not NOOP, a trusted IP list not written
 * as deactivated), Security Hub findings (an automation rule changing severity, workflow or verification), Macie findings
 * (a findings filter whose Action is not NOOP) or Inspector findings (a filter whose FilterAction is not NONE); each HIPAA
 * Config rule is deployed as shipped (scope of resource types only, the shipped parameters, detective evaluation). Where the templates declare a PHI replica region (detection.replicaRegion),
 * GuardDuty, Security Hub and AWS Config run there too, in the stack declaring `replicaDetection`, and rules forward
 * every GuardDuty and Security Hub finding (no severity filter: the findings archive keeps them all) to the primary
 * region's default event bus, each target retrying at EventBridge's maximum into a dead-letter queue of its stack, with
 * an alarm on the rule's FailedInvocations (Sum >= 1, 5 minutes) whose state changes are forwarded to the primary
 * region's alert pipeline (the only path of these findings to alerting and the six-year archive). A service config switches off is declared so in the templates
 * (template Metadata HipaaBlueprint.detection) with who provides it (detection.providedBy), which the evidence
 * repeats; switched off without a provider is a finding.
 */
export const DetectionServicesPresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'A detection service (GuardDuty with S3 and RDS protection, Security Hub with its standards, the AWS Config recorder recording every resource type, delivery channel to a bucket of the assembly and HIPAA rules, Macie) is missing or narrowed in the assembly although the templates do not declare it switched off, or is declared off without naming who provides it, or a GuardDuty archive filter or trusted IP list, a Security Hub automation rule, a Macie archive filter or an Inspector suppression filter silences findings, or a HIPAA Config rule is narrowed (tag or resource-id scope, fewer resource types, changed parameters, proactive only).',
  explanation:
    'Security incidents must be detected (164.308(a)(1)(ii)(D), 164.308(a)(6)): the services that watch the account run, or someone named provides them.',
  safeguards: ['D2'],
  hipaaSections: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    if (stacks.length === 0) return { findings, evaluated: 0 };
    // Each region's services in its own stacks: a detector of the replica region does not stand in for config.region's.
    const { declared, where, primary: primaryStacks, replica: replicaStacks } = detectionScope(stacks);
    for (const service of CHECKED) {
      const on = declared?.services[service] !== false;
      if (!on) {
        if (!declared?.providedBy) {
          findings.push(
            finding(
              NAME,
              `${service}::off-without-provider`,
              where,
              undefined,
              `Detection service ${service} is switched off but the templates name no one who provides it (detection.providedBy) (D2)`,
            ),
          );
        }
        continue;
      }
      for (const id of missing(service, primaryStacks, true)) {
        findings.push(
          finding(
            NAME,
            id,
            where,
            undefined,
            `Detection service ${service} is on (not declared switched off) but the assembly lacks it: ${id} (D2)`,
          ),
        );
      }
    }
    const replicaRegion = declared?.replicaRegion;
    if (replicaRegion !== undefined) {
      const on = REPLICA_CHECKED.filter((service) => declared?.services[service] !== false);
      const replicaWhere = replicaStacks[0] ?? where;
      const add = (id: string, message: string) =>
        findings.push(finding(NAME, `ReplicaRegion::${id}`, replicaWhere, undefined, `${message} (D2)`));
      if (on.length > 0 && replicaStacks.length === 0) {
        add(
          'stack-absent',
          `Detection services ${on.join(', ')} are on but no stack runs them in the PHI replica region ${replicaRegion}`,
        );
      } else {
        for (const service of on) {
          for (const id of missing(service, replicaStacks, false)) {
            add(id, `Detection service ${service} is on but the PHI replica region ${replicaRegion} lacks it: ${id}`);
          }
          const source = FORWARDED_SOURCES[service];
          if (source === undefined) continue;
          const { forwarded, problems } = forwarding(replicaStacks, stacks, source, replicaRegion);
          if (!forwarded) {
            add(
              `${service}-findings-not-forwarded`,
              `Detection service ${service} runs in ${replicaRegion} but no EventBridge rule forwards every one of its findings (source ${source.source}, any severity, no detail filter) to the primary region's default event bus, where they alert and are archived six years`,
            );
          }
          for (const [id, text] of problems) {
            add(
              `${service}-${id}`,
              `The forwarding of ${service} findings from ${replicaRegion} can stop unnoticed: ${text} (retries at EventBridge's maximum, a dead-letter queue and a forwarded FailedInvocations alarm are required: it is the only path of these findings to alerting and the six-year archive)`,
            );
          }
        }
      }
    }
    // Whatever provides GuardDuty: nothing of the assembly silences its findings.
    const silenced = findingsSilenced(stacks);
    for (const [id, { stack, logicalId }, text] of silenced) {
      findings.push(finding(NAME, id, stack, logicalId, `${text} (D2)`));
    }
    return {
      findings,
      evaluated: CHECKED.length + (replicaRegion !== undefined ? REPLICA_CHECKED.length : 0) + silenced.length,
    };
  },
};
