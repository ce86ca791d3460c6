import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { logicalIdOf, stackResourcesOfType, templateProperties } from './template-properties';

const FINDING = 'IamUser::created';
const USER_TYPES = ['AWS::IAM::User', 'AWS::IAM::AccessKey', 'AWS::IAM::UserToGroupAddition'];

/**
 * A1: the blueprint creates no IAM users and no long-term access keys: people sign in through the
 * identity provider and assume roles. An IAM user, an access key, a user-to-group addition, and a
 * group that a user (or user-to-group addition) of the same stack puts users in are findings.
 */
export function NoIamUsersOrAccessKeys(node: CfnResource): NagRuleResult {
  if (USER_TYPES.includes(node.cfnResourceType)) return [FINDING];
  if (node.cfnResourceType !== 'AWS::IAM::Group') return NagRuleCompliance.NOT_APPLICABLE;
  const id = logicalIdOf(node);
  const name = templateProperties(node).GroupName;
  const names = (g: unknown): boolean =>
    (g as { Ref?: unknown } | null)?.Ref === id || (typeof name === 'string' && g === name);
  const users = stackResourcesOfType(node, 'AWS::IAM::User').some((u) =>
    ([] as unknown[]).concat(templateProperties(u).Groups ?? []).some(names),
  );
  const additions = stackResourcesOfType(node, 'AWS::IAM::UserToGroupAddition').some((a) =>
    names(templateProperties(a).GroupName),
  );
  return users || additions ? [FINDING] : NagRuleCompliance.COMPLIANT;
}
