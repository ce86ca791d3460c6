import {
  AccessAuditChannel,
  MAX_EVENTS_PER_USER_TRIGGER,
} from '../../../../lib/compliance/gate/assembly/access-audit-channel-present';
import { MAX_ACCESS_VOLUME_THRESHOLD } from '../../../../lib/config/schema';
import { AssemblyContext } from '../../../../lib/compliance/gate/assembly/assembly-rule';
import { AssemblyStack } from '../../../../lib/compliance/gate/core/template-json';
import { synthesizedStack, templateJson } from '../../../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The prod templates the rule reads (synthesized once for the run by the globalSetup), by stack key. */
const PROD: Record<string, { stackName: string; template: Json }> = Object.fromEntries(
  Object.entries({ keys: 'Keys', audit: 'Audit', app: 'App', data: 'Data', phiReplica: 'PhiReplica' }).map(
    ([k, id]) => [k, { stackName: synthesizedStack('prod', id).stackName, template: templateJson('prod', id) }],
  ),
);

/** `[<finding id>] <description>` of the rule on a changed copy of the prod templates. */
function findings(mutate: (t: Record<string, Json>) => void, context: AssemblyContext = {}): string[] {
  const copy = JSON.parse(JSON.stringify(PROD)) as typeof PROD;
  mutate(Object.fromEntries(Object.entries(copy).map(([k, v]) => [k, v.template])));
  const stacks: AssemblyStack[] = Object.values(copy).map((s) => ({
    stackName: s.stackName,
    file: `${s.stackName}.template.json`,
    template: s.template,
  }));
  return AccessAuditChannel.check(stacks, context)
    .findings.map((f) => `${f.ruleId.slice('Blueprint-AccessAuditChannel'.length)} ${f.description}`)
    .sort();
}

/** The properties of the alarms of `stack` whose logical id contains `part`. */
const alarms = (t: Record<string, Json>, stack: string, part: string): Json[] => {
  const found = Object.entries(t[stack].Resources as Record<string, Json>)
    .filter(([id, r]) => r.Type === 'AWS::CloudWatch::Alarm' && id.includes(part))
    .map(([, r]) => r.Properties);
  if (found.length === 0) throw new Error(`no alarm ${part} in ${stack}`);
  return found;
};

describe('AccessAuditChannel: an alarm kept but muted is a finding', () => {
  test('U5 the prod templates pass', () => {
    expect(findings(() => undefined)).toEqual([]);
  });

  test.each<[string, (t: Record<string, Json>) => void, string, string]>([
    [
      'the silence alarm returning an expression that is never 1',
      (t) => {
        for (const p of alarms(t, 'app', 'AccessAuditAlarmsSilence'))
          p.Metrics[0].Expression = 'IF(requests > 0, 0, 0)';
      },
      '[Stream::silence-alarm-cannot-fire]',
      'Metrics return IF(requests > 0, 0, 0): the alarm must evaluate AWS/Firehose IncomingRecords or IF(',
    ],
    [
      'the silence alarm on the count of records datapoints (SampleCount)',
      (t) => {
        for (const p of alarms(t, 'app', 'AccessAuditAlarmsSilence')) p.Metrics[2].MetricStat.Stat = 'SampleCount';
      },
      '[Stream::silence-alarm-cannot-fire]',
      'Statistic (metric records) SampleCount: must be Sum',
    ],
    [
      'the silence alarm waiting 48 periods',
      (t) => {
        for (const p of alarms(t, 'app', 'AccessAuditAlarmsSilence')) {
          p.EvaluationPeriods = 48;
          p.DatapointsToAlarm = 48;
        }
      },
      '[Stream::silence-alarm-cannot-fire]',
      'Period x DatapointsToAlarm = 300 s x 48 = 14400 s to alarm: must be at most 7200 s',
    ],
    [
      'the delivery alarm on a day-long period',
      (t) => {
        for (const p of alarms(t, 'app', 'AccessAuditAlarmsDelivery')) p.Period = 86400;
      },
      '[Stream::delivery-alarm-cannot-fire]',
      'Period 86400 s: must be at most 300 s',
    ],
    [
      'the delivery alarm on Minimum',
      (t) => {
        for (const p of alarms(t, 'app', 'AccessAuditAlarmsDelivery')) p.Statistic = 'Minimum';
      },
      '[Stream::delivery-alarm-cannot-fire]',
      'Statistic Minimum: must be Maximum',
    ],
    [
      'the delivery alarm accepting a day of delay',
      (t) => {
        for (const p of alarms(t, 'app', 'AccessAuditAlarmsDelivery')) p.Threshold = 86400;
      },
      '[Stream::delivery-alarm-cannot-fire]',
      'ComparisonOperator GreaterThanThreshold with Threshold 86400: must breach on every value > 900',
    ],
    [
      'the volume anomaly alarm needing two datapoints of one',
      (t) => {
        for (const p of alarms(t, 'audit', 'AccessAuditVolumeAnomalyAlarm')) p.DatapointsToAlarm = 2;
      },
      '[VolumeCheck::alarm-cannot-fire]',
      'DatapointsToAlarm 2 is above EvaluationPeriods 1: the alarm can never fire',
    ],
    [
      'the volume anomaly alarm on SampleCount (counts runs, not users)',
      (t) => {
        for (const p of alarms(t, 'audit', 'AccessAuditVolumeAnomalyAlarm')) p.Statistic = 'SampleCount';
      },
      '[VolumeCheck::alarm-cannot-fire]',
      'Statistic SampleCount: must be Maximum or Sum',
    ],
  ])('U5 D1 %s', (_name, mutate, id, reason) => {
    const found = findings(mutate);
    expect(found).toHaveLength(1);
    expect(found[0]!.startsWith(`${id} `)).toBe(true);
    expect(found[0]).toContain(reason);
  });
});

