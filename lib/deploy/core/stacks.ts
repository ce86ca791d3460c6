import {
  BlueprintConfig,
  hasDetectionStack,
  hasReplicaDetectionStack,
  macieJobName,
  stackName as nameOfStack,
  stackPath,
  STACK_SUFFIXES,
  StackKey,
} from '../../config';
import { pascalCase } from '../../config/rules';

export { macieJobName, STACK_SUFFIXES };

/**
 * Every stack name, stack output name and fixed physical name the deploy commands rely on, in one
 * place: when a stack or output is renamed, this is the one file to change (test/deploy/stacks.test.ts
 * pins it against a synthesized blueprint).
 */

/** A stack of the blueprint by role. */
export type StackRole = StackKey;

/** The roles in dependency order (the order `cdk deploy --all` deploys them in). */
export const STACK_ROLES: readonly StackRole[] = [
  'keys',
  'network',
  'alerting',
  'data',
  // After the data stack (its replication back to the PHI bucket) and before the audit stack (the audit
  // archive replicates to the audit replica bucket it holds).
  'phiReplica',
  'audit',
  'detection',
  // In config.phiBucket.replicaRegion: after phiReplica (its audit replica key) and detection (the Config
  // service-linked role).
  'replicaDetection',
  'app',
];

/** A stack of one environment: its CloudFormation name and region. */
export interface StackRef {
  readonly role: StackRole;
  readonly stackName: string;
  readonly region: string;
}

/** The CloudFormation name of a stack of this environment. */
export function stackName(config: BlueprintConfig, role: StackRole): string {
  return nameOfStack(config, role);
}

/**
 * Region of a stack: the PHI replica and the replica-region detection live in config.phiBucket.replicaRegion, every
 * other stack in config.region.
 */
export function stackRegion(config: BlueprintConfig, role: StackRole): string {
  return role === 'phiReplica' || role === 'replicaDetection' ? config.phiBucket.replicaRegion : config.region;
}

/** A stack of this environment by role. */
export function stackRef(config: BlueprintConfig, role: StackRole): StackRef {
  return { role, stackName: stackName(config, role), region: stackRegion(config, role) };
}

/**
 * Every stack the environment may have (the detection stacks are absent when their detection switches are off).
 */
export function allStackRefs(config: BlueprintConfig): StackRef[] {
  return STACK_ROLES.map((role) => stackRef(config, role));
}

/**
 * What the normal deploy takes: every stack (`--all`) when the environment has a domain; otherwise the construct
 * paths of every stack the app synthesizes except the app stack, whose HTTPS listener cannot be created without a
 * certificate (preflight warns; the summary says what to set; a later deploy with a domain adds it).
 */
export function deployStackSelection(config: BlueprintConfig): 'all' | string[] {
  if (config.domain) return 'all';
  return STACK_ROLES.filter(
    (role) =>
      role !== 'app' &&
      (role !== 'detection' || hasDetectionStack(config.detection, config.sharesAccountWith)) &&
      (role !== 'replicaDetection' || hasReplicaDetectionStack(config.detection)),
  ).map((role) => stackPath(config.envName, role));
}

/** A stack output the commands read (CloudFormation DescribeStacks). */
export interface OutputRef {
  readonly role: StackRole;
  readonly outputName: string;
}

/** The outputs the deploy and verify commands read. */
export const OUTPUTS = {
  /** Keys stack: ARN of the operations key (RDSOSMetrics encryption). */
  operationsKeyArn: { role: 'keys', outputName: 'OperationsKeyArn' },
  /** Alerting stack: the security alert topic (summary). */
  alertTopicArn: { role: 'alerting', outputName: 'AlertTopicArn' },
  /** Audit stack: the Object Lock audit archive (verify U2). */
  auditArchiveBucketName: { role: 'audit', outputName: 'AuditArchiveBucketName' },
  /** Audit stack: the CloudTrail trail (verify U1). */
  trailArn: { role: 'audit', outputName: 'TrailArn' },
  /** Data stack: the PHI bucket in config.region (Macie job, verify I1). */
  phiBucketName: { role: 'data', outputName: 'PhiBucketName' },
  /** App stack: the load balancer's DNS name (summary: point the domain at it). */
  loadBalancerDnsName: { role: 'app', outputName: 'LoadBalancerDnsName' },
  /** App stack: https://<domain>/ (summary). */
  applicationUrl: { role: 'app', outputName: 'ApplicationUrl' },
  /** App stack: the Cognito user pool (summary: create users). */
  userPoolId: { role: 'app', outputName: 'UserPoolId' },
  /** App stack: present only when the stack cannot deploy as configured (no domain). */
  deployRequires: { role: 'app', outputName: 'DeployRequires' },
} as const satisfies Record<string, OutputRef>;

/**
 * App stack: where to push the images of a service that runs an image tag (`<PascalName>RepositoryUri`;
 * the repository has no fixed name). Services built from a directory have none.
 */
export function serviceRepositoryOutput(serviceName: string): OutputRef {
  return { role: 'app', outputName: `${pascalCase(serviceName)}RepositoryUri` };
}

/** The log group RDS enhanced monitoring writes to: one per account and region, created by RDS. */
export const RDS_OS_METRICS_LOG_GROUP = 'RDSOSMetrics';

/** The account-wide Session Manager preferences document the app stack creates. */
export const SESSION_MANAGER_DOCUMENT = 'SSM-SessionManagerRunShell';

/** Where config is edited, for messages that name a config switch. */
export const CONFIG_FILE = 'lib/config/environments.ts';
