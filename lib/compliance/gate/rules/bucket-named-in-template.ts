import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { stringForms, UNKNOWN_PART } from '../core/string-forms';
import { viewOf } from './template-view';

/**
 * E1 E2 A3: a bucket's BucketName, when set, is one the template states: a literal, or a join, substitution, selection
 * or condition branch of literals and pseudo parameters (core/string-forms). The PHI rules recognise a PHI bucket by
 * its marker or by its name (core/phi-shapes); a name taken at deploy from an import, another resource's attribute or
 * any other value the template does not hold could be a PHI bucket's, and with its marker deleted no PHI rule would
 * judge it. A bucket without BucketName gets a generated name, which no PHI bucket has.
 */
export function BucketNamedInTemplate(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack } = viewOf(node);
  const name = resource.Properties?.BucketName;
  if (name === undefined) return NagRuleCompliance.COMPLIANT;
  const { forms, complete } = stringForms(name, stack.template);
  return complete && forms.length > 0 && forms.every((f) => !f.includes(UNKNOWN_PART))
    ? NagRuleCompliance.COMPLIANT
    : ['BucketName::not-in-template'];
}
