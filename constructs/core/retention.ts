import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * The one retention policy of the blueprint (safeguard U3, HIPAA 164.316(b)(2)(i)): six years.
 * Every log group, log bucket lifecycle and audit lock takes its retention from a `RetentionPolicy`,
 * and no value below this floor is accepted anywhere (config validation, construct props, project rule).
 */
export const HIPAA_MIN_RETENTION_DAYS = 2192;

/** The retention values CloudWatch Logs accepts (days); a log group cannot use any other value. */
export const CLOUDWATCH_LOGS_RETENTION_VALUES: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Object Lock modes for the audit archive. */
export type AuditLockMode = 'COMPLIANCE' | 'GOVERNANCE';

/** Retention for every log and audit store, from config. Config may lengthen, never shorten. */
export interface RetentionPolicy {
  /** Days every CloudWatch log group keeps events; one of CLOUDWATCH_LOGS_RETENTION_VALUES, >= 2192. */
  readonly logRetentionDays: number;
  /** Default Object Lock retention of the audit archive, in days; >= 2192. */
  readonly auditRetentionDays: number;
  /** Object Lock mode of the audit archive: COMPLIANCE everywhere but a non-production env that says so. */
  readonly auditLockMode: AuditLockMode;
}

/** Problems with a retention policy, each naming field, value and rule (empty when valid). */
export function retentionProblems(policy: RetentionPolicy, fieldPrefix = 'retention'): string[] {
  const problems: string[] = [];
  const logDays = policy.logRetentionDays;
  if (!Number.isInteger(logDays) || logDays < HIPAA_MIN_RETENTION_DAYS) {
    problems.push(
      `${fieldPrefix}.logRetentionDays = ${String(logDays)}: must be at least ${HIPAA_MIN_RETENTION_DAYS} days (six years, HIPAA 164.316(b)(2)(i))`,
    );
  } else if (!CLOUDWATCH_LOGS_RETENTION_VALUES.includes(logDays)) {
    problems.push(
      `${fieldPrefix}.logRetentionDays = ${logDays}: must be a value CloudWatch Logs accepts (${CLOUDWATCH_LOGS_RETENTION_VALUES.filter((d) => d >= HIPAA_MIN_RETENTION_DAYS).join(', ')})`,
    );
  }
  const auditDays = policy.auditRetentionDays;
  if (!Number.isInteger(auditDays) || auditDays < HIPAA_MIN_RETENTION_DAYS) {
    problems.push(
      `${fieldPrefix}.auditRetentionDays = ${String(auditDays)}: must be at least ${HIPAA_MIN_RETENTION_DAYS} days (six years, HIPAA 164.316(b)(2)(i))`,
    );
  }
  if (policy.auditLockMode !== 'COMPLIANCE' && policy.auditLockMode !== 'GOVERNANCE') {
    problems.push(`${fieldPrefix}.auditLockMode = ${String(policy.auditLockMode)}: must be COMPLIANCE or GOVERNANCE`);
  }
  return problems;
}

/** Throws if the policy is weaker than the floor; constructs call this so props cannot lower it. */
export function assertRetention(policy: RetentionPolicy, owner: string): void {
  const problems = retentionProblems(policy);
  if (problems.length > 0) {
    throw new Error(`${owner}: invalid retention policy:\n  - ${problems.join('\n  - ')}`);
  }
}

/** The CloudWatch Logs retention enum for the policy's log retention. */
export function logRetentionOf(policy: RetentionPolicy): RetentionDays {
  return policy.logRetentionDays as RetentionDays;
}
