import { CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnBackupVault } from 'aws-cdk-lib/aws-backup';
import { SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDBInstance } from 'aws-cdk-lib/aws-rds';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import {
  Acknowledgement,
  applyAcknowledgements,
  buildRegister,
  dataTierAcknowledgements,
} from '../../lib/compliance/register';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { phiDataBucketName, phiReplicaBucketName } from '../../lib/config';
import { testConfig } from '../support/blueprint';
import { stackOutputNamed } from '../support/cross-stack';
import { buildDataTier, DataTier } from '../support/data-tier';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;

const dev = buildDataTier();
const stack = dev.data;
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Resources;
const prod = buildDataTier(testConfig('prod'));
const prodTemplate = Template.fromStack(prod.data);

function idsOf(type: string, from: Resources = resources): string[] {
  return Object.entries(from)
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);
}
const importOf = (keyId: string): object => stackOutputNamed(`${keyId}.*Arn`);

/**
 * Findings of every pack on the data stack, after the environment's register is applied to the whole tier. The packs
 * walk the data stack only: a rule sees its resource's own stack either way.
 */
function dataFindings({ app, data, config }: DataTier): string[] {
  applyAcknowledgements(app, buildRegister(config));
  return compliancePacks().flatMap((pack) =>
    pack
      .validateScope(data)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
  );
}

