import { SUBNET_TIER_METADATA, VPC_METADATA, VpcMarker } from '../../../../constructs/core/markers';
import {
  asList,
  assemblyResources,
  AssemblyStack,
  isObject,
  JsonResource,
  localTarget,
  metadataOf,
  resolveValue,
  StackResource,
} from '../core/template-json';

/** `<stackName>/<logicalId>`: identifies a resource across the assembly. */
export const keyOf = (r: { stack: AssemblyStack; logicalId: string }): string => `${r.stack.stackName}/${r.logicalId}`;

/** A tag value of a resource (Tags as a list of Key/Value). */
export function tagOf(resource: JsonResource, key: string): unknown {
  return asList(resource.Properties?.Tags)
    .filter(isObject)
    .find((t) => t.Key === key)?.Value;
}

/**
 * Whether a VPC may carry PHI: its marker says so, or, without a marker, it is not tagged DataClassification NonPHI
 * (an unmarked VPC is held to the PHI VPC's rules).
 */
export function isPhiVpc(vpc: JsonResource): boolean {
  const marker = metadataOf(vpc, VPC_METADATA);
  if (isObject(marker)) return (marker as unknown as VpcMarker).classification !== 'NonPHI';
  return tagOf(vpc, 'DataClassification') !== 'NonPHI';
}

/** Every VPC of the assembly, PHI ones flagged. */
export function vpcsOf(stacks: readonly AssemblyStack[]): Array<StackResource & { phi: boolean }> {
  return assemblyResources(stacks, 'AWS::EC2::VPC').map((v) => ({ ...v, phi: isPhiVpc(v.resource) }));
}

/** The VPC a resource's property names (same stack or through another stack's output), if it is a VPC of the assembly. */
export function vpcNamedBy(
  value: unknown,
  from: AssemblyStack,
  stacks: readonly AssemblyStack[],
): StackResource | undefined {
  const resolved = resolveValue(value, from, stacks);
  return resolved.kind === 'resource' && resolved.target.resource.Type === 'AWS::EC2::VPC'
    ? resolved.target
    : undefined;
}

/** Subnets of a VPC (same template), with their tier from the marker or CDK's aws-cdk:subnet-name tag. */
export function subnetsOf(vpc: StackResource): Array<StackResource & { tier: string | undefined }> {
  return Object.entries(vpc.stack.template.Resources)
    .filter(([, r]) => r.Type === 'AWS::EC2::Subnet' && localTarget(r.Properties?.VpcId) === vpc.logicalId)
    .map(([logicalId, resource]) => {
      const marker = metadataOf(resource, SUBNET_TIER_METADATA);
      const cdkName = tagOf(resource, 'aws-cdk:subnet-name');
      const tier =
        typeof marker === 'string' ? marker : typeof cdkName === 'string' ? cdkName.toLowerCase() : undefined;
      return { stack: vpc.stack, logicalId, resource, tier };
    });
}

/** Subnets any DB subnet group of the assembly names (the tier the database runs in), resolved across stacks. */
export function databaseSubnets(stacks: readonly AssemblyStack[]): StackResource[] {
  return assemblyResources(stacks, 'AWS::RDS::DBSubnetGroup').flatMap((group) =>
    asList(group.resource.Properties?.SubnetIds).flatMap((value) => {
      const resolved = resolveValue(value, group.stack, stacks);
      return resolved.kind === 'resource' && resolved.target.resource.Type === 'AWS::EC2::Subnet'
        ? [resolved.target]
        : [];
    }),
  );
}
