import { BlueprintConfig } from '../../config';
import { AwsClients } from '../core/aws-clients';
import { OutputRef } from '../core/stacks';

/** How a post-deploy step ended: it acted, it found the work done, it must wait, or it failed. */
export type PostDeployStatus = 'done' | 'already done' | 'pending' | 'failed';

/** The outcome of one post-deploy step. */
export interface PostDeployResult {
  readonly step: string;
  readonly status: PostDeployStatus;
  /** What was found and done, or what is left (and how). */
  readonly detail: string;
}

/** What a post-deploy step gets. */
export interface PostDeployContext {
  readonly config: BlueprintConfig;
  readonly clients: AwsClients;
  /** A stack output of the environment, read after the deploy (undefined if the stack does not emit it). */
  readonly output: (ref: OutputRef) => string | undefined;
}

/**
 * A step CloudFormation cannot express, run after every deploy: idempotent (checks first, acts only
 * when needed, says "already done" otherwise).
 */
export interface PostDeployStep {
  readonly name: string;
  readonly run: (ctx: PostDeployContext) => Promise<PostDeployResult>;
}
