import {
  ECR_IMAGE_PULL_ACTIONS,
  isGuardDutyAgentRepositoryArn,
} from '../../../../constructs/guard-duty-agent-repository';
import {
  GUARDDUTY_RUNTIME_MONITORING,
  GUARDDUTY_RUNTIME_UNHEALTHY_EVENT,
} from '../../../../constructs/guard-duty-detector';
import { MALWARE_SCAN_TAG, QUARANTINE_READ_ACTIONS, QUARANTINE_TAG_ACTIONS } from '../../../../constructs/phi-bucket';
import { ALERTING_SCAN_RESULTS, MALWARE_PROTECTION_EVENTS } from '../../../../constructs/phi-malware-protection';
import { REGISTRY_SCANNING } from '../../../../constructs/registry-scanning';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  eventRuleAlertsInTemplate,
  eventRuleEnabled,
  flatten,
  inRegionsText,
  isObject,
  localTarget,
  resourcesOf,
  StackResource,
  stacksInRegion,
  templateDeclaration,
  regionsLacking,
} from '../core/template-json';
import {
  conditionKeys,
  conditionValues,
  entries,
  isAnyPrincipal,
  operatorsAre,
  PolicyStatementJson,
  resourceCovers,
  statementCovers,
} from '../rules/policy-statements';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { isPhiStoreIn } from '../core/phi-shapes';
import { backedUpPhiStores } from './backup-facts';
import { roleStatements } from './role-facts';
import { detectionDeclaration } from './detection-services-present';

const NAME = 'ThreatProtectionPresent';

const enabled = (entry: unknown): boolean => isObject(entry) && entry.Status === 'ENABLED';

