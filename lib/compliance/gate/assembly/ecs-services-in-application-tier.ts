import {
  assemblyResources,
  AssemblyStack,
  cfnAlternatives,
  cfnListForms,
  isIntrinsic,
  isObject,
  localTarget,
  resolveValue,
} from '../core/template-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { subnetsOf } from './network-facts';

const NAME = 'EcsServicesInApplicationTier';

/**
 * The tier of the subnet `value` (found in `from`) names: a subnet of the assembly (same stack or through another
 * stack's output) in its VPC's tiers (network-facts subnetsOf: the tier marker, else CDK's subnet name); 'unresolved'
 * when it names no subnet of the assembly, 'untiered' when its VPC gives it no tier.
 */
function subnetTier(value: unknown, from: AssemblyStack, stacks: readonly AssemblyStack[]): string {
  const resolved = resolveValue(value, from, stacks);
  if (resolved.kind !== 'resource' || resolved.target.resource.Type !== 'AWS::EC2::Subnet') return 'unresolved';
  const subnet = resolved.target;
  const vpcId = localTarget(subnet.resource.Properties?.VpcId);
  const vpc = vpcId === undefined ? undefined : subnet.stack.template.Resources[vpcId];
  if (vpc?.Type !== 'AWS::EC2::VPC') return 'unresolved';
  const tiered = subnetsOf({ stack: subnet.stack, logicalId: vpcId!, resource: vpc }).find(
    (s) => s.logicalId === subnet.logicalId,
  );
  return tiered?.tier ?? 'untiered';
}

/**
 * N2: every ECS service runs its tasks in the application tier with no public IP: its AwsvpcConfiguration names only
 * subnets of the assembly that a VPC tiers 'application' (HipaaBlueprint::Tier, else CDK's subnet name), and its
 * AssignPublicIp is DISABLED or absent (CloudFormation's default, DISABLED). A task in the public tier with a public IP
 * is reachable from the internet around the load balancer, its sign-in and its WAF; a value only deploy resolves (a
 * condition, a parameter, an import of another account's output) is a finding.
 */
export const EcsServicesInApplicationTier: AssemblyRule = {
  name: NAME,
  info: "An ECS service's tasks may get a public IP (AssignPublicIp other than DISABLED or absent) or run outside the application tier: a subnet of its AwsvpcConfiguration is a public or data subnet, no subnet of the assembly, or a value only deploy resolves, or it has no awsvpc network configuration.",
  explanation:
    'Network segmentation (164.312(e)(1), 164.308(a)(3)): the tasks that handle PHI run in the application tier, reachable only through the load balancer; a public IP in the public tier exposes them to the internet.',
  safeguards: ['N2'],
  hipaaSections: ['164.312(e)(1)', '164.308(a)(3)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const services = assemblyResources(stacks, 'AWS::ECS::Service');
    for (const service of services) {
      const add = (id: string, what: string): void => {
        findings.push(
          finding(
            NAME,
            id,
            service.stack,
            service.logicalId,
            `ECS service ${service.logicalId} ${what}: its tasks run in the application tier without a public IP (N2)`,
          ),
        );
      };
      const network = service.resource.Properties?.NetworkConfiguration;
      const awsvpc = isObject(network) && !isIntrinsic(network) ? network.AwsvpcConfiguration : undefined;
      if (!isObject(awsvpc) || isIntrinsic(awsvpc)) {
        add('NetworkConfiguration::unresolved', 'has no awsvpc network configuration the template states');
        continue;
      }
      const assign = cfnAlternatives(awsvpc.AssignPublicIp);
      if (!assign.every((a) => a === undefined || a === 'DISABLED')) {
        const shown = assign.map((a) => (a === undefined ? 'absent' : typeof a === 'string' ? a : 'unresolved'));
        add(`AssignPublicIp::${[...new Set(shown)].join('+')}`, `assigns public IPs (${shown.join(' or ')})`);
      }
      const lists = cfnListForms(awsvpc.Subnets);
      if (lists === undefined) {
        add('Subnets::unresolved', 'names subnets only deploy resolves');
        continue;
      }
      if (lists.some((l) => l.length === 0)) add('Subnets::none', 'names no subnet');
      const tiers = new Set(lists.flat().map((s) => subnetTier(s, service.stack, stacks)));
      for (const tier of [...tiers].filter((t) => t !== 'application').sort()) {
        add(
          `Subnets::${tier}`,
          `runs tasks in ${tier === 'unresolved' ? 'subnets no template of the assembly holds' : `the ${tier} tier`}`,
        );
      }
    }
    return { findings, evaluated: services.length };
  },
};
