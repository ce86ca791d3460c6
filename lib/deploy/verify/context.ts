import { BlueprintConfig } from '../../config';
import { AwsClients } from '../core/aws-clients';
import { DeployedState } from '../core/deployed-state';
import { OutputRef, stackName } from '../core/stacks';

/** The runtime state of one safeguard check. */
export type VerifyStatus = 'PASS' | 'FAIL' | 'WARN';

/** One row of the verify table. */
export interface VerifyRow {
  /** Safeguard id of SAFEGUARDS.md (U1, E1, ...). */
  readonly safeguard: string;
  readonly check: string;
  readonly status: VerifyStatus;
  readonly detail: string;
}

/** What every verify check gets. Verify only reads: Get*, Describe*, List*, BatchGet*, Lookup* calls. */
export interface VerifyContext {
  readonly config: BlueprintConfig;
  readonly clients: AwsClients;
  /** Every stack of the environment as CloudFormation has it now. */
  readonly deployed: DeployedState;
  readonly now: Date;
}

/** One verify check: reads AWS, returns rows. */
export type VerifyCheck = (ctx: VerifyContext) => Promise<VerifyRow[]>;

/** A stack output of the environment, if its stack is deployed and emits it. */
export function outputOf(ctx: VerifyContext, ref: OutputRef): string | undefined {
  return ctx.deployed.get(stackName(ctx.config, ref.role))?.outputs[ref.outputName];
}
