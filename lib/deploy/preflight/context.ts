import { BlueprintConfig } from '../../config';
import { SynthesizedAssembly } from '../core/assembly';
import { AwsClients } from '../core/aws-clients';
import { DeployedState } from '../core/deployed-state';
import { Finding } from '../core/finding';
import { DockerProbe } from '../core/docker-probe';

/** Who the deploy credentials belong to (STS GetCallerIdentity). */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

/** What every preflight check gets: the validated config, the clients, and what is known so far. */
export interface PreflightContext {
  readonly config: BlueprintConfig;
  readonly clients: AwsClients;
  readonly identity: CallerIdentity;
  /** The synthesized assembly of this environment (the synth step ran first). */
  readonly assembly: SynthesizedAssembly;
  /** The environment's stacks as CloudFormation has them now. */
  readonly deployed: DeployedState;
  /**
   * AWS_REGION (or AWS_DEFAULT_REGION) of the shell, read by bin/.
   * @default - neither is set
   */
  readonly shellRegion?: string;
  /** `--create-service-linked-roles` was given. */
  readonly createServiceLinkedRoles: boolean;
  /** Whether Docker can build the image assets of services built from a directory. */
  readonly docker: DockerProbe;
  /** Prints one progress line (e.g. a role preflight created with consent). */
  readonly note: (line: string) => void;
}

/** One preflight check: reads AWS (read-only unless consent was given) and returns what is wrong. */
export type PreflightCheck = (ctx: PreflightContext) => Promise<Finding[]>;
