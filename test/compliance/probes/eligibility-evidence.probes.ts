import { Json, one, Probe, suppress } from './probe';

/** Eligibility and evidence: V1 eligible services only, V2 acknowledgements only from the register. */
export const PROBES: readonly Probe[] = [
  {
    name: 'V1 a resource of a service outside the BAA',
    safeguards: ['V1'],
    mutate: (t) =>
      (t.app!.Resources.ProbeBox = {
        Type: 'AWS::Lightsail::Instance',
        Properties: { InstanceName: 'box', BlueprintId: 'amazon_linux_2023', BundleId: 'nano_3_0' },
      }),
    caughtBy: /HipaaEligibleService\[Service::Amazon Lightsail\]/,
  },
  {
    name: 'V2 E1 key rotation off and its finding suppressed by hand',
    safeguards: ['V2', 'E1'],
    mutate: (t) => {
      const key = one(t, 'keys', 'AWS::KMS::Key')[1];
      key.Properties.EnableKeyRotation = false;
      suppress(key, [
        'Blueprint-KmsKeySafeguards[EnableKeyRotation::false]',
        'HIPAA.Security-KMSBackingKeyRotationEnabled',
      ]);
    },
    caughtBy: /UnregisteredAcknowledgement\[Blueprint-KmsKeySafeguards\[EnableKeyRotation::false\]\]/,
  },
  {
    name: 'V2 a registered acknowledgement copied onto another resource',
    safeguards: ['V2'],
    mutate: (t) => {
      const withAck = one(t, 'network', 'AWS::EC2::Route', (r: Json) => r.Metadata?.cdk_nag !== undefined)[1];
      const policy = one(t, 'app', 'AWS::IAM::ManagedPolicy', (_r, id) => id.includes('PhiAccessPolicy'))[1];
      policy.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
      // The reason of an entry of the register, on a rule and a resource that entry does not name.
      suppress(policy, ['AwsSolutions-IAM5[Action::s3:*]'], withAck.Metadata.cdk_nag.rules_to_suppress[0].reason);
    },
    caughtBy: /UnregisteredAcknowledgement\[AwsSolutions-IAM5\[Action::s3:\*\]\]/,
  },
  {
    name: "V2 E2 a bucket's KMS encryption removed under another bucket's path and acknowledgement (a forged aws:cdk:path)",
    safeguards: ['V2', 'E2'],
    mutate: (t) => {
      const logs = t.audit!.Resources.AccessLogsBucketCD784A59!;
      const bucket = one(t, 'audit', 'AWS::S3::Bucket', (_r, id) => id.startsWith('ConfigDeliveryBucket'))[1];
      bucket.Properties.BucketEncryption = {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      };
      // The access-log bucket's registered acknowledgement of SSE-S3, with its path: the register entry matches it.
      const kms = (logs.Metadata.cdk_nag.rules_to_suppress as Json[]).filter((s) =>
        /S3DefaultEncryptionKMS$/.test(s.id),
      );
      bucket.Metadata.cdk_nag.rules_to_suppress.push(...kms);
      bucket.Metadata['aws:cdk:path'] = logs.Metadata['aws:cdk:path'];
    },
    caughtBy: /UnregisteredAcknowledgement\[HIPAA\.Security-S3DefaultEncryptionKMS\]/,
  },
  {
    name: 'V2 a register acknowledgement with its reason rewritten',
    safeguards: ['V2'],
    mutate: (t) => {
      const route = one(t, 'network', 'AWS::EC2::Route', (r: Json) => r.Metadata?.cdk_nag !== undefined)[1];
      for (const s of route.Metadata.cdk_nag.rules_to_suppress) s.reason = 'Fine.';
    },
    caughtBy: /UnregisteredAcknowledgement\[HIPAA\.Security-VPCNoUnrestrictedRouteToIGW\]/,
  },
  {
    name: 'V2 a Guard suppression written by hand on the PHI bucket',
    safeguards: ['V2'],
    mutate: (t) => {
      const bucket = one(
        t,
        'data',
        'AWS::S3::Bucket',
        (r: Json) => r.Metadata?.['HipaaBlueprint::PhiStore'] === true,
      )[1];
      bucket.Metadata.guard = { SuppressedRules: ['S3_DEFAULT_ENCRYPTION_KMS'] };
    },
    caughtBy: /UnregisteredAcknowledgement\[guard:S3_DEFAULT_ENCRYPTION_KMS\]/,
  },
];
