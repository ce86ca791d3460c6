/**
 * Mutation tests of the gate: take a template the blueprint synthesizes (or, for a resource type no
 * stack creates yet, a minimal fixture), remove one safeguard, and require checkTemplate to report
 * a finding the unmutated template did not have. Prints the mutation score; it must be total.
 *
 * Mutations run on the first app template that holds a matching resource, so they move from the
 * fixture to the real template by themselves when a stack starts creating that resource type.
 */
import { checkTemplate, TemplateFinding } from '../../lib/compliance/gate/template-checker';
import { allTemplates } from '../support/synthesized';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Tpl {
  Resources: Record<string, Json>;
  [k: string]: unknown;
}

interface Mutation {
  /** Named after the safeguard it removes. */
  readonly name: string;
  readonly type: string;
  readonly select?: (r: Json) => boolean;
  /** Minimal template holding a compliant resource of `type`, used when no stack creates one yet. */
  readonly fixture?: () => Tpl;
  readonly mutate: (t: Tpl, logicalId: string) => void;
  /** A new finding whose rule id matches this expression kills the mutant. */
  readonly caughtBy: RegExp;
}

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const RETAIN = { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' };

function removeResource(t: Tpl, id: string): void {
  delete t.Resources[id];
  for (const r of Object.values(t.Resources)) {
    if (r.DependsOn === id) delete r.DependsOn;
    else if (Array.isArray(r.DependsOn)) r.DependsOn = r.DependsOn.filter((d: string) => d !== id);
  }
}

function removeWhere(t: Tpl, pred: (r: Json) => boolean): void {
  for (const [id, r] of Object.entries(t.Resources)) if (pred(r)) removeResource(t, id);
}

const bucketFixture = (): Tpl => ({
  Resources: {
    Archive: {
      Type: 'AWS::S3::Bucket',
      ...RETAIN,
      Metadata: {
        'HipaaBlueprint::AuditArchive': { safeguards: ['U2'], governanceAllowed: false, lockMode: 'COMPLIANCE' },
      },
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN },
              BucketKeyEnabled: true,
            },
          ],
        },
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2192 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
    },
    ArchivePolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Archive' },
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: [
                { 'Fn::GetAtt': ['Archive', 'Arn'] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Archive', 'Arn'] }, '/*']] },
              ],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
  },
});

const parameterGroupFixture = (): Tpl => ({
  Resources: {
    Parameters: {
      Type: 'AWS::RDS::DBParameterGroup',
      Properties: { Family: 'postgres16', Description: 'x', Parameters: { 'rds.force_ssl': '1' } },
    },
  },
});

const databaseFixture = (): Tpl => ({
  Resources: {
    Parameters: parameterGroupFixture().Resources.Parameters!,
    Database: {
      Type: 'AWS::RDS::DBInstance',
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: {
        Engine: 'postgres',
        DBInstanceClass: 'db.t4g.medium',
        AllocatedStorage: '20',
        StorageEncrypted: true,
        KmsKeyId: KEY_ARN,
        MultiAZ: true,
        DeletionProtection: true,
        BackupRetentionPeriod: 35,
        PubliclyAccessible: false,
        AutoMinorVersionUpgrade: true,
        MonitoringInterval: 60,
        MonitoringRoleArn: 'arn:aws:iam::123456789012:role/monitoring',
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
        DBParameterGroupName: { Ref: 'Parameters' },
      },
    },
  },
});

const listenerFixture = (): Tpl => ({
  Resources: {
    Lb: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internet-facing', Type: 'application', Subnets: ['subnet-1', 'subnet-2'] },
    },
    Targets: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: { Port: 443, Protocol: 'HTTPS', TargetType: 'ip', VpcId: 'vpc-1' },
    },
    Https: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: { Ref: 'Lb' },
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
        Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }],
        DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Targets' } }],
      },
    },
  },
});

const trailFixture = (): Tpl => ({
  Resources: {
    Trail: {
      Type: 'AWS::CloudTrail::Trail',
      Properties: {
        IsLogging: true,
        S3BucketName: 'audit-archive',
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        KMSKeyId: KEY_ARN,
        CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:trail:*',
        CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/trail',
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::phi-bucket/'] }],
          },
        ],
      },
    },
  },
});

const secretFixture = (): Tpl => ({
  Resources: {
    Secret: {
      Type: 'AWS::SecretsManager::Secret',
      ...RETAIN,
      Properties: { KmsKeyId: KEY_ARN, GenerateSecretString: { ExcludePunctuation: true } },
    },
    Rotation: {
      Type: 'AWS::SecretsManager::RotationSchedule',
      Properties: {
        SecretId: { Ref: 'Secret' },
        RotationLambdaARN: 'arn:aws:lambda:us-east-1:123456789012:function:rotate',
        RotationRules: { AutomaticallyAfterDays: 30 },
      },
    },
  },
});

const isAuditArchive = (r: Json): boolean => r.Metadata?.['HipaaBlueprint::AuditArchive'] !== undefined;
const isHttps = (r: Json): boolean => r.Properties?.Protocol === 'HTTPS';
const isDbInstance = (r: Json): boolean => r.Properties?.Engine !== undefined;
const isForceSslGroup = (r: Json): boolean => r.Properties?.Parameters?.['rds.force_ssl'] !== undefined;
/** A trust policy statement that admits an AWS principal (account, role or user): a role people assume. */
const admitsAwsPrincipal = (s: Json): boolean => s.Principal?.AWS !== undefined;
const isHumanRole = (r: Json): boolean =>
  (r.Properties?.AssumeRolePolicyDocument?.Statement ?? []).some(admitsAwsPrincipal);

/** Every gated safeguard, at least one mutation each. */
const MUTATIONS: readonly Mutation[] = [
  {
    name: 'E1 key rotation off',
    type: 'AWS::KMS::Key',
    mutate: (t, id) => (t.Resources[id]!.Properties.EnableKeyRotation = false),
    caughtBy: /KmsKeySafeguards\[EnableKeyRotation::false\]/,
  },
  {
    name: 'E1 key deletion window 7 days',
    type: 'AWS::KMS::Key',
    mutate: (t, id) => (t.Resources[id]!.Properties.PendingWindowInDays = 7),
    caughtBy: /KmsKeySafeguards\[PendingWindowInDays::7\]/,
  },
  {
    name: 'E1 I2 key DeletionPolicy Delete',
    type: 'AWS::KMS::Key',
    mutate: (t, id) => (t.Resources[id]!.DeletionPolicy = 'Delete'),
    caughtBy: /KmsKeySafeguards\[DeletionPolicy::not-Retain\]/,
  },
  {
    name: 'E1 key policy grants use without condition',
    type: 'AWS::KMS::Key',
    mutate: (t, id) =>
      t.Resources[id]!.Properties.KeyPolicy.Statement.push({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    caughtBy: /KmsKeySafeguards\[KeyPolicy::/,
  },
  {
    name: 'E2 log group without KMS key',
    type: 'AWS::Logs::LogGroup',
    mutate: (t, id) => delete t.Resources[id]!.Properties.KmsKeyId,
    caughtBy: /CloudWatchLogGroupEncrypted/,
  },
  {
    name: 'E2 bucket without BucketEncryption',
    type: 'AWS::S3::Bucket',
    select: isAuditArchive,
    fixture: bucketFixture,
    mutate: (t, id) => delete t.Resources[id]!.Properties.BucketEncryption,
    caughtBy: /S3DefaultEncryptionKMS/,
  },
  {
    name: 'E2 database StorageEncrypted false',
    type: 'AWS::RDS::DBInstance',
    select: isDbInstance,
    fixture: databaseFixture,
    mutate: (t, id) => {
      t.Resources[id]!.Properties.StorageEncrypted = false;
      delete t.Resources[id]!.Properties.KmsKeyId;
    },
    caughtBy: /RDSStorageEncrypted/,
  },
  {
    name: 'E2 D3 topic without KMS key',
    type: 'AWS::SNS::Topic',
    mutate: (t, id) => delete t.Resources[id]!.Properties.KmsMasterKeyId,
    caughtBy: /SNSEncryptedKMS/,
  },
  {
    name: 'E2 secret without customer-managed key',
    type: 'AWS::SecretsManager::Secret',
    fixture: secretFixture,
    mutate: (t, id) => delete t.Resources[id]!.Properties.KmsKeyId,
    caughtBy: /SecretsManagerUsingKMSKey/,
  },
  {
    name: 'E3 listener with an old SslPolicy',
    type: 'AWS::ElasticLoadBalancingV2::Listener',
    select: isHttps,
    fixture: listenerFixture,
    mutate: (t, id) => (t.Resources[id]!.Properties.SslPolicy = 'ELBSecurityPolicy-2016-08'),
    caughtBy: /AlbTlsPolicyAllowList\[SslPolicy::ELBSecurityPolicy-2016-08\]/,
  },
  {
    name: 'E3 HTTP listener that forwards',
    type: 'AWS::ElasticLoadBalancingV2::Listener',
    select: isHttps,
    fixture: listenerFixture,
    mutate: (t, id) => {
      const p = t.Resources[id]!.Properties;
      p.Protocol = 'HTTP';
      p.Port = 80;
      delete p.SslPolicy;
      delete p.Certificates;
    },
    caughtBy: /NoHttpForwardListener|ALBHttpToHttpsRedirection/,
  },
  {
    name: 'E3 database parameter group with rds.force_ssl 0',
    type: 'AWS::RDS::DBParameterGroup',
    select: isForceSslGroup,
    fixture: parameterGroupFixture,
    mutate: (t, id) => (t.Resources[id]!.Properties.Parameters['rds.force_ssl'] = '0'),
    caughtBy: /RdsForceSsl\[rds\.force_ssl::0\]/,
  },
  {
    name: 'E3 database without its parameter group (engine default allows clear text)',
    type: 'AWS::RDS::DBInstance',
    select: isDbInstance,
    fixture: databaseFixture,
    mutate: (t, id) => delete t.Resources[id]!.Properties.DBParameterGroupName,
    caughtBy: /RdsForceSsl\[ParameterGroup::none\]/,
  },
  {
    name: 'E3 bucket policy without the TLS-only deny',
    type: 'AWS::S3::Bucket',
    select: isAuditArchive,
    fixture: bucketFixture,
    mutate: (t, id) =>
      removeWhere(
        t,
        (r) =>
          r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties.Bucket) === JSON.stringify({ Ref: id }),
      ),
    caughtBy: /S3BucketSSLRequestsOnly/,
  },
  {
    name: 'A3 policy statement Action * Resource *',
    type: 'AWS::IAM::ManagedPolicy',
    mutate: (t, id) =>
      t.Resources[id]!.Properties.PolicyDocument.Statement.push({ Effect: 'Allow', Action: '*', Resource: '*' }),
    caughtBy: /IAMPolicyNoStatementsWithAdminAccess|AwsSolutions-IAM5\[Action::\*\]/,
  },
  {
    name: 'A1 an IAM user with an access key (user in a group)',
    type: 'AWS::IAM::Role',
    mutate: (t) =>
      Object.assign(t.Resources, {
        MutantGroup: { Type: 'AWS::IAM::Group', Properties: {} },
        MutantUser: { Type: 'AWS::IAM::User', Properties: { Groups: [{ Ref: 'MutantGroup' }] } },
        MutantKey: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'MutantUser' } } },
      }),
    caughtBy: /NoIamUsersOrAccessKeys\[IamUser::created\]/,
  },
  {
    name: 'A2 break-glass role assumable without MFA',
    type: 'AWS::IAM::Role',
    select: isHumanRole,
    mutate: (t, id) => {
      for (const s of t.Resources[id]!.Properties.AssumeRolePolicyDocument.Statement) {
        if (admitsAwsPrincipal(s)) delete s.Condition;
      }
    },
    caughtBy: /HumanRolesRequireMfa\[AssumeRolePolicy::Statement\d+-no-MFA\]/,
  },
  {
    name: 'A2 operator role assumable by the account without MFA',
    type: 'AWS::IAM::Role',
    mutate: (t) =>
      (t.Resources.MutantRole = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' },
            ],
          },
        },
      }),
    caughtBy: /HumanRolesRequireMfa\[AssumeRolePolicy::Statement0-no-MFA\]/,
  },
  {
    name: 'U1 single-region trail',
    type: 'AWS::CloudTrail::Trail',
    fixture: trailFixture,
    mutate: (t, id) => (t.Resources[id]!.Properties.IsMultiRegionTrail = false),
    caughtBy: /CloudTrailMultiRegionWithPhiDataEvents\[IsMultiRegionTrail::false\]/,
  },
  {
    name: 'U1 trail without global service events',
    type: 'AWS::CloudTrail::Trail',
    fixture: trailFixture,
    mutate: (t, id) => (t.Resources[id]!.Properties.IncludeGlobalServiceEvents = false),
    caughtBy: /CloudTrailMultiRegionWithPhiDataEvents\[IncludeGlobalServiceEvents::false\]/,
  },
  {
    name: 'U1 trail without S3 data events',
    type: 'AWS::CloudTrail::Trail',
    fixture: trailFixture,
    mutate: (t, id) => {
      delete t.Resources[id]!.Properties.EventSelectors;
      delete t.Resources[id]!.Properties.AdvancedEventSelectors;
    },
    caughtBy: /CloudTrailMultiRegionWithPhiDataEvents\[S3DataEvents::none\]/,
  },
  {
    name: 'U1 trail without log file validation',
    type: 'AWS::CloudTrail::Trail',
    fixture: trailFixture,
    mutate: (t, id) => (t.Resources[id]!.Properties.EnableLogFileValidation = false),
    caughtBy: /CloudTrailLogFileValidationEnabled/,
  },
  {
    name: 'U1 E2 trail without KMS key',
    type: 'AWS::CloudTrail::Trail',
    fixture: trailFixture,
    mutate: (t, id) => delete t.Resources[id]!.Properties.KMSKeyId,
    caughtBy: /CloudTrailEncryptionEnabled/,
  },
  {
    name: 'U1 trail not delivered to CloudWatch Logs',
    type: 'AWS::CloudTrail::Trail',
    fixture: trailFixture,
    mutate: (t, id) => delete t.Resources[id]!.Properties.CloudWatchLogsLogGroupArn,
    caughtBy: /CloudTrailCloudWatchLogsEnabled/,
  },
  {
    name: 'U2 ObjectLockEnabled off and ObjectLockConfiguration removed',
    type: 'AWS::S3::Bucket',
    select: isAuditArchive,
    fixture: bucketFixture,
    mutate: (t, id) => {
      delete t.Resources[id]!.Properties.ObjectLockEnabled;
      delete t.Resources[id]!.Properties.ObjectLockConfiguration;
    },
    caughtBy: /AuditBucketObjectLock\[ObjectLockEnabled::false\]/,
  },
  {
    name: 'U2 Object Lock in GOVERNANCE mode where not allowed',
    type: 'AWS::S3::Bucket',
    select: (r) => isAuditArchive(r) && r.Metadata['HipaaBlueprint::AuditArchive'].governanceAllowed === false,
    fixture: bucketFixture,
    mutate: (t, id) => (t.Resources[id]!.Properties.ObjectLockConfiguration.Rule.DefaultRetention.Mode = 'GOVERNANCE'),
    caughtBy: /AuditBucketObjectLock\[DefaultRetention\.Mode::GOVERNANCE-not-allowed\]/,
  },
  {
    name: 'U3 log group RetentionInDays 365',
    type: 'AWS::Logs::LogGroup',
    mutate: (t, id) => (t.Resources[id]!.Properties.RetentionInDays = 365),
    caughtBy: /LogGroupSixYearRetention\[RetentionInDays::365\]/,
  },
  {
    name: 'U3 I2 log group DeletionPolicy Delete',
    type: 'AWS::Logs::LogGroup',
    mutate: (t, id) => (t.Resources[id]!.DeletionPolicy = 'Delete'),
    caughtBy: /LogGroupSixYearRetention\[DeletionPolicy::not-Retain\]/,
  },
  {
    name: 'U3 E2 Lambda function without LoggingConfig (Lambda creates an unencrypted, never-expiring group)',
    type: 'AWS::Lambda::Function',
    mutate: (t, id) => delete t.Resources[id]!.Properties.LoggingConfig,
    caughtBy: /LambdaLogsToManagedLogGroup\[LoggingConfig\.LogGroup::unset\]/,
  },
  {
    name: 'I1 database automated backups off',
    type: 'AWS::RDS::DBInstance',
    select: isDbInstance,
    fixture: databaseFixture,
    mutate: (t, id) => (t.Resources[id]!.Properties.BackupRetentionPeriod = 0),
    caughtBy: /RDSInstanceBackupEnabled/,
  },
  {
    name: 'I2 database deletion protection off',
    type: 'AWS::RDS::DBInstance',
    select: isDbInstance,
    fixture: databaseFixture,
    mutate: (t, id) => (t.Resources[id]!.Properties.DeletionProtection = false),
    caughtBy: /RDSInstanceDeletionProtectionEnabled/,
  },
  {
    name: 'I3 database not Multi-AZ',
    type: 'AWS::RDS::DBInstance',
    select: isDbInstance,
    fixture: databaseFixture,
    mutate: (t, id) => (t.Resources[id]!.Properties.MultiAZ = false),
    caughtBy: /RDSMultiAZSupport/,
  },
  {
    name: 'N2 subnet with MapPublicIpOnLaunch true',
    type: 'AWS::EC2::Subnet',
    mutate: (t, id) => (t.Resources[id]!.Properties.MapPublicIpOnLaunch = true),
    caughtBy: /VPCSubnetAutoAssignPublicIpDisabled/,
  },
  {
    name: 'N4 VPC without flow logs',
    type: 'AWS::EC2::VPC',
    mutate: (t) => removeWhere(t, (r) => r.Type === 'AWS::EC2::FlowLog'),
    caughtBy: /VPCFlowLogsEnabled/,
  },
  {
    name: 'N4 default security group left open',
    type: 'AWS::EC2::VPC',
    mutate: (t) => removeWhere(t, (r) => r.Type === 'Custom::VpcRestrictDefaultSG'),
    caughtBy: /VPCDefaultSecurityGroupClosed/,
  },
  {
    name: 'N3 security group without inline SecurityGroupEgress (EC2 adds allow-all egress)',
    type: 'AWS::EC2::SecurityGroup',
    mutate: (t, id) => delete t.Resources[id]!.Properties.SecurityGroupEgress,
    caughtBy: /SecurityGroupEgressExplicit\[SecurityGroupEgress::unset\]/,
  },
  {
    name: 'N3 application tier security group left with only its separate SG-to-database egress rule',
    type: 'AWS::EC2::SecurityGroup',
    select: (r) => r.Properties?.GroupDescription === 'Application tier tasks that may reach the PHI database',
    mutate: (t, id) => delete t.Resources[id]!.Properties.SecurityGroupEgress,
    caughtBy: /SecurityGroupEgressExplicit\[SecurityGroupEgress::unset\]/,
  },
  {
    name: 'D1 alarm without an action',
    type: 'AWS::CloudWatch::Alarm',
    mutate: (t, id) => {
      delete t.Resources[id]!.Properties.AlarmActions;
      t.Resources[id]!.Properties.ActionsEnabled = false;
    },
    caughtBy: /CloudWatchAlarmAction/,
  },
  {
    name: 'V1 a resource of a non-eligible service',
    type: 'AWS::KMS::Key',
    mutate: (t) =>
      (t.Resources.Mutant = {
        Type: 'AWS::Lightsail::Instance',
        Properties: { InstanceName: 'x', BlueprintId: 'amazon_linux_2023', BundleId: 'nano_3_0' },
      }),
    caughtBy: /HipaaEligibleService\[Service::Amazon Lightsail\]/,
  },
];

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const key = (f: TemplateFinding): string => `${f.ruleId} ${f.logicalId}`;

