import { eventRuleFor, one, Probe, Templates } from './probe';

const findingRule = (t: Templates, detailType: string) => eventRuleFor(t, 'alerting', detailType)[1].Properties;

/** The attacker review of finding alerts: mutations of the detection services' alerting that passed the gate. */
export const PROBES: readonly Probe[] = [
  {
    name: 'D2 D3 the GuardDuty, Security Hub, Macie and Inspector finding alert rules deleted',
    safeguards: ['D2', 'D3'],
    mutate: (t) => {
      const resources = t.alerting!.Resources;
      for (const type of [
        'GuardDuty Finding',
        'Security Hub Findings - Imported',
        'Macie Finding',
        'Inspector2 Finding',
      ]) {
        const id = eventRuleFor(t, 'alerting', type)[0];
        delete resources[id];
        // With the rule's Lambda permission and its statement of the dead-letter queue's policy, as an attacker would.
        for (const [k, r] of Object.entries(resources)) {
          if (r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties).includes(id)) delete resources[k];
          if (r.Type === 'AWS::SQS::QueuePolicy') {
            const doc = r.Properties.PolicyDocument;
            doc.Statement = doc.Statement.filter((st: unknown) => !JSON.stringify(st).includes(id));
          }
        }
      }
    },
    caughtBy: /FindingAlertsPresent\[\w+Findings::not-alerted\]/,
  },
  {
    name: 'D2 D3 the GuardDuty finding alert rule DISABLED',
    safeguards: ['D2', 'D3'],
    mutate: (t) => (findingRule(t, 'GuardDuty Finding').State = 'DISABLED'),
    caughtBy: /FindingAlertsPresent\[GuardDutyFindings::not-alerted\]/,
  },
  {
    name: 'D2 D3 the finding alert severities narrowed (GuardDuty >= 8.9, Security Hub CRITICAL only)',
    safeguards: ['D2', 'D3'],
    mutate: (t) => {
      findingRule(t, 'GuardDuty Finding').EventPattern.detail.severity = [{ numeric: ['>=', 8.9] }];
      findingRule(t, 'Security Hub Findings - Imported').EventPattern.detail.findings.Severity.Label = ['CRITICAL'];
    },
    caughtBy: /FindingAlertsPresent\[(GuardDuty|SecurityHub)Findings::narrowed\]/,
  },
  {
    name: 'D2 D3 Macie finding alerts narrowed to High severity',
    safeguards: ['D2', 'D3'],
    mutate: (t) => (findingRule(t, 'Macie Finding').EventPattern.detail = { severity: { description: ['High'] } }),
    caughtBy: /FindingAlertsPresent\[MacieFindings::narrowed\]/,
  },
  {
    name: 'D2 a Security Hub automation rule suppressing every active finding',
    safeguards: ['D2'],
    mutate: (t) => {
      t.detection!.Resources.ShTriage = {
        Type: 'AWS::SecurityHub::AutomationRule',
        Properties: {
          RuleName: 'triage-noise',
          RuleOrder: 1,
          RuleStatus: 'ENABLED',
          IsTerminal: true,
          Description: 'triage',
          Criteria: { RecordState: [{ Comparison: 'EQUALS', Value: 'ACTIVE' }] },
          Actions: [
            {
              Type: 'FINDING_FIELDS_UPDATE',
              FindingFieldsUpdate: { Workflow: { Status: 'SUPPRESSED' }, Severity: { Label: 'INFORMATIONAL' } },
            },
          ],
        },
      };
    },
    caughtBy: /DetectionServicesPresent\[SecurityHub::automation-rule\]/,
  },
  {
    name: 'D2 a Macie findings filter archiving Low to High findings',
    safeguards: ['D2'],
    mutate: (t) => {
      t.detection!.Resources.MacieQuiet = {
        Type: 'AWS::Macie::FindingsFilter',
        Properties: {
          Name: 'quiet',
          Action: 'ARCHIVE',
          FindingCriteria: { Criterion: { 'severity.description': { eq: ['Low', 'Medium', 'High'] } } },
        },
      };
    },
    caughtBy: /DetectionServicesPresent\[Macie::archive-filter\]/,
  },
  {
    name: 'D2 an Inspector filter suppressing CRITICAL, HIGH and MEDIUM findings',
    safeguards: ['D2'],
    mutate: (t) => {
      t.detection!.Resources.InspQuiet = {
        Type: 'AWS::InspectorV2::Filter',
        Properties: {
          Name: 'quiet',
          FilterAction: 'SUPPRESS',
          FilterCriteria: {
            Severity: ['CRITICAL', 'HIGH', 'MEDIUM'].map((Value) => ({ Comparison: 'EQUALS', Value })),
          },
        },
      };
    },
    caughtBy: /DetectionServicesPresent\[Inspector::suppression-filter\]/,
  },
  {
    name: 'D2 a scoped HIPAA Config rule narrowed to a tag nobody sets',
    safeguards: ['D2'],
    mutate: (t) =>
      Object.assign(one(t, 'detection', 'AWS::Config::ConfigRule', (r) => r.Properties?.Scope)[1].Properties.Scope, {
        TagKey: 'ConfigReviewed',
        TagValue: 'pending',
      }),
    caughtBy: /DetectionServicesPresent\[Config::rule-\w+-narrowed\]/,
  },
  {
    name: 'D2 the CloudWatch log group retention Config rule weakened to one day',
    safeguards: ['D2'],
    mutate: (t) =>
      (one(
        t,
        'detection',
        'AWS::Config::ConfigRule',
        (r) => r.Properties?.InputParameters?.MinRetentionTime,
      )[1].Properties.InputParameters.MinRetentionTime = '1'),
    caughtBy: /DetectionServicesPresent\[Config::rule-CW_LOGGROUP_RETENTION_PERIOD_CHECK-narrowed\]/,
  },
];
