import { one, Probe, Templates } from './probe';

/** The data stack's PHI bucket (marked as a PHI store) and its first replication rule. */
const phiBucket = (t: Templates) =>
  one(t, 'data', 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::PhiStore'] === true)[1];
const phiRule = (t: Templates) => phiBucket(t).Properties.ReplicationConfiguration.Rules[0];
/** The audit stack's audit archive (the trail's bucket) and its first replication rule. */
const auditRule = (t: Templates) =>
  one(t, 'audit', 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::AuditArchive'] !== undefined)[1].Properties
    .ReplicationConfiguration.Rules[0];

/** The access log bucket of `stack` (its policy allows S3 server access log delivery) and its bucket policy. */
function accessLogPolicy(t: Templates, stack: string): { bucketId: string; statements: Record<string, unknown>[] } {
  const [, policy] = one(t, stack, 'AWS::S3::BucketPolicy', (r) =>
    JSON.stringify(r.Properties.PolicyDocument).includes('logging.s3.amazonaws.com'),
  );
  return { bucketId: policy.Properties.Bucket.Ref, statements: policy.Properties.PolicyDocument.Statement };
}

/** The attacker review of the PHI replication and the log bucket policies: mutations that passed the gate. */
export const PROBES: readonly Probe[] = [
  {
    name: 'I1 I2 the PHI bucket replicates only a prefix nothing is written under',
    safeguards: ['I1', 'I2'],
    mutate: (t) => (phiRule(t).Filter = { Prefix: 'archive-never/' }),
    caughtBy: /ReplicationMonitored\[ReplicateTo-[a-z0-9-]+::partial\]/,
  },
  {
    name: 'I1 I2 the PHI bucket replicates only objects tagged replicate=yes',
    safeguards: ['I1', 'I2'],
    mutate: (t) => (phiRule(t).Filter = { TagFilter: { Key: 'replicate', Value: 'yes' } }),
    caughtBy: /ReplicationMonitored\[ReplicateTo-[a-z0-9-]+::partial\]/,
  },
  {
    name: 'I1 I2 the PHI bucket replicates delete markers (a delete hides the object in the replica too)',
    safeguards: ['I1', 'I2'],
    mutate: (t) => (phiRule(t).DeleteMarkerReplication = { Status: 'Enabled' }),
    caughtBy: /ReplicationMonitored\[ReplicateTo-[a-z0-9-]+::delete-markers\]/,
  },
  {
    name: 'I1 I2 the PHI bucket replication skips SSE-KMS objects (every PHI object)',
    safeguards: ['I1', 'I2'],
    mutate: (t) => delete phiRule(t).SourceSelectionCriteria,
    caughtBy: /ReplicationMonitored\[ReplicateTo-[a-z0-9-]+::kms-objects-skipped\]/,
  },
  {
    name: 'I2 U2 the audit archive replicates only a prefix',
    safeguards: ['I2', 'U2'],
    mutate: (t) => (auditRule(t).Filter = { Prefix: 'x/' }),
    caughtBy: /ReplicationMonitored\[ReplicateTo-[a-z0-9-]+::partial\]/,
  },
  {
    name: "U3 A3 the PHI bucket's access log bucket readable by another account",
    safeguards: ['U3', 'A3'],
    mutate: (t) => {
      const { bucketId, statements } = accessLogPolicy(t, 'data');
      const arn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
      statements.push({
        Sid: 'PartnerLogAnalytics',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::999999999999:root' },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [arn, { 'Fn::Join': ['', [arn, '/*']] }],
      });
    },
    caughtBy: /LogBucketVersionDeleteDeny\[Allow\[PartnerLogAnalytics\]::another-account\]/,
  },
  {
    name: 'U3 A3 the app access log bucket (ALB logs) readable by everyone',
    safeguards: ['U3', 'A3'],
    mutate: (t) => {
      const { bucketId, statements } = accessLogPolicy(t, 'app');
      statements.push({
        Sid: 'Anyone',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      });
    },
    caughtBy: /LogBucketVersionDeleteDeny\[Allow\[Anyone\]::any-principal\]/,
  },
  {
    name: 'U3 A3 the regional ELB account allowed to read the ALB logs it writes',
    safeguards: ['U3', 'A3'],
    mutate: (t) => {
      const { statements } = accessLogPolicy(t, 'app');
      const elb = statements.find((s) => String(s.Sid).startsWith('LoadBalancerAccessLogDelivery'));
      if (elb === undefined) throw new Error('probe: no load balancer log delivery statement');
      elb.Action = ['s3:PutObject', 's3:GetObject'];
    },
    caughtBy: /LogBucketVersionDeleteDeny\[Allow\[LoadBalancerAccessLogDelivery\w*\]::elb-account-beyond-put\]/,
  },
  {
    name: 'U3 A3 the AWS Config delivery bucket open to an unknown service',
    safeguards: ['U3', 'A3'],
    mutate: (t) => {
      const [, policy] = one(t, 'audit', 'AWS::S3::BucketPolicy', (r) =>
        JSON.stringify(r.Properties.PolicyDocument).includes('config.amazonaws.com'),
      );
      policy.Properties.PolicyDocument.Statement.push({
        Sid: 'QueryService',
        Effect: 'Allow',
        Principal: { Service: 'athena.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [policy.Properties.Bucket.Ref, 'Arn'] }, '/*']] },
      });
    },
    caughtBy: /LogBucketVersionDeleteDeny\[Allow\[QueryService\]::(unknown-service|service-without-source-account)\]/,
  },
];
