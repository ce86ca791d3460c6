import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import {
  ACCESS_AUDIT_BUCKET_METADATA,
  AUDIT_ARCHIVE_METADATA,
  FINDINGS_ARCHIVE_METADATA,
} from '../../../../constructs/core/markers';
import { isPhiStoreIn } from '../core/phi-shapes';
import { metadataOf } from '../core/template-json';
import { isLogBucket } from './log-bucket-shape';
import { bucketPolicyStatements, deniesToEveryone, unconditional } from './policy-statements';
import { viewOf } from './template-view';

/** The IAM action of S3's UpdateObjectEncryption (written here, not taken from the construct the rule judges). */
const UPDATE_OBJECT_ENCRYPTION = 's3:UpdateObjectEncryption';

/** Markers of the buckets that keep audit evidence besides the log buckets: the archives the assembly rules follow. */
const EVIDENCE_MARKERS: readonly string[] = [
  AUDIT_ARCHIVE_METADATA,
  FINDINGS_ARCHIVE_METADATA,
  ACCESS_AUDIT_BUCKET_METADATA,
];

/**
 * E2 U2 U6: a bucket holding PHI (a PHI store: marked, or named like one) or audit evidence (a log bucket, marked or by
 * its template's shape; an audit, findings or access-audit archive) denies s3:UpdateObjectEncryption on every object
 * to everyone, with no condition. That S3 operation re-encrypts a stored object under another KMS key of the account
 * in place, keeping its version: a PHI object leaves the PHI key (and its policy of named users) for a key its caller
 * controls; a log or archive object moved to a key that is then disabled or scheduled for deletion is lost, which
 * neither a delete deny nor Object Lock prevents. No part of the blueprint calls it. The assembly rules require the
 * same deny of the archives they find by what writes to them (a marker deleted by hand changes nothing there).
 */
export function ObjectEncryptionUpdatesDenied(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  const { resource, stack, logicalId } = viewOf(node);
  const holdsPhiOrEvidence =
    isPhiStoreIn(stack.template, logicalId) ||
    isLogBucket(resource, stack.template, logicalId) ||
    EVIDENCE_MARKERS.some((marker) => metadataOf(resource, marker) !== undefined);
  if (!holdsPhiOrEvidence) return NagRuleCompliance.NOT_APPLICABLE;
  return deniesToEveryone(bucketPolicyStatements(node), [UPDATE_OBJECT_ENCRYPTION], 'objects', unconditional, logicalId)
    ? NagRuleCompliance.COMPLIANT
    : ['ObjectEncryption::updates-not-denied'];
}
