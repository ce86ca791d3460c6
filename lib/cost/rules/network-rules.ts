import { literalNumber, show } from '../core/rule-context';
import { plural, props, RuleSet } from './pricing-rule';

/** Short service name of an endpoint: 'com.amazonaws.us-east-1.ecr.api' -> 'ecr.api'. */
function endpointService(serviceName: unknown): string {
  if (typeof serviceName === 'string') return serviceName.replace(/^com\.amazonaws\.[a-z0-9-]+\./, '');
  const joined = JSON.stringify(serviceName ?? '');
  const m = /\.([a-z0-9.-]+)"\]\]\}$/.exec(joined);
  return m ? m[1]! : 'unknown service';
}

/** NAT gateways, VPC endpoints, Elastic IPs and flow logs. */
export const NETWORK_RULES: RuleSet = {
  'AWS::EC2::NatGateway': (r, ctx) => {
    const isPublic = (props(r).ConnectivityType ?? 'public') === 'public';
    const lines = [
      ctx.line({
        category: 'NAT gateways',
        billed: 'NAT gateway',
        priceId: 'vpc.natGateway.hour',
        quantity: ctx.hours,
        quantityText: `${ctx.hours} h`,
      }),
    ];
    // The address of a public NAT gateway is the Elastic IP its AllocationId names: priced on that EIP when the
    // template holds it (counted twice until the newcomer review of 2026-12-03), here when it is outside the template.
    const allocation = props(r).AllocationId as { 'Fn::GetAtt'?: unknown } | undefined;
    const getAtt = allocation?.['Fn::GetAtt'];
    const eipOfTemplate =
      Array.isArray(getAtt) &&
      getAtt[1] === 'AllocationId' &&
      typeof getAtt[0] === 'string' &&
      ctx.template.Resources?.[getAtt[0]]?.Type === 'AWS::EC2::EIP';
    if (isPublic && !eipOfTemplate) {
      lines.push(
        ctx.line({
          category: 'Public IPv4 addresses',
          billed: 'public IPv4 address of the NAT gateway',
          priceId: 'vpc.publicIpv4.hour',
          quantity: ctx.hours,
          quantityText: `1 address x ${ctx.hours} h`,
        }),
      );
    }
    return {
      lines,
      usage: [ctx.usage('vpc.natGateway.dataGb', 'Amazon VPC', 'NAT gateway data processing', 'GB sent through NAT')],
    };
  },

  'AWS::EC2::EIP': (_r, ctx) => ({
    lines: [
      ctx.line({
        category: 'Public IPv4 addresses',
        billed: 'Elastic IP address',
        priceId: 'vpc.publicIpv4.hour',
        quantity: ctx.hours,
        quantityText: `1 address x ${ctx.hours} h`,
      }),
    ],
  }),

  'AWS::EC2::VPCEndpoint': (r, ctx) => {
    const p = props(r);
    const type = p.VpcEndpointType ?? 'Gateway';
    const service = endpointService(p.ServiceName);
    if (type === 'Gateway') return { free: `gateway endpoint (${service}): no hourly or data charge` };
    if (type !== 'Interface') {
      return { notPriced: `VpcEndpointType = ${show(type)}: only Interface and Gateway endpoints are priced` };
    }
    const subnets = p.SubnetIds;
    if (!Array.isArray(subnets) || subnets.length === 0) {
      return { notPriced: `SubnetIds = ${show(subnets)}: need a literal list to count the endpoint's AZs` };
    }
    const azs = subnets.length;
    return {
      lines: [
        ctx.line({
          category: 'Interface VPC endpoints',
          billed: `interface endpoint (${service}) in ${plural(azs, 'AZ')}`,
          group: `interface endpoint in ${plural(azs, 'AZ')}`,
          priceId: 'privatelink.interfaceEndpoint.azHour',
          quantity: azs * ctx.hours,
          quantityText: `${azs} AZ x ${ctx.hours} h`,
          note: 'one subnet per AZ assumed (an endpoint has at most one subnet per AZ)',
        }),
      ],
      usage: [
        ctx.usage(
          'privatelink.interfaceEndpoint.dataGb',
          'AWS PrivateLink',
          'interface endpoint data processing',
          'GB sent to AWS APIs through the endpoints',
        ),
      ],
    };
  },

  'AWS::EC2::FlowLog': (r, ctx) => {
    const dest = props(r).LogDestinationType ?? 'cloud-watch-logs';
    if (dest !== 'cloud-watch-logs') {
      return { notPriced: `LogDestinationType = ${show(dest)}: only flow logs to CloudWatch Logs are priced` };
    }
    const retention = literalNumber(props(r).MaxAggregationInterval);
    return {
      usage: [
        ctx.usage(
          'vpc.flowLogs.cloudWatchLogsGb',
          'Amazon VPC',
          'flow log delivery to CloudWatch Logs',
          `traffic volume (records${retention ? ` aggregated every ${retention} s` : ''}); storage is the log group's`,
        ),
      ],
    };
  },
};
