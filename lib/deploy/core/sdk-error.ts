/** Helpers to read AWS SDK v3 errors without trusting their shape (anything can be thrown). */

/** The SDK error name (exception class or error code), or 'Error' for anything else. */
export function errorName(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const o = e as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof o.name === 'string' && o.name !== 'Error') return o.name;
    if (typeof o.Code === 'string') return o.Code;
    if (typeof o.code === 'string') return o.code;
    if (typeof o.name === 'string') return o.name;
  }
  return 'Error';
}

/** The first line of the error's message (no stack), at most 300 characters. */
export function errorMessage(e: unknown): string {
  const message = typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : e;
  const text = typeof message === 'string' ? message : String(message ?? '');
  const first = text.split('\n')[0].trim();
  return first.length > 300 ? `${first.slice(0, 297)}...` : first;
}

/** `Name: message` on one line, for reports. */
export function describeError(e: unknown): string {
  const name = errorName(e);
  const message = errorMessage(e);
  return message && message !== name ? `${name}: ${message}` : name;
}

/** Whether the error has one of these names (exception class name or error code). */
export function isError(e: unknown, ...names: readonly string[]): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { name?: unknown; Code?: unknown; code?: unknown };
  return names.some((n) => o.name === n || o.Code === n || o.code === n);
}

/** The HTTP status of an SDK error, if it has one. */
export function httpStatus(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const status = (e as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Whether the error says the caller may not make this call. */
export function isAccessDenied(e: unknown): boolean {
  return isError(e, 'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError');
}
