import { DetectionServiceName } from '../../../../constructs/core/markers';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  cfnAbsent,
  eventRuleAlertsInTemplate,
  eventRuleEnabled,
  isObject,
  Json,
  StackResource,
  stacksInRegion,
} from '../core/template-json';
import { detectionScope } from './detection-services-present';
import { provenAlertFormatters } from './tamper-detection-present';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'FindingAlertsPresent';

/**
 * The detection services whose findings alert, each with the name of the alert pipeline's rule (constructs/
 * alert-pipeline.ts FINDING_PATTERNS) and the floor its pattern must admit (the findings whose source, detail-type and
 * severity, status and product filters it lists must alert, whatever else a fork adds). The gate keeps its own floors:
 * a construct whose pattern is narrowed fails the gate instead of lowering it (a test pins that the shipped patterns
 * meet them). As a template writes them (`detail-type`).
 */
const ALERTED: ReadonlyArray<{ service: DetectionServiceName; rule: string; floor: Json }> = [
  {
    service: 'guardDuty',
    rule: 'GuardDutyFindings',
    // MEDIUM and above (GuardDuty bands: 4.0-6.9 MEDIUM, 7.0-8.9 HIGH, 9.0+ CRITICAL).
    floor: {
      source: ['aws.guardduty'],
      'detail-type': ['GuardDuty Finding'],
      detail: { severity: [{ numeric: ['>=', 4] }] },
    },
  },
  {
    service: 'securityHub',
    rule: 'SecurityHubFindings',
    // GuardDuty's, Macie's and Inspector's findings alert through their own rules.
    floor: {
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported'],
      detail: {
        findings: {
          Severity: { Label: ['HIGH', 'CRITICAL'] },
          Workflow: { Status: ['NEW'] },
          RecordState: ['ACTIVE'],
          ProductName: [{ 'anything-but': ['GuardDuty', 'Macie', 'Inspector'] }],
        },
      },
    },
  },
  { service: 'macie', rule: 'MacieFindings', floor: { source: ['aws.macie'], 'detail-type': ['Macie Finding'] } },
  {
    service: 'inspector',
    rule: 'InspectorFindings',
    floor: {
      source: ['aws.inspector2'],
      'detail-type': ['Inspector2 Finding'],
      detail: { severity: ['HIGH', 'CRITICAL'], status: ['ACTIVE'] },
    },
  },
];

/** The event pattern fields a finding alert rule may have: any other (account, region, resources) narrows it. */
const ROUTED_PATTERN_KEYS = ['source', 'detail-type', 'detail'];

/** The gate's floor for the alert pipeline's rule `rule` (a copy: callers may change it). */
export function findingFloor(rule: string): Json {
  const entry = ALERTED.find((a) => a.rule === rule);
  if (entry === undefined) throw new Error(`${NAME}: no finding alert floor for ${rule}`);
  return JSON.parse(JSON.stringify(entry.floor)) as Json;
}

/** A lower numeric bound (`>=` or `>` and a number, nothing else), or undefined. */
function lowerBound(matcher: unknown): { op: string; value: number } | undefined {
  if (!isObject(matcher) || Object.keys(matcher).length !== 1 || !Array.isArray(matcher.numeric)) return undefined;
  const [op, value, ...rest] = matcher.numeric as unknown[];
  if (rest.length > 0 || (op !== '>=' && op !== '>') || typeof value !== 'number') return undefined;
  return { op, value };
}

/** The strings an `anything-but` matcher excludes (a string or a list of strings), or undefined for another form. */
function excluded(matcher: unknown): string[] | undefined {
  if (!isObject(matcher) || Object.keys(matcher).length !== 1 || !('anything-but' in matcher)) return undefined;
  const list = asList(matcher['anything-but']);
  return list.every((v) => typeof v === 'string') ? (list as string[]) : undefined;
}

/** Whether the candidate matcher `c` admits every value the shipped matcher `m` admits. */
function matcherAdmits(c: unknown, m: unknown): boolean {
  if (isObject(c) && Object.keys(c).length === 1 && c.exists === true) return true;
  if (typeof m === 'string') {
    if (c === m) return true;
    if (isObject(c) && Object.keys(c).length === 1 && typeof c.prefix === 'string') return m.startsWith(c.prefix);
    const out = excluded(c);
    return out !== undefined && !out.includes(m);
  }
  const floor = lowerBound(m);
  if (floor !== undefined) {
    const bound = lowerBound(c);
    if (bound === undefined) return false;
    // [floor, inf) (or (floor, inf)) inside [bound, inf) (or (bound, inf)).
    return bound.op === '>=' || floor.op === '>' ? bound.value <= floor.value : bound.value < floor.value;
  }
  const shippedOut = excluded(m);
  if (shippedOut !== undefined) {
    const out = excluded(c);
    return out !== undefined && out.every((v) => shippedOut.includes(v));
  }
  return JSON.stringify(c) === JSON.stringify(m);
}

/**
 * Whether the candidate filter `candidate` (a pattern's `detail`, or a field of it) admits every event the shipped
 * filter `shipped` admits: it filters only on fields the shipped one filters on (a field it adds, `$or` included, may
 * match no finding), each leaf list admitting every value the shipped leaf admits (a severity list without HIGH, a
 * numeric floor above the shipped one, a product excluded that the shipped rule lets through: narrower).
 */
