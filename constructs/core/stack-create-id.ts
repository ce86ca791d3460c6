import { Aws, Fn } from 'aws-cdk-lib';

/** Length of stackCreateId(): the first group of the stack id's UUID, 8 hex digits. */
export const STACK_CREATE_ID_LENGTH = 8;

/**
 * A suffix unique to one creation of the stack, for the physical name of a resource that outlives its stack
 * (Retain) and must have a name (CloudFormation requires one, or the service dictates a prefix): the first
 * group of the UUID in `AWS::StackId` (`arn:...:stack/<name>/<uuid>`), resolved by CloudFormation at deploy
 * time. The template stays deterministic; the value is fixed for the life of the stack (updates never
 * rename, so never replace, the resource), and a stack created again after a failed first create gets a new
 * one, so the retry does not collide with what the failed attempt left behind ("already exists").
 */
export function stackCreateId(): string {
  return Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))));
}

/** Whether a resolved template value is derived from `AWS::StackId` (a name unique to each stack creation). */
export function derivesFromStackId(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes('"Ref":"AWS::StackId"');
}
