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
      // The attacker review of 2026-12-04, fourth round: every configuration snapshot delivered to another bucket.
      "the Config delivery channel's bucket named outside the assembly",
      (t) => (det(t).Channel.Properties.S3BucketName = 'partner-config-999999999999'),
      ['[Config::delivery-bucket-outside-assembly] (template)'],
    ],
    [
      "the Config delivery channel's bucket an import",
      (t) => (det(t).Channel.Properties.S3BucketName = { 'Fn::ImportValue': 'Partner:ConfigBucket' }),
      ['[Config::delivery-bucket-outside-assembly] (template)'],
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

describe('DetectionServicesPresent: nothing narrows or silences detection (attacker review)', () => {
  const filter = (Action?: unknown): Mutable => ({
    Type: 'AWS::GuardDuty::Filter',
    Properties: {
      DetectorId: { Ref: 'Detector' },
      Name: 'suppress-noise',
      ...(Action !== undefined ? { Action } : {}),
      Rank: 1,
      FindingCriteria: { Criterion: { severity: { GreaterThanOrEqual: 0 } } },
    },
  });
  const ipSet = (type: string, Activate?: unknown): Mutable => ({
    Type: type,
    Properties: {
      DetectorId: { Ref: 'Detector' },
      Format: 'TXT',
      Location: 'https://s3.amazonaws.com/bucket/trusted.txt',
      ...(Activate !== undefined ? { Activate } : {}),
    },
  });
  const group = (t: Record<string, Mutable>) => det(t).Recorder.Properties;

  test('D2 a NOOP filter (saved view), a deactivated trusted IP list and a threat list pass', () => {
    expect(
      findingsOf(DetectionServicesPresent, (t) => {
        det(t).SavedView = filter('NOOP');
        det(t).DefaultView = filter();
        det(t).Trusted = ipSet('AWS::GuardDuty::IPSet', false);
        det(t).Threats = { ...ipSet('AWS::GuardDuty::ThreatIntelSet', true) };
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'a GuardDuty filter archiving every finding',
      (t) => (det(t).Suppress = filter('ARCHIVE')),
      ['[GuardDuty::archive-filter] Suppress'],
    ],
    [
      'a GuardDuty filter whose Action a condition chooses',
      (t) => (det(t).Suppress = filter({ 'Fn::If': ['Quiet', 'ARCHIVE', 'NOOP'] })),
      ['[GuardDuty::archive-filter] Suppress'],
    ],
    [
      'an archive filter with GuardDuty declared provided by another account',
      (t) => {
        delete det(t).Detector;
        declare(t, { config: true, guardDuty: false, securityHub: true, macie: true, inspector: true }, 'Org admin');
        det(t).Suppress = filter('ARCHIVE');
      },
      ['[GuardDuty::archive-filter] Suppress'],
    ],
    [
      'an activated trusted IP list',
      (t) => (det(t).Trusted = ipSet('AWS::GuardDuty::IPSet', true)),
      ['[GuardDuty::trusted-ip-list] Trusted'],
    ],
    [
      'a trusted IP list without Activate, or activated by a string',
      (t) => {
        det(t).Trusted = ipSet('AWS::GuardDuty::IPSet');
        det(t).Trusted2 = ipSet('AWS::GuardDuty::IPSet', 'TRUE');
      },
      ['[GuardDuty::trusted-ip-list] Trusted', '[GuardDuty::trusted-ip-list] Trusted2'],
    ],
    [
      'a trusted entity set whose Activate a parameter decides',
      (t) => (det(t).Trusted = ipSet('AWS::GuardDuty::TrustedEntitySet', { Ref: 'Activate' })),
      ['[GuardDuty::trusted-ip-list] Trusted'],
    ],
    [
      'the Config recorder narrowed to one resource type',
      (t) =>
        (group(t).RecordingGroup = {
          AllSupported: false,
          IncludeGlobalResourceTypes: false,
          ResourceTypes: ['AWS::SNS::Topic'],
        }),
      ['[Config::global-types-not-recorded] (template)', '[Config::recorder-narrowed] (template)'],
    ],
    [
      'the Config recorder with a strategy of listed types',
      (t) =>
        (group(t).RecordingGroup = {
          AllSupported: true,
          IncludeGlobalResourceTypes: true,
          RecordingStrategy: { UseOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
        }),
      ['[Config::recorder-narrowed] (template)'],
    ],
    [
      'the Config recorder without its recording group',
      (t) => delete group(t).RecordingGroup,
      ['[Config::recorder-narrowed] (template)'],
    ],
    [
      'the Config recorder excluding resource types',
      (t) =>
        (group(t).RecordingGroup = {
          AllSupported: false,
          RecordingStrategy: { UseOnly: 'EXCLUSION_BY_RESOURCE_TYPES' },
          ExclusionByResourceTypes: { ResourceTypes: ['AWS::S3::Bucket'] },
        }),
      [
        '[Config::global-types-not-recorded] (template)',
        '[Config::recorder-exclusions] (template)',
        '[Config::recorder-narrowed] (template)',
      ],
    ],
    [
      'the Config recorder no longer recording global (IAM) types in the primary region',
      (t) => (group(t).RecordingGroup.IncludeGlobalResourceTypes = { 'Fn::If': ['Global', true, false] }),
      ['[Config::global-types-not-recorded] (template)'],
    ],
    [
      'the Config recorder recording daily',
      (t) => (group(t).RecordingMode = { RecordingFrequency: 'DAILY' }),
      ['[Config::recording-not-continuous] (template)'],
    ],
    [
      'the Config recorder recording some types daily',
      (t) =>
        (group(t).RecordingMode = {
          RecordingFrequency: 'CONTINUOUS',
          RecordingModeOverrides: [{ RecordingFrequency: 'DAILY', ResourceTypes: ['AWS::S3::Bucket'] }],
        }),
      ['[Config::recording-not-continuous] (template)'],
    ],
    [
      'both Security Hub standards removed',
      (t) => {
        delete det(t).StandardFoundationalBestPractices;
        delete det(t).StandardNist80053R5;
      },
      [
        '[SecurityHub::standard-FoundationalBestPractices-absent] (template)',
        '[SecurityHub::standard-Nist80053R5-absent] (template)',
      ],
    ],
    [
      'a standard of another version, or of another region',
      (t) => {
        det(t).StandardNist80053R5.Properties.StandardsArn =
          'arn:aws:securityhub:us-east-1::standards/nist-800-53/v/4.0.0';
        det(t).StandardFoundationalBestPractices.Properties.StandardsArn =
          'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0';
      },
      [
        '[SecurityHub::standard-FoundationalBestPractices-absent] (template)',
        '[SecurityHub::standard-Nist80053R5-absent] (template)',
      ],
    ],
    [
      'a standard whose ARN a parameter gives',
      (t) => (det(t).StandardNist80053R5.Properties.StandardsArn = { Ref: 'StandardArn' }),
      ['[SecurityHub::standard-Nist80053R5-absent] (template)'],
    ],
    [
      'a standard with controls disabled',
      (t) =>
        (det(t).StandardNist80053R5.Properties.DisabledStandardsControls = [
          { StandardsControlArn: 'arn:aws:securityhub:us-east-1:123456789012:control/nist-800-53/v/5.0.0/S3.1' },
        ]),
      ['[SecurityHub::controls-disabled-StandardNist80053R5] (template)'],
    ],
  ])('D2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(DetectionServicesPresent, mutate)).toEqual(expected.sort());
  });

  test('D2 the standards written with the region the stack names pass', () => {
    expect(
      findingsOf(DetectionServicesPresent, (t) => {
        det(t).StandardNist80053R5.Properties.StandardsArn =
          'arn:aws:securityhub:us-east-1::standards/nist-800-53/v/5.0.0';
      }),
    ).toEqual([]);
  });
});

describe('DetectionServicesPresent: Security Hub, Macie and Inspector findings not silenced (attacker review)', () => {
  const automationRule = (type: string, update: Mutable, RuleStatus = 'ENABLED'): Mutable => ({
    Type: type,
    Properties: {
      RuleName: 'triage-noise',
      RuleOrder: 1,
      RuleStatus,
      Criteria: { RecordState: [{ Comparison: 'EQUALS', Value: 'ACTIVE' }] },
      Actions: [{ Type: 'FINDING_FIELDS_UPDATE', FindingFieldsUpdate: update }],
    },
  });
  const macieFilter = (Action?: unknown): Mutable => ({
    Type: 'AWS::Macie::FindingsFilter',
    Properties: { Name: 'quiet', ...(Action !== undefined ? { Action } : {}), FindingCriteria: { Criterion: {} } },
  });
  const inspectorFilter = (FilterAction: unknown): Mutable => ({
    Type: 'AWS::InspectorV2::Filter',
    Properties: { Name: 'quiet', FilterAction, FilterCriteria: {} },
  });

  test('D2 a note-only automation rule, a disabled one, a NOOP Macie filter and a NONE Inspector filter pass', () => {
    expect(
      findingsOf(DetectionServicesPresent, (t) => {
        det(t).Note = automationRule('AWS::SecurityHub::AutomationRule', { Note: { Text: 'seen', UpdatedBy: 'ops' } });
        det(t).Off = automationRule(
          'AWS::SecurityHub::AutomationRule',
          { Workflow: { Status: 'SUPPRESSED' } },
          'DISABLED',
        );
        det(t).View = macieFilter('NOOP');
        det(t).Saved = inspectorFilter('NONE');
      }),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'a Security Hub automation rule suppressing every active finding',
      (t) =>
        (det(t).Triage = automationRule('AWS::SecurityHub::AutomationRule', {
          Workflow: { Status: 'SUPPRESSED' },
          Severity: { Label: 'INFORMATIONAL' },
        })),
      ['[SecurityHub::automation-rule] Triage'],
    ],
    [
      'a V2 automation rule setting the status',
      (t) => (det(t).Triage = automationRule('AWS::SecurityHub::AutomationRuleV2', { StatusId: 3 })),
      ['[SecurityHub::automation-rule] Triage'],
    ],
    [
      'a Macie findings filter archiving',
      (t) => (det(t).Quiet = macieFilter('ARCHIVE')),
      ['[Macie::archive-filter] Quiet'],
    ],
    [
      'an Inspector filter suppressing',
      (t) => (det(t).Quiet = inspectorFilter('SUPPRESS')),
      ['[Inspector::suppression-filter] Quiet'],
    ],
  ])('D2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(DetectionServicesPresent, mutate)).toEqual(expected);
  });
});

describe('DetectionServicesPresent: HIPAA Config rules as shipped (attacker review)', () => {
  /** The first Config rule of the fixture's detection stack that has `property` (Scope, InputParameters). */
  const ruleWith = (t: Record<string, Mutable>, property: string): Mutable =>
    (Object.values(det(t)) as Mutable[]).find(
      (r) => r.Type === 'AWS::Config::ConfigRule' && r.Properties[property] !== undefined,
    )!;

  test.each<[string, string, (rule: Mutable) => void]>([
    ['a scope narrowed to a tag nobody sets', 'Scope', (r) => (r.Properties.Scope.TagKey = 'Reviewed')],
    ['a scope narrowed to one resource', 'Scope', (r) => (r.Properties.Scope.ComplianceResourceId = 'sg-0')],
    ['a scope on fewer resource types', 'Scope', (r) => (r.Properties.Scope.ComplianceResourceTypes = [])],
    [
      'a parameter weakened',
      'InputParameters',
      (r) => (r.Properties.InputParameters[Object.keys(r.Properties.InputParameters)[0]!] = 'weakened'),
    ],
    ['proactive evaluation only', 'Scope', (r) => (r.Properties.EvaluationModes = [{ Mode: 'PROACTIVE' }])],
  ])('D2 %s is a finding', (_name, property, mutate) => {
    let identifier = '';
    const found = findingsOf(DetectionServicesPresent, (t) => {
      const rule = ruleWith(t, property);
      mutate(rule);
      identifier = rule.Properties.Source.SourceIdentifier as string;
    });
    expect(found).toEqual([`[Config::rule-${identifier}-narrowed] (template)`]);
  });
});
