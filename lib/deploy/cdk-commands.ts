/** The CDK CLI arguments of each step (after `npx cdk`), in one place. */

/** Where the synth step writes the cloud assembly, relative to the project directory. */
export const ASSEMBLY_DIR = 'cdk.out';

/** Synth through the compliance gate: a failed gate exits non-zero and writes no template. */
export function synthArgs(envName: string): string[] {
  return ['synth', '-c', `env=${envName}`, '--quiet', '--output', ASSEMBLY_DIR];
}

/** Where the replica bootstrap's synth writes its cloud assembly (inside ASSEMBLY_DIR, which git ignores). */
export const REPLICA_BOOTSTRAP_DIR = `${ASSEMBLY_DIR}/replica-bootstrap`;

/**
 * Step 1 of a first deploy, its synth through the compliance gate: only the PHI replica stack, its bucket without
 * replication (the PHI bucket, its replication destination, does not exist yet).
 */
export function replicaBootstrapSynthArgs(envName: string): string[] {
  return [
    'synth',
    '-c',
    `env=${envName}`,
    '-c',
    'phiReplicaBootstrap=true',
    '--quiet',
    '--output',
    REPLICA_BOOTSTRAP_DIR,
  ];
}

/**
 * Step 1 of a first deploy: the assembly replicaBootstrapSynthArgs wrote and check-template passed (`--app DIR`:
 * the CDK CLI deploys a cloud assembly directory as it is, without running the app again).
 */
export function replicaBootstrapArgs(): string[] {
  return ['deploy', '--app', REPLICA_BOOTSTRAP_DIR, '--all', '--require-approval', 'broadening'];
}

/**
 * The normal deploy of every stack (`stacks` 'all'), or of the stacks named by their construct paths (e.g.
 * `Dev/Keys`, what the CDK CLI selects by), from the assembly the synth step wrote and check-template passed
 * (`--app cdk.out`: the CDK CLI deploys it as it is, without running the app again, so what deploys is what was
 * checked). `--require-approval broadening` stops for a human on any IAM or
 * security-group widening. `force`: every stack is updated even when its template did not change, so
 * consumers re-read weak cross-stack references (Fn::GetStackOutput), which CloudFormation resolves
 * only when the consuming stack is created or updated.
 */
export function deployArgs(outputsFile: string, force: boolean, stacks: 'all' | readonly string[] = 'all'): string[] {
  return [
    'deploy',
    '--app',
    ASSEMBLY_DIR,
    ...(stacks === 'all' ? ['--all'] : stacks),
    '--require-approval',
    'broadening',
    '--outputs-file',
    outputsFile,
    ...(force ? ['--force'] : []),
  ];
}

/**
 * `cdk diff` of every stack, the replica stack in its region included. No `--all`: `cdk diff` already
 * diffs every stack when none is named, and CDK CLI 2.1148 warns that it ignores `--all` there.
 */
export function diffArgs(envName: string): string[] {
  return ['diff', '-c', `env=${envName}`];
}

/** The outputs file the normal deploy writes (inside the assembly directory). */
export function outputsFile(envName: string): string {
  return `${ASSEMBLY_DIR}/${envName}-outputs.json`;
}
