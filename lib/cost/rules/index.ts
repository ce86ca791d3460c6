import { COMPUTE_RULES } from './compute-rules';
import { DATABASE_RULES } from './database-rules';
import { LOAD_BALANCER_RULES } from './load-balancer-rules';
import { MONITORING_RULES } from './monitoring-rules';
import { NETWORK_RULES } from './network-rules';
import { RuleSet } from './pricing-rule';
import { SECURITY_RULES } from './security-rules';
import { STORAGE_MESSAGING_RULES } from './storage-messaging-rules';

export * from './free-types';
export * from './pricing-rule';
export { ANOMALY_ALARM_METRICS, alarmMetrics } from './monitoring-rules';
export { IDLE_ALB_ASSUMPTION } from './load-balancer-rules';
export { PERFORMANCE_INSIGHTS_FREE_DAYS } from './database-rules';
export { FARGATE_INCLUDED_STORAGE_GB } from './compute-rules';

/** Every pricing rule, by resource type. */
export const PRICING_RULES: RuleSet = {
  ...NETWORK_RULES,
  ...LOAD_BALANCER_RULES,
  ...DATABASE_RULES,
  ...SECURITY_RULES,
  ...MONITORING_RULES,
  ...COMPUTE_RULES,
  ...STORAGE_MESSAGING_RULES,
};
