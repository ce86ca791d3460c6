import { idsOf, one, Probe, remove, Templates } from './probe';

const plan = (t: Templates) => one(t, 'data', 'AWS::Backup::BackupPlan')[1].Properties.BackupPlan.BackupPlanRule;
const detector = (t: Templates) => ({ Ref: one(t, 'detection', 'AWS::GuardDuty::Detector')[0] });

/** The attacker review of the backup and detection rules: mutations that passed the gate. */
export const PROBES: readonly Probe[] = [
  {
    name: 'D2 a GuardDuty filter archiving every finding (severity >= 0)',
    safeguards: ['D2'],
    mutate: (t) => {
      t.detection!.Resources.GuardDutyNoiseFilter = {
        Type: 'AWS::GuardDuty::Filter',
        Properties: {
          DetectorId: detector(t),
          Name: 'suppress-noise',
          Action: 'ARCHIVE',
          Rank: 1,
          FindingCriteria: { Criterion: { severity: { GreaterThanOrEqual: 0 } } },
        },
      };
    },
    caughtBy: /DetectionServicesPresent\[GuardDuty::archive-filter\]/,
  },
  {
    name: 'D2 the AWS Config recorder narrowed to one resource type',
    safeguards: ['D2'],
    mutate: (t) =>
      (one(t, 'detection', 'AWS::Config::ConfigurationRecorder')[1].Properties.RecordingGroup = {
        AllSupported: false,
        IncludeGlobalResourceTypes: false,
        ResourceTypes: ['AWS::SNS::Topic'],
      }),
    caughtBy: /DetectionServicesPresent\[Config::recorder-narrowed\]/,
  },
  {
    name: 'I1 the PHI backup selection excluding the database and bucket it names (NotResources)',
    safeguards: ['I1'],
    mutate: (t) => {
      const s = one(t, 'data', 'AWS::Backup::BackupSelection')[1].Properties.BackupSelection;
      s.NotResources = JSON.parse(JSON.stringify(s.Resources));
    },
    caughtBy: /PhiBackupsMeetFloors\[\w+::not-resources\]/,
  },
  {
    name: 'I1 the daily backup rule without continuous backup, and yearly',
    safeguards: ['I1'],
    mutate: (t) => {
      plan(t)[0].EnableContinuousBackup = false;
      plan(t)[0].ScheduleExpression = 'cron(0 5 1 1 ? *)';
    },
    caughtBy: /PhiBackupsMeetFloors\[\w+::no-daily-continuous-rule\]/,
  },
  {
    name: 'I1 the monthly backup rule and its copy kept 40 days',
    safeguards: ['I1'],
    mutate: (t) => {
      plan(t)[1].Lifecycle.DeleteAfterDays = 40;
      plan(t)[1].CopyActions[0].Lifecycle.DeleteAfterDays = 40;
    },
    caughtBy: /PhiBackupsMeetFloors\[\w+::no-long-term-rule\]/,
  },
  {
    name: "I1 an extra copy of every PHI recovery point to another account's vault",
    safeguards: ['I1'],
    mutate: (t) => {
      for (const rule of plan(t)) {
        rule.CopyActions.push({
          DestinationBackupVaultArn: 'arn:aws:backup:us-east-1:999999999999:backup-vault:dr-vault',
          Lifecycle: { DeleteAfterDays: 35 },
        });
      }
    },
    caughtBy: /BackupCopiedToLockedVault\[\w+::extra-copy-destination-outside-assembly\]/,
  },
  {
    name: 'I1 I2 the PHI vault lock left in governance mode (ChangeableForDays removed) in production',
    safeguards: ['I1', 'I2'],
    mutate: (t) => delete one(t, 'data', 'AWS::Backup::BackupVault')[1].Properties.LockConfiguration.ChangeableForDays,
    caughtBy: /PhiBackupsMeetFloors\[\w+::vault-lock-governance-mode\]/,
  },
  {
    name: "I1 I2 the replica region's copy vault lock left in governance mode in production",
    safeguards: ['I1', 'I2'],
    mutate: (t) =>
      delete one(t, 'phiReplica', 'AWS::Backup::BackupVault')[1].Properties.LockConfiguration.ChangeableForDays,
    caughtBy: /PhiBackupsMeetFloors\[\w+::vault-lock-governance-mode\]/,
  },
  {
    name: 'I1 I2 the PHI vault lock removable for ten years (ChangeableForDays 3650) in production',
    safeguards: ['I1', 'I2'],
    mutate: (t) =>
      (one(t, 'data', 'AWS::Backup::BackupVault')[1].Properties.LockConfiguration.ChangeableForDays = 3650),
    caughtBy: /PhiBackupsMeetFloors\[\w+::vault-lock-grace-too-long\]/,
  },
  {
    name: "I1 the PHI vault lock's minimum retention raised to 100 years (every daily backup job fails)",
    safeguards: ['I1'],
    mutate: (t) =>
      (one(t, 'data', 'AWS::Backup::BackupVault')[1].Properties.LockConfiguration.MinRetentionDays = 36500),
    caughtBy: /PhiBackupsMeetFloors\[\w+::retention-below-vault-lock\]/,
  },
  {
    name: "I1 the replica copy vault's maximum retention below the monthly copies' (every monthly copy fails)",
    safeguards: ['I1'],
    mutate: (t) =>
      (one(t, 'phiReplica', 'AWS::Backup::BackupVault')[1].Properties.LockConfiguration.MaxRetentionDays = 40),
    caughtBy: /PhiBackupsMeetFloors\[\w+::copy-retention-above-vault-lock\]/,
  },
  {
    name: "I1 the PHI vault's access policy allowing everyone to delete and shorten recovery points (after the lock's minimum)",
    safeguards: ['I1'],
    mutate: (t) =>
      (one(t, 'data', 'AWS::Backup::BackupVault')[1].Properties.AccessPolicy = {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
            Resource: '*',
          },
        ],
      }),
    caughtBy: /BackupVaultLocked\[AccessPolicy::allows\]/,
  },
  {
    name: 'D2 both Security Hub standards removed (a hub evaluating no control)',
    safeguards: ['D2'],
    mutate: (t) => remove(t, 'detection', idsOf(t, 'detection', 'AWS::SecurityHub::Standard')),
    caughtBy: /DetectionServicesPresent\[SecurityHub::standard-\w+-absent\]/,
  },
  {
    name: 'D2 an activated GuardDuty trusted IP list whose contents the template cannot show',
    safeguards: ['D2'],
    mutate: (t) => {
      t.detection!.Resources.TrustedScanners = {
        Type: 'AWS::GuardDuty::IPSet',
        Properties: {
          Activate: true,
          DetectorId: detector(t),
          Format: 'TXT',
          Location: 'https://s3.amazonaws.com/hipaa-prod-config-222222222222/guardduty/trusted.txt',
          Name: 'trusted-scanners',
        },
      };
    },
    caughtBy: /DetectionServicesPresent\[GuardDuty::trusted-ip-list\]/,
  },
];
