import { idsOf, Json, one, Probe, Templates } from './probe';

/** The metric filters of the audit stack's security alarms (CIS, PHI access, break-glass, role trust). */
const securityFilters = (t: Templates): Json[] =>
  idsOf(t, 'audit', 'AWS::Logs::MetricFilter', (_r, id) => id.startsWith('SecurityAlarms')).map(
    (id) => t.audit!.Resources[id]!,
  );
const eachFilter = (t: Templates, edit: (p: Json) => void): void =>
  securityFilters(t).forEach((f) => edit(f.Properties));
const breakGlassFilter = (t: Templates): Json =>
  one(t, 'audit', 'AWS::Logs::MetricFilter', (_r, id) => id.startsWith('SecurityAlarmsBreakGlassRoleAssumed'))[1];
const breakGlassRole = (t: Templates): Json =>
  one(t, 'audit', 'AWS::IAM::Role', (r) => String(r.Properties?.RoleName).endsWith('-break-glass'))[1];
const miscounts = /SecurityAlarmsPresent\[\w+::filter-miscounts\]/;

/** The attacker review of the security alarms' metric filters: edits that silenced every alarm and passed the gate. */
export const PROBES: readonly Probe[] = [
  {
    name: 'D1 A5 every security metric filter publishing MetricValue "0"',
    safeguards: ['D1', 'A5'],
    mutate: (t) => eachFilter(t, (p) => (p.MetricTransformations[0].MetricValue = '0')),
    caughtBy: miscounts,
  },
  {
    name: 'D1 A5 every security metric filter publishing a JSON selector no event has (no datapoint)',
    safeguards: ['D1', 'A5'],
    mutate: (t) => eachFilter(t, (p) => (p.MetricTransformations[0].MetricValue = '$.additionalEventData.none')),
    caughtBy: miscounts,
  },
  {
    name: 'D1 A5 every security metric filter publishing with a dimension (the alarms read another series)',
    safeguards: ['D1', 'A5'],
    mutate: (t) =>
      eachFilter(t, (p) => (p.MetricTransformations[0].Dimensions = [{ Key: 'src', Value: '$.sourceIPAddress' }])),
    caughtBy: miscounts,
  },
  {
    name: 'D1 A5 every security metric filter emitting a system field dimension',
    safeguards: ['D1', 'A5'],
    mutate: (t) => eachFilter(t, (p) => (p.EmitSystemFieldDimensions = ['@aws.account'])),
    caughtBy: miscounts,
  },
  {
    name: 'D1 A5 every security metric filter narrowed by FieldSelectionCriteria to a region never used',
    safeguards: ['D1', 'A5'],
    mutate: (t) => eachFilter(t, (p) => (p.FieldSelectionCriteria = '@aws.region = "ap-southeast-7"')),
    caughtBy: miscounts,
  },
  {
    name: 'D1 A5 a log transformer deleting eventName on the trail log group (filters on transformed logs)',
    safeguards: ['D1', 'A5'],
    mutate: (t) => {
      const logGroup = securityFilters(t)[0]!.Properties.LogGroupName;
      t.audit!.Resources.TrailStrip = {
        Type: 'AWS::Logs::Transformer',
        Properties: { LogGroupIdentifier: logGroup, TransformerConfig: [{ DeleteKeys: { WithKeys: ['eventName'] } }] },
      };
      eachFilter(t, (p) => (p.ApplyOnTransformedLogs = true));
    },
    caughtBy: /SecurityAlarmsPresent\[(TrailLogGroup::transformer|\w+::filter-miscounts)\]/,
  },
  {
    name: 'D1 a log transformer on the trail log group alone',
    safeguards: ['D1'],
    mutate: (t) => {
      t.audit!.Resources.TrailStrip = {
        Type: 'AWS::Logs::Transformer',
        Properties: {
          LogGroupIdentifier: securityFilters(t)[0]!.Properties.LogGroupName,
          TransformerConfig: [{ DeleteKeys: { WithKeys: ['eventName'] } }],
        },
      };
    },
    caughtBy: /SecurityAlarmsPresent\[TrailLogGroup::transformer\]/,
  },
  {
    name: 'D1 the role trust change filter alone publishing MetricValue "0"',
    safeguards: ['D1'],
    mutate: (t) =>
      (one(t, 'audit', 'AWS::Logs::MetricFilter', (_r, id) =>
        id.startsWith('SecurityAlarmsRoleTrustPolicyChanges'),
      )[1].Properties.MetricTransformations[0].MetricValue = '0'),
    caughtBy: /SecurityAlarmsPresent\[RoleTrustPolicyChanges::filter-miscounts\]/,
  },
  {
    name: 'D1 a second filter cancelling the root-use count (every event, MetricValue -1000)',
    safeguards: ['D1'],
    mutate: (t) => {
      const [, root] = one(t, 'audit', 'AWS::Logs::MetricFilter', (_r, id) =>
        id.startsWith('SecurityAlarmsRootAccountUsage'),
      );
      const cancel = JSON.parse(JSON.stringify(root));
      cancel.Properties.FilterPattern = '';
      cancel.Properties.MetricTransformations[0].MetricValue = '-1000';
      t.audit!.Resources.RootUsageCancel = cancel;
    },
    caughtBy: /SecurityAlarmsPresent\[RootAccountUsage::metric-shared\]/,
  },
  {
    name: 'A5 the break-glass filter narrowed with && $.userIdentity.type != "IAMUser"',
    safeguards: ['A5'],
    mutate: (t) => {
      const parts = breakGlassFilter(t).Properties.FilterPattern['Fn::Join'][1];
      parts[parts.length - 1] = String(parts[parts.length - 1]).replace(
        / \}$/,
        ' && ($.userIdentity.type != "IAMUser") }',
      );
    },
    caughtBy: /SecurityAlarmsPresent\[BreakGlass-\w+::no-metric-filter\]/,
  },
  {
    name: 'A5 the break-glass trust allowing AssumeRoleWithWebIdentity and SAML, the filter matching AssumeRole only',
    safeguards: ['A5'],
    mutate: (t) =>
      breakGlassRole(t).Properties.AssumeRolePolicyDocument.Statement.push({
        Effect: 'Allow',
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML'],
        Principal: { Federated: 'accounts.google.com' },
      }),
    caughtBy: /SecurityAlarmsPresent\[BreakGlass-\w+::no-metric-filter\]/,
  },
];
