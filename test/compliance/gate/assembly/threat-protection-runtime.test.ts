import { ThreatProtectionPresent } from '../../../../lib/compliance/gate/assembly/threat-protection-present';
import {
  ANOTHER_ACCOUNTS_BUS,
  asAssembly,
  findingsOf,
  fixtureTemplates,
  moveAlertRule,
  Mutable,
  PHI_BUCKET,
  PRIMARY_REGION,
  REPLICA_REGION,
  RUNNING_RULE_STATES,
} from './assembly-fixture';
import { appStackWithService, ecrEndpoints } from './threat-protection-fixture';

/** The fixture with a Fargate service (app stack) and the ECR endpoints in the network stack. */
const withService =
  (mutate: (t: Record<string, Mutable>) => void = () => undefined) =>
  (t: Record<string, Mutable>) => {
    t.app = appStackWithService();
    Object.assign(t.network.Resources, ecrEndpoints());
    mutate(t);
  };
const app = (t: Record<string, Mutable>) => t.app.Resources;
const pullStatement = (t: Record<string, Mutable>) => app(t).ExecutionPolicy.Properties.PolicyDocument.Statement[0];
const endpointStatements = (t: Record<string, Mutable>, id = 'EcrDkrEndpoint') =>
  t.network.Resources[id].Properties.PolicyDocument.Statement;
const alerting = (t: Record<string, Mutable>) => t.alerting.Resources;
const quarantine = (t: Record<string, Mutable>) =>
  t.data.Resources.PhiBucketPolicy.Properties.PolicyDocument.Statement[0];
const tagLock = (t: Record<string, Mutable>) => t.data.Resources.PhiBucketPolicy.Properties.PolicyDocument.Statement[1];
const declare = (t: Record<string, Mutable>, services: Record<string, boolean>, extra: Mutable = {}) =>
  (t.detection.Metadata.HipaaBlueprint.detection = { services, providedBy: 'the organisation', ...extra });
const ALL_ON = { config: true, guardDuty: true, securityHub: true, macie: true, inspector: true };

