import { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { AssemblyStack, SynthesizedAssembly, TemplateResource } from '../../lib/deploy/core/assembly';
import { AwsClients } from '../../lib/deploy/core/aws-clients';
import { CdkRunner } from '../../lib/deploy/cdk-runner';
import { DeployedResource, DeployedStack, DeployedState } from '../../lib/deploy/core/deployed-state';
import { PreflightContext } from '../../lib/deploy/preflight/context';
import { Reporter } from '../../lib/deploy/reporter';
import { BlueprintConfig } from '../../lib/config';
import { TEST_ACCOUNT } from './blueprint';

/** A local address that refuses connections (the discard port): where an unmocked call goes. */
export const NO_AWS_ENDPOINT = 'http://127.0.0.1:9';

/**
 * Clients with fixed fake credentials, one attempt per call and an endpoint that refuses connections:
 * a call no mock answers can neither read the real credential chain nor reach AWS.
 */
export function fakeClients(): AwsClients {
  return new AwsClients({
    credentials: { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-only-secret' },
    maxAttempts: 1,
    endpoint: NO_AWS_ENDPOINT,
  });
}

/**
 * A CommandDeps.checkAssembly that records each call and answers `code` (0: clean) with a report's last line, for
 * commands whose synth is recorded, not run (the real check is tested on real assemblies in
 * test/deploy/synth-phase.test.ts).
 */
export function recordingCheck(code = 0): {
  calls: Array<{ directory: string; envName: string }>;
  check: (directory: string, envName: string, out: (line: string) => void) => number;
} {
  const calls: Array<{ directory: string; envName: string }> = [];
  return {
    calls,
    check: (directory, envName, out) => {
      calls.push({ directory, envName });
      out(code === 0 ? `${directory}: clean; 0 acknowledgement(s) honoured` : `${directory}: 1 finding(s)`);
      return code;
    },
  };
}

/** A reporter that keeps every line. */
export function captureReporter(): Reporter & { lines: string[]; errors: string[]; all(): string } {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    line: (t) => lines.push(t),
    error: (t) => errors.push(t),
    all: () => [...lines, ...errors].join('\n'),
  };
}

/**
 * A CdkRunner that records each call and answers with the given exit codes (0 once they run out);
 * `onRun` lets a test change the fake world as if CDK had deployed.
 */
export function recordingRunner(
  codes: number[] = [],
  onRun: (args: readonly string[]) => void = () => undefined,
): CdkRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run: async (args) => {
      calls.push([...args]);
      onRun(args);
      return codes.shift() ?? 0;
    },
  };
}

/** An SDK-style error (name, message, HTTP status). */
export function sdkError(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

/** A stack of a hand-made assembly. */
export function assemblyStack(
  stackName: string,
  region: string,
  resources: Record<string, TemplateResource>,
  extra: Partial<AssemblyStack> = {},
): AssemblyStack {
  return {
    artifactId: stackName,
    stackName,
    // As the CDK CLI names HipaaStage's stacks: hipaa-prod-phi-replica -> Prod/PhiReplica.
    displayName: `Prod/${stackName
      .replace(/^hipaa-prod-/, '')
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('')}`,
    account: TEST_ACCOUNT,
    region,
    template: { Resources: resources },
    requiresBootstrapStackVersion: 6,
    bootstrapStackVersionSsmParameter: '/cdk-bootstrap/hnb659fds/version',
    terminationProtection: true,
    ...extra,
  };
}

/** A hand-made assembly. */
export function assembly(...stacks: AssemblyStack[]): SynthesizedAssembly {
  return { directory: '/nonexistent/cdk.out', stacks };
}

/** A deployed stack with resources `[logicalId, type, physicalId, status?]`. */
export function deployedStack(
  stackName: string,
  region: string,
  resources: Array<[string, string, string?, string?]> = [],
  extra: Partial<DeployedStack> = {},
): DeployedStack {
  return {
    stackName,
    region,
    status: 'CREATE_COMPLETE',
    terminationProtection: true,
    outputs: {},
    resources: resources.map(([logicalId, type, physicalId, status]): DeployedResource => ({
      logicalId,
      type,
      physicalId,
      status: status ?? 'CREATE_COMPLETE',
    })),
    ...extra,
  };
}

/** Deployed state from stacks. */
export function deployedState(...stacks: DeployedStack[]): DeployedState {
  return new Map(stacks.map((s) => [s.stackName, s]));
}

/** ListStackResources summaries of a deployed stack (for CloudFormation mocks). */
export function resourceSummaries(stack: DeployedStack): StackResourceSummary[] {
  return stack.resources.map((r) => ({
    LogicalResourceId: r.logicalId,
    ResourceType: r.type,
    PhysicalResourceId: r.physicalId,
    ResourceStatus: r.status as StackResourceSummary['ResourceStatus'],
    LastUpdatedTimestamp: new Date(0),
  }));
}

/** The region a mocked client was created for (aws-sdk-client-mock `callsFake` getClient). */
export async function regionOf(getClient: () => { config: { region: unknown } }): Promise<string> {
  const region = getClient().config.region;
  return typeof region === 'function' ? await (region as () => Promise<string>)() : (region as string);
}

/** Names a config stack by suffix: `${appName}-${envName}-<suffix>`. */
export function nameOf(config: BlueprintConfig, suffix: string): string {
  return `${config.appName}-${config.envName}-${suffix}`;
}

/** A preflight context over a test config, a hand-made assembly and deployed state; notes are kept. */
export function preflightContext(
  config: BlueprintConfig,
  overrides: Partial<PreflightContext> = {},
): PreflightContext & { notes: string[] } {
  const notes: string[] = [];
  return {
    config,
    clients: fakeClients(),
    identity: { account: TEST_ACCOUNT, arn: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/Deployer/session` },
    assembly: assembly(),
    deployed: deployedState(),
    createServiceLinkedRoles: false,
    docker: { probe: async () => ({ available: true, serverVersion: '27.0.0' }) },
    note: (line) => notes.push(line),
    notes,
    ...overrides,
  };
}
