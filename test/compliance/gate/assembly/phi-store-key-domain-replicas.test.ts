/**
 * PhiStoreKeyDomain on replicas written into a PHI bucket: S3 encrypts them with the key the source's replication rule
 * names (ReplicaKmsKeyID), so that key must be a PHI key, followed by alias to the keys stack of the destination's
 * account and region. Read on the shipped dev assembly (both directions: data to replica, replica back to data).
 */
import { loadAssembly } from '../../../../lib/compliance/gate/assembly-loader';
import { PhiStoreKeyDomain } from '../../../../lib/compliance/gate/assembly/phi-store-key-domain';
import { AssemblyStack } from '../../../../lib/compliance/gate/core/template-json';
import { synthesizedDir } from '../../../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEV = loadAssembly(synthesizedDir('dev'));

/** The rule's replica findings after `mutate` edits a copy of the dev assembly's templates. */
function replicaFindings(mutate: (stack: (name: string) => Json) => void = () => undefined): string[] {
  const stacks: AssemblyStack[] = JSON.parse(JSON.stringify(DEV));
  mutate((name) => stacks.find((s) => s.stackName.endsWith(`-${name}`))!.template);
  return PhiStoreKeyDomain.check(stacks, {})
    .findings.map((f) => `${f.ruleId.slice('Blueprint-PhiStoreKeyDomain'.length)} ${f.logicalId}`)
    .filter((f) => f.includes('ReplicaKmsKeyID') || f.includes('ReplicaDestination'))
    .sort();
}

/** Sets the ReplicaKmsKeyID of the replication rule of the PHI bucket of `stack`. */
const replicaKey = (stack: Json, value: unknown): void => {
  const bucket = Object.values(stack.Resources as Record<string, Json>).find(
    (r) => r.Type === 'AWS::S3::Bucket' && r.Metadata?.['HipaaBlueprint::PhiStore'] === true,
  );
  bucket.Properties.ReplicationConfiguration.Rules[0].Destination.EncryptionConfiguration.ReplicaKmsKeyID = value;
};
const aliasArn = (region: string, alias: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${region}:`, { Ref: 'AWS::AccountId' }, `:${alias}`]],
});

describe('PhiStoreKeyDomain, replicas into a PHI bucket', () => {
  test('E2 the shipped replication rules name the PHI keys (by alias, followed to the keys stack of their region)', () => {
    const evaluated = PhiStoreKeyDomain.check(DEV, {});
    expect(evaluated.findings).toEqual([]);
    expect(replicaFindings()).toEqual([]);
  });

  test.each<[string, (stack: (name: string) => Json) => void, string[]]>([
    [
      "the replica's rule back into the data bucket naming the operations key's alias",
      (stack) => replicaKey(stack('phi-replica'), aliasArn('us-east-1', 'alias/hipaa-dev/operations')),
      ['[ReplicaKmsKeyID::operations] PhiReplicaBucket33690446'],
    ],
    [
      "the data bucket's rule naming another account's key",
      (stack) =>
        replicaKey(stack('data'), 'arn:aws:kms:us-west-2:222222222222:key/11111111-2222-3333-4444-555555555555'),
      ['[ReplicaKmsKeyID::outside-assembly] PhiBucketA8B3E43F'],
    ],
    [
      "the data bucket's rule naming the AWS managed aws/s3 key",
      (stack) => replicaKey(stack('data'), aliasArn('us-west-2', 'alias/aws/s3')),
      ['[ReplicaKmsKeyID::no-alias-alias/aws/s3] PhiBucketA8B3E43F'],
    ],
    [
      "the data bucket's rule naming another account's alias of the replica key's name",
      (stack) => replicaKey(stack('data'), 'arn:aws:kms:us-west-2:999999999999:alias/hipaa-dev/phi-replica'),
      ['[ReplicaKmsKeyID::outside-assembly] PhiBucketA8B3E43F'],
    ],
    [
      "the data bucket's rule naming the replica key's alias in another region",
      (stack) => replicaKey(stack('data'), aliasArn('eu-west-1', 'alias/hipaa-dev/phi-replica')),
      ['[ReplicaKmsKeyID::outside-assembly] PhiBucketA8B3E43F'],
    ],
    [
      "the replica's rule back into the data bucket written with Fn::Sub, naming the operations key's alias",
      (stack) => {
        const bucket = Object.values(stack('phi-replica').Resources as Record<string, Json>).find(
          (r) => r.Type === 'AWS::S3::Bucket' && r.Metadata?.['HipaaBlueprint::PhiStore'] === true,
        );
        bucket.Properties.ReplicationConfiguration.Rules[0].Destination.Bucket = {
          'Fn::Sub': 'arn:${AWS::Partition}:s3:::hipaa-dev-phi-data-${AWS::AccountId}-us-east-1',
        };
        replicaKey(stack('phi-replica'), aliasArn('us-east-1', 'alias/hipaa-dev/operations'));
      },
      ['[ReplicaKmsKeyID::operations] PhiReplicaBucket33690446'],
    ],
    [
      "the data bucket's rule into a bucket named by an import (the template does not hold its ARN)",
      (stack) => {
        const bucket = Object.values(stack('data').Resources as Record<string, Json>).find(
          (r) => r.Type === 'AWS::S3::Bucket' && r.Metadata?.['HipaaBlueprint::PhiStore'] === true,
        );
        bucket.Properties.ReplicationConfiguration.Rules[0].Destination.Bucket = { 'Fn::ImportValue': 'SomeBucketArn' };
      },
      ['[ReplicaDestination::unresolved] PhiBucketA8B3E43F'],
    ],
    [
      "the data bucket's rule naming no key",
      (stack) => replicaKey(stack('data'), undefined),
      ['[ReplicaKmsKeyID::none] PhiBucketA8B3E43F'],
    ],
  ])('E2 %s is a finding', (_name, mutate, expected) => {
    expect(replicaFindings(mutate)).toEqual(expected);
  });
});