export function filterAdmits(candidate: unknown, shipped: unknown): boolean {
  if (candidate === undefined) return true;
  if (!isObject(candidate) || Array.isArray(candidate)) return false;
  return Object.entries(candidate).every(([key, c]) => {
    const s = isObject(shipped) && !Array.isArray(shipped) ? shipped[key] : undefined;
    if (key.startsWith('$') || s === undefined) return false;
    if (Array.isArray(s)) return Array.isArray(c) && s.every((m) => c.some((cm) => matcherAdmits(cm, m)));
    return !Array.isArray(c) && filterAdmits(c, s);
  });
}

/** A rule's event pattern as an object (CloudFormation accepts it as a JSON string too), or undefined. */
function patternOf(rule: StackResource): Json | undefined {
  let pattern = rule.resource.Properties?.EventPattern;
  if (typeof pattern === 'string') {
    try {
      pattern = JSON.parse(pattern) as unknown;
    } catch {
      return undefined;
    }
  }
  return isObject(pattern) && !Array.isArray(pattern) ? pattern : undefined;
}

/**
 * Whether the rule surely hands the matched event, as it is (no Input, InputPath or InputTransformer), to an alert
 * formatter: a Lambda function of its own stack (`Fn::GetAtt` Arn, in every branch of a condition and every form of
 * the Targets list) that, when a heartbeat proves formatters alive (provenAlertFormatters), is one of them (a decoy
 * function of the stack that drops the event alerts nobody).
 */
function alertsThroughFormatter(rule: StackResource, proven: ReadonlySet<string>): boolean {
  const { stack } = rule;
  return eventRuleAlertsInTemplate(
    stack.template,
    rule.resource.Properties?.Targets,
    (id) => proven.size === 0 || proven.has(`${stack.stackName}/${id}`),
  );
}

/** A rule on the region's default event bus (EventBusName absent or `default`): a custom bus gets no finding. */
const onDefaultBus = (rule: StackResource): boolean => {
  const bus = rule.resource.Properties?.EventBusName;
  return cfnAbsent(bus) || bus === 'default';
};

/**
 * D2, D3: the findings of every detection service the templates declare on (the GuardDuty detector, Security Hub,
 * Macie, Amazon Inspector) alert: an enabled EventBridge rule on the default event bus of a stack in the primary region
 * (where the replica region forwards its findings: no `region`, `account` or `resources` filter) hands the finding, as
 * it is, to the alert formatter (a Lambda function of its stack, the one the heartbeat proves alive), its pattern
 * admitting every finding the gate's floor for it admits (ALERTED, the alert pipeline's patterns as shipped: the
 * severity floor, status and product filters); a pattern filtering on another field, a severity list without a shipped
 * level or a numeric floor above the shipped one is narrower.
 */
export const FindingAlertsPresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'The findings of a detection service declared on (GuardDuty, Security Hub, Macie, Inspector) have no enabled EventBridge rule on the primary region default bus handing them to the alert formatter, or the rule admits fewer findings than the alert pipeline ships (a higher severity floor, a severity, status or product left out, another filter).',
  explanation:
    'Security incidents must be detected and reported (164.308(a)(1)(ii)(D), 164.308(a)(6)(ii)): a finding at the blueprint severity floor reaches people through the alert pipeline.',
  safeguards: ['D2', 'D3'],
  hipaaSections: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    if (stacks.length === 0) return { findings, evaluated: 0 };
    const scope = detectionScope(stacks);
    const { declared, where } = scope;
    const primary = stacksInRegion(scope.primary, where.region);
    const proven = provenAlertFormatters(stacks);
    const rules = assemblyResources(primary, 'AWS::Events::Rule');
    let evaluated = 0;
    for (const { service, rule } of ALERTED) {
      if (declared?.services[service] === false) continue;
      evaluated++;
      const floor = findingFloor(rule);
      const source = asList(floor.source)[0] as string;
      const detailType = asList(floor['detail-type'])[0] as string;
      // The rules that alert on some findings of the service: enabled, on the default bus, to the formatter.
      const routing = rules.filter((r) => {
        const pattern = patternOf(r);
        return (
          pattern !== undefined &&
          eventRuleEnabled(r.resource.Properties?.State) &&
          onDefaultBus(r) &&
          asList(pattern.source).includes(source) &&
          (pattern['detail-type'] === undefined || asList(pattern['detail-type']).includes(detailType)) &&
          alertsThroughFormatter(r, proven)
        );
      });
      const covering = routing.filter((r) => {
        const pattern = patternOf(r)!;
        return (
          Object.keys(pattern).every((k) => ROUTED_PATTERN_KEYS.includes(k)) &&
          filterAdmits(pattern.detail, floor.detail)
        );
      });
      if (covering.length > 0) continue;
      const shipped = JSON.stringify(floor.detail ?? {});
      if (routing.length > 0) {
        findings.push(
          finding(
            NAME,
            `${rule}::narrowed`,
            where,
            undefined,
            `Detection service ${service} is on but the rules alerting on its findings (${routing.map((r) => r.logicalId).join(', ')}) admit fewer of them than the alert pipeline ships (source ${source}, detail ${shipped}): a finding at the blueprint's severity floor alerts nobody (a higher floor, a level, status or product left out, or another filter narrows it) (D2, D3)`,
          ),
        );
      } else {
        findings.push(
          finding(
            NAME,
            `${rule}::not-alerted`,
            where,
            undefined,
            `Detection service ${service} is on but no enabled EventBridge rule on the default event bus of ${where.region ?? 'the primary region'} hands its findings (source ${source}, detail-type ${detailType}) as they are to the alert formatter: a new finding alerts nobody (D2, D3)`,
          ),
        );
      }
    }
    return { findings, evaluated };
  },
};
