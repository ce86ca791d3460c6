import { literalNumber, RuleLine, show } from '../core/rule-context';
import { props, RuleSet } from './pricing-rule';

/** Retention Performance Insights keeps for free (days). */
export const PERFORMANCE_INSIGHTS_FREE_DAYS = 7;

/** Template engine name -> price-table engine key. */
const ENGINES: Readonly<Record<string, string>> = { postgres: 'postgres' };

/**
 * RDS DB instances: instance-hours by engine and class and allocated storage, both doubled for
 * Multi-AZ (a standby instance with its own storage); Performance Insights; the RDS-managed master
 * secret (a Secrets Manager secret); enhanced monitoring, log exports and backup storage as usage.
 */
export const DATABASE_RULES: RuleSet = {
  'AWS::RDS::DBInstance': (r, ctx) => {
    const p = props(r);
    const engine = typeof p.Engine === 'string' ? ENGINES[p.Engine] : undefined;
    if (!engine) return { notPriced: `Engine = ${show(p.Engine)}: no price table entries for this engine` };
    const cls = p.DBInstanceClass;
    const instanceId = `rds.${engine}.${String(cls)}.hour`;
    if (typeof cls !== 'string' || !ctx.prices.has(instanceId)) {
      return { notPriced: `DBInstanceClass = ${show(cls)}: no price '${instanceId}' in the table` };
    }
    const multiAz = p.MultiAZ === true || p.MultiAZ === 'true';
    const copies = multiAz ? 2 : 1;
    const az = multiAz ? 'Multi-AZ: primary + standby' : 'Single-AZ';
    const storageType = typeof p.StorageType === 'string' ? p.StorageType : 'gp2';
    const storageId = `rds.storage.${storageType}.gbMonth`;
    if (!ctx.prices.has(storageId))
      return { notPriced: `StorageType = ${show(p.StorageType)}: no price '${storageId}'` };
    const gb = literalNumber(p.AllocatedStorage);
    if (gb === undefined) return { notPriced: `AllocatedStorage = ${show(p.AllocatedStorage)}: not a number` };

    const lines: RuleLine[] = [
      ctx.line({
        category: 'RDS instance',
        billed: `${engine} ${cls} (${az})`,
        priceId: instanceId,
        quantity: copies * ctx.hours,
        quantityText: `${copies} x ${ctx.hours} h`,
      }),
      ctx.line({
        category: 'RDS storage',
        billed: `${storageType} storage ${gb} GB (${az})`,
        priceId: storageId,
        quantity: copies * gb,
        quantityText: `${copies} x ${gb} GB-month`,
      }),
    ];
    if (p.EnablePerformanceInsights === true || p.EnablePerformanceInsights === 'true') {
      const days = literalNumber(p.PerformanceInsightsRetentionPeriod) ?? PERFORMANCE_INSIGHTS_FREE_DAYS;
      if (days > PERFORMANCE_INSIGHTS_FREE_DAYS) {
        return {
          notPriced:
            `PerformanceInsightsRetentionPeriod = ${days}: retention beyond ${PERFORMANCE_INSIGHTS_FREE_DAYS} days is billed per vCPU-month ` +
            `and the table has no confirmed price for it (rds.performanceInsights.longTermRetention)`,
        };
      }
      lines.push(
        ctx.line({
          category: 'RDS Performance Insights',
          billed: `Performance Insights, ${days} days retention (free tier)`,
          priceId: 'rds.performanceInsights.freeTier',
          quantity: 1,
          quantityText: '1 instance',
        }),
      );
    }
    if (p.ManageMasterUserPassword === true || p.ManageMasterUserPassword === 'true') {
      lines.push(
        ctx.line({
          category: 'Secrets Manager secrets',
          billed: 'RDS-managed master user secret',
          priceId: 'secretsmanager.secret.month',
          quantity: 1,
          quantityText: '1 secret-month',
        }),
      );
    }
    const usage = [
      ctx.usage(
        'rds.backupStorage.gbMonth',
        'Amazon RDS',
        'backup storage beyond the allocated storage',
        `automated backups (BackupRetentionPeriod ${show(p.BackupRetentionPeriod)} days) and snapshots`,
      ),
    ];
    const monitoring = literalNumber(p.MonitoringInterval) ?? 0;
    if (monitoring > 0) {
      usage.push(
        ctx.usage(
          'cloudwatch.logs.ingestionGb',
          'Amazon CloudWatch Logs',
          'log ingestion',
          `enhanced monitoring every ${monitoring} s (RDSOSMetrics log group)`,
        ),
      );
    }
    if (Array.isArray(p.EnableCloudwatchLogsExports) && p.EnableCloudwatchLogsExports.length > 0) {
      usage.push(
        ctx.usage(
          'cloudwatch.logs.ingestionGb',
          'Amazon CloudWatch Logs',
          'log ingestion',
          `database log exports (${p.EnableCloudwatchLogsExports.join(', ')})`,
        ),
      );
    }
    return { lines, usage };
  },
};