const appTemplates: { file: string; template: Tpl }[] = [];
const baselines = new Map<string, Set<string>>();

function baseline(name: string, template: Tpl): Set<string> {
  let b = baselines.get(name);
  if (!b) {
    b = new Set(checkTemplate(template, name).findings.map(key));
    baselines.set(name, b);
  }
  return b;
}

/** The template and resource a mutation runs on: an app template when one has the resource, else the fixture. */
function target(m: Mutation): { source: string; template: Tpl; logicalId: string } {
  const matches = (r: Json): boolean => r.Type === m.type && (m.select?.(r) ?? true);
  for (const { file, template } of appTemplates) {
    const hit = Object.entries(template.Resources).find(([, r]) => matches(r));
    if (hit) return { source: file, template, logicalId: hit[0] };
  }
  if (!m.fixture) throw new Error(`${m.name}: no ${m.type} in the app and no fixture`);
  const template = m.fixture();
  const hit = Object.entries(template.Resources).find(([, r]) => matches(r));
  if (!hit) throw new Error(`${m.name}: fixture has no matching ${m.type}`);
  return { source: `fixture:${m.type}`, template, logicalId: hit[0] };
}

beforeAll(() => {
  // The dev templates of the shared synth (test/support/global-setup.ts), in file order.
  for (const { file, template } of allTemplates('dev'))
    appTemplates.push({ file, template: template as unknown as Tpl });
});

