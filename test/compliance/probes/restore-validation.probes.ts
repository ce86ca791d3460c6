import { idsOf, Json, one, Probe, remove } from './probe';

type T = Parameters<Probe['mutate']>[0];

const isRestoreJobRule = (r: Json): boolean =>
  r.Properties?.EventPattern?.source?.includes('aws.backup') === true &&
  r.Properties?.EventPattern?.['detail-type']?.includes('Restore Job State Change') === true;
const validationFunction = (t: T) =>
  one(t, 'data', 'AWS::Lambda::Function', (r) => r.Properties?.Environment?.Variables?.RTO_HOURS !== undefined);
const restoreAlarms = (t: T, metric: string, type?: string): string[] =>
  idsOf(
    t,
    'data',
    'AWS::CloudWatch::Alarm',
    (r) =>
      r.Properties?.MetricName === metric &&
      (type === undefined ||
        (r.Properties?.Dimensions ?? []).some((d: Json) => d.Name === 'ResourceType' && d.Value === type)),
  );
const alarmProperties = (t: T, metric: string, type: string): Json => {
  const [id] = restoreAlarms(t, metric, type);
  if (id === undefined) throw new Error(`probe: no ${metric} alarm of ${type} in data`);
  return t.data!.Resources[id]!.Properties;
};

const inspectionPolicy = (t: T) =>
  one(t, 'data', 'AWS::IAM::ManagedPolicy', (r) =>
    (r.Properties?.PolicyDocument?.Statement ?? []).some((st: Json) => st.Sid === 'InspectRestoredBuckets'),
  );
const withoutStatement = (t: T, sid: string): void => {
  const document = inspectionPolicy(t)[1].Properties.PolicyDocument;
  document.Statement = document.Statement.filter((st: Json) => st.Sid !== sid);
};

