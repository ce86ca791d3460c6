import { VPC_METADATA, VpcMarker } from '../../../../constructs/core/markers';
import { CRITICAL_FINDINGS_AGE_ENV } from '../../../../constructs/critical-findings-age-check';
import { PHI_KEY_ARN_ENV } from '../../../../constructs/phi-restore-validation';
import { assemblyResources, AssemblyStack, cfnBoolean, flatten, isObject, metadataOf } from '../core/template-json';
import { AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { keyOf, vpcNamedBy, vpcsOf } from './network-facts';

const NAME = 'InterfaceEndpointsPresent';

/** The short name of an interface endpoint's service (`com.amazonaws.<region>.ecr.api` -> 'ecr.api'). */
export function endpointName(serviceName: unknown): string | undefined {
  const flat = flatten(serviceName);
  return flat === undefined ? undefined : /^com\.amazonaws\.[^.]+\.(.+)$/.exec(flat)?.[1];
}

/**
 * The interface endpoints the deployed workloads need when the VPC has no route to the internet (no NAT gateway),
 * derived from the assembly: ECS services pull images and write logs (ecr.api, ecr.dkr, logs) and read secrets
 * (secretsmanager, also the database users provisioner), ECS Exec opens SSM channels with a KMS-encrypted session
 * (ssmmessages, kms), Lambda functions in the VPC publish alerts to SNS (sns), and the critical findings age check in
 * the VPC reads Security Hub and publishes its count (securityhub, monitoring), and the restore validation in the VPC
 * reads restore jobs, publishes its metrics and inspects restored databases (backup, monitoring, rds).
 */
export function endpointsTheWorkloadNeeds(stacks: readonly AssemblyStack[]): Map<string, string> {
  const needs = new Map<string, string>();
  const all = assemblyResources(stacks);
  const services = all.filter((r) => r.resource.Type === 'AWS::ECS::Service');
  if (services.length > 0) {
    for (const n of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']) needs.set(n, 'ECS services');
  }
  if (all.some((r) => r.resource.Type === 'Custom::DatabaseUsers'))
    needs.set('secretsmanager', 'the database users provisioner');
  if (services.some((s) => cfnBoolean(s.resource.Properties?.EnableExecuteCommand) === true)) {
    for (const n of ['ssmmessages', 'kms']) needs.set(n, 'ECS Exec');
  }
  const vpcLambdas = all.some(
    (r) => r.resource.Type === 'AWS::Lambda::Function' && isObject(r.resource.Properties?.VpcConfig),
  );
  if (vpcLambdas && all.some((r) => r.resource.Type === 'AWS::SNS::Topic'))
    needs.set('sns', 'alerts from Lambda functions in the VPC');
  const findingsAge = all.some((r) => {
    const p = r.resource.Properties;
    if (r.resource.Type !== 'AWS::Lambda::Function' || !isObject(p?.VpcConfig)) return false;
    return (
      isObject(p.Environment) &&
      isObject(p.Environment.Variables) &&
      CRITICAL_FINDINGS_AGE_ENV in p.Environment.Variables
    );
  });
  if (findingsAge) {
    for (const n of ['securityhub', 'monitoring']) needs.set(n, 'the critical findings age check in the VPC');
  }
  // I1: the restore validation reads restore jobs (backup), publishes metrics (monitoring) and inspects restored
  // databases (rds); restored buckets go through the S3 gateway endpoint.
  const restoreValidation = all.some((r) => {
    const p = r.resource.Properties;
    if (r.resource.Type !== 'AWS::Lambda::Function' || !isObject(p?.VpcConfig)) return false;
    return isObject(p.Environment) && isObject(p.Environment.Variables) && PHI_KEY_ARN_ENV in p.Environment.Variables;
  });
  if (restoreValidation) {
    for (const n of ['backup', 'monitoring', 'rds']) {
      if (!needs.has(n)) needs.set(n, 'the restore validation in the VPC');
    }
  }
  return needs;
}

/**
 * N3: the PHI VPC has every interface endpoint it was built with (its marker's list), and, when it has no NAT
 * gateway, every endpoint the deployed workloads need (endpointsTheWorkloadNeeds): without it, calls to that AWS
 * service from the private tiers fail, or leave through the internet if a route is added later. An endpoint counts
 * only with PrivateDnsEnabled a literal true: without private DNS the SDK never uses it.
 */
export const InterfaceEndpointsPresent: AssemblyRule = {
  name: NAME,
  info: 'The PHI VPC lacks an interface endpoint (with PrivateDnsEnabled true: the SDK uses no other) it declares (HipaaBlueprint::Vpc interfaceEndpoints) or one its workloads need without internet egress (ECR, Logs, Secrets Manager for ECS services; SSM messages and KMS for ECS Exec; SNS for alerts; Security Hub and CloudWatch monitoring for the critical findings age check; AWS Backup, CloudWatch monitoring and RDS for the restore validation).',
  explanation:
    'Service endpoints are private (164.312(e)(1)): the private tiers reach AWS APIs through VPC endpoints, so traffic with PHI never needs an internet route.',
  safeguards: ['N3'],
  hipaaSections: ['164.312(e)(1)', '164.312(e)(2)(i)'],
  check(stacks: readonly AssemblyStack[]): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    let evaluated = 0;
    const derived = endpointsTheWorkloadNeeds(stacks);
    for (const vpc of vpcsOf(stacks).filter((v) => v.phi)) {
      const endpoints = assemblyResources(stacks, 'AWS::EC2::VPCEndpoint')
        .filter((e) => e.resource.Properties?.VpcEndpointType === 'Interface')
        .filter((e) => {
          const named = vpcNamedBy(e.resource.Properties?.VpcId, e.stack, stacks);
          return named !== undefined && keyOf(named) === keyOf(vpc);
        });
      const names = (list: typeof endpoints): Set<string> =>
        new Set(
          list.map((e) => endpointName(e.resource.Properties?.ServiceName)).filter((n): n is string => n !== undefined),
        );
      // The SDK reaches an interface endpoint only through its private DNS name (the service's own name resolving to
      // the endpoint); without it, calls go to the public endpoint (through a NAT gateway, or nowhere). Absent is
      // CloudFormation's default, false; a value only deploy resolves may be false.
      const present = names(endpoints.filter((e) => cfnBoolean(e.resource.Properties?.PrivateDnsEnabled) === true));
      const withoutPrivateDns = names(endpoints);
      const marker = metadataOf(vpc.resource, VPC_METADATA);
      const declared = isObject(marker) ? (marker as unknown as VpcMarker).interfaceEndpoints : [];
      const hasNat = Object.values(vpc.stack.template.Resources).some((r) => r.Type === 'AWS::EC2::NatGateway');
      const required = new Map<string, string>(declared.map((n) => [n, 'declared by the VPC']));
      if (!hasNat) for (const [n, why] of derived) if (!required.has(n)) required.set(n, `needed by ${why}`);
      for (const [name, why] of required) {
        evaluated++;
        if (present.has(name)) continue;
        if (withoutPrivateDns.has(name)) {
          findings.push(
            finding(
              NAME,
              `Endpoint::${name}-private-dns-off`,
              vpc.stack,
              vpc.logicalId,
              `The PHI VPC ${vpc.logicalId} has a ${name} interface endpoint (${why}) without PrivateDnsEnabled true: the SDK resolves the public service endpoint and never uses it (N3)`,
            ),
          );
          continue;
        }
        findings.push(
          finding(
            NAME,
            `Endpoint::${name}`,
            vpc.stack,
            vpc.logicalId,
            `The PHI VPC ${vpc.logicalId} has no ${name} interface endpoint (${why}) (N3)`,
          ),
        );
      }
    }
    return { findings, evaluated };
  },
};