describe('mutation score of the gate', () => {
  test('fixtures are compliant for the rule each mutation expects', () => {
    for (const m of MUTATIONS.filter((x) => x.fixture)) {
      const fixture = m.fixture!();
      const findings = checkTemplate(fixture, m.name).findings.filter((f) => m.caughtBy.test(f.ruleId));
      expect({ mutation: m.name, findings }).toEqual({ mutation: m.name, findings: [] });
    }
  });

  test('V1 E1 E2 E3 A1 A2 A3 U1 U2 U3 I1 I2 I3 N2 N3 N4 D1 D3 every mutation that removes a safeguard is caught', () => {
    const results = MUTATIONS.map((m) => {
      const { source, template, logicalId } = target(m);
      const before = baseline(source, template);
      const mutated = clone(template);
      m.mutate(mutated, logicalId);
      const added = checkTemplate(mutated, `${source} (${m.name})`).findings.filter((f) => !before.has(key(f)));
      const caught = added.some((f) => m.caughtBy.test(f.ruleId));
      return { name: m.name, source, caught, added: added.map((f) => f.ruleId) };
    });
    const caught = results.filter((r) => r.caught).length;
    const lines = results.map((r) => `${r.caught ? 'caught' : 'MISSED'}  ${r.name}  [${r.source}]`);
    console.log(`Mutation score: ${caught}/${results.length}\n${lines.join('\n')}`);
    expect(results.filter((r) => !r.caught)).toEqual([]);
    expect(caught).toBe(MUTATIONS.length);
  });
});
