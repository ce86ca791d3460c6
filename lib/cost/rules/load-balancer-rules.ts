import { literalNumber, show } from '../core/rule-context';
import { plural, props, RuleSet } from './pricing-rule';

/**
 * Idle ALB assumption: LCUs are billed on what the load balancer consumes each hour and an ALB has
 * no minimum LCU charge, so an idle ALB (health checks only) is estimated at 0 LCU; LCUs are listed
 * as usage. Only a reserved floor (MinimumLoadBalancerCapacity.CapacityUnits) is billed as fixed.
 */
export const IDLE_ALB_ASSUMPTION =
  'idle ALB: 0 LCU assumed (no minimum LCU charge without MinimumLoadBalancerCapacity); LCUs are listed as usage';

/** Application load balancers: hourly charge, reserved LCU floor, public IPv4 addresses. */
export const LOAD_BALANCER_RULES: RuleSet = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': (r, ctx) => {
    const p = props(r);
    const type = p.Type ?? 'application';
    if (type !== 'application') {
      return { notPriced: `Type = ${show(type)}: only application load balancers are priced` };
    }
    const lines = [
      ctx.line({
        category: 'Application load balancer',
        billed: 'application load balancer',
        priceId: 'elb.alb.hour',
        quantity: ctx.hours,
        quantityText: `${ctx.hours} h`,
        note: IDLE_ALB_ASSUMPTION,
      }),
    ];
    const floor = p.MinimumLoadBalancerCapacity as { CapacityUnits?: unknown } | undefined;
    if (floor !== undefined) {
      const units = literalNumber(floor.CapacityUnits);
      if (units === undefined) {
        return { notPriced: `MinimumLoadBalancerCapacity.CapacityUnits = ${show(floor.CapacityUnits)}: not a number` };
      }
      lines.push(
        ctx.line({
          category: 'Application load balancer',
          billed: `reserved LCU floor (${units} LCU)`,
          priceId: 'elb.alb.lcuHour',
          quantity: units * ctx.hours,
          quantityText: `${units} LCU x ${ctx.hours} h`,
          note: 'reserved capacity billed at the LCU-hour price (assumed)',
        }),
      );
    }
    if ((p.Scheme ?? 'internet-facing') === 'internet-facing') {
      const subnets = Array.isArray(p.Subnets)
        ? p.Subnets.length
        : Array.isArray(p.SubnetMappings)
          ? p.SubnetMappings.length
          : 0;
      if (subnets === 0) {
        return { notPriced: `Subnets = ${show(p.Subnets)}: need a literal list to count the public IPv4 addresses` };
      }
      lines.push(
        ctx.line({
          category: 'Public IPv4 addresses',
          billed: `public IPv4 addresses of the internet-facing ALB (${plural(subnets, 'AZ')})`,
          priceId: 'vpc.publicIpv4.hour',
          quantity: subnets * ctx.hours,
          quantityText: `${subnets} address x ${ctx.hours} h`,
          note: 'one address per AZ while idle; the ALB adds nodes (and addresses) under load',
        }),
      );
    }
    return {
      lines,
      usage: [
        ctx.usage(
          'elb.alb.lcuHour',
          'Elastic Load Balancing',
          'ALB capacity units (LCU)',
          'new and active connections, GB processed, rule evaluations per hour',
        ),
      ],
    };
  },
};
