import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { asList, cfnAbsent, isIntrinsic, isObject, localTarget } from '../core/template-json';
import { viewOf } from './template-view';

/** The destination configurations of AWS::KinesisFirehose::DeliveryStream that are S3 buckets. */
const S3_DESTINATIONS = ['ExtendedS3DestinationConfiguration', 'S3DestinationConfiguration'] as const;

/**
 * U6 E1 A3: a Firehose stream of the account delivers only into a bucket of its own template, where the bucket rules
 * judge its policy, key, lock and retention. A stream receives whatever is put into it (access-audit events, findings,
 * a log subscription's events); a destination outside the template sends them where no safeguard applies. Findings:
 * - a destination other than S3 (an HTTP endpoint, Splunk, Redshift, OpenSearch, Snowflake, Iceberg tables, ...), or
 *   none, or more than one;
 * - the S3 destination's BucketARN (and its S3 backup's, when backup is on) not a reference (GetAtt Arn or a join of
 *   its Ref) to an AWS::S3::Bucket of the template: an S3 ARN names no account, so a literal may be anyone's bucket;
 * - a Lambda record processor (it receives every record and may send it anywhere).
 * Found by the attacker review of 2026-12-04 (left open by the fixes of its subscription filter findings: a filter to
 * a stream of the account's own passed whatever that stream delivered to).
 */
export function FirehoseDeliversToTemplateBucket(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::KinesisFirehose::DeliveryStream') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack } = viewOf(node);
  const properties = resource.Properties ?? {};
  const resources = stack.template.Resources ?? {};
  const findings: string[] = [];
  const destinations = Object.keys(properties).filter(
    (k) => k.endsWith('DestinationConfiguration') && !cfnAbsent(properties[k]),
  );
  for (const other of destinations.filter((k) => !(S3_DESTINATIONS as readonly string[]).includes(k))) {
    findings.push(`${other}::not-S3`);
  }
  if (destinations.length !== 1) findings.push(`Destinations::${destinations.length}`);

  /** Whether `arn` references a bucket of the template: its GetAtt Arn, or a join of `arn:...:s3:::` and its Ref. */
  const templateBucket = (arn: unknown): boolean => {
    const id = localTarget(arn);
    if (id !== undefined) return resources[id]?.Type === 'AWS::S3::Bucket' && isObject(arn) && 'Fn::GetAtt' in arn;
    const join = isObject(arn) ? arn['Fn::Join'] : undefined;
    if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return false;
    const parts = join[1] as unknown[];
    const refs = parts.filter((p) => typeof p !== 'string');
    const bucket = refs.length === 1 ? localTarget(refs[0]) : undefined;
    return (
      bucket !== undefined &&
      resources[bucket]?.Type === 'AWS::S3::Bucket' &&
      isObject(refs[0]) &&
      'Ref' in refs[0] &&
      typeof parts[0] === 'string' &&
      /^arn:[a-z-]+:s3:::$/.test(parts[0]) &&
      parts.length === 2
    );
  };
  for (const key of S3_DESTINATIONS) {
    const destination = properties[key];
    if (cfnAbsent(destination)) continue;
    if (!isObject(destination) || isIntrinsic(destination)) {
      findings.push(`${key}::unreadable`);
      continue;
    }
    if (!templateBucket(destination.BucketARN)) findings.push('BucketARN::not-a-bucket-of-template');
    const backup = destination.S3BackupConfiguration;
    if (!cfnAbsent(destination.S3BackupMode) && destination.S3BackupMode !== 'Disabled') {
      if (!isObject(backup) || !templateBucket(backup.BucketARN)) {
        findings.push('S3BackupConfiguration::not-a-bucket-of-template');
      }
    }
    const processing = destination.ProcessingConfiguration;
    const processors = isObject(processing) && !isIntrinsic(processing) ? asList(processing.Processors) : [];
    if (
      isIntrinsic(processing) ||
      processors.some((p) => !isObject(p) || isIntrinsic(p) || typeof p.Type !== 'string' || p.Type === 'Lambda')
    ) {
      findings.push('ProcessingConfiguration::lambda');
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
