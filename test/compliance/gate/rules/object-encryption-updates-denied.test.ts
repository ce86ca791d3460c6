import { DENY_OBJECT_ENCRYPTION_UPDATES_SID } from '../../../../constructs/bucket-safeguards';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { ObjectEncryptionUpdatesDenied } from '../../../../lib/compliance/gate/rules/object-encryption-updates-denied';
import { CfnTemplateJson, templateJson } from '../../../support/synthesized';
import { findingsOf, RETAIN, template } from './rule-fixtures';

type Json = Record<string, unknown>;
type Statement = Json & { Sid?: string; Action?: unknown; Condition?: unknown };

/** The statements of every bucket policy of `t`, by the logical id of the bucket they Ref. */
function policiesByBucket(t: CfnTemplateJson): Map<string, Statement[]> {
  const out = new Map<string, Statement[]>();
  for (const r of Object.values(t.Resources)) {
    if (r.Type !== 'AWS::S3::BucketPolicy') continue;
    const props = r.Properties as { Bucket: { Ref: string }; PolicyDocument: { Statement: Statement[] } };
    out.set(props.Bucket.Ref, props.PolicyDocument.Statement);
  }
  return out;
}

/** The logical ids a template value references (Ref, Fn::GetAtt, DependsOn). */
function referenced(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referenced(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') out.add(v);
      else if (k === 'Fn::GetAtt' && Array.isArray(v) && typeof v[0] === 'string') out.add(v[0]);
      else if (k === 'DependsOn') [v].flat().forEach((d) => typeof d === 'string' && out.add(d));
      else referenced(v, out);
    }
  }
  return out;
}

/**
 * The bucket `bucket` of `t`, its policy and what they reference, with `edit` applied to the policy's statements (a
 * deep copy; the template's Metadata kept: it declares the environment's PHI bucket names). A part of the template
 * checks in a fraction of the whole template's time. Only the bucket's policies are copied before the edit, and only
 * the part after it: the same part as from a copy of the whole template, without copying the whole template per call.
 */
function editPolicy(t: CfnTemplateJson, bucket: string, edit: (s: Statement[]) => Statement[]): CfnTemplateJson {
  const all = { ...t.Resources };
  for (const [id, r] of Object.entries(all)) {
    if (r.Type !== 'AWS::S3::BucketPolicy' || (r.Properties?.Bucket as { Ref?: string })?.Ref !== bucket) continue;
    const policy = JSON.parse(JSON.stringify(r)) as typeof r;
    const document = policy.Properties!.PolicyDocument as { Statement: Statement[] };
    document.Statement = edit(document.Statement);
    all[id] = policy;
  }
  // The bucket, what it references, and the policy of every bucket kept (a bucket kept without it is a finding).
  const kept = new Set([bucket]);
  for (let size = 0; size !== kept.size;) {
    size = kept.size;
    for (const id of [...kept]) referenced(all[id], kept);
    for (const [id, r] of Object.entries(all)) {
      if (r.Type === 'AWS::S3::BucketPolicy' && kept.has((r.Properties?.Bucket as { Ref: string }).Ref)) kept.add(id);
    }
  }
  const resources = Object.fromEntries([...kept].filter((id) => id in all).map((id) => [id, all[id]]));
  const part = JSON.parse(JSON.stringify({ Metadata: t.Metadata, Resources: resources })) as CfnTemplateJson;
  return { Metadata: part.Metadata, Resources: part.Resources } as CfnTemplateJson;
}

/** The rule's findings on a part of a shipped template, from the project's pack alone (the cdk-nag packs cost most). */
const partFindings = (t: CfnTemplateJson): string[] => findingsOf('ObjectEncryptionUpdatesDenied', t, ['Blueprint']);

const withoutTheDeny = (statements: Statement[]): Statement[] =>
  statements.filter((s) => s.Sid !== DENY_OBJECT_ENCRYPTION_UPDATES_SID);

/** Every dev stack holding PHI or evidence buckets, with the buckets the rule must judge there. */
const JUDGED: Record<string, RegExp> = {
  Data: /^(PhiBucket|AccessLogsBucket)/,
  Audit: /^(AuditArchiveBucket|AccessAuditBucket|FindingsArchiveBucket|ConfigDeliveryBucket|AccessLogsBucket)/,
  PhiReplica: /^(PhiReplicaBucket|AuditArchiveReplicaBucket|AccessLogsBucket)/,
  App: /^AccessLogsBucket/,
  ReplicaDetection: /^ConfigDeliveryBucket/,
};

