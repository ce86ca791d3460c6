import { AccessAuditChannel } from '../../../../lib/compliance/gate/assembly/access-audit-channel-present';
import { AssemblyStack } from '../../../../lib/compliance/gate/core/template-json';
import { synthesizedStack, templateJson } from '../../../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The synthesized templates of one environment (testConfig(env), synthesized once for the run), by stack key. */
function templatesOf(env: 'dev' | 'prod'): Record<string, { stackName: string; template: Json }> {
  const ids: Record<string, string> = {
    keys: 'Keys',
    audit: 'Audit',
    app: 'App',
    data: 'Data',
    // I2: the audit replica bucket the access-audit bucket replicates into.
    phiReplica: 'PhiReplica',
  };
  return Object.fromEntries(
    Object.entries(ids).map(([k, id]) => [
      k,
      { stackName: synthesizedStack(env, id).stackName, template: templateJson(env, id) },
    ]),
  );
}

const PROD = templatesOf('prod');
const DEV = templatesOf('dev');

function findings(base: typeof PROD, mutate: (t: Record<string, Json>) => void = () => undefined): string[] {
  const copy = JSON.parse(JSON.stringify(base)) as typeof PROD;
  mutate(Object.fromEntries(Object.entries(copy).map(([k, v]) => [k, v.template])));
  const stacks: AssemblyStack[] = Object.values(copy).map((s) => ({
    stackName: s.stackName,
    file: `${s.stackName}.template.json`,
    template: s.template,
  }));
  return AccessAuditChannel.check(stacks, {})
    .findings.map((f) => f.ruleId.slice('Blueprint-AccessAuditChannel'.length))
    .sort();
}

const byType = (t: Json, type: string, pick: (r: Json) => boolean = () => true): Json[] =>
  Object.values(t.Resources as Record<string, Json>).filter((r) => r.Type === type && pick(r));
const bucket = (t: Record<string, Json>): Json =>
  byType(t.audit, 'AWS::S3::Bucket', (r) => r.Metadata?.['HipaaBlueprint::AccessAuditBucket'] !== undefined)[0];
const stream = (t: Record<string, Json>): Json => byType(t.audit, 'AWS::KinesisFirehose::DeliveryStream')[0];
const appendPolicy = (t: Record<string, Json>): Json =>
  byType(t.app, 'AWS::IAM::ManagedPolicy', (r) => String(r.Properties.Description).startsWith('Append-only'))[0];
const bucketPolicy = (t: Record<string, Json>): Json =>
  byType(t.audit, 'AWS::S3::BucketPolicy', (r) => JSON.stringify(r.Properties.Bucket).includes('AccessAuditBucket'))[0];
const retention = (t: Record<string, Json>): Json => bucket(t).Properties.ObjectLockConfiguration.Rule.DefaultRetention;