/** Restore test validation against the recovery time objective (issue 15 item 2, I1; RestoreTestsValidated). */
export const PROBES: readonly Probe[] = [
  {
    name: 'I1 the rule on AWS Backup restore job events removed',
    safeguards: ['I1'],
    mutate: (t) => remove(t, 'data', idsOf(t, 'data', 'AWS::Events::Rule', isRestoreJobRule)),
    caughtBy: /RestoreTestsValidated\[Validation::missing\]/,
  },
  {
    name: 'I1 the rule on AWS Backup restore job events disabled',
    safeguards: ['I1'],
    mutate: (t) => (one(t, 'data', 'AWS::Events::Rule', isRestoreJobRule)[1].Properties.State = 'DISABLED'),
    caughtBy: /RestoreTestsValidated\[Validation::missing\]/,
  },
  {
    name: 'I1 the restore validation function removed',
    safeguards: ['I1'],
    mutate: (t) => remove(t, 'data', [validationFunction(t)[0]]),
    caughtBy: /RestoreTestsValidated\[Validation::missing\]/,
  },
  {
    name: 'I1 the restore validation function validating against 72 h instead of the declared RTO',
    safeguards: ['I1'],
    mutate: (t) => (validationFunction(t)[1].Properties.Environment.Variables.RTO_HOURS = '72'),
    caughtBy: /RestoreTestsValidated\[\w+::rto-over-declared\]/,
  },
  {
    name: 'I1 the recovery time objective no longer declared by the data template',
    safeguards: ['I1'],
    mutate: (t) => delete (t.data!.Metadata as Json).HipaaBlueprint.recoveryTimeObjectiveHours,
    caughtBy: /RestoreTestsValidated\[RTO::undeclared\]/,
  },
  {
    name: 'I1 the restore duration alarms removed',
    safeguards: ['I1'],
    mutate: (t) => remove(t, 'data', restoreAlarms(t, 'RestoreTestDurationHours')),
    caughtBy: /RestoreTestsValidated\[S3::no-duration-alarm\]/,
  },
  {
    name: 'I1 the PHI bucket restore duration alarm firing only above 72 h (the RTO is 24 h)',
    safeguards: ['I1'],
    mutate: (t) => (alarmProperties(t, 'RestoreTestDurationHours', 'S3').Threshold = 72),
    caughtBy: /RestoreTestsValidated\[S3::duration-over-rto\]/,
  },
  {
    name: 'I1 the PHI bucket restore duration alarm without actions',
    safeguards: ['I1'],
    mutate: (t) => (alarmProperties(t, 'RestoreTestDurationHours', 'S3').AlarmActions = []),
    caughtBy: /RestoreTestsValidated\[S3::no-duration-alarm\]/,
  },
  {
    name: 'I1 the failed-restore-test alarms removed (a FAILED validation noticed only days later)',
    safeguards: ['I1'],
    mutate: (t) => remove(t, 'data', restoreAlarms(t, 'RestoreTestSucceeded')),
    caughtBy: /RestoreTestsValidated\[S3::no-failed-alarm\]/,
  },
  {
    name: 'I1 the no-validated-restore-test alarms removed',
    safeguards: ['I1'],
    mutate: (t) => remove(t, 'data', restoreAlarms(t, 'HoursSinceValidatedRestoreTest')),
    caughtBy: /RestoreTestsValidated\[S3::no-not-validated-alarm\]/,
  },
  {
    name: 'I1 the PHI bucket no-validated-restore-test alarm allowing 30 days without a validated restore',
    safeguards: ['I1'],
    mutate: (t) => (alarmProperties(t, 'HoursSinceValidatedRestoreTest', 'S3').Threshold = 720),
    caughtBy: /RestoreTestsValidated\[S3::no-not-validated-alarm\]/,
  },
  {
    name: 'I1 the freshness check schedule removed',
    safeguards: ['I1'],
    mutate: (t) =>
      remove(
        t,
        'data',
        idsOf(
          t,
          'data',
          'AWS::Events::Rule',
          (r) =>
            typeof r.Properties?.ScheduleExpression === 'string' &&
            JSON.stringify(r.Properties.Targets ?? []).includes(validationFunction(t)[0]),
        ),
      ),
    caughtBy: /RestoreTestsValidated\[\w+::no-freshness-check\]/,
  },
  {
    name: 'I1 the PHI bucket no-validated-restore-test alarm treating missing data as not breaching',
    safeguards: ['I1'],
    mutate: (t) => (alarmProperties(t, 'HoursSinceValidatedRestoreTest', 'S3').TreatMissingData = 'notBreaching'),
    caughtBy: /RestoreTestsValidated\[S3::no-not-validated-alarm\]/,
  },
  {
    name: 'I1 the restore validation without the PHI key ARN (cannot check the restored copy is encrypted with it)',
    safeguards: ['I1'],
    mutate: (t) => delete validationFunction(t)[1].Properties.Environment.Variables.PHI_KEY_ARN,
    caughtBy: /RestoreTestsValidated\[\w+::no-phi-key\]/,
  },
  {
    name: "I1 the restore validation checking restored copies against the backup key instead of the PHI database's key",
    safeguards: ['I1'],
    mutate: (t) => {
      const [, vault] = one(t, 'data', 'AWS::Backup::BackupVault', () => true);
      validationFunction(t)[1].Properties.Environment.Variables.PHI_KEY_ARN = vault.Properties.EncryptionKeyArn;
    },
    caughtBy: /RestoreTestsValidated\[\w+::not-the-phi-key\]/,
  },
  {
    name: 'I1 the restore validation role without the restored database inspection (RDS Describe)',
    safeguards: ['I1'],
    mutate: (t) => withoutStatement(t, 'InspectRestoredDatabases'),
    caughtBy: /RestoreTestsValidated\[\w+::no-inspection-permissions\]/,
  },
  {
    name: 'I1 the restore validation role without the restored bucket inspection (versioning, public access, listing)',
    safeguards: ['I1'],
    mutate: (t) => withoutStatement(t, 'InspectRestoredBuckets'),
    caughtBy: /RestoreTestsValidated\[\w+::no-inspection-permissions\]/,
  },
  {
    name: 'I1 the restore validation role without the restored objects header read (their encryption under the PHI key)',
    safeguards: ['I1'],
    mutate: (t) => withoutStatement(t, 'InspectRestoredObjectHeaders'),
    caughtBy: /RestoreTestsValidated\[\w+::no-inspection-permissions\]/,
  },
];
