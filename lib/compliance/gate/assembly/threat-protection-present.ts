import { GUARDDUTY_RUNTIME_MONITORING } from '../../../../constructs/guard-duty-detector';
import { REGISTRY_SCANNING } from '../../../../constructs/registry-scanning';
import { asList, assemblyResources, AssemblyStack, isObject, templateDeclaration } from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { backedUpPhiStores } from './backup-facts';
import { detectionDeclaration } from './detection-services-present';

const NAME = 'ThreatProtectionPresent';

const enabled = (entry: unknown): boolean => isObject(entry) && entry.Status === 'ENABLED';

/** What is missing of GuardDuty runtime monitoring (Fargate, agent managed) on the detectors of the assembly. */
function runtimeMonitoringProblems(stacks: readonly AssemblyStack[]): string[] {
  const detectors = assemblyResources(stacks, 'AWS::GuardDuty::Detector');
  if (detectors.length === 0) return []; // DetectionServicesPresent reports the missing detector
  const features = asList(detectors[0]!.resource.Properties?.Features).filter(isObject);
  const runtime = features.find((f) => f.Name === GUARDDUTY_RUNTIME_MONITORING.feature);
  if (!enabled(runtime)) return ['GuardDuty::runtime-monitoring-off'];
  const agent = asList(runtime!.AdditionalConfiguration)
    .filter(isObject)
    .find((c) => c.Name === GUARDDUTY_RUNTIME_MONITORING.agentManagement);
  return enabled(agent) ? [] : ['GuardDuty::fargate-agent-not-managed'];
}

/** Names of the buckets a malware protection plan of the assembly scans whole (no object prefix), tagging results. */
function scannedBuckets(stacks: readonly AssemblyStack[]): Set<string> {
  const out = new Set<string>();
  for (const { resource } of assemblyResources(stacks, 'AWS::GuardDuty::MalwareProtectionPlan')) {
    const p = resource.Properties ?? {};
    const bucket = isObject(p.ProtectedResource) ? p.ProtectedResource.S3Bucket : undefined;
    if (!isObject(bucket) || typeof bucket.BucketName !== 'string') continue;
    if (asList(bucket.ObjectPrefixes).length > 0) continue;
    if (p.Role === undefined) continue;
    out.add(bucket.BucketName);
  }
  return out;
}

/** Whether a registry scanning configuration scans every repository continuously with enhanced scanning. */
function registryScanned(stacks: readonly AssemblyStack[]): boolean {
  return assemblyResources(stacks, 'AWS::ECR::RegistryScanningConfiguration').some(({ resource }) => {
    const p = resource.Properties ?? {};
    if (p.ScanType !== REGISTRY_SCANNING.scanType) return false;
    return asList(p.Rules)
      .filter(isObject)
      .some(
        (rule) =>
          rule.ScanFrequency === REGISTRY_SCANNING.frequency &&
          asList(rule.RepositoryFilters)
            .filter(isObject)
            .some((f) => f.Filter === REGISTRY_SCANNING.filter && f.FilterType === 'WILDCARD'),
      );
  });
}

/**
 * D2, beyond the detection services: GuardDuty watches the Fargate tasks at runtime (RUNTIME_MONITORING with the ECS
 * Fargate agent managed by GuardDuty), a GuardDuty Malware Protection plan scans every new object of each backed-up
 * PHI bucket (the bucket the application writes; whole bucket, results tagged), and ECR enhanced scanning covers every
 * repository continuously (Amazon Inspector). Each applies when config has the service on (GuardDuty, Inspector), as
 * the templates declare it; an environment sharing the account (declared sharedWith) relies on the other's registry
 * scanning configuration.
 */
export const ThreatProtectionPresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'GuardDuty runtime monitoring of Fargate (agent managed), malware scanning of the PHI bucket uploads, or ECR enhanced continuous scanning of every repository is missing although the templates declare GuardDuty or Inspector on.',
  explanation:
    'Protection from malicious software and vulnerability scanning (164.308(a)(5)(ii)(B), 164.308(a)(1)(ii)(A)): the tasks that handle PHI are watched while they run, every uploaded PHI object is scanned for malware, and every image is rescanned when a new vulnerability is published.',
  safeguards: ['D2'],
  hipaaSections: ['164.308(a)(5)(ii)(B)', '164.308(a)(1)(ii)(A)', '164.308(a)(1)(ii)(D)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    if (stacks.length === 0) return { findings, evaluated: 0 };
    const declared = detectionDeclaration(stacks);
    const where = declared?.stack ?? stacks[0]!;
    const on = (service: 'guardDuty' | 'inspector') => declared?.services[service] !== false;
    const sharedWith = (() => {
      const detection = templateDeclaration(where.template)?.detection;
      return isObject(detection) && typeof detection.sharedWith === 'string' ? detection.sharedWith : undefined;
    })();
    let evaluated = 0;
    const add = (id: string, description: string, logicalId?: string, stack = where) =>
      findings.push(finding(NAME, id, stack, logicalId, description));
    if (on('guardDuty')) {
      evaluated++;
      for (const id of runtimeMonitoringProblems(stacks)) {
        add(id, `GuardDuty is on but does not monitor the Fargate tasks at runtime with its managed agent: ${id} (D2)`);
      }
      const scanned = scannedBuckets(stacks);
      const buckets = backedUpPhiStores(stacks, context.phiBucketNames ?? []).filter(
        (s) => s.resource.Type === 'AWS::S3::Bucket',
      );
      for (const bucket of buckets) {
        evaluated++;
        const name = bucket.resource.Properties?.BucketName;
        if (typeof name === 'string' && scanned.has(name)) continue;
        add(
          `${bucket.logicalId}::no-malware-scan`,
          `PHI bucket ${bucket.logicalId} (${bucket.stack.stackName}) has no GuardDuty Malware Protection plan scanning all its new objects (D2)`,
          bucket.logicalId,
          bucket.stack,
        );
      }
    }
    if (on('inspector') && sharedWith === undefined) {
      evaluated++;
      if (!registryScanned(stacks)) {
        add(
          'ECR::no-enhanced-continuous-scanning',
          'Inspector is on but no registry scanning configuration scans every ECR repository continuously with enhanced scanning (D2)',
        );
      }
    }
    return { findings, evaluated };
  },
};
