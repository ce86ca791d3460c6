/** Errors of the provisioner whose messages are safe to log and to return to CloudFormation. */

/** A failure whose message is ours: step labels, identifiers and error codes only, never a value. */
export class StepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepError';
  }
}

/** An error code safe to report: SQLSTATE, Node/OpenSSL codes (ERR_TLS_..., ECONNREFUSED) or an SDK error name. */
export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown } | undefined;
  for (const candidate of [e?.code, e?.name]) {
    if (typeof candidate === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(candidate)) return candidate;
  }
  return 'UnknownError';
}