/** What is missing of GuardDuty runtime monitoring (Fargate, agent managed) on the detectors of the assembly. */
function runtimeMonitoringProblems(
  stacks: readonly AssemblyStack[],
  serviceRegions: ReadonlyArray<string | undefined>,
): string[] {
  const detectors = assemblyResources(stacks, 'AWS::GuardDuty::Detector');
  if (detectors.length === 0) return []; // DetectionServicesPresent reports the missing detector
  const problems = new Set<string>();
  // Every detector of the assembly (one per region: the main region's and the replica region's).
  for (const detector of detectors) {
    const features = asList(detector.resource.Properties?.Features).filter(isObject);
    const runtime = features.find((f) => f.Name === GUARDDUTY_RUNTIME_MONITORING.feature);
    if (!enabled(runtime)) {
      problems.add('GuardDuty::runtime-monitoring-off');
      continue;
    }
    const agent = asList(runtime!.AdditionalConfiguration)
      .filter(isObject)
      .find((c) => c.Name === GUARDDUTY_RUNTIME_MONITORING.agentManagement);
    if (!enabled(agent)) problems.add('GuardDuty::fargate-agent-not-managed');
  }
  // A detector watches its own region only: one where the Fargate tasks run.
  const uncovered = regionsLacking(
    serviceRegions,
    (region) => assemblyResources(stacksInRegion(stacks, region), 'AWS::GuardDuty::Detector').length > 0,
  );
  if (uncovered.length > 0) problems.add('GuardDuty::no-detector-where-tasks-run');
  return [...problems];
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

/** Whether some Allow statement covers every image pull action on GuardDuty's agent repository (named, or `*`). */
function allowsAgentPull(statements: readonly PolicyStatementJson[], endpoint: boolean): boolean {
  return ECR_IMAGE_PULL_ACTIONS.every((action) =>
    statements.some(
      (s) =>
        s.Effect === 'Allow' &&
        statementCovers(s, action, 'surely') &&
        (!endpoint || isAnyPrincipal(s.Principal)) &&
        entries(s.Resource).some((r) => {
          const arn = flatten(r);
          if (arn !== undefined && isGuardDutyAgentRepositoryArn(arn)) return true;
          // `*` admits it only without a resource-account condition (which names this account, not GuardDuty's).
          return r === '*' && !conditionKeys(s.Condition).includes('aws:resourceaccount');
        }),
    ),
  );
}

/** The Fargate services of the assembly, each with its task definition's execution role (logical id, same stack). */
function fargateServices(stacks: readonly AssemblyStack[]): Array<StackResource & { executionRole?: string }> {
  return assemblyResources(stacks, 'AWS::ECS::Service').flatMap((service) => {
    const taskId = localTarget(service.resource.Properties?.TaskDefinition);
    const task = taskId !== undefined ? service.stack.template.Resources[taskId] : undefined;
    const fargate =
      service.resource.Properties?.LaunchType === 'FARGATE' ||
      asList(task?.Properties?.RequiresCompatibilities).includes('FARGATE');
    if (!fargate) return [];
    const executionRole = localTarget(task?.Properties?.ExecutionRoleArn);
    return [{ ...service, ...(executionRole !== undefined ? { executionRole } : {}) }];
  });
}

/** The ECR interface endpoints (ecr.api, ecr.dkr) of the assembly. */
function ecrEndpoints(stacks: readonly AssemblyStack[]): StackResource[] {
  return assemblyResources(stacks, 'AWS::EC2::VPCEndpoint').filter((e) => {
    const name = flatten(e.resource.Properties?.ServiceName) ?? '';
    return name.endsWith('.ecr.api') || name.endsWith('.ecr.dkr');
  });
}

/** The event pattern fields a routing rule may have: any other (account, region, resources) narrows it. */
const ROUTED_PATTERN_KEYS = ['source', 'detail-type', 'detail'];

/**
 * Whether an enabled EventBridge rule of a stack in `region` whose target is an alert path of its own stack
 * (eventRuleAlertsInTemplate) routes GuardDuty events of `detailType` (all of them, or at least those whose detail
 * field `resultPath` is one of `results`, the detail filtering on nothing else), its pattern narrowed by no other
 * field. GuardDuty emits a resource's events in the resource's region: a rule of another region's stack never sees
 * them.
 */
function routesEvents(
  stacks: readonly AssemblyStack[],
  region: string | undefined,
  detailType: string,
  results?: { path: readonly string[]; values: readonly string[] },
): boolean {
  return assemblyResources(stacksInRegion(stacks, region), 'AWS::Events::Rule').some(({ stack, resource }) => {
    const p = resource.Properties ?? {};
    if (!eventRuleEnabled(p.State)) return false;
    if (!eventRuleAlertsInTemplate(stack.template, p.Targets)) return false;
    const pattern = p.EventPattern;
    if (!isObject(pattern) || !asList(pattern.source).includes('aws.guardduty')) return false;
    if (!asList(pattern['detail-type']).includes(detailType)) return false;
    // A field beyond these (account, region, resources) narrows the events the rule sees.
    if (Object.keys(pattern).some((k) => !ROUTED_PATTERN_KEYS.includes(k))) return false;
    if (pattern.detail === undefined) return true; // every event of the type
    if (results === undefined) return false; // narrowed by a detail field
    // The detail filters on the result path only, down to the listed values.
    let filter: unknown = pattern.detail;
    for (const key of results.path) {
      if (!isObject(filter) || Object.keys(filter).length !== 1 || !(key in filter)) return false;
      filter = filter[key];
    }
    const listed = asList(filter);
    return results.values.every((v) => listed.includes(v));
  });
}

/**
 * Whether the bucket's policy denies everyone each of `actions` on objects tagged THREATS_FOUND by Malware Protection,
 * on that tag condition alone (D2): the reads (the quarantine) and the tag changes (lifting it: a tag overwritten or
 * removed by anyone who may tag objects makes the object readable again).
 */
function quarantined(bucket: StackResource, actions: readonly string[]): boolean {
  const ref = JSON.stringify({ Ref: bucket.logicalId });
  const statements = resourcesOf(bucket.stack.template, 'AWS::S3::BucketPolicy')
    .filter(([, r]) => JSON.stringify(r.Properties?.Bucket) === ref)
    .flatMap(([, r]) =>
      isObject(r.Properties?.PolicyDocument)
        ? (entries(r.Properties.PolicyDocument.Statement) as PolicyStatementJson[])
        : [],
    );
  const tagKey = `s3:ExistingObjectTag/${MALWARE_SCAN_TAG.key}`;
  return actions.every((action) =>
    statements.some((s) => {
      if (s.Effect !== 'Deny' || s.NotPrincipal !== undefined || !isAnyPrincipal(s.Principal)) return false;
      if (
        !statementCovers(s, action, 'surely') ||
        !entries(s.Resource).some((r) => resourceCovers(r, 'objects', bucket.logicalId))
      )
        return false;
      const values = conditionValues(s.Condition, tagKey, 'positive');
      // Only the tag condition: any other key would narrow the deny (e.g. to some principals), and so would another
      // operator on the same key (`Null` true, `StringNotEquals` THREATS_FOUND: never true together with it). The tag
      // key as GuardDuty writes it: S3 object tag keys are case-sensitive (the condition key's prefix is not).
      const blocks = Object.values(s.Condition ?? {}).filter(isObject);
      return (
        values !== undefined &&
        values.includes(MALWARE_SCAN_TAG.threatsFound) &&
        conditionKeys(s.Condition).every((k) => k === tagKey.toLowerCase()) &&
        operatorsAre(s.Condition, 'positive') &&
        blocks.every((b) => Object.keys(b).every((k) => k.slice(k.indexOf('/') + 1) === MALWARE_SCAN_TAG.key))
      );
    }),
  );
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
 * Fargate agent managed by GuardDuty; each Fargate service's task execution role may pull the agent sidecar from
 * GuardDuty's repository of the region, every ECR interface endpoint's policy admits that repository, and an
 * EventBridge rule of a stack in the tasks' region routes "GuardDuty Runtime Protection Unhealthy" events to the alert
 * formatter); a GuardDuty Malware Protection
 * plan scans every new object of each backed-up PHI bucket (the bucket the application writes; whole bucket, results
 * tagged), the bucket's policy denies everyone reading objects tagged THREATS_FOUND, and a rule of a stack in the
 * bucket's region routes the scan
 * results THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED and FAILED; ECR enhanced scanning covers every repository
 * continuously (Amazon Inspector). Each applies when config has the service on (GuardDuty, malwareProtection,
 * Inspector), as the templates declare it; an environment sharing the account (declared sharedWith) relies on the
 * other's registry scanning configuration.
 */
export const ThreatProtectionPresent: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'GuardDuty runtime monitoring of Fargate (agent managed, its sidecar pullable by every task execution role and through the ECR endpoints, unhealthy coverage alerting), malware scanning of the PHI bucket uploads (infected objects unreadable, scan results alerting), or ECR enhanced continuous scanning of every repository is missing although the templates declare GuardDuty, Malware Protection or Inspector on; each alert rule must be in a stack of the region where its events happen.',
  explanation:
    'Protection from malicious software and vulnerability scanning (164.308(a)(5)(ii)(B), 164.308(a)(1)(ii)(A)): the tasks that handle PHI are watched while they run (and a task left unwatched alerts), every uploaded PHI object is scanned for malware (an infected one is never served, a result that is not clean alerts), and every image is rescanned when a new vulnerability is published.',
  safeguards: ['D2'],
  hipaaSections: ['164.308(a)(5)(ii)(B)', '164.308(a)(1)(ii)(A)', '164.308(a)(1)(ii)(D)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    if (stacks.length === 0) return { findings, evaluated: 0 };
    const declared = detectionDeclaration(stacks);
    const where = declared?.stack ?? stacks[0]!;
    const on = (service: 'guardDuty' | 'inspector') => declared?.services[service] !== false;
    const declaration = templateDeclaration(where.template)?.detection;
    const sharedWith =
      isObject(declaration) && typeof declaration.sharedWith === 'string' ? declaration.sharedWith : undefined;
    // Malware Protection for S3: its own switch (default on), independent of the detector.
    const malwareOn = !(isObject(declaration) && declaration.malwareProtection === false);
    let evaluated = 0;
    const add = (id: string, description: string, logicalId?: string, stack = where) =>
      findings.push(finding(NAME, id, stack, logicalId, description));
    const services = fargateServices(stacks);
    if (on('guardDuty')) {
      evaluated++;
      for (const id of runtimeMonitoringProblems(
        stacks,
        services.map((s) => s.stack.region),
      )) {
        add(id, `GuardDuty is on but does not monitor the Fargate tasks at runtime with its managed agent: ${id} (D2)`);
      }
      // The agent can only cover a task whose execution role may pull its sidecar from GuardDuty's repository, through
      // ECR endpoints that admit that repository; and someone must hear when coverage is unhealthy.
      for (const service of services) {
        evaluated++;
        const pulls =
          service.executionRole !== undefined &&
          allowsAgentPull(roleStatements(service.stack, service.executionRole), false);
        if (!pulls) {
          add(
            `${service.logicalId}::guardduty-agent-not-pullable`,
            `Fargate service ${service.logicalId} (${service.stack.stackName}): its task execution role may not pull GuardDuty's runtime agent (${ECR_IMAGE_PULL_ACTIONS.join(', ')} on the region's aws-guardduty-agent-fargate repository), so runtime monitoring cannot cover its tasks (D2)`,
            service.logicalId,
            service.stack,
          );
        }
      }
      if (services.length > 0) {
        for (const endpoint of ecrEndpoints(stacks)) {
          evaluated++;
          const policy = endpoint.resource.Properties?.PolicyDocument;
          const statements = isObject(policy) ? (entries(policy.Statement) as PolicyStatementJson[]) : [];
          // No policy at all is the default full-access one (VpcEndpointPolicyThisAccount reports it).
          if (policy === undefined || allowsAgentPull(statements, true)) continue;
          add(
            `${endpoint.logicalId}::guardduty-agent-repository-not-admitted`,
            `ECR interface endpoint ${endpoint.logicalId} (${endpoint.stack.stackName}): its policy does not admit pulls from GuardDuty's runtime agent repository, so the Fargate tasks cannot pull the agent sidecar (D2)`,
            endpoint.logicalId,
            endpoint.stack,
          );
        }
        evaluated++;
        // In each region the services run in (an unknown region matches any stack).
        const lacking = regionsLacking(
          services.map((s) => s.stack.region),
          (region) => routesEvents(stacks, region, GUARDDUTY_RUNTIME_UNHEALTHY_EVENT.detailType),
        );
        if (lacking.length > 0) {
          add(
            'GuardDuty::no-runtime-coverage-alert',
            `No enabled EventBridge rule${inRegionsText(lacking)} alerting through a Lambda function of its stack (the alert formatter) routes '${GUARDDUTY_RUNTIME_UNHEALTHY_EVENT.detailType}' events: a Fargate task left without runtime monitoring alerts nobody (D2, D3)`,
          );
        }
      }
    }
    if (malwareOn) {
      evaluated++;
      const scanned = scannedBuckets(stacks);
      const buckets = backedUpPhiStores(stacks, context.phiBucketNames ?? []).filter(
        (s) => s.resource.Type === 'AWS::S3::Bucket',
      );
      for (const bucket of buckets) {
        evaluated++;
        const name = bucket.resource.Properties?.BucketName;
        if (!(typeof name === 'string' && scanned.has(name))) {
          add(
            `${bucket.logicalId}::no-malware-scan`,
            `PHI bucket ${bucket.logicalId} (${bucket.stack.stackName}) has no GuardDuty Malware Protection plan scanning all its new objects (D2)`,
            bucket.logicalId,
            bucket.stack,
          );
        }
      }
      // Every PHI bucket is quarantined, the replica too: an object replicates before GuardDuty tags it (and its tag
      // after), and the replica replicates back to the source.
      const phiBuckets = assemblyResources(stacks, 'AWS::S3::Bucket').filter((b) =>
        isPhiStoreIn(b.stack.template, b.logicalId, context.phiBucketNames ?? []),
      );
      for (const bucket of phiBuckets) {
        evaluated++;
        if (!quarantined(bucket, QUARANTINE_READ_ACTIONS)) {
          add(
            `${bucket.logicalId}::no-malware-quarantine`,
            `PHI bucket ${bucket.logicalId} (${bucket.stack.stackName}): its policy does not deny everyone ${QUARANTINE_READ_ACTIONS.join(' and ')} of objects tagged ${MALWARE_SCAN_TAG.key} = ${MALWARE_SCAN_TAG.threatsFound} (only that tag condition), so a malicious upload can be served (D2)`,
            bucket.logicalId,
            bucket.stack,
          );
        } else if (!quarantined(bucket, QUARANTINE_TAG_ACTIONS)) {
          add(
            `${bucket.logicalId}::malware-quarantine-liftable`,
            `PHI bucket ${bucket.logicalId} (${bucket.stack.stackName}): its policy does not deny everyone ${QUARANTINE_TAG_ACTIONS.join(', ')} of objects tagged ${MALWARE_SCAN_TAG.key} = ${MALWARE_SCAN_TAG.threatsFound} (only that tag condition), so anyone who may tag objects can overwrite the scan result and serve a malicious upload (D2)`,
            bucket.logicalId,
            bucket.stack,
          );
        }
      }
      // In each region of the scanned PHI buckets (an unknown region, or no bucket, matches any stack).
      const lacking = regionsLacking(buckets.length > 0 ? buckets.map((b) => b.stack.region) : [undefined], (region) =>
        routesEvents(stacks, region, MALWARE_PROTECTION_EVENTS.objectScanResult, {
          path: ['scanResultDetails', 'scanResultStatus'],
          values: ALERTING_SCAN_RESULTS,
        }),
      );
      if (lacking.length > 0) {
        add(
          'MalwareProtection::no-scan-result-alert',
          `No enabled EventBridge rule${inRegionsText(lacking)} alerting through a Lambda function of its stack (the alert formatter) routes '${MALWARE_PROTECTION_EVENTS.objectScanResult}' events with the results ${ALERTING_SCAN_RESULTS.join(', ')}: malware found in a PHI upload, or an upload left unscanned, alerts nobody (D2, D3)`,
        );
      }
    }
    if (on('inspector') && sharedWith === undefined) {
      evaluated++;
      // A registry is per region: in each region the Fargate services pull their images in and each region holding a
      // repository of the assembly (any region, without either).
      const registryRegions = [
        ...services.map((s) => s.stack.region),
        ...assemblyResources(stacks, 'AWS::ECR::Repository').map((r) => r.stack.region),
      ];
      const unscanned = regionsLacking(registryRegions.length > 0 ? registryRegions : [undefined], (region) =>
        registryScanned(stacksInRegion(stacks, region)),
      );
      if (unscanned.length > 0) {
        add(
          'ECR::no-enhanced-continuous-scanning',
          `Inspector is on but no registry scanning configuration${inRegionsText(unscanned)} scans every ECR repository continuously with enhanced scanning (D2)`,
        );
      }
    }
    return { findings, evaluated };
  },
};
