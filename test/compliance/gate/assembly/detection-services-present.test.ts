import { HIPAA_CONFIG_RULES } from '../../../../constructs/hipaa-config-rule-set';
import { DetectionServicesPresent } from '../../../../lib/compliance/gate/assembly/detection-services-present';
import { findingsOf, Mutable } from './assembly-fixture';

const det = (t: Record<string, Mutable>) => t.detection.Resources;
const declare = (t: Record<string, Mutable>, services: Record<string, boolean>, providedBy?: string) =>
  (t.detection.Metadata.HipaaBlueprint.detection = { services, ...(providedBy ? { providedBy } : {}) });

describe('DetectionServicesPresent', () => {
  test('D2 every service present and on passes; a service switched off with a provider and absent passes', () => {
    expect(findingsOf(DetectionServicesPresent)).toEqual([]);
    expect(
      findingsOf(DetectionServicesPresent, (t) => {
        delete det(t).Detector;
        declare(
          t,
          { config: true, guardDuty: false, securityHub: true, macie: true, inspector: true },
          'Control Tower GuardDuty delegated administrator',
        );
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    ['the GuardDuty detector removed', (t) => delete det(t).Detector, ['[GuardDuty::absent] (template)']],
    [
      'the GuardDuty detector disabled',
      (t) => (det(t).Detector.Properties.Enable = false),
      ['[GuardDuty::disabled] (template)'],
    ],
    [
      'GuardDuty S3 protection off',
      (t) => (det(t).Detector.Properties.Features[0].Status = 'DISABLED'),
      ['[GuardDuty::S3_DATA_EVENTS-off] (template)'],
    ],
    ['Security Hub removed', (t) => delete det(t).Hub, ['[SecurityHub::absent] (template)']],
    ['Macie removed', (t) => delete det(t).Macie, ['[Macie::absent] (template)']],
    ['Macie paused', (t) => (det(t).Macie.Properties.Status = 'PAUSED'), ['[Macie::PAUSED] (template)']],
    [
      'the Config recorder and delivery channel removed',
      (t) => {
        delete det(t).Recorder;
        delete det(t).Channel;
      },
      ['[Config::delivery-channel-absent] (template)', '[Config::recorder-absent] (template)'],
    ],
    [
      'a HIPAA Config rule removed',
      (t) => delete det(t).Rule0,
      [`[Config::rule-${HIPAA_CONFIG_RULES[0]!.identifier}-absent] (template)`],
    ],
    [
      'a service switched off without naming its provider',
      (t) => {
        delete det(t).Macie;
        declare(t, { config: true, guardDuty: true, securityHub: true, macie: false, inspector: true });
      },
      ['[macie::off-without-provider] (template)'],
    ],
    [
      'the declaration removed with the services (everything is then required)',
      (t) => {
        delete t.detection;
      },
      [
        '[Config::delivery-channel-absent] (template)',
        ...HIPAA_CONFIG_RULES.map((r) => `[Config::rule-${r.identifier}-absent] (template)`),
        '[Config::recorder-absent] (template)',
        '[GuardDuty::absent] (template)',
        '[Macie::absent] (template)',
        '[SecurityHub::absent] (template)',
      ].sort(),
    ],
  ])('D2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(DetectionServicesPresent, mutate)).toEqual(expected);
  });
});
