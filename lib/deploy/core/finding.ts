/** How bad a preflight finding is: an error stops the deploy, a warning is printed and the deploy goes on. */
export type FindingLevel = 'error' | 'warning';

/** One result of a preflight check: what is wrong and exactly what to do about it. */
export interface Finding {
  readonly level: FindingLevel;
  /** The check that produced it (e.g. 'bootstrap'), for the report. */
  readonly check: string;
  /** What is wrong, and the command or config switch that fixes it. */
  readonly message: string;
}

/** An error finding of a check. */
export function error(check: string, message: string): Finding {
  return { level: 'error', check, message };
}

/** A warning finding of a check. */
export function warning(check: string, message: string): Finding {
  return { level: 'warning', check, message };
}

/** Whether any finding stops the deploy. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.level === 'error');
}
