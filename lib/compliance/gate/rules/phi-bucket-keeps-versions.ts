import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { HIPAA_MIN_RETENTION_DAYS } from '../../../../constructs/core/retention';
import { noncurrentExpirations, readLifecycle } from '../core/lifecycle';
import { isPhiStoreIn } from '../core/phi-shapes';
import { cfnAbsent, cfnNumber, isObject } from '../core/template-json';
import { viewOf } from './template-view';

const show = (v: unknown): string => (typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * I2: a PHI bucket (marked, or named like one) keeps every version of every object: versioning `Enabled` (an
 * overwrite or a delete leaves the earlier version), no lifecycle rule that may be enabled expires current objects
 * (`ExpirationInDays` or `ExpirationDate`: S3 deletes them on its own schedule, and such a deletion is no data event
 * in CloudTrail, only a line in the access logs), and noncurrent versions expire no sooner than 2192 days (config's
 * floor, `phiBucket.noncurrentVersionExpirationDays`). Removing PHI is the application's act, recorded with who did
 * it (U1). What only deploy resolves (the lifecycle, a rule, a number, the versioning status) is a finding. Moving
 * objects to colder storage classes, ending incomplete uploads and removing expired delete markers keep the data.
 */
export function PhiBucketKeepsVersions(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack, logicalId } = viewOf(node);
  if (!isPhiStoreIn(stack.template, logicalId)) return NagRuleCompliance.NOT_APPLICABLE;
  const props = resource.Properties ?? {};
  const findings: string[] = [];
  const versioning = isObject(props.VersioningConfiguration) ? props.VersioningConfiguration.Status : undefined;
  if (versioning !== 'Enabled') {
    findings.push(`VersioningConfiguration::${cfnAbsent(versioning) ? 'absent' : show(versioning)}`);
  }
  const lifecycle = readLifecycle(props.LifecycleConfiguration);
  findings.push(...lifecycle.unresolved);
  for (const { name, rule } of lifecycle.rules) {
    for (const current of ['ExpirationInDays', 'ExpirationDate']) {
      if (!cfnAbsent(rule[current])) findings.push(`Rule[${name}].${current}::current-objects-expire`);
    }
    for (const [property, days] of noncurrentExpirations(rule)) {
      const n = cfnNumber(days);
      if (n === undefined || n < HIPAA_MIN_RETENTION_DAYS) findings.push(`Rule[${name}].${property}::${show(days)}`);
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
