import { readFileSync } from 'fs';
import { join } from 'path';
import { CfnResource, PriceBook, StackTemplate } from '../../lib/cost';

/** Round prices so expected dollars can be checked by hand; every other id keeps its table figure. */
export const FIXTURE_PRICES: Readonly<Record<string, number>> = {
  'vpc.natGateway.hour': 0.05,
  'vpc.publicIpv4.hour': 0.005,
  'privatelink.interfaceEndpoint.azHour': 0.01,
  'elb.alb.hour': 0.02,
  'elb.alb.lcuHour': 0.01,
  'rds.postgres.db.t4g.medium.hour': 0.1,
  'rds.storage.gp3.gbMonth': 0.1,
  'kms.key.month': 1,
  'secretsmanager.secret.month': 0.4,
  'waf.webAcl.month': 5,
  'waf.rule.month': 1,
  'cloudwatch.alarm.standard.metricMonth': 0.1,
  'cloudwatch.alarm.highResolution.metricMonth': 0.3,
  'cloudwatch.customMetric.month': 0.3,
  'cloudwatch.s3ReplicationMetric.month': 0.3,
  'fargate.linuxX86.vcpuHour': 0.04,
  'fargate.linuxX86.gbHour': 0.004,
  'fargate.linuxArm.vcpuHour': 0.03,
  'fargate.linuxArm.gbHour': 0.003,
};

/** The shipped table (730 h) with FIXTURE_PRICES substituted. */
export function fixturePrices(): PriceBook {
  const raw = JSON.parse(readFileSync(join(__dirname, '../../lib/cost/prices/us-east-1.json'), 'utf8')) as {
    prices: Record<string, { usd: number | null }>;
  };
  for (const [id, usd] of Object.entries(FIXTURE_PRICES)) {
    if (!raw.prices[id]) throw new Error(`fixture price ${id} is not in the shipped table`);
    raw.prices[id]!.usd = usd;
  }
  return PriceBook.parse(raw, 'fixture');
}

/** One stack of hand-written resources. */
export function stack(
  resources: Record<string, CfnResource>,
  region = 'us-east-1',
  name = 'Test/Stack',
): StackTemplate {
  return { stackName: 'test-stack', displayName: name, region, template: { Resources: resources } };
}
