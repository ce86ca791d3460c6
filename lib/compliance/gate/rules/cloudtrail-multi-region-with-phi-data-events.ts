import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { templateProperties } from './template-properties';
import { cfnBoolean, cfnStringForm } from '../core/template-json';

const S3_OBJECT = 'AWS::S3::Object';

interface Coverage {
  read: boolean;
  write: boolean;
}

interface EventSelector {
  readonly ReadWriteType?: string;
  readonly DataResources?: readonly { readonly Type?: string }[];
}

interface AdvancedEventSelector {
  readonly FieldSelectors?: readonly { readonly Field?: string; readonly Equals?: readonly string[] }[];
}

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** Read/write coverage of S3 object data events by basic event selectors (ReadWriteType defaults to All). */
function basicCoverage(selectors: EventSelector[], into: Coverage): void {
  for (const s of selectors) {
    if (!list<{ Type?: string }>(s.DataResources).some((d) => d.Type === S3_OBJECT)) continue;
    const rw = s.ReadWriteType ?? 'All';
    if (rw === 'All' || rw === 'ReadOnly') into.read = true;
    if (rw === 'All' || rw === 'WriteOnly') into.write = true;
  }
}

/** Read/write coverage of S3 object data events by advanced event selectors (no readOnly field = both). */
function advancedCoverage(selectors: AdvancedEventSelector[], into: Coverage): void {
  for (const s of selectors) {
    const fields = list<{ Field?: string; Equals?: readonly string[] }>(s.FieldSelectors);
    // Numbers and Booleans in their string form, as CloudFormation reads them (a hand-edited `true`).
    const equals = (field: string, value: string): boolean =>
      fields.some(
        (f) => cfnStringForm(f.Field) === field && list<unknown>(f.Equals).map(cfnStringForm).includes(value),
      );
    if (!equals('eventCategory', 'Data') || !equals('resources.type', S3_OBJECT)) continue;
    if (!fields.some((f) => f.Field === 'readOnly')) {
      into.read = into.write = true;
    } else {
      if (equals('readOnly', 'true')) into.read = true;
      if (equals('readOnly', 'false')) into.write = true;
    }
  }
}

/**
 * U1: the trail records every region and global services (IAM, STS), and records S3 object-level
 * (data) events, read and write, which is where access to PHI objects appears. Log file validation,
 * KMS and CloudWatch delivery are cdk-nag's rules and are not repeated here.
 *
 * The data-event selector is required on every trail: a template carries no PHI-store markers, so
 * the same check holds at synth and in the template checker. Which buckets it names is the
 * AuditTrail construct's contract (dataEventBucketNames must list every PHI bucket), not checked here.
 */
export function CloudTrailMultiRegionWithPhiDataEvents(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::CloudTrail::Trail') return NagRuleCompliance.NOT_APPLICABLE;
  const properties = templateProperties(node);
  const findings: string[] = [];
  if (cfnBoolean(properties.IsMultiRegionTrail) !== true) findings.push('IsMultiRegionTrail::false');
  if (cfnBoolean(properties.IncludeGlobalServiceEvents) !== true) findings.push('IncludeGlobalServiceEvents::false');

  const coverage: Coverage = { read: false, write: false };
  basicCoverage(list<EventSelector>(properties.EventSelectors), coverage);
  advancedCoverage(list<AdvancedEventSelector>(properties.AdvancedEventSelectors), coverage);
  if (!coverage.read && !coverage.write) findings.push('S3DataEvents::none');
  else if (!coverage.read) findings.push('S3DataEvents::WriteOnly');
  else if (!coverage.write) findings.push('S3DataEvents::ReadOnly');
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