describe('AccessAuditChannel (assembly rule)', () => {
  test('U5 the synthesized dev and prod channels pass (one task role, its stream, its bucket judged)', () => {
    expect(findings(PROD)).toEqual([]);
    expect(findings(DEV)).toEqual([]);
    expect(AccessAuditChannel.check([], {}).evaluated).toBe(0);
  });

  test.each<[string, (t: Record<string, Json>) => void, string[]]>([
    [
      'Object Lock removed',
      (t) => {
        delete bucket(t).Properties.ObjectLockEnabled;
        delete bucket(t).Properties.ObjectLockConfiguration;
      },
      ['[Bucket::DefaultRetention::none]', '[Bucket::ObjectLockEnabled::false]'],
    ],
    ['the retention cut to 365 days', (t) => (retention(t).Days = 365), ['[Bucket::DefaultRetention::365d]']],
    [
      'GOVERNANCE mode in prod',
      (t) => (retention(t).Mode = 'GOVERNANCE'),
      ['[Bucket::DefaultRetention.Mode::GOVERNANCE]'],
    ],
    [
      'the bucket on S3-managed keys',
      (t) => {
        bucket(t).Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault = {
          SSEAlgorithm: 'AES256',
        };
      },
      ['[Bucket::Encryption::none]'],
    ],
    [
      'versioning suspended',
      (t) => (bucket(t).Properties.VersioningConfiguration.Status = 'Suspended'),
      ['[Bucket::Versioning::not-Enabled]'],
    ],
    [
      'the delete denies removed',
      (t) => {
        const doc = bucketPolicy(t).Properties.PolicyDocument;
        doc.Statement = doc.Statement.filter((s: Json) => s.Sid !== 'DenyObjectDeletes');
      },
      ['[Bucket::TamperDenies::s3:DeleteObject,s3:DeleteObjectVersion]'],
    ],
    [
      'the object encryption update deny removed',
      (t) => {
        const doc = bucketPolicy(t).Properties.PolicyDocument;
        doc.Statement = doc.Statement.filter((s: Json) => s.Sid !== 'DenyObjectEncryptionUpdates');
      },
      ['[Bucket::TamperDenies::s3:UpdateObjectEncryption]'],
    ],
    [
      'the stream without server-side encryption',
      (t) => delete stream(t).Properties.DeliveryStreamEncryptionConfigurationInput,
      ['[Stream::encryption-none]'],
    ],
    [
      'the stream removed',
      (t) => delete t.audit.Resources[Object.keys(t.audit.Resources).find((k) => t.audit.Resources[k] === stream(t))!],
      ['[Stream::missing]'],
    ],
    ['the append policy removed', (t) => (appendPolicy(t).Properties.Roles = []), ['[TaskRole::no-append]']],
    [
      'the task role widened to firehose:*',
      (t) => (appendPolicy(t).Properties.PolicyDocument.Statement[0].Action = 'firehose:*'),
      ['[TaskRole::firehose-beyond-append:firehose:*]', '[TaskRole::no-append]'],
    ],
    [
      'the task role allowed to delete its stream',
      (t) => appendPolicy(t).Properties.PolicyDocument.Statement[0].Action.push('firehose:DeleteDeliveryStream'),
      ['[TaskRole::firehose-beyond-append:firehose:DeleteDeliveryStream]'],
    ],
    [
      'the task role allowed on every stream',
      (t) => (appendPolicy(t).Properties.PolicyDocument.Statement[0].Resource = '*'),
      ['[TaskRole::no-append]', '[TaskRole::stream-not-named]'],
    ],
    [
      'the task role given S3 reads on every bucket',
      (t) =>
        appendPolicy(t).Properties.PolicyDocument.Statement.push({
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '*',
        }),
      ['[TaskRole::bucket-access]'],
    ],
    [
      'the task role given AdministratorAccess inline',
      (t) => appendPolicy(t).Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: '*', Resource: '*' }),
      ['[TaskRole::bucket-access]', '[TaskRole::firehose-beyond-append:*]', '[TaskRole::stream-not-named]'],
    ],
    [
      'the silence alarm removed',
      (t) => {
        for (const [id, r] of Object.entries(t.app.Resources as Record<string, Json>)) {
          if (r.Type === 'AWS::CloudWatch::Alarm' && id.includes('AccessAuditAlarmsSilence'))
            delete t.app.Resources[id];
        }
      },
      ['[Stream::no-silence-alarm]'],
    ],
    [
      'the delivery alarm without an action',
      (t) => {
        for (const [id, r] of Object.entries(t.app.Resources as Record<string, Json>)) {
          if (r.Type === 'AWS::CloudWatch::Alarm' && id.includes('AccessAuditAlarmsDelivery'))
            r.Properties.AlarmActions = [];
        }
      },
      ['[Stream::no-delivery-alarm]'],
    ],
    [
      'the volume check schedule removed',
      (t) => {
        for (const [id, r] of Object.entries(t.audit.Resources as Record<string, Json>)) {
          if (r.Type === 'AWS::Events::Rule' && id.includes('AccessAuditVolume')) delete t.audit.Resources[id];
        }
      },
      ['[VolumeCheck::no-schedule]'],
    ],
    [
      'the volume check schedule disabled',
      (t) => {
        for (const [id, r] of Object.entries(t.audit.Resources as Record<string, Json>)) {
          if (r.Type === 'AWS::Events::Rule' && id.includes('AccessAuditVolume')) r.Properties.State = 'DISABLED';
        }
      },
      ['[VolumeCheck::no-schedule]'],
    ],
    [
      'the volume check function removed',
      (t) => {
        for (const [id, r] of Object.entries(t.audit.Resources as Record<string, Json>)) {
          if (r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.ATHENA_WORKGROUP)
            delete t.audit.Resources[id];
        }
      },
      ['[VolumeCheck::no-function]'],
    ],
    [
      'the volume anomaly alarm without an action',
      (t) => {
        for (const r of byType(
          t.audit,
          'AWS::CloudWatch::Alarm',
          (a) => a.Properties.MetricName === 'UsersOverThreshold',
        ))
          r.Properties.AlarmActions = [];
      },
      ['[VolumeCheck::no-alarm]'],
    ],
  ])('U5 %s is a finding', (_name, mutate, expected) => {
    expect(findings(PROD, mutate)).toEqual(expected);
  });
});
