/**
 * A minimal, synthetic cloud assembly (JSON only, no synth) in which every assembly rule passes: keys with domain
 * markers, a PHI VPC with application and data tiers, the data-tier ACL and an interface endpoint, a non-PHI VPC,
 * the database, PHI bucket and vault on their domain keys (through Fn::GetStackOutput), the trail with data events,
 * the CIS alarm set, the break-glass alarm, and the detection services. Tests mutate a copy.
 */
import { HIPAA_CONFIG_RULES } from '../../../../constructs/hipaa-config-rule-set';
import { SECURITY_HUB_STANDARDS } from '../../../../constructs/security-hub';
import { SECURITY_METRIC_FILTERS } from '../../../../constructs/security-metric-filters';
import { ROLE_TRUST_METRIC_FILTER } from '../../../../constructs/tamper-watches';
import { AssemblyRule } from '../../../../lib/compliance/gate/assembly';
import { AssemblyStack, TemplateJson } from '../../../../lib/compliance/gate/core/template-json';
import {
  FINDINGS_ARCHIVE_OUTPUTS,
  findingsArchiveAuditResources,
  findingsArchiveDetectionResources,
  findingsArchiveReplicaResources,
} from './findings-archive-fixture';
import { alertingResources, backupHeartbeatAlarm } from './tamper-fixture';
import { replicationForwardedAlarmResources, replicationStallReplicaResources } from './replication-fixture';
import { FIXTURE_RTO_HOURS, restoreValidationResources } from './restore-validation-fixture';
import { threatAlertingResources, threatDataResources } from './threat-protection-fixture';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Mutable = Record<string, any>;

export const PHI_BUCKET = 'app-prod-phi-data-123456789012-us-east-1';

/** Another account's default event bus: an alert rule target that alerts nobody here. */
export const ANOTHER_ACCOUNTS_BUS = 'arn:aws:events:us-east-1:000000000000:event-bus/default';

/** Event rule States other than ENABLED under which the rule still runs (eventRuleEnabled), for test.each. */
export const RUNNING_RULE_STATES: ReadonlyArray<[string, unknown]> = [
  ['ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'],
  ['AWS::NoValue (the default, ENABLED)', { Ref: 'AWS::NoValue' }],
];
const gso = (stack: string, output: string) => ({ 'Fn::GetStackOutput': { StackName: stack, OutputName: output } });
const key = (domain: string) => ({
  Type: 'AWS::KMS::Key',
  Metadata: { 'HipaaBlueprint::KeyDomain': domain },
  Properties: { EnableKeyRotation: true },
});
const ACTION = ['arn:aws:lambda:us-east-1:123456789012:function:formatter'];
/** How a metric-filter count alarm fires on one event (constructs/security-alarms.ts). */
const ON_ONE_EVENT = {
  Statistic: 'Sum',
  Period: 300,
  EvaluationPeriods: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  Threshold: 1,
  TreatMissingData: 'notBreaching',
};

