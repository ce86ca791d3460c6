import { TAMPER_WATCHES } from '../../../../constructs/tamper-watches';
import { TamperDetectionPresent } from '../../../../lib/compliance/gate/assembly/tamper-detection-present';
import { findingsOf, Mutable } from './assembly-fixture';

const alerting = (t: Record<string, Mutable>) => t.alerting.Resources;

describe('TamperDetectionPresent', () => {
  test('U6 D3 a rule per watched action through the formatter, the direct path, the heartbeat and the throttle alarm pass', () => {
    expect(findingsOf(TamperDetectionPresent)).toEqual([]);
  });

  test("D3 a heartbeat filter on Lambda's own log group of the formatter (/aws/lambda/<name>) proves it as well", () => {
    for (const logGroupName of [
      { 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Formatter' }]] },
      { 'Fn::Sub': '/aws/lambda/${Formatter}' },
    ]) {
      expect(
        findingsOf(TamperDetectionPresent, (t) => {
          delete alerting(t).Formatter.Properties.LoggingConfig;
          alerting(t).HeartbeatFilter.Properties.LogGroupName = logGroupName;
        }),
      ).toEqual([]);
    }
    expect(
      findingsOf(TamperDetectionPresent, (t) => {
        alerting(t).Formatter.Properties = { FunctionName: 'alert-formatter' };
        alerting(t).HeartbeatFilter.Properties.LogGroupName = '/aws/lambda/alert-formatter';
      }),
    ).toEqual([]);
  });

  test.each(TAMPER_WATCHES.map((w) => [w.id]))('U6 the %s tamper rule removed is a finding', (id) => {
    expect(findingsOf(TamperDetectionPresent, (t) => delete alerting(t)[`Tamper${id}`])).toEqual([
      `[${id}::not-watched] (template)`,
    ]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'one watched event name dropped from a rule',
      (t) => alerting(t).TamperTrail.Properties.EventPattern.detail.eventName.splice(3, 1),
      ['[Trail::not-watched] (template)'],
    ],
    [
      'a rule disabled',
      (t) => (alerting(t).TamperKeyPolicy.Properties.State = 'DISABLED'),
      ['[KeyPolicy::not-watched] (template)'],
    ],
    [
      'a rule whose state only deploy resolves (a condition)',
      (t) => (alerting(t).TamperKeyPolicy.Properties.State = { 'Fn::If': ['Quiet', 'DISABLED', 'ENABLED'] }),
      ['[KeyPolicy::not-watched] (template)'],
    ],
    [
      'the formatter rule matching exact names (Lambda event names carry an API version suffix)',
      (t) => {
        const detail = alerting(t).TamperFunctions.Properties.EventPattern.detail;
        detail.eventName = detail.eventName.map((e: { prefix: string }) => e.prefix);
      },
      ['[Functions::not-watched] (template)'],
    ],
    [
      'the Lambda rule narrowed to one function (the checks and the provisioner no longer watched)',
      (t) =>
        (alerting(t).TamperFunctions.Properties.EventPattern.detail.requestParameters = {
          functionName: [{ suffix: 'hipaa-prod-alert-formatter' }],
        }),
      ['[Functions::not-watched] (template)'],
    ],
    [
      'a bucket rule narrowed to other buckets by alternatives',
      (t) =>
        (alerting(t).TamperBucketProtection.Properties.EventPattern.detail.$or = [
          { requestParameters: { bucketName: ['somewhere-else'] } },
        ]),
      ['[BucketProtection::not-watched] (template)'],
    ],
    [
      'a bucket rule narrowed to the calls of another account',
      (t) => (alerting(t).TamperBucketProtection.Properties.EventPattern.account = ['000000000000']),
      ['[BucketProtection::not-watched] (template)'],
    ],
    [
      'a trail rule narrowed to failed calls',
      (t) => (alerting(t).TamperTrail.Properties.EventPattern.detail.errorCode = [{ exists: true }]),
      ['[Trail::not-watched] (template)'],
    ],
    [
      "the notifications rule narrowed to the calls an AWS service makes (the principals' own calls unwatched)",
      (t) =>
        (alerting(t).TamperBucketNotifications.Properties.EventPattern.detail.userIdentity = {
          invokedBy: [{ exists: true }],
        }),
      ['[BucketNotifications::not-watched] (template)'],
    ],
    [
      "the key policy rule narrowed to calls without an AWS service's hand (a filter its watch does not have)",
      (t) =>
        (alerting(t).TamperKeyPolicy.Properties.EventPattern.detail.userIdentity = { invokedBy: [{ exists: false }] }),
      ['[KeyPolicy::not-watched] (template)'],
    ],
    [
      'a tamper rule handing the formatter a constant heartbeat instead of the event (logged, never alerted)',
      (t) =>
        (alerting(t).TamperTrail.Properties.Targets[0].Input = JSON.stringify({
          source: 'hipaa-blueprint.alert-path',
          'detail-type': 'Alert Path Heartbeat',
        })),
      ['[Trail::formatter-input-rewritten] TamperTrail'],
    ],
    [
      'a tamper rule handing the formatter a part of the event',
      (t) => (alerting(t).TamperKeyPolicy.Properties.Targets[0].InputPath = '$.account'),
      ['[KeyPolicy::formatter-input-rewritten] TamperKeyPolicy'],
    ],
    [
      'a tamper rule without the formatter target',
      (t) => (alerting(t).TamperBackup.Properties.Targets = [{ Id: 'X', Arn: { Ref: 'Topic' } }]),
      ['[Backup::no-formatter-target] TamperBackup'],
    ],
    [
      'a tamper rule re-targeted at another function of its stack (not the one the heartbeat goes through)',
      (t) => {
        alerting(t).Other = { Type: 'AWS::Lambda::Function', Properties: {} };
        alerting(t).TamperBucketProtection.Properties.Targets = [
          { Id: 'Other', Arn: { 'Fn::GetAtt': ['Other', 'Arn'] } },
        ];
      },
      ['[BucketProtection::no-formatter-target] TamperBucketProtection'],
    ],
    [
      'a tamper rule re-targeted at a decoy function with its own decoy heartbeat rule (the alarmed metric counts the formatter only)',
      (t) => {
        const a = alerting(t);
        a.Decoy = { Type: 'AWS::Lambda::Function', Properties: {} };
        a.DecoyHeartbeat = JSON.parse(JSON.stringify(a.Heartbeat));
        a.DecoyHeartbeat.Properties.Targets[0].Arn = { 'Fn::GetAtt': ['Decoy', 'Arn'] };
        a.TamperBucketProtection.Properties.Targets = [{ Id: 'Decoy', Arn: { 'Fn::GetAtt': ['Decoy', 'Arn'] } }];
      },
      ['[BucketProtection::no-formatter-target] TamperBucketProtection'],
    ],
    [
      "a decoy's heartbeat lines counted into the alarmed metric too (the decoy's heartbeat keeps the alarm quiet)",
      (t) => {
        const a = alerting(t);
        a.Decoy = { Type: 'AWS::Lambda::Function', Properties: { LoggingConfig: { LogGroup: { Ref: 'DecoyLogs' } } } };
        a.DecoyLogs = { Type: 'AWS::Logs::LogGroup', Properties: {} };
        a.DecoyHeartbeat = JSON.parse(JSON.stringify(a.Heartbeat));
        a.DecoyHeartbeat.Properties.Targets[0].Arn = { 'Fn::GetAtt': ['Decoy', 'Arn'] };
        a.DecoyFilter = JSON.parse(JSON.stringify(a.HeartbeatFilter));
        a.DecoyFilter.Properties.LogGroupName = { Ref: 'DecoyLogs' };
      },
      ['[Heartbeat::not-the-formatter] HeartbeatFilter'],
    ],
    [
      'the heartbeat metric filter reading a log group the formatter does not write to',
      (t) => {
        alerting(t).OtherLogs = { Type: 'AWS::Logs::LogGroup', Properties: {} };
        alerting(t).HeartbeatFilter.Properties.LogGroupName = { Ref: 'OtherLogs' };
      },
      ['[Heartbeat::not-the-formatter] HeartbeatFilter'],
    ],
    [
      "the formatter's logging config removed (it logs to /aws/lambda/<its name>, which the filter does not read)",
      (t) => delete alerting(t).Formatter.Properties.LoggingConfig,
      ['[Heartbeat::not-the-formatter] HeartbeatFilter'],
    ],
    [
      'an alert-path rule without its direct topic target',
      (t) => alerting(t).TamperFunctions.Properties.Targets.pop(),
      ['[Functions::no-direct-target] TamperFunctions'],
    ],
    [
      'a direct target publishing the raw event',
      (t) => delete alerting(t).TamperEventRules.Properties.Targets[1].InputTransformer,
      ['[EventRules::direct-raw-event] TamperEventRules'],
    ],
    ['the heartbeat rule removed', (t) => delete alerting(t).Heartbeat, ['[Heartbeat::no-schedule] (template)']],
    [
      'the heartbeat rule sending something else (any other scheduled function is no heartbeat)',
      (t) => delete alerting(t).Heartbeat.Properties.Targets[0].InputTransformer,
      ['[Heartbeat::no-schedule] (template)'],
    ],
    [
      'the heartbeat metric filter removed',
      (t) => delete alerting(t).HeartbeatFilter,
      ['[Heartbeat::no-metric-filter] (template)'],
    ],
    [
      'the heartbeat alarm removed',
      (t) => delete alerting(t).HeartbeatAlarm,
      ['[Heartbeat::no-alarm] HeartbeatFilter'],
    ],
    [
      'the heartbeat alarm not breaching on missing data',
      (t) => (alerting(t).HeartbeatAlarm.Properties.TreatMissingData = 'notBreaching'),
      ['[Heartbeat::alarm-not-direct] HeartbeatAlarm'],
    ],
    [
      'the heartbeat alarm through the formatter',
      (t) =>
        (alerting(t).HeartbeatAlarm.Properties.AlarmActions = [
          'arn:aws:lambda:us-east-1:123456789012:function:formatter',
        ]),
      ['[Heartbeat::alarm-not-direct] HeartbeatAlarm'],
    ],
    ['the throttle alarm removed', (t) => delete alerting(t).ThrottleAlarm, ['[FormatterThrottle::absent] (template)']],
    [
      'the throttle alarm with its actions disabled',
      (t) => (alerting(t).ThrottleAlarm.Properties.ActionsEnabled = false),
      ['[FormatterThrottle::not-direct] ThrottleAlarm'],
    ],
    [
      // CloudFormation reads "false" as false.
      'the throttle alarm with its actions disabled by the string "false"',
      (t) => (alerting(t).ThrottleAlarm.Properties.ActionsEnabled = 'false'),
      ['[FormatterThrottle::not-direct] ThrottleAlarm'],
    ],
    [
      'the throttle alarm whose actions a condition only deploy resolves may switch off',
      (t) => (alerting(t).ThrottleAlarm.Properties.ActionsEnabled = { 'Fn::If': ['Quiet', false, true] }),
      ['[FormatterThrottle::not-direct] ThrottleAlarm'],
    ],
    [
      'the role trust alarm whose actions a condition only deploy resolves may switch off',
      (t) =>
        (t.audit.Resources.RoleTrustPolicyChangesAlarm.Properties.ActionsEnabled = {
          'Fn::If': ['Quiet', false, true],
        }),
      ['[RoleTrust::no-trail-alarm] RoleTrustPolicyChangesFilter'],
    ],
    [
      'the role trust alarm whose only action is AWS::NoValue (no action)',
      (t) => (t.audit.Resources.RoleTrustPolicyChangesAlarm.Properties.AlarmActions = [{ Ref: 'AWS::NoValue' }]),
      ['[RoleTrust::no-trail-alarm] RoleTrustPolicyChangesFilter'],
    ],
    [
      'the role trust alarm whose list of actions a condition may empty',
      (t) => {
        const p = t.audit.Resources.RoleTrustPolicyChangesAlarm.Properties;
        p.AlarmActions = { 'Fn::If': ['Quiet', [], p.AlarmActions] };
      },
      ['[RoleTrust::no-trail-alarm] RoleTrustPolicyChangesFilter'],
    ],
    [
      // Already caught before: an action that is not a plain Ref to a topic of the stack never counted as direct.
      'the throttle alarm whose topic action a condition may remove',
      (t) =>
        (alerting(t).ThrottleAlarm.Properties.AlarmActions = [
          { 'Fn::If': ['Quiet', { Ref: 'AWS::NoValue' }, { Ref: 'Topic' }] },
        ]),
      ['[FormatterThrottle::not-direct] ThrottleAlarm'],
    ],
    [
      'the role trust alarm with its actions disabled by the string "false"',
      (t) => (t.audit.Resources.RoleTrustPolicyChangesAlarm.Properties.ActionsEnabled = 'false'),
      ['[RoleTrust::no-trail-alarm] RoleTrustPolicyChangesFilter'],
    ],
    [
      'the role trust alarm on the trail log group removed',
      (t) => delete t.audit.Resources.RoleTrustPolicyChangesAlarm,
      ['[RoleTrust::no-trail-alarm] RoleTrustPolicyChangesFilter'],
    ],
    [
      'the backup heartbeat alarm removed',
      (t) => delete t.data.Resources.BackupHeartbeatAlarm,
      ['[BackupHeartbeat::absent] Vault'],
    ],
    [
      'the backup heartbeat alarm not breaching on missing data',
      (t) => (t.data.Resources.BackupHeartbeatAlarm.Properties.TreatMissingData = 'missing'),
      ['[BackupHeartbeat::absent] BackupHeartbeatAlarm'],
    ],
    [
      'the backup heartbeat alarm whose only action a condition may remove',
      (t) =>
        (t.data.Resources.BackupHeartbeatAlarm.Properties.AlarmActions = [
          { 'Fn::If': ['Quiet', { Ref: 'AWS::NoValue' }, 'arn:aws:lambda:us-east-1:123456789012:function:formatter'] },
        ]),
      ['[BackupHeartbeat::absent] BackupHeartbeatAlarm'],
    ],
    [
      'the backup heartbeat alarm whose actions a condition only deploy resolves may switch off',
      (t) => (t.data.Resources.BackupHeartbeatAlarm.Properties.ActionsEnabled = { 'Fn::If': ['Quiet', false, true] }),
      ['[BackupHeartbeat::absent] BackupHeartbeatAlarm'],
    ],
  ])('U6 D3 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(TamperDetectionPresent, mutate)).toEqual(expected);
  });
});
