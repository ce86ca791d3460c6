import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { cfnStringForm } from '../core/template-json';
import { entries } from './policy-statements';
import { templateProperties } from './template-properties';

interface FieldSelector {
  readonly Field?: string;
  readonly Equals?: unknown;
  readonly StartsWith?: unknown;
  readonly NotEquals?: unknown;
}

/**
 * The values an advanced field selector gives `field` with `operator` (numbers and Booleans in their string form, as
 * CloudFormation reads them), or undefined when it has none.
 */
function values(fields: readonly FieldSelector[], field: string, operator: keyof FieldSelector): unknown[] | undefined {
  const f = fields.find((x) => cfnStringForm(x.Field) === field);
  return f?.[operator] === undefined ? undefined : entries(f[operator]).map(cfnStringForm);
}

/**
 * U2 U6: the trail records, as S3 data events, the writes in the bucket it delivers to (S3BucketName) that delete
 * or weaken audit objects: an advanced event selector on Data events of AWS::S3::Object, not read-only, whose
 * resources.ARN (StartsWith or Equals) names that bucket and whose eventName selects DeleteObject. Without an
 * eventName filter that excludes PutObject the trail would record its own deliveries (a logging loop): also a
 * finding.
 */
export function TrailRecordsArchiveDeletes(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::CloudTrail::Trail') return NagRuleCompliance.NOT_APPLICABLE;
  const props = templateProperties(node) as { S3BucketName?: unknown; AdvancedEventSelectors?: unknown };
  const bucket = props.S3BucketName;
  // The bucket as the selector names it: its logical id inside Ref/GetAtt, or the literal ARN prefix.
  const ref =
    typeof bucket === 'string' ? `:::${bucket}/` : JSON.stringify((bucket as { Ref?: unknown })?.Ref ?? bucket);
  let selectsDeliveries = false;
  for (const selector of entries(props.AdvancedEventSelectors) as { FieldSelectors?: unknown }[]) {
    const fields = entries(selector.FieldSelectors) as FieldSelector[];
    if (!(values(fields, 'eventCategory', 'Equals') ?? []).includes('Data')) continue;
    if (!(values(fields, 'resources.type', 'Equals') ?? []).includes('AWS::S3::Object')) continue;
    if ((values(fields, 'readOnly', 'Equals') ?? []).includes('true')) continue;
    const arns = [
      ...(values(fields, 'resources.ARN', 'StartsWith') ?? []),
      ...(values(fields, 'resources.ARN', 'Equals') ?? []),
    ];
    if (!arns.some((a) => JSON.stringify(a).includes(ref.replace(/^"|"$/g, '')))) continue;
    const equals = values(fields, 'eventName', 'Equals');
    const notEquals = values(fields, 'eventName', 'NotEquals');
    const deletes = equals === undefined ? true : equals.includes('DeleteObject');
    const deliveries = equals !== undefined ? equals.includes('PutObject') : !(notEquals ?? []).includes('PutObject');
    if (deliveries) selectsDeliveries = true;
    else if (deletes) return NagRuleCompliance.COMPLIANT;
  }
  return [selectsDeliveries ? 'ArchiveDeletes::selects-deliveries' : 'ArchiveDeletes::not-recorded'];
}