describe('ThreatProtectionPresent: runtime agent, quarantine and alerts (issue 15)', () => {
  test('D2 a Fargate service whose execution role and ECR endpoints admit the agent, with both alert rules, passes', () => {
    expect(findingsOf(ThreatProtectionPresent, withService())).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the execution role without the agent pull',
      (t) => app(t).ExecutionPolicy.Properties.PolicyDocument.Statement.shift(),
      ['[Service::guardduty-agent-not-pullable] Service'],
    ],
    [
      "the execution role pulling from this account's repositories only",
      (t) => (pullStatement(t).Resource = 'arn:aws:ecr:us-east-1:123456789012:repository/app'),
      ['[Service::guardduty-agent-not-pullable] Service'],
    ],
    [
      'the pull from a look-alike repository of another account',
      (t) => (pullStatement(t).Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/aws-guardduty-agent-fargate'),
      ['[Service::guardduty-agent-not-pullable] Service'],
    ],
    [
      'the pull missing one action',
      (t) => (pullStatement(t).Action = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']),
      ['[Service::guardduty-agent-not-pullable] Service'],
    ],
    [
      'a task definition without an execution role',
      (t) => delete app(t).TaskDefinition.Properties.ExecutionRoleArn,
      ['[Service::guardduty-agent-not-pullable] Service'],
    ],
    [
      "the ecr.dkr endpoint admitting this account's repositories only",
      (t) => endpointStatements(t).pop(),
      ['[EcrDkrEndpoint::guardduty-agent-repository-not-admitted] EcrDkrEndpoint'],
    ],
    [
      "the ecr.api endpoint's agent statement on another repository",
      (t) => (endpointStatements(t, 'EcrApiEndpoint')[1].Resource = 'arn:aws:ecr:us-east-1:123456789012:repository/x'),
      ['[EcrApiEndpoint::guardduty-agent-repository-not-admitted] EcrApiEndpoint'],
    ],
    [
      'the runtime coverage alert rule removed',
      (t) => delete alerting(t).RuntimeCoverageRule,
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule disabled',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.State = 'DISABLED'),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule narrowed by a detail field',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.EventPattern.detail = { never: ['x'] }),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule narrowed to another account',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.EventPattern.account = ['000000000000']),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule without a target',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.Targets = []),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule with its one target AWS::NoValue',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.Targets = [{ Ref: 'AWS::NoValue' }]),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule with Targets AWS::NoValue',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.Targets = { Ref: 'AWS::NoValue' }),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule with its target when a condition is false',
      (t) =>
        (alerting(t).RuntimeCoverageRule.Properties.Targets = [
          { 'Fn::If': ['Off', alerting(t).RuntimeCoverageRule.Properties.Targets[0], { Ref: 'AWS::NoValue' }] },
        ]),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule with targets only deploy resolves',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.Targets = { Ref: 'TargetList' }),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      "the runtime coverage alert rule sending to another account's event bus",
      (t) => (alerting(t).RuntimeCoverageRule.Properties.Targets = [{ Arn: ANOTHER_ACCOUNTS_BUS, Id: 'Elsewhere' }]),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule sending to a queue of its stack that nobody reads',
      (t) => {
        alerting(t).Quiet = { Type: 'AWS::SQS::Queue', Properties: {} };
        alerting(t).RuntimeCoverageRule.Properties.Targets = [{ Arn: { 'Fn::GetAtt': ['Quiet', 'Arn'] }, Id: 'Q' }];
      },
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule naming the formatter by Ref (its name, not an ARN)',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.Targets = [{ Arn: { Ref: 'Formatter' }, Id: 'Target0' }]),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule publishing the raw event to the alert topic (no formatter)',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.Targets = [{ Arn: { Ref: 'Topic' }, Id: 'T' }]),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      "the runtime coverage alert rule giving the formatter a constant input (a heartbeat's: dropped)",
      (t) =>
        (alerting(t).RuntimeCoverageRule.Properties.Targets[0].Input = JSON.stringify({
          source: 'hipaa-blueprint.alert-path',
          'detail-type': 'Alert Path Heartbeat',
        })),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule giving the formatter part of the event (InputPath)',
      (t) => (alerting(t).RuntimeCoverageRule.Properties.Targets[0].InputPath = '$.detail'),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      'the runtime coverage alert rule rewriting the event for the formatter (InputTransformer), as a condition chooses',
      (t) =>
        (alerting(t).RuntimeCoverageRule.Properties.Targets[0].InputTransformer = {
          'Fn::If': ['Quiet', { InputTemplate: '"nothing"' }, { Ref: 'AWS::NoValue' }],
        }),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
    [
      "the runtime coverage alert rule sending to the formatter or, as a condition chooses, another account's bus",
      (t) =>
        (alerting(t).RuntimeCoverageRule.Properties.Targets = [
          {
            Arn: {
              'Fn::If': ['Quiet', ANOTHER_ACCOUNTS_BUS, { 'Fn::GetAtt': ['Formatter', 'Arn'] }],
            },
            Id: 'Target0',
          },
        ]),
      ['[GuardDuty::no-runtime-coverage-alert] (template)'],
    ],
  ])('D2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(ThreatProtectionPresent, withService(mutate))).toEqual(expected);
  });

  test('D2 the runtime coverage alert rule may add other targets to the formatter', () => {
    expect(
      findingsOf(
        ThreatProtectionPresent,
        withService((t) =>
          alerting(t).RuntimeCoverageRule.Properties.Targets.unshift({
            Arn: ANOTHER_ACCOUNTS_BUS,
            Id: 'Copy',
          }),
        ),
      ),
    ).toEqual([]);
  });

  test.each(RUNNING_RULE_STATES)(
    'D2 the runtime coverage alert rule with State %s still runs: no finding',
    (_name, state) => {
      expect(
        findingsOf(
          ThreatProtectionPresent,
          withService((t) => (alerting(t).RuntimeCoverageRule.Properties.State = state)),
        ),
      ).toEqual([]);
    },
  );

  test('D2 without a Fargate service, no agent or coverage alert is required; with GuardDuty declared off, neither', () => {
    expect(findingsOf(ThreatProtectionPresent, (t) => delete alerting(t).RuntimeCoverageRule)).toEqual([]);
    expect(
      findingsOf(
        ThreatProtectionPresent,
        withService((t) => {
          delete t.detection.Resources.Detector;
          app(t).ExecutionPolicy.Properties.PolicyDocument.Statement.shift();
          endpointStatements(t).pop();
          delete alerting(t).RuntimeCoverageRule;
          declare(t, { ...ALL_ON, guardDuty: false });
        }),
      ),
    ).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    [
      'the quarantine removed',
      (t) => t.data.Resources.PhiBucketPolicy.Properties.PolicyDocument.Statement.shift(),
      ['[PhiBucket::no-malware-quarantine] PhiBucket'],
    ],
    [
      'the quarantine tag lock removed (anyone who may tag objects overwrites the scan result, then reads)',
      (t) => t.data.Resources.PhiBucketPolicy.Properties.PolicyDocument.Statement.pop(),
      ['[PhiBucket::malware-quarantine-liftable] PhiBucket'],
    ],
    [
      'the quarantine tag lock without PutObjectVersionTagging',
      (t) => (tagLock(t).Action = ['s3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging', 's3:PutObjectTagging']),
      ['[PhiBucket::malware-quarantine-liftable] PhiBucket'],
    ],
    [
      'the quarantine tag lock exempting a role',
      (t) => (tagLock(t).Condition.ArnNotEquals = { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/x' }),
      ['[PhiBucket::malware-quarantine-liftable] PhiBucket'],
    ],
    [
      'the quarantine made dead by a second operator on its key (Null true: never with THREATS_FOUND)',
      (t) => (quarantine(t).Condition.Null = { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'true' }),
      ['[PhiBucket::no-malware-quarantine] PhiBucket'],
    ],
    [
      'the tag lock made dead by StringNotEquals on its own value',
      (t) =>
        (tagLock(t).Condition.StringNotEquals = { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'THREATS_FOUND' }),
      ['[PhiBucket::malware-quarantine-liftable] PhiBucket'],
    ],
    [
      "the quarantine on the tag key in lower case (S3's object tag keys are case-sensitive)",
      (t) =>
        (quarantine(t).Condition = {
          StringEquals: { 's3:ExistingObjectTag/guarddutymalwarescanstatus': 'THREATS_FOUND' },
        }),
      ['[PhiBucket::no-malware-quarantine] PhiBucket'],
    ],
    [
      'a PHI replica bucket without the quarantine (objects replicate before they are tagged)',
      (t) =>
        (t.phiReplica.Resources.ReplicaBucket = {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: 'app-prod-phi-replica-123456789012-us-west-2' },
        }),
      ['[ReplicaBucket::no-malware-quarantine] ReplicaBucket'],
    ],
    [
      'the quarantine tag lock on another tag key',
      (t) => (tagLock(t).Condition = { StringEquals: { 's3:ExistingObjectTag/Scanned': 'THREATS_FOUND' } }),
      ['[PhiBucket::malware-quarantine-liftable] PhiBucket'],
    ],
    [
      'the quarantine allowing instead of denying',
      (t) => (quarantine(t).Effect = 'Allow'),
      ['[PhiBucket::no-malware-quarantine] PhiBucket'],
    ],
    [
      'the quarantine without GetObjectVersion',
      (t) => (quarantine(t).Action = ['s3:GetObject']),
      ['[PhiBucket::no-malware-quarantine] PhiBucket'],
    ],
    [
      'the quarantine on another tag value',
      (t) =>
        (quarantine(t).Condition.StringEquals['s3:ExistingObjectTag/GuardDutyMalwareScanStatus'] = 'NO_THREATS_FOUND'),
      ['[PhiBucket::no-malware-quarantine] PhiBucket'],
    ],
    [
      'the quarantine narrowed to some principals',
      (t) => (quarantine(t).Condition.ArnEquals = { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/x' }),
      ['[PhiBucket::no-malware-quarantine] PhiBucket'],
    ],
    [
      'the quarantine on a prefix only',
      (t) => (quarantine(t).Resource = 'arn:aws:s3:::app-prod-phi-data-123456789012-us-east-1/uploads/*'),
      ['[PhiBucket::no-malware-quarantine] PhiBucket'],
    ],
    [
      'the scan result alert rule removed',
      (t) => delete alerting(t).MalwareScanResultsRule,
      ['[MalwareProtection::no-scan-result-alert] (template)'],
    ],
    [
      'the scan result alert rule without FAILED',
      (t) =>
        (alerting(t).MalwareScanResultsRule.Properties.EventPattern.detail.scanResultDetails.scanResultStatus = [
          'THREATS_FOUND',
          'UNSUPPORTED',
          'ACCESS_DENIED',
        ]),
      ['[MalwareProtection::no-scan-result-alert] (template)'],
    ],
    [
      'the scan result alert rule narrowed by another detail field',
      (t) => (alerting(t).MalwareScanResultsRule.Properties.EventPattern.detail.resourceType = ['NEVER']),
      ['[MalwareProtection::no-scan-result-alert] (template)'],
    ],
    [
      'the scan result alert rule narrowed to some resources',
      (t) => (alerting(t).MalwareScanResultsRule.Properties.EventPattern.resources = ['arn:aws:s3:::other']),
      ['[MalwareProtection::no-scan-result-alert] (template)'],
    ],
    [
      "the scan result alert rule sending to another account's event bus",
      (t) => (alerting(t).MalwareScanResultsRule.Properties.Targets = [{ Arn: ANOTHER_ACCOUNTS_BUS, Id: 'Elsewhere' }]),
      ['[MalwareProtection::no-scan-result-alert] (template)'],
    ],
  ])('D2 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(ThreatProtectionPresent, mutate)).toEqual(expected);
  });

  test.each([
    ['runtime coverage', 'RuntimeCoverageRule', 'GuardDuty::no-runtime-coverage-alert'],
    ['malware scan result', 'MalwareScanResultsRule', 'MalwareProtection::no-scan-result-alert'],
  ])(
    'D2 D3 the %s alert rule moved, with a formatter of its own, to a stack of the replica region (GuardDuty emits the events where the tasks and the bucket are) is a finding naming their region',
    (_name, ruleId, id) => {
      const templates = fixtureTemplates();
      withService((t) => moveAlertRule(t, ruleId, 'phiReplica'))(templates);
      const findings = ThreatProtectionPresent.check(asAssembly(templates), { phiBucketNames: [PHI_BUCKET] }).findings;
      expect(findings.map((f) => f.ruleId)).toEqual([`Blueprint-ThreatProtectionPresent[${id}]`]);
      expect(findings[0]!.description).toContain(
        `No enabled EventBridge rule in ${PRIMARY_REGION} (where the events happen)`,
      );
      // In another stack of their region: it sees the events.
      expect(
        findingsOf(
          ThreatProtectionPresent,
          withService((t) => moveAlertRule(t, ruleId, 'audit')),
        ),
      ).toEqual([]);
    },
  );

  test("D2 D3 Fargate services in two regions need the runtime coverage alert in each: one in the replica region's stack is a finding naming that region only", () => {
    const templates = fixtureTemplates();
    withService((t) => (t.replicaApp = appStackWithService()))(templates);
    const findings = ThreatProtectionPresent.check(asAssembly(templates), { phiBucketNames: [PHI_BUCKET] }).findings;
    // The replica region has no detector and no registry scanning either (the fixture's are the main region's).
    expect(findings.map((f) => f.ruleId)).toEqual([
      'Blueprint-ThreatProtectionPresent[GuardDuty::no-detector-where-tasks-run]',
      'Blueprint-ThreatProtectionPresent[GuardDuty::no-runtime-coverage-alert]',
      'Blueprint-ThreatProtectionPresent[ECR::no-enhanced-continuous-scanning]',
    ]);
    expect(findings[2]!.description).toContain(`no registry scanning configuration in ${REPLICA_REGION}`);
    expect(findings[1]!.description).toContain(
      `No enabled EventBridge rule in ${REPLICA_REGION} (where the events happen)`,
    );
    expect(findings[1]!.description).not.toContain(PRIMARY_REGION);
  });

  test("D2 every detector must monitor at runtime, whatever the stack order: another region's detector with it on does not cover the main region's with it off", () => {
    const templates = fixtureTemplates();
    withService()(templates);
    const other = JSON.parse(JSON.stringify(templates.detection.Resources.Detector));
    const main = templates.detection.Resources.Detector.Properties.Features;
    main.find((f: Mutable) => f.Name === 'RUNTIME_MONITORING').Status = 'DISABLED';
    // The replica region's detection stack first (the rule once read the first detector only).
    const ordered: Record<string, Mutable> = { replicaDetection: { Resources: { Detector: other } }, ...templates };
    const findings = ThreatProtectionPresent.check(asAssembly(ordered), { phiBucketNames: [PHI_BUCKET] }).findings;
    expect(findings.map((f) => f.ruleId)).toEqual([
      'Blueprint-ThreatProtectionPresent[GuardDuty::runtime-monitoring-off]',
    ]);
  });

  test("D2 ECR enhanced scanning configured in the replica region's stack only (the services' registry is the main region's) is a finding", () => {
    const templates = fixtureTemplates();
    withService()(templates);
    const ordered: Record<string, Mutable> = {
      replicaDetection: { Resources: { RegistryScanning: templates.detection.Resources.RegistryScanning } },
      ...templates,
    };
    delete ordered.detection.Resources.RegistryScanning;
    const findings = ThreatProtectionPresent.check(asAssembly(ordered), { phiBucketNames: [PHI_BUCKET] }).findings;
    expect(findings.map((f) => f.ruleId)).toEqual([
      'Blueprint-ThreatProtectionPresent[ECR::no-enhanced-continuous-scanning]',
    ]);
    expect(findings[0]!.description).toContain(`in ${PRIMARY_REGION} (where the events happen)`);
  });

  test('D2 an ECR repository in a region without registry scanning (no service there) is a finding naming that region', () => {
    const templates: Record<string, Mutable> = {
      ...fixtureTemplates(),
      replicaRegistry: { Resources: { Repo: { Type: 'AWS::ECR::Repository', Properties: {} } } },
    };
    const findings = ThreatProtectionPresent.check(asAssembly(templates), { phiBucketNames: [PHI_BUCKET] }).findings;
    expect(findings.map((f) => f.ruleId)).toEqual([
      'Blueprint-ThreatProtectionPresent[ECR::no-enhanced-continuous-scanning]',
    ]);
    expect(findings[0]!.description).toContain(`in ${REPLICA_REGION}`);
  });

  test('D2 D3 with no backed-up PHI bucket, the malware scan result alert is still required (in any region)', () => {
    const noBucket = (t: Record<string, Mutable>) => {
      delete t.data.Resources.PhiBucket;
      delete t.data.Resources.PhiBucketPolicy;
    };
    expect(findingsOf(ThreatProtectionPresent, noBucket)).toEqual([]);
    expect(
      findingsOf(ThreatProtectionPresent, (t) => {
        noBucket(t);
        delete alerting(t).MalwareScanResultsRule;
      }),
    ).toEqual(['[MalwareProtection::no-scan-result-alert] (template)']);
  });

  test('D2 the scan result rule may route every result (no detail filter)', () => {
    expect(
      findingsOf(
        ThreatProtectionPresent,
        (t) => delete alerting(t).MalwareScanResultsRule.Properties.EventPattern.detail,
      ),
    ).toEqual([]);
  });

  test('D2 GuardDuty off (an organization runs it) still requires the per-bucket plan, its quarantine and alerts; malwareProtection off requires none', () => {
    const offButMalware = (t: Record<string, Mutable>) => {
      delete t.detection.Resources.Detector;
      declare(t, { ...ALL_ON, guardDuty: false });
    };
    expect(findingsOf(ThreatProtectionPresent, offButMalware)).toEqual([]);
    expect(
      findingsOf(ThreatProtectionPresent, (t) => {
        offButMalware(t);
        delete t.detection.Resources.MalwarePlan;
        t.data.Resources.PhiBucketPolicy.Properties.PolicyDocument.Statement = [];
        delete alerting(t).MalwareScanResultsRule;
      }),
    ).toEqual([
      '[MalwareProtection::no-scan-result-alert] (template)',
      '[PhiBucket::no-malware-quarantine] PhiBucket',
      '[PhiBucket::no-malware-scan] PhiBucket',
    ]);
    expect(
      findingsOf(ThreatProtectionPresent, (t) => {
        offButMalware(t);
        declare(t, { ...ALL_ON, guardDuty: false }, { malwareProtection: false });
        delete t.detection.Resources.MalwarePlan;
        t.data.Resources.PhiBucketPolicy.Properties.PolicyDocument.Statement = [];
        delete alerting(t).MalwareScanResultsRule;
      }),
    ).toEqual([]);
  });
});
