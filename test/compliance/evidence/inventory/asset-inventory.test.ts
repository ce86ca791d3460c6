import {
  buildAssetInventory,
  PHI_STORE_TEMPLATE_METADATA,
} from '../../../../lib/compliance/evidence/inventory/asset-inventory';
import { buildNetworkMap } from '../../../../lib/compliance/evidence/inventory/network-map';
import { renderInventoryMarkdown } from '../../../../lib/compliance/evidence/inventory/render-inventory-markdown';
import { SAFEGUARD_METADATA_KEY } from '../../../../lib/compliance/evidence/safeguard-metadata';
import { fixtureStack, TEST_STAMP } from '../../../support/inventory-stacks';

const PHI = { [PHI_STORE_TEMPLATE_METADATA]: true };

const data = fixtureStack(
  'App/Data',
  {
    Resources: {
      PhiBucket: {
        Type: 'AWS::S3::Bucket',
        Metadata: {
          ...PHI,
          'aws:cdk:path': 'App/Data/PhiBucket/Resource',
          [SAFEGUARD_METADATA_KEY]: { safeguards: ['E2', 'I2'], hipaaSections: ['164.312(a)(2)(iv)'] },
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BucketName: 'phi-rec-0001-bucket',
          VersioningConfiguration: { Status: 'Enabled' },
          LifecycleConfiguration: {
            Rules: [{ Id: 'Old', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 2192 } }],
          },
          ObjectLockEnabled: true,
          ObjectLockConfiguration: {
            ObjectLockEnabled: 'Enabled',
            Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2192 } },
          },
        },
      },
      UnbackedPhiDb: {
        Type: 'AWS::RDS::DBInstance',
        Metadata: PHI,
        Properties: { StorageEncrypted: true, BackupRetentionPeriod: 35 },
      },
      Plain: { Type: 'AWS::S3::Bucket', Properties: {} },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 2192 } },
      Forever: { Type: 'AWS::Logs::LogGroup', Properties: {} },
      Vault: {
        Type: 'AWS::Backup::BackupVault',
        Metadata: PHI,
        Properties: { LockConfiguration: { MinRetentionDays: 35 } },
      },
      Plan: {
        Type: 'AWS::Backup::BackupPlan',
        Properties: {
          BackupPlan: {
            BackupPlanRule: [
              {
                RuleName: 'Daily',
                Lifecycle: { DeleteAfterDays: 35 },
                EnableContinuousBackup: true,
                TargetBackupVault: { Ref: 'Vault' },
              },
            ],
          },
        },
      },
      Selection: {
        Type: 'AWS::Backup::BackupSelection',
        Properties: {
          BackupPlanId: { Ref: 'Plan' },
          BackupSelection: { SelectionName: 's', IamRoleArn: 'x', Resources: [{ 'Fn::GetAtt': ['PhiBucket', 'Arn'] }] },
        },
      },
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: {} },
    },
  },
  { stackName: 'app-data' },
);

const inv = buildAssetInventory([data], TEST_STAMP);
const asset = (id: string) => inv.assets.find((a) => a.logicalId === id)!;

describe('asset inventory', () => {
  test('V2 one row per resource (CDK analytics metadata excepted and counted)', () => {
    expect(inv.assets.map((a) => a.logicalId)).toEqual([
      'PhiBucket',
      'UnbackedPhiDb',
      'Plain',
      'Logs',
      'Forever',
      'Vault',
      'Plan',
      'Selection',
    ]);
    expect(inv.summary.excluded).toEqual([
      { type: 'AWS::CDK::Metadata', count: 1, reason: 'CDK version analytics; deploys nothing in the account' },
    ]);
    expect(asset('PhiBucket')).toMatchObject({
      stack: 'App/Data',
      stackName: 'app-data',
      region: 'us-east-1',
      constructPath: 'App/Data/PhiBucket/Resource',
      type: 'AWS::S3::Bucket',
      service: 'Amazon Simple Storage Service (S3)',
      safeguards: ['E2', 'I2'],
      hipaaSections: ['164.312(a)(2)(iv)'],
    });
  });

  test('V2 PHI store is the HipaaBlueprint::PhiStore template marker and nothing else', () => {
    expect(inv.assets.filter((a) => a.phiStore).map((a) => a.logicalId)).toEqual([
      'PhiBucket',
      'UnbackedPhiDb',
      'Vault',
    ]);
    expect(inv.summary.phiStores).toEqual(['App/Data/PhiBucket', 'App/Data/UnbackedPhiDb', 'App/Data/Vault']);
    // A PHI-sounding name is not a marker.
    const named = buildAssetInventory(
      [
        fixtureStack('App/X', {
          Resources: { PhiStoreBucket: { Type: 'AWS::S3::Bucket', Metadata: { 'HipaaBlueprint::PhiStore': 'true' } } },
        }),
      ],
      TEST_STAMP,
    );
    expect(named.assets[0]!.phiStore).toBe(false);
  });

  test('V2 a PHI store no backup selection covers is listed as such', () => {
    expect(asset('PhiBucket').backup.covered).toBe(true);
    expect(inv.summary.phiStoresWithoutBackup).toEqual(['App/Data/UnbackedPhiDb']);
    expect(inv.summary.phiStoresOutsideAwsBackup).toEqual(['App/Data/Vault (AWS::Backup::BackupVault)']);
  });

  test('V2 retention and deletion behaviour are read from the template, defaults stated', () => {
    expect(asset('PhiBucket').retention).toEqual([
      'Object Lock COMPLIANCE 2192 days (default retention)',
      'versioned',
      'lifecycle Old: noncurrent versions expire after 2192 days',
    ]);
    expect(asset('Plain').retention).toEqual(['not versioned', 'no lifecycle expiration (objects kept until deleted)']);
    expect(asset('Logs').retention).toEqual(['log events 2192 days']);
    expect(asset('Forever').retention).toEqual(['log events never expire']);
    expect(asset('Vault').retention).toEqual(['vault lock (governance mode): min 35 days']);
    expect(asset('Plan').retention).toEqual(['backup rule Daily: kept 35 days, continuous (PITR)']);
    expect(asset('UnbackedPhiDb').retention).toEqual(['automated backups 35 days', 'deletion protection off']);
    expect(asset('PhiBucket').deletionPolicy).toBe('Retain');
    expect(asset('Plain').deletionPolicy).toBe('Delete (CloudFormation default)');
    expect(asset('UnbackedPhiDb').deletionPolicy).toBe('Snapshot (CloudFormation default)');
  });

  test('V2 inventory.md carries the stamp, the PHI stores and a row per resource', () => {
    const md = renderInventoryMarkdown(inv);
    expect(md).toContain(`| test | 123456789012 | us-east-1 | ${TEST_STAMP.gitCommit} | sha256:test |`);
    expect(md).toContain('- PHI stores without backup coverage: `App/Data/UnbackedPhiDb`.');
    for (const a of inv.assets) expect(md).toContain(`| ${a.logicalId} | `);
    expect(md).toMatch(/\| App\/Data\/PhiBucket \| AWS::S3::Bucket \| \*\*yes\*\* \| SSE-S3/);
  });

  test('V2 the map marks PHI stores', () => {
    const map = buildNetworkMap([data], TEST_STAMP);
    expect(map.nodes.find((n) => n.id === 'App/Data::PhiBucket')).toMatchObject({
      phi: true,
      detail: expect.arrayContaining(['PHI store']),
    });
  });
});