describe('AccessAuditChannel: the access-audit search workgroup keeps its results (U5, E2)', () => {
  /** The prod access-audit search workgroup's WorkGroupConfiguration. */
  const workgroup = (t: Record<string, Json>): Json => {
    const found = Object.values(t.audit.Resources as Record<string, Json>).filter(
      (r) => r.Type === 'AWS::Athena::WorkGroup',
    );
    expect(found).toHaveLength(1);
    return found[0].Properties.WorkGroupConfiguration;
  };
  const AT = 'Athena workgroup AccessAuditSearchWorkGroup05BCF971';

  // The attacker review of 2026-12-03: results with user and record ids sent to another account, SSE-S3, passed.
  test.each<[string, (c: Json) => void, string[]]>([
    [
      "results written to another account's bucket with SSE-S3",
      (c) => {
        c.ResultConfiguration.OutputLocation = 's3://results-bucket-of-999999999999/athena/';
        c.ResultConfiguration.EncryptionConfiguration = { EncryptionOption: 'SSE_S3' };
      },
      [
        `[WorkGroup::results-encryption-none] ${AT} does not encrypt its query results with the audit key (U5, E2).`,
        `[WorkGroup::results-outside-template] ${AT} writes its query results outside a bucket of its own template (U5, E2).`,
      ],
    ],
    [
      'the configuration not enforced on queries ("false", a string)',
      (c) => (c.EnforceWorkGroupConfiguration = 'false'),
      [
        `[WorkGroup::not-enforced] ${AT} lets each query choose where its results go and how they are encrypted (U5, E2).`,
      ],
    ],
    [
      'results under another key (a literal ARN outside the assembly)',
      (c) =>
        (c.ResultConfiguration.EncryptionConfiguration.KmsKey =
          'arn:aws:kms:us-east-1:999999999999:key/00000000-0000-0000-0000-000000000000'),
      [
        `[WorkGroup::results-encryption-outside-assembly] ${AT} does not encrypt its query results with the audit key (U5, E2).`,
      ],
    ],
    [
      "results in another bucket named after the template's (Fn::Sub of s3://${Bucket}-copy/)",
      (c) => {
        const bucket = c.ResultConfiguration.OutputLocation['Fn::Join'][1][1].Ref;
        c.ResultConfiguration.OutputLocation = { 'Fn::Sub': `s3://\${${bucket}}-copy/` };
      },
      [
        `[WorkGroup::results-outside-template] ${AT} writes its query results outside a bucket of its own template (U5, E2).`,
      ],
    ],
  ])('U5 E2 %s is a finding', (_name, mutate, expected) => {
    expect(findings((t) => mutate(workgroup(t)))).toEqual(expected);
  });

  test("U5 E2 results in the template's bucket written with Fn::Sub pass", () => {
    expect(
      findings((t) => {
        const c = workgroup(t);
        const bucket = c.ResultConfiguration.OutputLocation['Fn::Join'][1][1].Ref;
        c.ResultConfiguration.OutputLocation = { 'Fn::Sub': `s3://\${${bucket}}/\${AWS::AccountId}/results/` };
      }),
    ).toEqual([]);
  });

  test("U5 D1 the volume check querying a workgroup outside the assembly (the account's primary) is a finding", () => {
    // The second review of 2026-12-03: that workgroup keeps its results wherever its own settings say.
    expect(
      findings((t) => {
        for (const r of Object.values(t.audit.Resources as Record<string, Json>))
          if (r.Properties?.Environment?.Variables?.ATHENA_WORKGROUP)
            r.Properties.Environment.Variables.ATHENA_WORKGROUP = 'primary';
      }),
    ).toEqual([
      expect.stringMatching(
        /^\[VolumeCheck::workgroup-outside-assembly\] The assembly has a volume check function \(AccessAuditVolume\w+\) querying Athena workgroup "primary", not one of the assembly/,
      ),
    ]);
  });

  test("U5 D1 the volume check counting against more than config's threshold, or over another window, is a finding", () => {
    // The attacker review of 2026-12-04: a threshold of two billion and a five-minute window passed.
    const variables = (t: Record<string, Json>): Json =>
      Object.values(t.audit.Resources as Record<string, Json>).find(
        (r) => r.Properties?.Environment?.Variables?.ATHENA_WORKGROUP,
      ).Properties.Environment.Variables;
    const THRESHOLD =
      /^\[VolumeCheck::threshold-not-configured\] The assembly has a volume check function \(AccessAuditVolume\w+\) counting against THRESHOLD /;
    // The prod config's threshold (the default, 500) holds, and so does a lower one; one above it does not.
    expect(findings(() => undefined, { accessVolumeThreshold: 500 })).toEqual([]);
    expect(findings((t) => (variables(t).THRESHOLD = '20'), { accessVolumeThreshold: 500 })).toEqual([]);
    expect(findings((t) => (variables(t).THRESHOLD = '501'), { accessVolumeThreshold: 500 })).toEqual([
      expect.stringMatching(THRESHOLD),
    ]);
    // Without config, the schema's highest; absent, zero, fractional or only deploy resolves.
    for (const value of ['2000000000', undefined, '0', '12.5', { Ref: 'Threshold' }]) {
      expect({ value, found: findings((t) => (variables(t).THRESHOLD = value)) }).toEqual({
        value,
        found: [expect.stringMatching(THRESHOLD)],
      });
    }
    expect(findings((t) => (variables(t).WINDOW_MINUTES = '5'))).toEqual([
      expect.stringMatching(
        /^\[VolumeCheck::window-not-hourly\] The assembly has a volume check function \(AccessAuditVolume\w+\) counting a WINDOW_MINUTES of "5", not the 60 minutes/,
      ),
    ]);
    expect(findings((t) => delete variables(t).WINDOW_MINUTES)).toEqual([]);
  });

  test('U5 D1 the volume check counting a Glue database that is not of the assembly is a finding', () => {
    // The attacker review of 2026-12-04 (second round): a decoy database, so the per-user alarm never fires.
    expect(
      findings((t) => {
        for (const r of Object.values(t.audit.Resources as Record<string, Json>))
          if (r.Properties?.Environment?.Variables?.ATHENA_WORKGROUP)
            r.Properties.Environment.Variables.GLUE_DATABASE = 'decoy_database';
      }),
    ).toEqual([
      expect.stringMatching(
        /^\[VolumeCheck::database-outside-assembly\] The assembly has a volume check function \(AccessAuditVolume\w+\) counting Glue database "decoy_database", not one whose table reads the access-audit bucket/,
      ),
    ]);
  });

  test("U5 D1 the gate's highest threshold is the schema's", () => {
    expect(MAX_EVENTS_PER_USER_TRIGGER).toBe(MAX_ACCESS_VOLUME_THRESHOLD);
  });
});
