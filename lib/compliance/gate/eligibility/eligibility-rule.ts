/**
 * cdk-nag rule (safeguard V1): every resource in a synthesized template must run on a
 * HIPAA-eligible AWS service, or on an allowed control-plane service that stores no customer content.
 */
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { eligibleServiceNames } from './eligible-services';
import { CONTROL_PLANE_ALLOWANCES, lookupResourceType } from './resource-service-map';

const allowedControlPlane: ReadonlySet<string> = new Set(CONTROL_PLANE_ALLOWANCES.map((a) => a.service));

/** One row of an eligibility evidence report. */
export interface TypeEligibility {
  /** CloudFormation resource type, e.g. 'AWS::S3::Bucket'. */
  readonly type: string;
  /** Service display name, or undefined when the type is unmapped. */
  readonly service: string | undefined;
  /** True when the service is on the eligible list or is an allowed control-plane service. */
  readonly eligible: boolean;
}

/** The service display name for a CloudFormation resource type, or undefined if unmapped. */
export function serviceForResourceType(resourceType: string): string | undefined {
  return lookupResourceType(resourceType)?.service;
}

/** True when `service` is on the eligible list or in the control-plane allowance set. */
export function isServiceAllowed(service: string): boolean {
  return eligibleServiceNames.has(service) || allowedControlPlane.has(service);
}

/**
 * Eligibility of each distinct resource type (first-seen order), for evidence reports.
 * Unmapped types are reported with `service: undefined` and `eligible: false`.
 */
export function checkTemplateTypes(resourceTypes: string[]): TypeEligibility[] {
  return [...new Set(resourceTypes)].map((type) => {
    const service = serviceForResourceType(type);
    return { type, service, eligible: service !== undefined && isServiceAllowed(service) };
  });
}

/**
 * cdk-nag 3 rule: the resource's service is HIPAA-eligible. Non-compliant results are findings
 * naming the cause, reported as `<Pack>-HipaaEligibleService[Service::Amazon Lightsail]` or
 * `<Pack>-HipaaEligibleService[Unmapped::AWS::Foo::Bar]` (unmapped types never pass silently).
 * @param node the CfnResource to check
 */
export function HipaaEligibleService(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  const service = serviceForResourceType(type);
  if (service === undefined) return [`Unmapped::${type}`];
  return isServiceAllowed(service) ? NagRuleCompliance.COMPLIANT : [`Service::${service}`];
}
