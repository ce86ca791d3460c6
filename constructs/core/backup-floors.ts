/**
 * Safeguard I1 floors and the AWS limits around them (days). Config validation, the database and the
 * backup constructs read them from here.
 */

/** RDS automated backups: AWS allows 1-35 days. */
export const RDS_MAX_BACKUP_RETENTION_DAYS = 35;
/** Safeguard I1: at least 35 days of point-in-time recovery. */
export const MIN_PITR_DAYS = 35;
/** Continuous backups in AWS Backup are kept at most 35 days. */
export const MAX_CONTINUOUS_BACKUP_DAYS = 35;
/** The monthly recovery points are kept at least a year. */
export const MIN_MONTHLY_BACKUP_DAYS = 365;
/**
 * Longest grace period (ChangeableForDays) of a production vault lock: until it ends, the lock can be removed
 * (backup:DeleteBackupVaultLockConfiguration), as in governance mode. The blueprint sets the AWS minimum, 3 days.
 */
export const MAX_VAULT_LOCK_GRACE_DAYS = 30;
