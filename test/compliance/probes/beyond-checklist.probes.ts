import { eventRuleFor, idsOf, Json, moveAlertRuleRouting, one, Probe, remove } from './probe';

const detector = (t: Parameters<Probe['mutate']>[0]) => one(t, 'detection', 'AWS::GuardDuty::Detector')[1];
const planRules = (t: Parameters<Probe['mutate']>[0]): Json[] =>
  one(t, 'data', 'AWS::Backup::BackupPlan')[1].Properties.BackupPlan.BackupPlanRule;

/** Beyond the checklist (issue 15): tested restores, isolated backups, runtime and malware protection, scanning. */
export const PROBES: readonly Probe[] = [
  {
    name: 'I1 the restore testing plan and its selections removed',
    safeguards: ['I1'],
    mutate: (t) =>
      remove(t, 'data', [
        ...idsOf(t, 'data', 'AWS::Backup::RestoreTestingPlan'),
        ...idsOf(t, 'data', 'AWS::Backup::RestoreTestingSelection'),
      ]),
    caughtBy: /RestoreTestingCoversPhiBackups\[.*::no-restore-test\]/,
  },
  {
    name: 'I1 the PHI bucket no longer restore-tested',
    safeguards: ['I1'],
    mutate: (t) =>
      remove(t, 'data', [
        one(t, 'data', 'AWS::Backup::RestoreTestingSelection', (r) => r.Properties.ProtectedResourceType === 'S3')[0],
      ]),
    caughtBy: /RestoreTestingCoversPhiBackups\[PhiBucket\w+::no-restore-test\]/,
  },
  {
    name: 'I1 the database restore test without its overrides (AWS Backup would restore it into the default VPC)',
    safeguards: ['I1'],
    mutate: (t) =>
      delete one(
        t,
        'data',
        'AWS::Backup::RestoreTestingSelection',
        (r) => r.Properties.ProtectedResourceType === 'RDS',
      )[1].Properties.RestoreMetadataOverrides,
    caughtBy: /RestoreTestingCoversPhiBackups\[RestoreTestingDatabase\w+::restore-overrides\]/,
  },
  {
    name: 'I1 the PHI bucket restore test restoring objects with SSE-S3 instead of the PHI key',
    safeguards: ['I1'],
    mutate: (t) =>
      (one(
        t,
        'data',
        'AWS::Backup::RestoreTestingSelection',
        (r) => r.Properties.ProtectedResourceType === 'S3',
      )[1].Properties.RestoreMetadataOverrides = { encryptiontype: 'SSE-S3' }),
    caughtBy: /RestoreTestingCoversPhiBackups\[RestoreTestingBucket\w+::restore-overrides\]/,
  },
  {
    name: 'I1 the restore test security group opened to the application tier',
    safeguards: ['I1'],
    mutate: (t) =>
      (one(
        t,
        'data',
        'AWS::EC2::SecurityGroup',
        (r) => /restore/i.test(r.Properties.GroupDescription) && !/validation/i.test(r.Properties.GroupDescription),
      )[1].Properties.SecurityGroupIngress = [
        { IpProtocol: 'tcp', FromPort: 5433, ToPort: 5433, CidrIp: '10.0.0.0/16' },
      ]),
    caughtBy: /RestoreTestingCoversPhiBackups\[RestoreTestingDatabase\w+::restore-overrides\]/,
  },
  {
    name: 'I1 the alert on failed backup copy jobs removed (a copy that never reaches the replica vault goes unnoticed)',
    safeguards: ['I1'],
    mutate: (t) => remove(t, 'alerting', [eventRuleFor(t, 'alerting', 'Copy Job State Change')[0]]),
    caughtBy: /BackupCopiedToLockedVault\[CopyJobFailures::not-alerted\]/,
  },
  {
    name: 'I1 the alert on failed backup copy jobs left with its one target AWS::NoValue (a rule that delivers nowhere)',
    safeguards: ['I1'],
    mutate: (t) => {
      eventRuleFor(t, 'alerting', 'Copy Job State Change')[1].Properties.Targets = [{ Ref: 'AWS::NoValue' }];
    },
    caughtBy: /BackupCopiedToLockedVault\[CopyJobFailures::not-alerted\]/,
  },
  {
    name: 'I1 the alert on failed backup copy jobs sent to a queue of its stack that nobody reads',
    safeguards: ['I1'],
    mutate: (t) => {
      t.alerting.Resources.QuietQueue = { Type: 'AWS::SQS::Queue', Properties: {} };
      eventRuleFor(t, 'alerting', 'Copy Job State Change')[1].Properties.Targets = [
        { Arn: { 'Fn::GetAtt': ['QuietQueue', 'Arn'] }, Id: 'Target0' },
      ];
    },
    caughtBy: /BackupCopiedToLockedVault\[CopyJobFailures::not-alerted\]/,
  },
  {
    name: "I1 the alert on failed backup copy jobs moved, with a function to invoke, to the replica region's stack (copy jobs emit their events in the plan's region)",
    safeguards: ['I1'],
    mutate: (t) => moveAlertRuleRouting(t, 'Copy Job State Change', 'replicaDetection'),
    caughtBy: /BackupCopiedToLockedVault\[CopyJobFailures::not-alerted\]/,
  },
  {
    name: 'I1 the restore testing plan picks recovery points from no vault',
    safeguards: ['I1'],
    mutate: (t) =>
      (one(t, 'data', 'AWS::Backup::RestoreTestingPlan')[1].Properties.RecoveryPointSelection.IncludeVaults = []),
    caughtBy: /RestoreTestingCoversPhiBackups\[Database\w+::no-restore-test\]/,
  },
  {
    name: 'I1 the cross-region copy actions removed from the PHI backup plan',
    safeguards: ['I1'],
    mutate: (t) => {
      for (const rule of planRules(t)) delete rule.CopyActions;
    },
    caughtBy: /BackupCopiedToLockedVault\[DailyContinuous::no-copy\]/,
  },
  {
    name: 'I1 the PHI backups copied to a new locked vault of another stack in the main region instead of the replica region',
    safeguards: ['I1'],
    mutate: (t) => {
      const [, replicaVault] = one(t, 'phiReplica', 'AWS::Backup::BackupVault');
      const vault = JSON.parse(JSON.stringify(replicaVault));
      vault.Properties.BackupVaultName = 'hipaa-prod-phi-vault-main-region-copy';
      delete vault.Properties.EncryptionKeyArn;
      t.app.Resources.MainRegionCopyVault = vault;
      for (const rule of planRules(t))
        for (const copy of rule.CopyActions)
          copy.DestinationBackupVaultArn =
            'arn:aws:backup:us-east-1:222222222222:backup-vault:hipaa-prod-phi-vault-main-region-copy';
    },
    caughtBy: /BackupCopiedToLockedVault\[\w+::destination-same-region\]/,
  },
  {
    name: 'I1 the replica region backup vault removed',
    safeguards: ['I1'],
    mutate: (t) => remove(t, 'phiReplica', [one(t, 'phiReplica', 'AWS::Backup::BackupVault')[0]]),
    caughtBy: /BackupCopiedToLockedVault\[\w+::destination-outside-assembly\]/,
  },
  {
    name: 'I1 the replica region backup vault unlocked',
    safeguards: ['I1'],
    mutate: (t) => delete one(t, 'phiReplica', 'AWS::Backup::BackupVault')[1].Properties.LockConfiguration,
    caughtBy: /BackupCopiedToLockedVault\[\w+::destination-unlocked\]|BackupVaultLocked/,
  },
  {
    name: 'D2 GuardDuty runtime monitoring of the Fargate tasks off',
    safeguards: ['D2'],
    mutate: (t) => {
      for (const f of detector(t).Properties.Features) if (f.Name === 'RUNTIME_MONITORING') f.Status = 'DISABLED';
    },
    caughtBy: /ThreatProtectionPresent\[GuardDuty::runtime-monitoring-off\]/,
  },
  {
    name: 'D2 GuardDuty no longer manages the Fargate security agent',
    safeguards: ['D2'],
    mutate: (t) => {
      for (const f of detector(t).Properties.Features) {
        for (const c of f.AdditionalConfiguration ?? []) c.Status = 'DISABLED';
      }
    },
    caughtBy: /ThreatProtectionPresent\[GuardDuty::fargate-agent-not-managed\]/,
  },
  {
    name: 'D2 the malware protection plan of the PHI bucket removed',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'detection', [one(t, 'detection', 'AWS::GuardDuty::MalwareProtectionPlan')[0]]),
    caughtBy: /ThreatProtectionPresent\[PhiBucket\w+::no-malware-scan\]/,
  },
  {
    name: 'D2 malware scanning narrowed to one prefix of the PHI bucket',
    safeguards: ['D2'],
    mutate: (t) =>
      (one(
        t,
        'detection',
        'AWS::GuardDuty::MalwareProtectionPlan',
      )[1].Properties.ProtectedResource.S3Bucket.ObjectPrefixes = ['scanned/']),
    caughtBy: /ThreatProtectionPresent\[PhiBucket\w+::no-malware-scan\]/,
  },
  {
    name: 'D2 the ECR registry scanning configuration removed',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'detection', [one(t, 'detection', 'AWS::ECR::RegistryScanningConfiguration')[0]]),
    caughtBy: /ThreatProtectionPresent\[ECR::no-enhanced-continuous-scanning\]/,
  },
  {
    name: 'D2 ECR scanning downgraded to basic scan on push',
    safeguards: ['D2'],
    mutate: (t) => {
      const config = one(t, 'detection', 'AWS::ECR::RegistryScanningConfiguration')[1].Properties;
      config.ScanType = 'BASIC';
      config.Rules[0].ScanFrequency = 'SCAN_ON_PUSH';
    },
    caughtBy: /ThreatProtectionPresent\[ECR::no-enhanced-continuous-scanning\]/,
  },
];
