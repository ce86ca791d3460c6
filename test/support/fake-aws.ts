import { BackupClient, ListBackupJobsCommand } from '@aws-sdk/client-backup';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  StackStatus,
} from '@aws-sdk/client-cloudformation';
import { CloudTrailClient, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient, DescribeComplianceByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribePublishingDestinationCommand,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListPublishingDestinationsCommand,
} from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetMacieSessionCommand, Macie2Client } from '@aws-sdk/client-macie2';
import { RDSClient } from '@aws-sdk/client-rds';
import { GetBucketReplicationCommand, GetObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ACMClient } from '@aws-sdk/client-acm';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { DeployedStack, DeployedState } from '../../lib/deploy/core/deployed-state';
import { VerifyContext } from '../../lib/deploy/verify/context';
import { BlueprintConfig } from '../../lib/config';
import { TEST_ACCOUNT } from './blueprint';
import { fakeClients, resourceSummaries, sdkError } from './deploy';

/** Every SDK client class the deploy commands use, mocked (a call nobody programmed answers undefined). */
export function mockAllClients() {
  return {
    sts: mockClient(STSClient),
    cloudFormation: mockClient(CloudFormationClient),
    ssm: mockClient(SSMClient),
    iam: mockClient(IAMClient),
    lambda: mockClient(LambdaClient),
    guardDuty: mockClient(GuardDutyClient),
    securityHub: mockClient(SecurityHubClient),
    macie: mockClient(Macie2Client),
    configService: mockClient(ConfigServiceClient),
    acm: mockClient(ACMClient),
    route53: mockClient(Route53Client),
    s3: mockClient(S3Client),
    ecr: mockClient(ECRClient),
    backup: mockClient(BackupClient),
    rds: mockClient(RDSClient),
    logs: mockClient(CloudWatchLogsClient),
    cloudTrail: mockClient(CloudTrailClient),
    kms: mockClient(KMSClient),
    cloudWatch: mockClient(CloudWatchClient),
    inspector: mockClient(Inspector2Client),
    sns: mockClient(SNSClient),
  };
}

export type AllMocks = ReturnType<typeof mockAllClients>;

/**
 * Restores every client mockAllClients mocked. Test files share a process (jest-light-runner): a file that mocks
 * them calls this in afterAll, so the next file gets the real clients.
 */
export function restoreAllClients(mocks: AllMocks): void {
  for (const m of Object.values(mocks)) m.restore();
}

/** Names of every command sent to any mocked client, in order of client then call. */
export function sentCommands(mocks: AllMocks): string[] {
  const stubs = Object.values(mocks) as unknown as Array<{ calls(): Array<{ args: unknown[] }> }>;
  return stubs.flatMap((m) => m.calls().map((c) => (c.args[0] as object).constructor.name));
}