function audit(): Mutable {
  const r: Mutable = {
    TrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 2192 } },
    Trail: {
      Type: 'AWS::CloudTrail::Trail',
      Properties: {
        KMSKeyId: gso('app-prod-keys', 'AuditKeyArn'),
        CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': ['TrailLogs', 'Arn'] },
        CloudWatchLogsRoleArn: { 'Fn::GetAtt': ['TrailLogsRole', 'Arn'] },
        TrailName: 'app-prod-trail',
        IsLogging: true,
        EventSelectors: [
          {
            ReadWriteType: 'All',
            DataResources: [
              {
                Type: 'AWS::S3::Object',
                Values: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${PHI_BUCKET}/`]] }],
              },
            ],
          },
        ],
      },
    },
    // CloudTrail's CloudWatch Logs delivery, as constructs/audit-trail.ts ships it.
    TrailLogsRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            },
          ],
        },
        ManagedPolicyArns: [{ Ref: 'TrailLogsPolicy' }],
      },
    },
    TrailLogsPolicy: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: { 'Fn::GetAtt': ['TrailLogs', 'Arn'] },
            },
          ],
        },
      },
    },
    BreakGlass: {
      Type: 'AWS::IAM::Role',
      Metadata: { HipaaBlueprint: { safeguards: ['A5'] } },
      Properties: { RoleName: 'app-prod-break-glass', AssumeRolePolicyDocument: { Statement: [] } },
    },
  };
  const filter = (id: string, pattern: unknown, metric: string) => {
    r[`${id}Filter`] = {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: 'TrailLogs' },
        FilterPattern: pattern,
        MetricTransformations: [{ MetricName: metric, MetricNamespace: 'Security', MetricValue: '1' }],
      },
    };
  };
  for (const f of SECURITY_METRIC_FILTERS) {
    filter(f.id, f.filterPattern, f.metricName);
    r[`${f.id}Alarm`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { MetricName: f.metricName, Namespace: 'Security', AlarmActions: ACTION, ...ON_ONE_EVENT },
    };
  }
  filter(ROLE_TRUST_METRIC_FILTER.id, ROLE_TRUST_METRIC_FILTER.filterPattern, ROLE_TRUST_METRIC_FILTER.metricName);
  r[`${ROLE_TRUST_METRIC_FILTER.id}Alarm`] = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      MetricName: ROLE_TRUST_METRIC_FILTER.metricName,
      Namespace: 'Security',
      AlarmActions: ACTION,
      ...ON_ONE_EVENT,
    },
  };
  filter('PhiObjectAccess', '{ $.eventSource = "s3.amazonaws.com" }', 'PhiObjectAccess');
  r.PhiObjectAccessAlarm = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmActions: ACTION,
      ComparisonOperator: 'GreaterThanUpperThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ThresholdMetricId: 'expr_1',
      Metrics: [
        { Id: 'expr_1', Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' },
        {
          Id: 'm0',
          MetricStat: { Metric: { MetricName: 'PhiObjectAccess', Namespace: 'Security' }, Stat: 'Sum', Period: 300 },
        },
      ],
    },
  };
  filter(
    'BreakGlassUse',
    {
      'Fn::Join': [
        '',
        [
          '{ ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "arn:',
          { Ref: 'AWS::Partition' },
          ':iam::123456789012:role/app-prod-break-glass") }',
        ],
      ],
    },
    'BreakGlassRoleAssumed',
  );
  r.BreakGlassUseAlarm = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { MetricName: 'BreakGlassRoleAssumed', Namespace: 'Security', AlarmActions: ACTION, ...ON_ONE_EVENT },
  };
  return r;
}

function detection(): Mutable {
  const r: Mutable = {
    Detector: {
      Type: 'AWS::GuardDuty::Detector',
      Properties: {
        Enable: true,
        Features: [
          { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
          { Name: 'RDS_LOGIN_EVENTS', Status: 'ENABLED' },
          {
            Name: 'RUNTIME_MONITORING',
            Status: 'ENABLED',
            AdditionalConfiguration: [{ Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' }],
          },
        ],
      },
    },
    MalwarePlan: {
      Type: 'AWS::GuardDuty::MalwareProtectionPlan',
      Properties: {
        Role: 'arn:aws:iam::123456789012:role/app-prod-phi-malware-scan',
        ProtectedResource: { S3Bucket: { BucketName: PHI_BUCKET } },
        Actions: { Tagging: { Status: 'ENABLED' } },
      },
    },
    RegistryScanning: {
      Type: 'AWS::ECR::RegistryScanningConfiguration',
      Properties: {
        ScanType: 'ENHANCED',
        Rules: [{ ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: '*', FilterType: 'WILDCARD' }] }],
      },
    },
    Hub: { Type: 'AWS::SecurityHub::Hub', Properties: {} },
    // The standards constructs/security-hub.ts enables (DetectionServicesPresent).
    ...Object.fromEntries(
      Object.entries(SECURITY_HUB_STANDARDS).map(([name, arnPath]) => [
        `Standard${name}`,
        {
          Type: 'AWS::SecurityHub::Standard',
          DependsOn: ['Hub'],
          Properties: {
            StandardsArn: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:', { Ref: 'AWS::Region' }, `::${arnPath}`],
              ],
            },
          },
        },
      ]),
    ),
    // Every resource type, continuously, global types included (constructs/config-recorder.ts, the primary region).
    Recorder: {
      Type: 'AWS::Config::ConfigurationRecorder',
      Properties: {
        RoleARN: 'arn',
        RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
        RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
      },
    },
    // The delivery channel's bucket, of the assembly (DetectionServicesPresent: a bucket named outside it is a finding).
    ConfigBucket: { Type: 'AWS::S3::Bucket', Metadata: { 'HipaaBlueprint::LogBucket': {} }, Properties: {} },
    Channel: { Type: 'AWS::Config::DeliveryChannel', Properties: { S3BucketName: { Ref: 'ConfigBucket' } } },
    Macie: { Type: 'AWS::Macie::Session', Properties: { Status: 'ENABLED' } },
    // The critical findings age check (CriticalFindingAgeAlarm): function, schedule, age, not-run and failure alarms.
    FindingsAgeFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: { Environment: { Variables: { MAX_AGE_DAYS: '15' } } },
    },
    FindingsAgeSchedule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        ScheduleExpression: 'rate(6 hours)',
        State: 'ENABLED',
        Targets: [{ Arn: { 'Fn::GetAtt': ['FindingsAgeFunction', 'Arn'] }, Id: 'Target0' }],
      },
    },
    FindingsAgeAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'HipaaBlueprint/Findings',
        MetricName: 'CriticalFindingsOverAge',
        Statistic: 'Maximum',
        Period: 21600,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: ACTION,
      },
    },
    FindingsAgeNotRunAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'HipaaBlueprint/Findings',
        MetricName: 'CriticalFindingsOverAge',
        Statistic: 'SampleCount',
        Period: 43200,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: ACTION,
      },
    },
    FindingsAgeFailureAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'FindingsAgeFunction' } }],
        Statistic: 'Sum',
        Period: 21600,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: ACTION,
      },
    },
  };
  HIPAA_CONFIG_RULES.forEach((rule, i) => {
    r[`Rule${i}`] = {
      Type: 'AWS::Config::ConfigRule',
      // As constructs/hipaa-config-rules.ts deploys it (DetectionServicesPresent compares scope and parameters).
      Properties: {
        Source: { Owner: 'AWS', SourceIdentifier: rule.identifier },
        ...(rule.resourceTypes ? { Scope: { ComplianceResourceTypes: [...rule.resourceTypes] } } : {}),
        ...(rule.inputParameters ? { InputParameters: { ...rule.inputParameters } } : {}),
      },
    };
  });
  return r;
}

/** The templates of the assembly, by short name. */
export function fixtureTemplates(): Record<string, Mutable> {
  const declaration = (extra: Mutable = {}) => ({ HipaaBlueprint: { appName: 'app', envName: 'prod', ...extra } });
  return {
    keys: {
      Metadata: declaration(),
      Resources: { PhiKey: key('phi'), BackupKey: key('backup'), AuditKey: key('audit') },
      Outputs: {
        PhiKeyArn: { Value: { 'Fn::GetAtt': ['PhiKey', 'Arn'] } },
        PhiKeyId: { Value: { Ref: 'PhiKey' } },
        BackupKeyArn: { Value: { 'Fn::GetAtt': ['BackupKey', 'Arn'] } },
        AuditKeyArn: { Value: { 'Fn::GetAtt': ['AuditKey', 'Arn'] } },
      },
    },
    network: {
      Metadata: declaration(),
      Resources: {
        Vpc: {
          Type: 'AWS::EC2::VPC',
          Metadata: {
            'HipaaBlueprint::Vpc': { classification: 'PHI', interfaceEndpoints: ['sns'], databasePort: 5433 },
          },
          Properties: { CidrBlock: '10.0.0.0/16' },
        },
        AppSubnet: {
          Type: 'AWS::EC2::Subnet',
          Metadata: { 'HipaaBlueprint::Tier': 'application' },
          Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24' },
        },
        DataSubnet: {
          Type: 'AWS::EC2::Subnet',
          Metadata: { 'HipaaBlueprint::Tier': 'data' },
          Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.2.0/24' },
        },
        DataAcl: { Type: 'AWS::EC2::NetworkAcl', Properties: { VpcId: { Ref: 'Vpc' } } },
        DataAclAssociation: {
          Type: 'AWS::EC2::SubnetNetworkAclAssociation',
          Properties: { NetworkAclId: { Ref: 'DataAcl' }, SubnetId: { Ref: 'DataSubnet' } },
        },
        DatabaseFromApp: {
          Type: 'AWS::EC2::NetworkAclEntry',
          Properties: {
            NetworkAclId: { Ref: 'DataAcl' },
            CidrBlock: '10.0.1.0/24',
            Egress: false,
            Protocol: 6,
            PortRange: { From: 5433, To: 5433 },
            RuleAction: 'allow',
            RuleNumber: 100,
          },
        },
        RepliesToApp: {
          Type: 'AWS::EC2::NetworkAclEntry',
          Properties: {
            NetworkAclId: { Ref: 'DataAcl' },
            CidrBlock: '10.0.1.0/24',
            Egress: true,
            Protocol: 6,
            PortRange: { From: 1024, To: 65535 },
            RuleAction: 'allow',
            RuleNumber: 100,
          },
        },
        SnsEndpoint: {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: {
            VpcId: { Ref: 'Vpc' },
            VpcEndpointType: 'Interface',
            ServiceName: 'com.amazonaws.us-east-1.sns',
            PrivateDnsEnabled: true,
          },
        },
        NonPhiVpc: {
          Type: 'AWS::EC2::VPC',
          Metadata: { 'HipaaBlueprint::Vpc': { classification: 'NonPHI', interfaceEndpoints: [] } },
          Properties: { CidrBlock: '10.1.0.0/16' },
        },
        NonPhiTable: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'NonPhiVpc' } } },
      },
      Outputs: {
        DataSubnetId: { Value: { Ref: 'DataSubnet' } },
        VpcId: { Value: { Ref: 'Vpc' } },
        NonPhiVpcId: { Value: { Ref: 'NonPhiVpc' } },
      },
    },
    data: {
      Metadata: declaration({ recoveryTimeObjectiveHours: FIXTURE_RTO_HOURS }),
      Resources: {
        ...restoreValidationResources(),
        DbSubnets: {
          Type: 'AWS::RDS::DBSubnetGroup',
          Properties: { SubnetIds: [gso('app-prod-network', 'DataSubnetId')] },
        },
        Db: {
          Type: 'AWS::RDS::DBInstance',
          Metadata: { 'HipaaBlueprint::PhiStore': true },
          Properties: {
            Engine: 'postgres',
            Port: '5433',
            StorageEncrypted: true,
            KmsKeyId: gso('app-prod-keys', 'PhiKeyArn'),
            EnablePerformanceInsights: true,
            PerformanceInsightsKMSKeyId: gso('app-prod-keys', 'PhiKeyArn'),
            DBSubnetGroupName: { Ref: 'DbSubnets' },
          },
        },
        PhiBucket: {
          Type: 'AWS::S3::Bucket',
          Metadata: { 'HipaaBlueprint::PhiStore': true },
          Properties: {
            BucketName: PHI_BUCKET,
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [
                {
                  ServerSideEncryptionByDefault: {
                    SSEAlgorithm: 'aws:kms',
                    KMSMasterKeyID: gso('app-prod-keys', 'PhiKeyArn'),
                  },
                },
              ],
            },
          },
        },
        BackupHeartbeatAlarm: backupHeartbeatAlarm(),
        ...threatDataResources(),
        Vault: {
          Type: 'AWS::Backup::BackupVault',
          Metadata: { 'HipaaBlueprint::PhiStore': true },
          Properties: {
            EncryptionKeyArn: gso('app-prod-keys', 'BackupKeyArn'),
            LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 },
          },
        },
        Plan: {
          Type: 'AWS::Backup::BackupPlan',
          Properties: {
            BackupPlan: {
              BackupPlanName: 'app-prod-phi-vault-plan',
              BackupPlanRule: ['Daily', 'Monthly'].map((RuleName, i) => ({
                RuleName,
                TargetBackupVault: { 'Fn::GetAtt': ['Vault', 'BackupVaultName'] },
                // The floors of constructs/phi-backup.ts (PhiBackupsMeetFloors): daily continuous, monthly kept a year.
                ScheduleExpression: i === 0 ? 'cron(0 5 * * ? *)' : 'cron(0 6 1 * ? *)',
                ...(i === 0 ? { EnableContinuousBackup: true } : {}),
                Lifecycle: { DeleteAfterDays: i === 0 ? 35 : 365 },
                CopyActions: [
                  {
                    DestinationBackupVaultArn: {
                      'Fn::Join': [
                        '',
                        [
                          'arn:',
                          { Ref: 'AWS::Partition' },
                          ':backup:us-west-2:',
                          { Ref: 'AWS::AccountId' },
                          ':backup-vault:app-prod-phi-vault-replica',
                        ],
                      ],
                    },
                    Lifecycle: { DeleteAfterDays: i === 0 ? 35 : 365 },
                  },
                ],
              })),
            },
          },
        },
        Selection: {
          Type: 'AWS::Backup::BackupSelection',
          Properties: {
            BackupPlanId: { 'Fn::GetAtt': ['Plan', 'BackupPlanId'] },
            BackupSelection: {
              SelectionName: 'Selection',
              Resources: [
                { 'Fn::Join': ['', ['arn:aws:rds:us-east-1:123456789012:db:', { Ref: 'Db' }]] },
                { 'Fn::GetAtt': ['PhiBucket', 'Arn'] },
              ],
            },
          },
        },
        RestorePlan: {
          Type: 'AWS::Backup::RestoreTestingPlan',
          Properties: {
            RestoreTestingPlanName: 'app_prod_phi_restore_test',
            ScheduleExpression: 'cron(0 7 ? * SUN *)',
            RecoveryPointSelection: {
              Algorithm: 'LATEST_WITHIN_WINDOW',
              IncludeVaults: [{ 'Fn::GetAtt': ['Vault', 'BackupVaultArn'] }],
              RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
            },
          },
        },
        RestoreSubnets: {
          Type: 'AWS::RDS::DBSubnetGroup',
          Properties: { SubnetIds: [gso('app-prod-network', 'DataSubnetId')] },
        },
        RestoreSg: {
          Type: 'AWS::EC2::SecurityGroup',
          Properties: { GroupDescription: 'Restore test copy: no ingress', SecurityGroupEgress: [] },
        },
        RestoreDb: {
          Type: 'AWS::Backup::RestoreTestingSelection',
          Properties: {
            RestoreTestingPlanName: 'app_prod_phi_restore_test',
            ProtectedResourceType: 'RDS',
            ProtectedResourceArns: [{ 'Fn::Join': ['', ['arn:aws:rds:us-east-1:123456789012:db:', { Ref: 'Db' }]] }],
            RestoreMetadataOverrides: {
              dbsubnetgroupname: { Ref: 'RestoreSubnets' },
              vpcsecuritygroupids: { 'Fn::Join': ['', ['["', { 'Fn::GetAtt': ['RestoreSg', 'GroupId'] }, '"]']] },
              publiclyaccessible: 'false',
            },
          },
        },
        RestoreBucket: {
          Type: 'AWS::Backup::RestoreTestingSelection',
          Properties: {
            RestoreTestingPlanName: 'app_prod_phi_restore_test',
            ProtectedResourceType: 'S3',
            ProtectedResourceArns: [{ 'Fn::GetAtt': ['PhiBucket', 'Arn'] }],
            RestoreMetadataOverrides: { encryptiontype: 'SSE-KMS', kmskey: gso('app-prod-keys', 'PhiKeyArn') },
          },
        },
      },
    },
    phiReplica: {
      Metadata: declaration(),
      Resources: {
        BackupReplicaKey: key('backup'),
        CopyVault: {
          Type: 'AWS::Backup::BackupVault',
          Metadata: { 'HipaaBlueprint::PhiStore': true },
          Properties: {
            BackupVaultName: 'app-prod-phi-vault-replica',
            EncryptionKeyArn: { 'Fn::GetAtt': ['BackupReplicaKey', 'Arn'] },
            LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 },
          },
        },
        ...findingsArchiveReplicaResources(),
        ...replicationStallReplicaResources(),
      },
    },
    alerting: {
      Metadata: declaration(),
      Resources: {
        ...alertingResources(),
        ...threatAlertingResources(),
        ...replicationForwardedAlarmResources(),
        // The alert pipeline's BackupCopyJobFailures rule (BackupCopiedToLockedVault: a failed copy is alerted).
        BackupCopyJobFailuresRule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            State: 'ENABLED',
            EventPattern: {
              source: ['aws.backup'],
              'detail-type': ['Copy Job State Change'],
              detail: { state: ['FAILED', 'PARTIAL'] },
            },
            Targets: [{ Arn: { 'Fn::GetAtt': ['Formatter', 'Arn'] }, Id: 'Target0' }],
          },
        },
      },
    },
    audit: {
      Metadata: declaration(),
      Resources: { ...audit(), ...findingsArchiveAuditResources() },
      Outputs: FINDINGS_ARCHIVE_OUTPUTS,
    },
    detection: {
      Metadata: declaration({
        detection: { services: { config: true, guardDuty: true, securityHub: true, macie: true, inspector: true } },
      }),
      Resources: { ...detection(), ...findingsArchiveDetectionResources() },
    },
  };
}

/** The fixture's primary region, and its replica region: the PHI replica's (the copies' vault), and any `replica*` stack's. */
export const PRIMARY_REGION = 'us-east-1';
export const REPLICA_REGION = 'us-west-2';

/**
 * The fixture (or mutated templates) as an assembly: stack names `app-prod-<short name>`, all in one account, each in
 * the primary region but `phiReplica` and `replica*` in the replica region.
 */
export function asAssembly(templates: Record<string, Mutable>): AssemblyStack[] {
  return Object.entries(templates).map(([name, template]) => ({
    stackName: `app-prod-${name}`,
    file: `${name}.template.json`,
    path: `Prod/${name}`,
    region: name === 'phiReplica' || name.startsWith('replica') ? REPLICA_REGION : PRIMARY_REGION,
    account: '123456789012',
    template: template as TemplateJson,
  }));
}

/**
 * Moves the alerting stack's rule `ruleId` to the stack `to`, with a copy of the alert formatter it invokes (its own
 * `Formatter`): an alert path that is whole, in another stack.
 */
export function moveAlertRule(t: Record<string, Mutable>, ruleId: string, to: string): void {
  const resources = t[to]!.Resources;
  resources.Formatter = JSON.parse(JSON.stringify(t.alerting.Resources.Formatter));
  resources[ruleId] = t.alerting.Resources[ruleId];
  delete t.alerting.Resources[ruleId];
}

/** The findings of `rule` on the templates (after `mutate`), as '<finding suffix> <logical id or (template)>'. */
export function findingsOf(
  rule: AssemblyRule,
  mutate: (t: Record<string, Mutable>) => void = () => undefined,
): string[] {
  const templates = fixtureTemplates();
  mutate(templates);
  return rule
    .check(asAssembly(templates), { phiBucketNames: [PHI_BUCKET] })
    .findings.map((f) => `${f.ruleId.slice(`Blueprint-${rule.name}`.length)} ${f.logicalId ?? '(template)'}`)
    .sort();
}
