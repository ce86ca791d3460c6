/** Why an access-audit event was not recorded. */
export type AccessAuditFailure =
  /** The event broke the format (a programming error): it was refused and not sent. */
  | 'invalid-event'
  /** The sink failed (throttled, unreachable, denied). */
  | 'sink-error'
  /** The sink did not answer within the writer's bound. */
  | 'timeout';

/**
 * An access-audit event could not be recorded. The caller must refuse the access (fail closed,
 * safeguard U5). The message names the failure and the fields or error class involved, never a
 * value of the event.
 */
export class AccessAuditError extends Error {
  constructor(
    public readonly failure: AccessAuditFailure,
    message: string,
    /** Class name of the sink's error, for sink-error (e.g. 'ServiceUnavailableException'). */
    public readonly causeName?: string,
  ) {
    super(message);
    this.name = 'AccessAuditError';
  }
}