describe('ObjectEncryptionUpdatesDenied', () => {
  test('E2 U2 U6 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === ObjectEncryptionUpdatesDenied)?.safeguards).toEqual(['E2', 'U2', 'U6']);
  });

  test('E2 U2 U6 every PHI and evidence bucket of the shipped dev templates passes; each fails with its deny removed, or narrowed by a condition, a prefix or a principal', () => {
    const seen: string[] = [];
    const failures: string[] = [];
    for (const [stack, pattern] of Object.entries(JUDGED)) {
      const t = templateJson('dev', stack);
      const buckets = [...policiesByBucket(t).keys()].filter((id) => pattern.test(id));
      for (const bucket of buckets) {
        seen.push(`${stack}/${bucket.replace(/[0-9A-F]{8}$/, '')}`);
        const unchanged = partFindings(editPolicy(t, bucket, (x) => x));
        if (unchanged.length > 0) failures.push(`${stack} ${bucket} as shipped: ${unchanged}`);
        const broken: Record<string, (s: Statement[]) => Statement[]> = {
          removed: withoutTheDeny,
          conditioned: (s) =>
            s.map((x) =>
              x.Sid === DENY_OBJECT_ENCRYPTION_UPDATES_SID
                ? { ...x, Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/Ops' } } }
                : x,
            ),
          prefix: (s) =>
            s.map((x) =>
              x.Sid === DENY_OBJECT_ENCRYPTION_UPDATES_SID
                ? { ...x, Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/incoming/*']] } }
                : x,
            ),
          principal: (s) =>
            s.map((x) =>
              x.Sid === DENY_OBJECT_ENCRYPTION_UPDATES_SID
                ? { ...x, Principal: { AWS: 'arn:aws:iam::123456789012:role/Someone' } }
                : x,
            ),
        };
        for (const [how, edit] of Object.entries(broken)) {
          const findings = partFindings(editPolicy(t, bucket, edit));
          const expected = [`[ObjectEncryption::updates-not-denied] ${bucket}`];
          if (JSON.stringify(findings) !== JSON.stringify(expected))
            failures.push(`${stack} ${bucket} ${how}: ${findings}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(seen.sort()).toEqual(
      [
        'Audit/AccessAuditBucket',
        'Audit/AccessLogsBucket',
        'Audit/AuditArchiveBucket',
        'Audit/ConfigDeliveryBucket',
        'Audit/FindingsArchiveBucket',
        'Data/AccessLogsBucket',
        'Data/PhiBucket',
        'PhiReplica/AccessLogsBucket',
        'PhiReplica/AuditArchiveReplicaBucket',
        'PhiReplica/PhiReplicaBucket',
        'App/AccessLogsBucket',
        'ReplicaDetection/ConfigDeliveryBucket',
      ].sort(),
    );
  });

  test('E2 U2 U6 a bucket named like a PHI bucket, or written to by a trail, is judged without its marker; a plain bucket is not', () => {
    const bucket = (name: string): Json => ({ Type: 'AWS::S3::Bucket', ...RETAIN, Properties: { BucketName: name } });
    expect(findingsOf('ObjectEncryptionUpdatesDenied', template({ Plain: bucket('app-dev-static') }))).toEqual([]);
    expect(
      findingsOf(
        'ObjectEncryptionUpdatesDenied',
        template({
          Logs: bucket('app-dev-trail'),
          Trail: { Type: 'AWS::CloudTrail::Trail', Properties: { IsLogging: true, S3BucketName: { Ref: 'Logs' } } },
        }),
      ),
    ).toEqual(['[ObjectEncryption::updates-not-denied] Logs']);
    // The PHI data bucket of the dev templates, its PhiStore marker deleted: still a PHI bucket by name.
    const data = templateJson('dev', 'Data');
    const phi = Object.keys(data.Resources).find(
      (id) => id.startsWith('PhiBucket') && data.Resources[id].Type === 'AWS::S3::Bucket',
    )!;
    const unmarked = editPolicy(data, phi, withoutTheDeny);
    const metadata = unmarked.Resources[phi].Metadata as Json;
    for (const key of Object.keys(metadata)) if (key.startsWith('HipaaBlueprint::')) delete metadata[key];
    expect(partFindings(unmarked)).toEqual([`[ObjectEncryption::updates-not-denied] ${phi}`]);
  });
});
