import { describeError } from './core/sdk-error';

/**
 * An unexpected failure inside one step of a command: printed as one line naming the step and the
 * SDK error (name and message), never a stack trace.
 */
export class StepError extends Error {
  constructor(
    public readonly step: string,
    public override readonly cause: unknown,
  ) {
    super(`step '${step}' failed: ${describeError(cause)}`);
    this.name = 'StepError';
  }
}
