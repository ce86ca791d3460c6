import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { conditionValues, entries, exactValues, PolicyStatementJson } from './policy-statements';
import { templateProperties } from './template-properties';

/** Whether a condition requires `key` to equal exact values (the account id). */
function requires(statement: PolicyStatementJson, key: string): boolean {
  const values = conditionValues(statement.Condition, key, 'positive');
  return values !== undefined && exactValues(values);
}

/** Whether a Resource names one bucket (or one resource) exactly, allowing only a trailing `/*` of its objects. */
function namedResource(resource: unknown): boolean {
  if (typeof resource !== 'string') return !/[*?]/.test(JSON.stringify(resource).replace(/\/\*"/g, '"'));
  return resource !== '*' && !/[*?]/.test(resource.replace(/\/\*$/, ''));
}

/**
 * N3 U6: every VPC endpoint has a policy (the default one allows any principal anything through it), and each
 * Allow statement keeps traffic to this account: on an interface endpoint, principals of this account
 * (aws:PrincipalAccount) acting on resources of this account (aws:ResourceAccount), or on actions listed one by
 * one (resource-less actions such as ecr:GetAuthorizationToken); on a gateway endpoint, resources of this
 * account (aws:ResourceAccount) or resources named exactly (the regional ECR layer bucket, CloudFormation's
 * response bucket). NotAction and NotResource are findings.
 */
export function VpcEndpointPolicyThisAccount(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::EC2::VPCEndpoint') return NagRuleCompliance.NOT_APPLICABLE;
  const props = templateProperties(node) as { VpcEndpointType?: unknown; PolicyDocument?: { Statement?: unknown } };
  if (props.PolicyDocument === undefined) return ['PolicyDocument::none'];
  const gateway = props.VpcEndpointType === undefined || props.VpcEndpointType === 'Gateway';
  const findings: string[] = [];
  for (const [i, s] of (entries(props.PolicyDocument.Statement) as PolicyStatementJson[]).entries()) {
    if (s.Effect !== 'Allow') continue;
    if (s.NotAction !== undefined || (s as { NotResource?: unknown }).NotResource !== undefined) {
      findings.push(`Statement${i}-not-action-or-resource`);
      continue;
    }
    if (gateway) {
      if (!requires(s, 'aws:ResourceAccount') && !entries(s.Resource).every(namedResource)) {
        findings.push(`Statement${i}-any-resource`);
      }
      continue;
    }
    if (!requires(s, 'aws:PrincipalAccount')) findings.push(`Statement${i}-any-principal-account`);
    const listed = entries(s.Action).every((a) => typeof a === 'string' && !/[*?]/.test(a));
    if (!requires(s, 'aws:ResourceAccount') && !listed) findings.push(`Statement${i}-any-resource-account`);
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
