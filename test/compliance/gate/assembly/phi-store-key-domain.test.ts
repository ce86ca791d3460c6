import { PhiStoreKeyDomain } from '../../../../lib/compliance/gate/assembly/phi-store-key-domain';
import { findingsOf, Mutable } from './assembly-fixture';

const gso = (output: string) => ({ 'Fn::GetStackOutput': { StackName: 'app-prod-keys', OutputName: output } });

describe('PhiStoreKeyDomain', () => {
  test('E1 E2 the database, PHI bucket and vault on their domain keys across stacks pass; so does the trail on the audit key', () => {
    expect(findingsOf(PhiStoreKeyDomain)).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the database on the backup key',
      (t) => (t.data.Resources.Db.Properties.KmsKeyId = gso('BackupKeyArn')),
      ['[KmsKeyId::backup] Db'],
    ],
    [
      'Performance Insights on a key outside the assembly',
      (t) =>
        (t.data.Resources.Db.Properties.PerformanceInsightsKMSKeyId =
          'arn:aws:kms:us-east-1:999999999999:key/00000000-0000-0000-0000-000000000000'),
      ['[PerformanceInsightsKMSKeyId::outside-assembly] Db'],
    ],
    [
      'Performance Insights enabled as "true" (a string, as CloudFormation takes it) on a key outside the assembly',
      (t) => {
        t.data.Resources.Db.Properties.EnablePerformanceInsights = 'true';
        t.data.Resources.Db.Properties.PerformanceInsightsKMSKeyId =
          'arn:aws:kms:us-east-1:999999999999:key/00000000-0000-0000-0000-000000000000';
      },
      ['[PerformanceInsightsKMSKeyId::outside-assembly] Db'],
    ],
    [
      'Performance Insights switched by a condition only deploy resolves, on a key outside the assembly',
      (t) => {
        t.data.Resources.Db.Properties.EnablePerformanceInsights = { 'Fn::If': ['Insights', true, false] };
        t.data.Resources.Db.Properties.PerformanceInsightsKMSKeyId =
          'arn:aws:kms:us-east-1:999999999999:key/00000000-0000-0000-0000-000000000000';
      },
      ['[PerformanceInsightsKMSKeyId::outside-assembly] Db'],
    ],
    [
      'the PHI bucket on the audit key (its marker removed: found by name)',
      (t) => {
        const b = t.data.Resources.PhiBucket;
        delete b.Metadata;
        b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID =
          gso('AuditKeyArn');
      },
      ['[KMSMasterKeyID::audit] PhiBucket'],
    ],
    [
      'the database on the backup key, its DBClusterIdentifier AWS::NoValue (no cluster)',
      (t) => {
        t.data.Resources.Db.Properties.KmsKeyId = gso('BackupKeyArn');
        t.data.Resources.Db.Properties.DBClusterIdentifier = { Ref: 'AWS::NoValue' };
      },
      ['[KmsKeyId::backup] Db'],
    ],
    [
      'the database on the backup key, its DBClusterIdentifier a condition only deploy resolves',
      (t) => {
        t.data.Resources.Db.Properties.KmsKeyId = gso('BackupKeyArn');
        t.data.Resources.Db.Properties.DBClusterIdentifier = {
          'Fn::If': ['Aurora', 'app-prod-phi', { Ref: 'AWS::NoValue' }],
        };
      },
      ['[KmsKeyId::backup] Db'],
    ],
    [
      'the vault on the PHI key',
      (t) => (t.data.Resources.Vault.Properties.EncryptionKeyArn = gso('PhiKeyArn')),
      ['[EncryptionKeyArn::phi] Vault'],
    ],
    [
      'the PHI key without its domain marker',
      (t) => delete t.keys.Resources.PhiKey.Metadata,
      [
        '[KMSMasterKeyID::no-domain] PhiBucket',
        '[KmsKeyId::no-domain] Db',
        '[PerformanceInsightsKMSKeyId::no-domain] Db',
      ],
    ],
    [
      'a reference to an output that is not in the assembly',
      (t) => (t.data.Resources.Db.Properties.KmsKeyId = gso('Missing')),
      ['[KmsKeyId::unresolved] Db'],
    ],
    [
      'the trail on the PHI key',
      (t) => (t.audit.Resources.Trail.Properties.KMSKeyId = gso('PhiKeyArn')),
      ['[KMSKeyId::phi] Trail'],
    ],
  ])('E1 E2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(PhiStoreKeyDomain, mutate)).toEqual(expected);
  });
});