describe('DataStack', () => {
  it('E2 database storage and Performance Insights are encrypted with the PHI key', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      StorageEncrypted: true,
      KmsKeyId: importOf('PhiDataKey'),
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: importOf('PhiDataKey'),
    });
  });

  it('E2 the master password is RDS-managed in Secrets Manager under the operations key (no rotation Lambda)', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      ManageMasterUserPassword: true,
      MasterUserSecret: { KmsKeyId: importOf('OperationsKey') },
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    // The functions are the database users provisioner (A1) and the restore validation (I1); no rotation function.
    expect(idsOf('AWS::Lambda::Function')).toEqual([
      stack.getLogicalId(stack.databaseUsers!.function.node.defaultChild as CfnResource),
      stack.getLogicalId(stack.restoreValidation.function.node.defaultChild as CfnResource),
    ]);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    template.resourceCountIs('AWS::Serverless::Application', 0);
  });

  it('E3 database forces TLS (rds.force_ssl=1) with the current CA', () => {
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', { CACertificateIdentifier: 'rds-ca-rsa2048-g1' });
  });

  it('U1 database loads pgaudit and logs DDL and role changes, never statement parameters', () => {
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({
        shared_preload_libraries: Match.stringLikeRegexp('(^|,)pgaudit(,|$)'),
        'pgaudit.log': 'ddl,role',
        'pgaudit.log_parameter': '0',
      }),
    });
  });

  it('A1 IAM database authentication is on', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { EnableIAMDatabaseAuthentication: true });
  });

  it('N2 database is not publicly accessible, sits in the data tier and admits only the application security group and the users provisioner', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { PubliclyAccessible: false, Port: '5433' });
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: Match.arrayWith([stackOutputNamed('PhiVpcDataSubnet1')]),
    });
    const ingress = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress');
    const groupOf = (sg: SecurityGroup): object => ({
      'Fn::GetAtt': [stack.getLogicalId(sg.node.defaultChild as CfnResource), 'GroupId'],
    });
    expect(ingress.map((r) => r.Properties)).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 5433,
        ToPort: 5433,
        Description: 'Application tier to database',
        GroupId: groupOf(stack.databaseSecurityGroup),
        SourceSecurityGroupId: groupOf(stack.appSecurityGroup),
      },
      {
        IpProtocol: 'tcp',
        FromPort: 5433,
        ToPort: 5433,
        Description: 'Database users provisioner',
        GroupId: groupOf(stack.databaseSecurityGroup),
        SourceSecurityGroupId: groupOf(stack.databaseUsers!.securityGroup),
      },
    ]);
    // The provisioner (CloudFormation's response bucket) and the restore validation (the restored bucket) reach S3
    // through the gateway endpoint, which a group can name only by the region's prefix list ID: 443 to 0.0.0.0/0,
    // bounded by the application tier's routes (local and gateway endpoints only). No group admits 0.0.0.0/0, and no
    // other sends to it.
    const provisionerId = stack.getLogicalId(stack.databaseUsers!.securityGroup.node.defaultChild as CfnResource);
    const validationId = stack.getLogicalId(stack.restoreValidation.securityGroup.node.defaultChild as CfnResource);
    for (const id of idsOf('AWS::EC2::SecurityGroup').filter((i) => i !== provisionerId && i !== validationId)) {
      expect(JSON.stringify(resources[id].Properties)).not.toContain('0.0.0.0/0');
    }
    expect(resources[validationId].Properties.SecurityGroupIngress).toBeUndefined();
    expect(resources[validationId].Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS to VPC endpoints' }),
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
    expect(resources[provisionerId].Properties.SecurityGroupIngress).toBeUndefined();
    expect(resources[provisionerId].Properties.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
  });

  it('N3 the application security group and the users provisioner leave only to the database security group, on the database port', () => {
    const egress = Object.values(resources).filter((r) => r.Type === 'AWS::EC2::SecurityGroupEgress');
    const groupOf = (sg: SecurityGroup): object => ({
      'Fn::GetAtt': [stack.getLogicalId(sg.node.defaultChild as CfnResource), 'GroupId'],
    });
    expect(egress.map((r) => r.Properties)).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 5433,
        ToPort: 5433,
        Description: 'Application tier to database',
        GroupId: groupOf(stack.appSecurityGroup),
        DestinationSecurityGroupId: groupOf(stack.databaseSecurityGroup),
      },
      {
        IpProtocol: 'tcp',
        FromPort: 5433,
        ToPort: 5433,
        Description: 'Provisioner to database',
        GroupId: groupOf(stack.databaseUsers!.securityGroup),
        DestinationSecurityGroupId: groupOf(stack.databaseSecurityGroup),
      },
    ]);
    // Where the services connect (IAM database authentication, README Deploy): endpoint and port as outputs.
    template.hasOutput('DatabasePort', { Value: '5433' });
    template.hasOutput('DatabaseEndpoint', Match.anyValue());
  });

  it('N3 the application security group states its egress inline (no implicit allow-all): HTTPS to the VPC only', () => {
    for (const [t, data] of [
      [template, stack],
      [prodTemplate, prod.data],
    ] as const) {
      const appSgId = data.getLogicalId(data.appSecurityGroup.node.defaultChild as CfnResource);
      expect(
        Object.keys(
          t.findResources('AWS::EC2::SecurityGroup', {
            Properties: Match.objectLike({
              SecurityGroupEgress: [
                {
                  IpProtocol: 'tcp',
                  FromPort: 443,
                  ToPort: 443,
                  Description: 'HTTPS to the interface endpoints in the VPC',
                  CidrIp: stackOutputNamed('PhiVpc.*CidrBlock'),
                },
              ],
            }),
          }),
        ),
      ).toEqual([appSgId]);
      // Every security group of the stack states egress inline (else EC2 adds allow-all egress).
      for (const sg of Object.values(t.findResources('AWS::EC2::SecurityGroup'))) {
        expect((sg.Properties.SecurityGroupEgress as unknown[] | undefined)?.length).toBeGreaterThan(0);
      }
    }
  });

  it('I2 deletion protection is on in every environment', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: true });
    prodTemplate.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: true });
  });

  it('I2 database: DeletionPolicy and UpdateReplacePolicy Snapshot, automated backups kept', () => {
    template.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: Match.objectLike({ DeleteAutomatedBackups: false, CopyTagsToSnapshot: true }),
    });
  });

  it('I2 PHI bucket, access log bucket, vault and log groups are retained on deletion and replacement', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::Backup::BackupVault', 'AWS::Logs::LogGroup']) {
      const ids = idsOf(type);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        const r = template.toJSON().Resources[id];
        expect([id, r.DeletionPolicy, r.UpdateReplacePolicy]).toEqual([id, 'Retain', 'Retain']);
      }
    }
  });

  it('I1 database keeps 35 days of point-in-time recovery', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { BackupRetentionPeriod: 35 });
  });

  it('I3 database is Multi-AZ in production', () => {
    prodTemplate.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true, DBInstanceClass: 'db.r6g.large' });
  });

  it('U3 RDS log exports go to encrypted six-year log groups created before the database', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { EnableCloudwatchLogsExports: ['postgresql', 'upgrade'] });
    const all = idsOf('AWS::Logs::LogGroup');
    const groups = all.filter((id) => resources[id].Properties.LogGroupName !== undefined);
    const names = groups.map((id) => resources[id].Properties.LogGroupName).sort();
    expect(names).toEqual([
      '/aws/rds/instance/hipaa-dev-phi-db/postgresql',
      '/aws/rds/instance/hipaa-dev-phi-db/upgrade',
    ]);
    // The others: the findings group of their PHI data protection policy (U4), the users provisioner's and the
    // restore validation's.
    expect(all.filter((id) => !groups.includes(id))).toEqual([
      'DatabaseLogFindings44980562',
      stack.getLogicalId(stack.databaseUsers!.logGroup.logGroup.node.defaultChild as CfnResource),
      stack.getLogicalId(stack.restoreValidation.logGroup.logGroup.node.defaultChild as CfnResource),
    ]);
    for (const id of all) expect(resources[id].Properties).toMatchObject({ RetentionInDays: 2192 });
    const db = resources[idsOf('AWS::RDS::DBInstance')[0]];
    expect(db.Properties.DBInstanceIdentifier).toBe('hipaa-dev-phi-db');
    expect(db.DependsOn).toEqual(expect.arrayContaining(groups));
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  it('enhanced monitoring and minor version upgrades are on', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      MonitoringInterval: 60,
      MonitoringRoleArn: Match.anyValue(),
      AutoMinorVersionUpgrade: true,
    });
  });

  it('E2 PHI bucket: exact name, SSE-KMS with the PHI key and bucket keys, versioned, public access blocked, ACLs off', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: phiDataBucketName(testConfig('dev')),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: importOf('PhiDataKey') },
            BucketKeyEnabled: true,
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('E3 PHI bucket policy denies non-TLS and TLS < 1.2', () => {
    const phiBucketId = stack.getLogicalId(stack.phiBucket.node.defaultChild as CfnResource);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: phiBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      },
    });
  });

  it('U3 PHI bucket logs server access to the access log bucket; noncurrent versions kept six years', () => {
    const logBucketId = stack.getLogicalId(stack.accessLogs.bucket.node.defaultChild as CfnResource);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: phiDataBucketName(testConfig('dev')),
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'phi-data/' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Status: 'Enabled',
            NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }],
            NoncurrentVersionExpiration: { NoncurrentDays: 2192 },
          }),
        ],
      },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  it('I1 backup vault is encrypted with the backup key and locked (governance in dev, immutable after 3 days in prod)', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      EncryptionKeyArn: importOf('BackupKey'),
      LockConfiguration: { MinRetentionDays: 35 },
    });
    expect(JSON.stringify(template.findResources('AWS::Backup::BackupVault'))).not.toContain('ChangeableForDays');
    prodTemplate.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 },
    });
  });

  it('I1 backup plan has a daily continuous rule (35 days) and a monthly rule (365 days; 2192 in prod)', () => {
    const rule = (name: string, days: number, continuous?: boolean): object =>
      Match.objectLike({
        RuleName: name,
        Lifecycle: { DeleteAfterDays: days },
        ...(continuous ? { EnableContinuousBackup: true } : {}),
      });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({ BackupPlanRule: [rule('DailyContinuous', 35, true), rule('Monthly', 365)] }),
    });
    prodTemplate.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({ BackupPlanRule: [rule('DailyContinuous', 35, true), rule('Monthly', 2192)] }),
    });
  });

  it('I1 backup selection covers the database and the PHI bucket by ARN, and Backup=phi by tag', () => {
    const dbId = stack.getLogicalId(stack.phiDatabase.instance!.node.defaultChild as CfnResource);
    const bucketId = stack.getLogicalId(stack.phiBucket.node.defaultChild as CfnResource);
    const selection = Object.values(resources).find((r) => r.Type === 'AWS::Backup::BackupSelection')!;
    const body = selection.Properties.BackupSelection as { Resources: unknown[]; ListOfTags: unknown[] };
    const arns = body.Resources.map((r) => JSON.stringify(r));
    expect(arns.some((a) => a.includes(`:db:","{"Ref":"${dbId}"}`) || a.includes(`{"Ref":"${dbId}"}`))).toBe(true);
    expect(arns).toContain(JSON.stringify({ 'Fn::GetAtt': [bucketId, 'Arn'] }));
    expect(body.ListOfTags).toEqual([{ ConditionKey: 'Backup', ConditionType: 'STRINGEQUALS', ConditionValue: 'phi' }]);
    // Both stores carry the tag too.
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Tags: Match.arrayWith([{ Key: 'Backup', Value: 'phi' }]),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: phiDataBucketName(testConfig('dev')),
      Tags: Match.arrayWith([{ Key: 'Backup', Value: 'phi' }]),
    });
  });

  it('D1 failed and aborted backup jobs raise alarms with an action', () => {
    for (const metric of ['NumberOfBackupJobsFailed', 'NumberOfBackupJobsAborted']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Backup',
        MetricName: metric,
        Threshold: 1,
        AlarmActions: [stackOutputNamed('AlarmTopic')],
      });
    }
  });

  it('E1 the RDS log groups use the PHI key; their findings group (no values) the operations key', () => {
    const rdsGroups = [stack.phiDatabase.logGroups.postgresql, stack.phiDatabase.logGroups.upgrade];
    for (const group of rdsGroups) {
      const props = resources[stack.getLogicalId(group.logGroup.node.defaultChild as CfnResource)].Properties;
      expect(String(props.LogGroupName)).toMatch(/^\/aws\/rds\//);
      expect(JSON.stringify(props.KmsKeyId)).toMatch(/PhiDataKey.*Arn/);
    }
    const findings = resources[stack.getLogicalId(stack.phiDatabase.logFindingsGroup.node.defaultChild as CfnResource)];
    expect(JSON.stringify(findings.Properties.KmsKeyId)).toMatch(/OperationsKey.*Arn/);
  });

  it('I2 the data stack has termination protection', () => {
    expect(stack.terminationProtection).toBe(true);
  });

  it('I2 logical IDs of the database, PHI bucket, vault and log groups are pinned', () => {
    const id = (c: { node: { defaultChild?: unknown } }): string =>
      stack.getLogicalId(c.node.defaultChild as CfnResource);
    expect(id(stack.phiDatabase.instance!)).toBe('DatabaseInstanceAA8A5FDE');
    expect(id(stack.phiBucket)).toBe('PhiBucketA8B3E43F');
    expect(stack.getLogicalId(stack.backup.vault.node.defaultChild as CfnBackupVault)).toBe('BackupVaultADF21B19');
    expect(id(stack.accessLogs.bucket)).toBe('AccessLogsBucketCD784A59');
    expect(id(stack.phiDatabase.logGroups.postgresql.logGroup)).toBe('DatabaseLogGrouppostgresqlD7FACD43');
    expect(id(stack.phiDatabase.logGroups.upgrade.logGroup)).toBe('DatabaseLogGroupupgradeC6893739');
    expect(id(stack.phiDatabase.logFindingsGroup)).toBe('DatabaseLogFindings44980562');
  });

  it('A3 grantPhiAccess grants its own database user, one bucket prefix and the PHI key through S3 only; never the master secret', () => {
    const tier = buildDataTier();
    const app = new Stack(tier.data.node.scope!, 'App', { env: { account: '123456789012', region: 'us-east-1' } });
    const role = new Role(app, 'TaskRole', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com') });
    tier.data.grantPhiAccess(role, { bucketPrefix: 'records/', dbUser: 'records' });
    const policies = Template.fromStack(app).findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }).Properties
          .PolicyDocument.Statement,
    );
    const text = JSON.stringify(statements);
    expect(text).not.toMatch(/"Resource":"\*"/);
    expect(text).not.toMatch(/"Action":"(s3|kms|secretsmanager):\*"/);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'],
          Resource: { 'Fn::Join': ['', [expect.anything(), '/records/*']] },
        }),
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
        }),
        expect.objectContaining({
          Action: 'rds-db:connect',
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:aws:rds-db:us-east-1:123456789012:dbuser:',
                {
                  'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/DbiResourceId/) }),
                },
                '/records',
              ],
            ],
          },
        }),
      ]),
    );
    expect(text).not.toMatch(/secretsmanager|MasterUserSecret/);
    expect(() => tier.data.grantPhiAccess(role, { bucketPrefix: '*' })).toThrow(
      /bucketPrefix = '\*': must be a key prefix ending in '\/', without wildcards/,
    );
  });

  it('I1 PHI bucket replicates to the PHI replica bucket in the replica region, with the replica key alias', () => {
    const join = (...parts: unknown[]): object => ({ 'Fn::Join': ['', parts] });
    const replica = `hipaa-dev-phi-replica-`;
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: phiDataBucketName(testConfig('dev')),
      ReplicationConfiguration: {
        Role: Match.anyValue(),
        Rules: [
          Match.objectLike({
            Status: 'Enabled',
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Disabled' },
            SourceSelectionCriteria: {
              SseKmsEncryptedObjects: { Status: 'Enabled' },
              ReplicaModifications: { Status: 'Enabled' },
            },
            Destination: {
              Bucket: join(
                'arn:',
                { Ref: 'AWS::Partition' },
                `:s3:::${replica}`,
                { Ref: 'AWS::AccountId' },
                '-us-west-2',
              ),
              EncryptionConfiguration: {
                ReplicaKmsKeyID: join(
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':kms:us-west-2:',
                  { Ref: 'AWS::AccountId' },
                  ':alias/hipaa-dev/phi-replica',
                ),
              },
            },
          }),
        ],
      },
    });
    // The name the bucket replicates to is the name the replica stack creates (at deploy time).
    expect(phiReplicaBucketName(testConfig('dev'))).toBe('hipaa-dev-phi-replica-123456789012-us-west-2');
  });

  it('A3 PHI bucket replication policy: decrypt with the PHI key only through S3 here, encrypt only with the replica alias through S3 there', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DecryptWithSourceKeyThroughS3',
            Action: 'kms:Decrypt',
            Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
          }),
          Match.objectLike({
            Sid: 'EncryptWithDestinationKeyThroughS3',
            Action: 'kms:Encrypt',
            Condition: {
              StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' },
              'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/hipaa-dev/phi-replica'] },
            },
          }),
        ]),
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const [policy] = Object.values(
      template.findResources('AWS::IAM::ManagedPolicy', {
        Properties: { Description: Match.stringLikeRegexp('^S3 replication') },
      }),
    );
    const decrypt = (policy.Properties.PolicyDocument.Statement as Array<{ Sid: string; Resource: unknown }>).find(
      (st) => st.Sid === 'DecryptWithSourceKeyThroughS3',
    );
    // The PHI key of the keys stack (an import or a stack output, whichever reference strength cdk.json sets).
    expect(JSON.stringify(decrypt?.Resource)).toMatch(/PhiDataKey.*Arn/);
  });

  it('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('DataStack compliance', () => {
  it('no findings are left on the data stack: the PHI bucket replicates (S3BucketReplicationEnabled passes, unacknowledged)', () => {
    // The file's dev and prod tiers (their templates were read when they were built).
    expect(dataFindings(dev)).toEqual([]);
    expect(dataFindings(prod)).toEqual([]);
  });

  it('no data tier acknowledgement touches the database, the PHI bucket or the vault', () => {
    const tier = buildDataTier();
    const matches = applyAcknowledgements(tier.app, dataTierAcknowledgements(tier.config));
    for (const m of matches) {
      expect(m.paths.length).toBeGreaterThan(0);
      for (const p of m.paths) expect(p).not.toMatch(/\/Data\/(Database|PhiBucket|Backup\/Vault)(\/|$)/);
    }
  });

  /**
   * The tier the refusals below are asked of (built once, on first use): each entry's path names exactly one
   * construct, and applyAcknowledgements refuses it before acknowledging anything, so the tree stays as built.
   */
  let refused: DataTier | undefined;
  it.each([
    ['the database', 'Dev/Data/Database/Instance/Resource', 'AwsSolutions-RDS11'],
    ['the PHI bucket', 'Dev/Data/PhiBucket/Bucket/Resource', 'HIPAA.Security-S3BucketReplicationEnabled'],
    ['the backup vault', 'Dev/Data/Backup/Vault', 'AwsSolutions-IAM4'],
    ['the whole data stack', 'Dev/Data', 'AwsSolutions-IAM4'],
  ])('applyAcknowledgements refuses an entry on %s', (_what, path, rule) => {
    const entry: Acknowledgement = {
      ruleIds: [rule],
      path,
      reason: 'x'.repeat(50),
      compensatingControl: 'y'.repeat(50),
    };
    expect(() => applyAcknowledgements((refused ??= buildDataTier()).app, [entry])).toThrow(
      /holds a PHI store|too broad/,
    );
  });

  it('A1 each service gets its IAM-authenticated database user from the DatabaseUsers custom resource', () => {
    const names = testConfig('dev').services.map((s) => s.name);
    expect(names.length).toBeGreaterThan(0);
    template.hasResourceProperties('Custom::DatabaseUsers', {
      Users: [...names].sort(),
      Port: '5433',
      DatabaseName: 'postgres',
      SecretArn: { 'Fn::GetAtt': [idsOf('AWS::RDS::DBInstance')[0], 'MasterUserSecret.SecretArn'] },
      Host: { 'Fn::GetAtt': [idsOf('AWS::RDS::DBInstance')[0], 'Endpoint.Address'] },
    });
    prodTemplate.hasResourceProperties('Custom::DatabaseUsers', {
      Users: testConfig('prod')
        .services.map((s) => s.name)
        .sort(),
    });
  });

  it('A1 no services, no provisioner; services without the secretsmanager endpoint fail synth', () => {
    const none = buildDataTier(testConfig('dev', { services: [] }));
    expect(none.data.databaseUsers).toBeUndefined();
    Template.fromStack(none.data).resourceCountIs('Custom::DatabaseUsers', 0);
    const endpoints = testConfig('dev').network.interfaceEndpoints.filter((e) => e !== 'secretsmanager');
    const noSecretsEndpoint = testConfig('dev', { network: { interfaceEndpoints: endpoints } });
    // Config validation refuses it first, naming the field; the stack keeps its own check as a backstop.
    expect(() => buildDataTier(noSecretsEndpoint)).toThrow(
      /network\.interfaceEndpoints = .*: must include 'secretsmanager': the database users provisioner reads the master secret/,
    );
    expect(() => buildDataTier(noSecretsEndpoint, { validate: false })).toThrow(
      `DataStack: network.interfaceEndpoints = ${JSON.stringify(endpoints)}: must include 'secretsmanager' when services[] is not empty`,
    );
  });

  it('the PHI stores are marked', () => {
    const marked = (c: { node: { metadata: Array<{ type: string }> } }): boolean =>
      c.node.metadata.some((m) => m.type === 'hipaa-blueprint:phi-store');
    expect(marked(stack.phiDatabase)).toBe(true);
    expect(marked(stack.node.findChild('PhiBucket'))).toBe(true);
    expect(marked(stack.backup.vault)).toBe(true);
    // The template says so too (the inventory and the template checker read it there).
    const inTemplate = Object.entries(
      template.toJSON().Resources as Record<string, { Type: string; Metadata?: Record<string, unknown> }>,
    )
      .filter(([, r]) => r.Metadata?.['HipaaBlueprint::PhiStore'] === true)
      .map(([, r]) => r.Type)
      .sort();
    expect(inTemplate).toEqual(['AWS::Backup::BackupVault', 'AWS::RDS::DBInstance', 'AWS::S3::Bucket']);
    expect(stack.node.findAll().some((c) => c instanceof CfnDBInstance || c instanceof CfnBucket)).toBe(true);
  });
});
