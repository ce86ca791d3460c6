import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { EVIDENCE_DIR, SCP_DIR } from '../../../../lib/compliance/evidence-plugin';
import { SCP_MAX_CHARS } from '../../../../lib/compliance/gate/eligibility/scp';
import { GLOBAL_SERVICE_ACTIONS } from '../../../../lib/compliance/gate/scps/allowed-regions-scp';
import { buildScpSet } from '../../../../lib/compliance/gate/scps/scp-set';
import { actionMatches } from '../../../../lib/compliance/gate/rules/policy-statements';
import { BlueprintConfig, deploymentRoleArns, ENVIRONMENTS, validateConfig } from '../../../../lib/config';
import { testConfig } from '../../../support/blueprint';
import { synthesizedDir } from '../../../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The tamper actions of issue 12 item 1, by what they tamper with: each must be denied by a tamper SCP to every
 * principal but the deployment role. This is the list of actions the SCPs watch.
 */
const TAMPER_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'trail and event selectors': [
    'cloudtrail:StopLogging',
    'cloudtrail:DeleteTrail',
    'cloudtrail:UpdateTrail',
    'cloudtrail:PutEventSelectors',
  ],
  'Object Lock and versioning': [
    's3:PutBucketObjectLockConfiguration',
    's3:PutBucketVersioning',
    's3:BypassGovernanceRetention',
    's3:PutObjectRetention',
  ],
  'bucket policies of PHI and audit buckets': ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
  "an object's encryption changed in place, a bucket's inventory or metadata tables": [
    's3:UpdateObjectEncryption',
    's3:PutInventoryConfiguration',
    's3:CreateBucketMetadataTableConfiguration',
    's3:DeleteBucketMetadataTableConfiguration',
    's3:UpdateBucketMetadataInventoryTableConfiguration',
    's3:UpdateBucketMetadataJournalTableConfiguration',
  ],
  'key policies, grants, disable and deletion': [
    'kms:PutKeyPolicy',
    'kms:CreateGrant',
    'kms:DisableKey',
    'kms:ScheduleKeyDeletion',
    'kms:DisableKeyRotation',
  ],
  'GuardDuty detector, suppression filters, trusted IP lists': [
    'guardduty:DeleteDetector',
    'guardduty:UpdateDetector',
    'guardduty:CreateFilter',
    'guardduty:CreateIPSet',
  ],
  'Security Hub disable, standards, suppressing automation rules': [
    'securityhub:DisableSecurityHub',
    'securityhub:BatchDisableStandards',
    'securityhub:CreateAutomationRule',
  ],
  'Macie disable and pause': ['macie2:DisableMacie', 'macie2:UpdateMacieSession'],
  'AWS Config recorder and rules': [
    'config:DeleteConfigurationRecorder',
    'config:StopConfigurationRecorder',
    'config:DeleteConfigRule',
  ],
  'backup plan and vault': [
    'backup:DeleteBackupPlan',
    'backup:UpdateBackupPlan',
    'backup:DeleteBackupVault',
    'backup:DeleteBackupVaultLockConfiguration',
  ],
  'log group deletion and retention': ['logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy'],
  'metric filters': ['logs:DeleteMetricFilter', 'logs:PutMetricFilter'],
  'alarm actions': ['cloudwatch:DisableAlarmActions', 'cloudwatch:DeleteAlarms'],
  'EventBridge rules': ['events:DisableRule', 'events:DeleteRule', 'events:RemoveTargets'],
  "the formatter function's code and concurrency": ['lambda:UpdateFunctionCode', 'lambda:PutFunctionConcurrency'],
  'role trust policies': ['iam:UpdateAssumeRolePolicy'],
  'database snapshot copy and share': ['rds:CopyDBSnapshot', 'rds:ModifyDBSnapshotAttribute'],
  'master password': ['rds:ModifyDBInstance', 'rds:ModifyDBCluster'],
  'parameter groups': ['rds:ModifyDBParameterGroup', 'rds:ResetDBParameterGroup'],
};

const dev = validateConfig(testConfig('dev'));
const tamperStatements = (config: Parameters<typeof buildScpSet>[0]): Json[] =>
  buildScpSet(config)
    .filter((s) => s.file.startsWith('tamper-protection'))
    .flatMap((s) => s.document.Statement as Json[]);
/** The IAM ARN pattern of an ArnLike value as a regular expression. */
const arnLike = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

describe('the SCP set', () => {
  test('V1 U6 four SCPs, each under the 5,120-character limit, for every shipped environment and the longest names', () => {
    const longest: BlueprintConfig = { ...dev, appName: 'abcdefghijkl', envName: 'abcdefghij' };
    for (const config of [...Object.values(ENVIRONMENTS), longest]) {
      const set = buildScpSet(config);
      expect(set.map((s) => s.file)).toEqual([
        'hipaa-eligible-services.json',
        'allowed-regions.json',
        'tamper-protection-audit.json',
        'tamper-protection-keys-and-detection.json',
      ]);
      for (const s of set) {
        expect(s.json.length).toBeLessThanOrEqual(SCP_MAX_CHARS);
        expect(JSON.parse(s.json)).toEqual(s.document);
      }
    }
  });

  test('V1 the region SCP denies everything but global services outside allowedRegions', () => {
    const regions = buildScpSet(dev).find((s) => s.file === 'allowed-regions.json')!.document.Statement as Json[];
    expect(regions).toEqual([
      {
        Sid: 'DenyRegionsOutsideAllowedRegions',
        Effect: 'Deny',
        NotAction: [...GLOBAL_SERVICE_ACTIONS],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] } },
      },
    ]);
    expect(GLOBAL_SERVICE_ACTIONS).toEqual(expect.arrayContaining(['iam:*', 'sts:*', 'organizations:*', 'artifact:*']));
  });

  test.each(Object.entries(TAMPER_ACTIONS))('U6 the tamper SCPs deny %s', (_what, actions) => {
    const statements = tamperStatements(dev);
    for (const action of actions) {
      expect({
        action,
        denied: statements.some(
          (s) => s.Effect === 'Deny' && (s.Action as string[]).some((p) => actionMatches(p, action)),
        ),
      }).toEqual({
        action,
        denied: true,
      });
    }
  });

  test("U6 every tamper statement exempts exactly the deployment role of each of the environment's regions (and AWS Backup where it acts)", () => {
    for (const s of tamperStatements(dev)) {
      const exempt: string[] = s.Condition.ArnNotLike['aws:PrincipalArn'];
      for (const arn of deploymentRoleArns(dev)) expect(exempt.some((p) => arnLike(p).test(arn))).toBe(true);
      // Nobody else of the account: not an administrator, not a key administrator.
      for (const arn of ['arn:aws:iam::123456789012:role/Administrator', 'arn:aws:iam::123456789012:root']) {
        expect(exempt.some((p) => arnLike(p).test(arn))).toBe(false);
      }
      expect(exempt.length).toBe(
        ['DenyBackupTampering', 'DenyDatabaseSnapshotShareCopyAndChanges'].includes(s.Sid) ? 2 : 1,
      );
    }
  });

  test('V1 U6 every synth writes the SCP set into the evidence', () => {
    // testConfig('dev') synthesized with the gate on, once for the run by the globalSetup.
    const dir = join(synthesizedDir('dev'), EVIDENCE_DIR, SCP_DIR);
    const set = buildScpSet(dev);
    expect(readdirSync(dir).sort()).toEqual(set.map((s) => s.file).sort());
    for (const s of set) expect(readFileSync(join(dir, s.file), 'utf8')).toBe(`${s.json}\n`);
  });
});
