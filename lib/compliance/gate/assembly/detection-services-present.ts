import { DetectionServiceName } from '../../../../constructs/core/markers';
import { GUARDDUTY_FEATURES } from '../../../../constructs/guard-duty-detector';
import { HIPAA_CONFIG_RULES } from '../../../../constructs/hipaa-config-rule-set';
import { asList, assemblyResources, AssemblyStack, isObject, templateDeclaration } from '../core/template-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'DetectionServicesPresent';
/** The services with a CloudFormation resource (Inspector has none: it is a deploy step). */
const CHECKED: readonly DetectionServiceName[] = ['config', 'guardDuty', 'securityHub', 'macie'];

/** The detection decision declared in the templates (first declaration found), with the stack that declares it. */
export function detectionDeclaration(
  stacks: readonly AssemblyStack[],
): { services: Partial<Record<DetectionServiceName, boolean>>; providedBy?: string; stack: AssemblyStack } | undefined {
  for (const stack of stacks) {
    const detection = templateDeclaration(stack.template)?.detection;
    if (!isObject(detection)) continue;
    const services = isObject(detection.services)
      ? (detection.services as Partial<Record<DetectionServiceName, boolean>>)
      : {};
    const providedBy = typeof detection.providedBy === 'string' ? detection.providedBy : undefined;
    return { services, ...(providedBy !== undefined ? { providedBy } : {}), stack };
  }
  return undefined;
}

/** What is missing of one service in the assembly: [] when present and on. */
function missing(service: DetectionServiceName, stacks: readonly AssemblyStack[]): string[] {
  const of = (type: string) => assemblyResources(stacks, type);
  switch (service) {
    case 'guardDuty': {
      const detectors = of('AWS::GuardDuty::Detector');
      if (detectors.length === 0) return ['GuardDuty::absent'];
      const p = detectors[0]!.resource.Properties ?? {};
      const out: string[] = [];
      if (p.Enable !== true && p.Enable !== 'true') out.push('GuardDuty::disabled');
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
      return of('AWS::SecurityHub::Hub').length === 0 ? ['SecurityHub::absent'] : [];
    case 'macie': {
      const sessions = of('AWS::Macie::Session');
      if (sessions.length === 0) return ['Macie::absent'];
      const status = sessions[0]!.resource.Properties?.Status;
      return status === undefined || status === 'ENABLED' ? [] : [`Macie::${String(status)}`];
    }
    case 'config': {
      const out: string[] = [];
      if (of('AWS::Config::ConfigurationRecorder').length === 0) out.push('Config::recorder-absent');
      if (of('AWS::Config::DeliveryChannel').length === 0) out.push('Config::delivery-channel-absent');
      const rules = new Set(
        of('AWS::Config::ConfigRule').map((r) => {
          const source = r.resource.Properties?.Source;
          return isObject(source) ? source.SourceIdentifier : undefined;
        }),
      );
      for (const rule of HIPAA_CONFIG_RULES)
        if (!rules.has(rule.identifier)) out.push(`Config::rule-${rule.identifier}-absent`);
      return out;
    }
    default:
      return [];
  }
}

/**
 * D2: the account's detection services exist, each on, in the assembly: the GuardDuty detector with S3 and RDS
 * protection, Security Hub, the AWS Config recorder, delivery channel and every HIPAA Security managed rule of
 * HIPAA_CONFIG_RULES, the Macie session. A service config switches off is declared so in the templates
 * (template Metadata HipaaBlueprint.detection) with who provides it (detection.providedBy), which the evidence
 * repeats; switched off without a provider is a finding.
 */
export const DetectionServicesPresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'A detection service (GuardDuty with S3 and RDS protection, Security Hub, the AWS Config recorder, delivery channel and HIPAA rules, Macie) is missing from the assembly although the templates do not declare it switched off, or is declared off without naming who provides it.',
  explanation:
    'Security incidents must be detected (164.308(a)(1)(ii)(D), 164.308(a)(6)): the services that watch the account run, or someone named provides them.',
  safeguards: ['D2'],
  hipaaSections: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)(ii)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    if (stacks.length === 0) return { findings, evaluated: 0 };
    const declared = detectionDeclaration(stacks);
    const where = declared?.stack ?? stacks[0]!;
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
      for (const id of missing(service, stacks)) {
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
    return { findings, evaluated: CHECKED.length };
  },
};
