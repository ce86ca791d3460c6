import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { logicalIdOf, stackResourcesOfType, templateProperties } from './template-properties';

const FUNCTION = 'AWS::Lambda::Function';
const LOG_GROUP = 'AWS::Logs::LogGroup';

/**
 * U3/E2: every Lambda function (an L1 CfnFunction or a raw CfnResource of the type, as CDK's custom
 * resource providers create) sends its logs to a log group the stack manages: `LoggingConfig.LogGroup`
 * is a Ref to an AWS::Logs::LogGroup of the function's own stack, so the group's KMS key and
 * retention are gated like every other log group. Without it Lambda creates `/aws/lambda/<name>` on
 * the first run, unencrypted and never expiring. A literal name or another stack's value is a
 * finding: nothing shows that group exists with the safeguards (Lambda would create it if not).
 */
export function LambdaLogsToManagedLogGroup(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== FUNCTION) return NagRuleCompliance.NOT_APPLICABLE;
  const logging = templateProperties(node).LoggingConfig as { LogGroup?: unknown } | undefined;
  const group = logging?.LogGroup;
  if (group === undefined || group === '') return ['LoggingConfig.LogGroup::unset'];
  const ref = (group as { Ref?: unknown } | null)?.Ref;
  if (typeof ref === 'string' && stackResourcesOfType(node, LOG_GROUP).some((g) => logicalIdOf(g) === ref)) {
    return NagRuleCompliance.COMPLIANT;
  }
  return ['LoggingConfig.LogGroup::not-a-log-group-of-this-stack'];
}
