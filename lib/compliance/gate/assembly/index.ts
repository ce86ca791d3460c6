import { AssemblyStack, withRunMemo } from '../core/template-json';
import { AccessAuditChannel } from './access-audit-channel-present';
import { AssemblyDeploysAsChecked } from './assembly-deploys-as-checked';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { BackupCopiedToLockedVault } from './backup-copied-to-locked-vault';
import { PhiBackupsMeetFloors } from './phi-backups-meet-floors';
import { CriticalFindingAgeAlarm } from './critical-finding-age-alarm';
import { DataTierNetworkAcl } from './data-tier-network-acl';
import { EcsServicesInApplicationTier } from './ecs-services-in-application-tier';
import { DetectionServicesPresent } from './detection-services-present';
import { FindingAlertsPresent } from './finding-alerts-present';
import { FindingsArchivePresent } from './findings-archive-present';
import { InterfaceEndpointsPresent } from './interface-endpoints-present';
import { LoadBalancerWebAcl } from './load-balancer-web-acl';
import { VpcFlowLogsComplete } from './vpc-flow-logs-complete';
import { LogDestinationsMarked } from './log-destinations-marked';
import { NoPhiVpcInterconnect } from './no-phi-vpc-interconnect';
import { PacksSeeOverrides } from './packs-see-overrides';
import { PhiStoreKeyDomain } from './phi-store-key-domain';
import { isReplicaBootstrapAssembly, ReplicaBootstrapAlone } from './replica-bootstrap-alone';
import { ReplicationMonitored } from './replication-monitored';
import { RestoreTestingCoversPhiBackups } from './restore-testing-covers-phi-backups';
import { RestoreTestsValidated } from './restore-tests-validated';
import { SecurityAlarmsPresent } from './security-alarms-present';
import { StackEnvironmentsNamed } from './stack-environments-named';
import { TamperDetectionPresent } from './tamper-detection-present';
import { ThreatProtectionPresent } from './threat-protection-present';
import { TrailCoversPhiBuckets } from './trail-covers-phi-buckets';
import { PhiTaskRolesVpcBound } from './phi-task-roles-vpc-bound';
import { PhiObjectEventsStayInside } from './phi-object-events-stay-inside';
import { AlarmsReachSubscribers } from './alarms-reach-subscribers';
import { AllowListsAsConfigured } from './allow-lists-as-configured';
import { RolesMayNotTamper } from './roles-may-not-tamper';
import { RdsExportLogGroupsPresent } from './rds-export-log-groups-present';
import { PhiVpcEgressAsConfigured } from './phi-vpc-egress-as-configured';
import { PhiDatabaseIngressFromGroups } from './phi-database-ingress-from-groups';
import { SessionPreferencesPresent } from './session-preferences-present';

export * from './assembly-rule';

/** The project's assembly rules: what only the whole set of stacks shows. Every rule has a test that makes it fire. */
export const ASSEMBLY_RULES: readonly AssemblyRule[] = [
  StackEnvironmentsNamed,
  ReplicaBootstrapAlone,
  PhiStoreKeyDomain,
  DataTierNetworkAcl,
  PhiDatabaseIngressFromGroups,
  EcsServicesInApplicationTier,
  PhiTaskRolesVpcBound,
  PhiObjectEventsStayInside,
  AllowListsAsConfigured,
  RolesMayNotTamper,
  NoPhiVpcInterconnect,
  PhiVpcEgressAsConfigured,
  InterfaceEndpointsPresent,
  VpcFlowLogsComplete,
  LoadBalancerWebAcl,
  DetectionServicesPresent,
  FindingAlertsPresent,
  SecurityAlarmsPresent,
  AlarmsReachSubscribers,
  TrailCoversPhiBuckets,
  AccessAuditChannel,
  TamperDetectionPresent,
  RestoreTestingCoversPhiBackups,
  RestoreTestsValidated,
  BackupCopiedToLockedVault,
  PhiBackupsMeetFloors,
  ThreatProtectionPresent,
  FindingsArchivePresent,
  CriticalFindingAgeAlarm,
  ReplicationMonitored,
  LogDestinationsMarked,
  RdsExportLogGroupsPresent,
  SessionPreferencesPresent,
  PacksSeeOverrides,
  AssemblyDeploysAsChecked,
];

/** Result of running every assembly rule. */
export interface AssemblyCheckResult {
  readonly findings: readonly AssemblyFinding[];
  /** Things judged, summed over the rules. */
  readonly evaluations: number;
  /** Per rule: its name and what it judged and found. */
  readonly rules: readonly { readonly rule: AssemblyRule; readonly evaluated: number; readonly findings: number }[];
}

/**
 * A rule's evaluation, or, when it throws (a template shape its reader did not expect), a finding saying so: a rule
 * that did not run judged nothing, and the gate fails closed rather than pass without it.
 */
function checkedOrCrashed(
  rule: AssemblyRule,
  stacks: readonly AssemblyStack[],
  context: AssemblyContext,
): AssemblyEvaluation {
  try {
    return rule.check(stacks, context);
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    const stack = stacks[0];
    if (stack === undefined) throw e;
    return {
      evaluated: 0,
      findings: [
        finding(
          rule.name,
          'rule-failed',
          stack,
          undefined,
          `Rule ${rule.name} failed on this assembly (${message}) and judged nothing: the gate fails closed (V2)`,
        ),
      ],
    };
  }
}

/**
 * Runs every assembly rule over the stacks of one environment, or only the rules `only` names (each rule judges the
 * whole assembly on its own: its findings are the same either way).
 * @throws Error when `only` names a rule that does not exist
 */
export function runAssemblyRules(
  stacks: readonly AssemblyStack[],
  context: AssemblyContext = {},
  only?: readonly string[],
): AssemblyCheckResult {
  const unknown = (only ?? []).filter((name) => !ASSEMBLY_RULES.some((r) => r.name === name));
  if (unknown.length > 0) throw new Error(`no assembly rule named ${unknown.join(', ')}`);
  return withRunMemo(() => runRules(stacks, context, only));
}

function runRules(
  stacks: readonly AssemblyStack[],
  context: AssemblyContext,
  only: readonly string[] | undefined,
): AssemblyCheckResult {
  // Step 1 of a first deploy holds the replica stack only: presence rules wait for step 2, which runs them all. Only
  // that one stack, alone and as PhiReplicaBootstrapStage builds it, is step 1 (ReplicaBootstrapAlone): the
  // declaration in a template of a whole environment (a fork's edit) switched every presence rule off, the trail,
  // tamper and detection rules among them.
  const bootstrap = isReplicaBootstrapAssembly(stacks, context);
  const rules = ASSEMBLY_RULES.filter(
    (rule) => !(bootstrap && rule.presence) && (only === undefined || only.includes(rule.name)),
  ).map((rule) => ({
    rule,
    ...checkedOrCrashed(rule, stacks, context),
  }));
  return {
    findings: rules.flatMap((r) => r.findings),
    evaluations: rules.reduce((n, r) => n + r.evaluated, 0),
    rules: rules.map((r) => ({ rule: r.rule, evaluated: r.evaluated, findings: r.findings.length })),
  };
}