/** A caller identity (a role session of the test account). */
export function identity(mocks: AllMocks, arn = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/Deployer/session`): void {
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: TEST_ACCOUNT, Arn: arn, UserId: 'AROAEXAMPLE:session' });
}

/** CloudFormation answering from a live map of stacks (tests change it as deploys "happen"). */
export function cloudFormation(mocks: AllMocks, stacks: Map<string, DeployedStack>): void {
  mocks.cloudFormation.on(DescribeStacksCommand).callsFake(async (input) => {
    const s = stacks.get(input.StackName);
    if (!s) throw sdkError('ValidationError', `Stack with id ${input.StackName} does not exist`);
    return {
      Stacks: [
        {
          StackName: s.stackName,
          StackStatus: s.status as StackStatus,
          CreationTime: s.creationTime ?? new Date('2026-01-01T00:00:00Z'),
          EnableTerminationProtection: s.terminationProtection,
          Outputs: Object.entries(s.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    };
  });
  mocks.cloudFormation.on(ListStackResourcesCommand).callsFake(async (input) => ({
    StackResourceSummaries: resourceSummaries(stacks.get(input.StackName)!),
  }));
}

/** Every safeguard in its good runtime state, for verify (two-region detection on). */
export function healthyRuntime(mocks: AllMocks): void {
  mocks.cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  mocks.cloudTrail.on(GetEventSelectorsCommand).resolves({
    EventSelectors: [{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
  });
  mocks.s3.on(GetObjectLockConfigurationCommand).resolves({
    ObjectLockConfiguration: {
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2192 } },
    },
  });
  // I2: every audit-domain bucket replicates into the prod audit replica (deployedEnvironment's audit outputs).
  mocks.s3.on(GetBucketReplicationCommand).resolves({
    ReplicationConfiguration: {
      Role: `arn:aws:iam::${TEST_ACCOUNT}:role/hipaa-prod-audit-replication`,
      Rules: [
        {
          Status: 'Enabled',
          Filter: { Prefix: '' },
          DeleteMarkerReplication: { Status: 'Disabled' },
          SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
          Destination: {
            Bucket: `arn:aws:s3:::hipaa-prod-audit-replica-${TEST_ACCOUNT}-us-west-2`,
            EncryptionConfiguration: {
              ReplicaKmsKeyID: `arn:aws:kms:us-west-2:${TEST_ACCOUNT}:alias/hipaa-prod/audit-replica`,
            },
            Metrics: { Status: 'Enabled' },
          },
        },
      ],
    },
  });
  mocks.kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
  mocks.configService.on(DescribeComplianceByConfigRuleCommand).callsFake(async (input) => ({
    ComplianceByConfigRules: (input.ConfigRuleNames as string[]).map((n) => ({
      ConfigRuleName: n,
      Compliance: { ComplianceType: 'COMPLIANT' },
    })),
  }));
  mocks.guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['det'] });
  mocks.guardDuty.on(GetDetectorCommand).resolves({ Status: 'ENABLED', ServiceRole: 'r' });
  // D2: the detector exports its findings into the findings archive (deployedEnvironment's audit output).
  mocks.guardDuty
    .on(ListPublishingDestinationsCommand)
    .resolves({ Destinations: [{ DestinationId: 'dest', DestinationType: 'S3', Status: 'PUBLISHING' }] });
  mocks.guardDuty.on(DescribePublishingDestinationCommand).resolves({
    DestinationId: 'dest',
    DestinationType: 'S3',
    Status: 'PUBLISHING',
    PublishingFailureStartTimestamp: 0,
    DestinationProperties: { DestinationArn: 'arn:aws:s3:::hipaa-prod-findings-archive' },
  });
  // D2: the findings archive's dead-letter queue reported nothing; its delivery error log group is encrypted, retained.
  mocks.cloudWatch.on(GetMetricStatisticsCommand).resolves({ Datapoints: [] });
  mocks.logs.on(DescribeLogGroupsCommand).callsFake(async (input) => ({
    logGroups: [
      { logGroupName: input.logGroupNamePrefix, kmsKeyId: 'arn:aws:kms:us-east-1:1:key/k', retentionInDays: 2192 },
    ],
  }));
  mocks.securityHub.on(DescribeHubCommand).resolves({ HubArn: 'arn:hub' });
  mocks.macie.on(GetMacieSessionCommand).resolves({ status: 'ENABLED' });
  mocks.cloudWatch.on(DescribeAlarmsCommand).callsFake(async (input) => ({
    MetricAlarms: (input.AlarmNames as string[]).map((n) => ({
      AlarmName: n,
      ActionsEnabled: true,
      AlarmActions: ['arn:a'],
      StateValue: 'OK',
    })),
  }));
  mocks.backup.on(ListBackupJobsCommand).resolves({
    BackupJobs: [{ BackupJobId: 'job', State: 'COMPLETED', CompletionDate: new Date('2026-03-01T05:00:00Z') }],
  });
  mocks.sns.on(ListSubscriptionsByTopicCommand).resolves({
    Subscriptions: [
      {
        Protocol: 'email',
        Endpoint: 'alerts@example.org',
        SubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:alerts:1',
      },
    ],
  });
  mocks.sns.on(GetSubscriptionAttributesCommand).resolves({ Attributes: { ConfirmationWasAuthenticated: 'true' } });
}

/** The stacks of a deployed environment (names as lib/deploy/stacks.ts builds them), with the resources verify reads. */
export function deployedEnvironment(envName = 'prod', account = TEST_ACCOUNT): Map<string, DeployedStack> {
  const n = (s: string) => `hipaa-${envName}-${s}`;
  const stack = (
    suffix: string,
    region: string,
    resources: Array<[string, string, string]>,
    outputs: Record<string, string> = {},
  ): DeployedStack => ({
    stackName: n(suffix),
    region,
    status: 'UPDATE_COMPLETE',
    terminationProtection: true,
    outputs,
    resources: resources.map(([logicalId, type, physicalId]) => ({
      logicalId,
      type,
      physicalId,
      status: 'CREATE_COMPLETE',
    })),
    creationTime: new Date('2026-01-01T00:00:00Z'),
  });
  const stacks = [
    stack(
      'keys',
      'us-east-1',
      [
        ['PhiDataKey', 'AWS::KMS::Key', 'key-phi'],
        ['OperationsKey', 'AWS::KMS::Key', 'key-ops'],
      ],
      {
        OperationsKeyArn: `arn:aws:kms:us-east-1:${account}:key/key-ops`,
      },
    ),
    stack('network', 'us-east-1', []),
    stack('alerting', 'us-east-1', [['FormatterErrorAlarm', 'AWS::CloudWatch::Alarm', n('alerting-FormatterError')]], {
      AlertTopicArn: `arn:aws:sns:us-east-1:${account}:alerts`,
    }),
    stack('audit', 'us-east-1', [['RootUsageAlarm', 'AWS::CloudWatch::Alarm', n('audit-RootUsage')]], {
      TrailArn: `arn:aws:cloudtrail:us-east-1:${account}:trail/${n('trail')}`,
      AuditArchiveBucketName: n('audit-archive'),
      FindingsArchiveBucketName: n('findings-archive'),
      FindingsArchiveDeadLetterQueueName: n('audit-FindingsArchiveDeadLetterQueue'),
      FindingsArchiveDeliveryLogGroupName: n('audit-FindingsArchiveDeliveryLogs'),
      AccessAuditBucketName: n('access-audit'),
    }),
    stack('detection', 'us-east-1', [['Rule1', 'AWS::Config::ConfigRule', 'hipaa-rds-storage-encrypted']]),
    stack(
      'data',
      'us-east-1',
      [
        ['DatabaseInstance', 'AWS::RDS::DBInstance', n('phi-db')],
        ['BackupFailedAlarm', 'AWS::CloudWatch::Alarm', n('data-BackupFailed')],
      ],
      {
        PhiBucketName: `${n('phi-data')}-${account}-us-east-1`,
      },
    ),
    stack('phi-replica', 'us-west-2', [['PhiReplicaKey', 'AWS::KMS::Key', 'key-replica']]),
    stack('replica-detection', 'us-west-2', [['Rule1', 'AWS::Config::ConfigRule', 'hipaa-rds-storage-encrypted']]),
    stack('app', 'us-east-1', [], {
      LoadBalancerDnsName: 'hipaa-prod-app-123.us-east-1.elb.amazonaws.com',
      ApplicationUrl: 'https://app.example.org/',
      UserPoolId: 'us-east-1_ABC',
    }),
  ];
  return new Map(stacks.map((s) => [s.stackName, s]));
}

/** A verify context over a test config and deployed state, at a fixed time. */
export function verifyContext(
  config: BlueprintConfig,
  deployed: DeployedState,
  now = new Date('2026-03-01T12:00:00Z'),
): VerifyContext {
  return { config, clients: fakeClients(), deployed, now };
}
