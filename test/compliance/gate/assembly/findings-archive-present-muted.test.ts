/**
 * FindingsArchivePresent (D2): the export, dead-letter and delivery alarms kept but muted are findings (alarm-facts.ts),
 * with the text naming the alarm, the property, its value and the rule.
 */
import { FindingsArchivePresent } from '../../../../lib/compliance/gate/assembly/findings-archive-present';
import { Mutable } from './assembly-fixture';
import { describedFindingsOf } from './muted-alarm-fixture';

type T = Record<string, Mutable>;
const props = (t: T, id: string) => t.audit.Resources[id].Properties;

/** [alarm logical id, finding id, finding logical id] of each alarm the rule requires. */
const ALARMS: [string, string, string][] = [
  ['FindingsExportAlarm', 'Export::export-alarm-cannot-fire', 'SecurityHubFindings'],
  ['FindingsDeadLetterAlarm', 'Export::dead-letter-alarm-cannot-fire', 'SecurityHubFindings'],
  ['FindingsDeliveryAlarm', 'Stream::delivery-alarm-cannot-fire', 'FindingsStream'],
];

/** Each muting, applied to one alarm's properties, and the reason it must give. */
const MUTES: [string, (p: Mutable) => void, string][] = [
  [
    'Unit Percent',
    (p) => (p.Unit = 'Percent'),
    'Unit Percent: must be absent (only datapoints published with that unit count)',
  ],
  ['ActionsEnabled the string "false"', (p) => (p.ActionsEnabled = 'false'), 'ActionsEnabled is false'],
  [
    'an extra dimension',
    (p) => p.Dimensions.push({ Name: 'Extra', Value: 'x' }),
    'Dimensions Extra=x: must be exactly',
  ],
  [
    'missing data breaching',
    (p) => (p.TreatMissingData = 'breaching'),
    'TreatMissingData breaching: must be notBreaching or missing',
  ],
  ['a negative threshold', (p) => (p.Threshold = -1), 'Threshold -1 breaches at'],
];

describe('FindingsArchivePresent: a muted archive alarm is a finding', () => {
  test.each(
    ALARMS.flatMap(([alarm, id, at]) =>
      MUTES.map(([name, mutate, reason]) => [alarm, name, mutate, reason, id, at] as const),
    ),
  )('D2 %s with %s', (alarm, _name, mutate, reason, id, at) => {
    const found = describedFindingsOf(FindingsArchivePresent, (t) => mutate(props(t, alarm)));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^\\[${id}\\] ${at}: `));
    expect(found[0]).toContain(`alarm ${alarm} cannot fire as required: `);
    expect(found[0]).toContain(reason);
  });

  test('D2 the freshness alarm at the stream buffering interval (every delivery waits that long) is a finding', () => {
    const found = describedFindingsOf(FindingsArchivePresent, (t) => {
      props(t, 'FindingsStream').ExtendedS3DestinationConfiguration.BufferingHints = { IntervalInSeconds: 900 };
      props(t, 'FindingsDeliveryAlarm').Threshold = 600;
    });
    expect(found).toEqual([
      expect.stringContaining(
        'ComparisonOperator GreaterThanThreshold with Threshold 600 breaches at 900 too: the alarm would stay in ALARM',
      ),
    ]);
    expect(found[0]).toMatch(/^\[Stream::delivery-alarm-cannot-fire\] FindingsStream: /);
  });

  test('D2 a muted alarm beside one that fires: no finding', () => {
    expect(
      describedFindingsOf(FindingsArchivePresent, (t) => {
        t.audit.Resources.Muted = JSON.parse(JSON.stringify(t.audit.Resources.FindingsExportAlarm));
        t.audit.Resources.Muted.Properties.Unit = 'Count';
      }),
    ).toEqual([]);
  });

  test('D2 the dead-letter alarm in another stack does not count (its QueueName is a GetAtt of the audit stack)', () => {
    expect(
      describedFindingsOf(FindingsArchivePresent, (t) => {
        t.detection.Resources.Moved = t.audit.Resources.FindingsDeadLetterAlarm;
        delete t.audit.Resources.FindingsDeadLetterAlarm;
      }),
    ).toEqual([expect.stringMatching(/^\[Export::no-dead-letter-alarm\] SecurityHubFindings: /)]);
  });
});
