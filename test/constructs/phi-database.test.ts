import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SubnetType, SecurityGroup, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnDBCluster, CfnDBInstance } from 'aws-cdk-lib/aws-rds';
import { PHI_DATABASE_PARAMETERS, PhiDatabase, PhiDatabaseProps } from '../../constructs/phi-database';
import { PHI_LOG_DATA_IDENTIFIERS } from '../../constructs/phi-log-group';
import { applyAcknowledgements, buildRegister } from '../../lib/compliance/register';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { HIPAA_MIN_RETENTION_DAYS } from '../../lib/config';
import { testConfig } from '../support/blueprint';
import { stackOutputNamed } from '../support/cross-stack';
import { buildDataTier } from '../support/data-tier';

/** Aurora in the prod shape: writer + reader. */
const aurora = buildDataTier(
  testConfig('prod', { database: { engine: 'aurora-postgresql', instanceClass: 'r6g.large' } }),
  { validate: false },
);
const stack = aurora.data;
const template = Template.fromStack(stack);

function bareProps(overrides: Partial<PhiDatabaseProps> = {}): { stack: Stack; props: PhiDatabaseProps } {
  const app = new App({ builtinCloudFormationValidation: false });
  const s = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new Vpc(s, 'Vpc', {
    maxAzs: 2,
    subnetConfiguration: [{ name: 'Data', subnetType: SubnetType.PRIVATE_ISOLATED }],
  });
  const key = new Key(s, 'Key');
  const props: PhiDatabaseProps = {
    vpc,
    subnets: { subnetGroupName: 'Data' },
    securityGroup: new SecurityGroup(s, 'Sg', { vpc }),
    engine: 'postgresql',
    instanceClass: 't4g.medium',
    identifier: 'test-phi-db',
    port: 5433,
    storageKey: key,
    operationsKey: key,
    monitoringRole: PhiDatabase.createMonitoringRole(s, 'MonitoringRole'),
    retention: {
      logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      auditLockMode: 'COMPLIANCE',
    },
    backupRetentionDays: 35,
    multiAz: true,
    ...overrides,
  };
  return { stack: s, props };
}

describe('PhiDatabase (Aurora PostgreSQL)', () => {
  it('E2 cluster storage with the PHI key, master secret under the operations key, IAM auth', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      DBClusterIdentifier: 'hipaa-prod-phi-db',
      StorageEncrypted: true,
      KmsKeyId: stackOutputNamed('PhiDataKey.*Arn'),
      ManageMasterUserPassword: true,
      MasterUserSecret: { KmsKeyId: stackOutputNamed('OperationsKey.*Arn') },
      EnableIAMDatabaseAuthentication: true,
      BackupRetentionPeriod: 35,
      DeletionProtection: true,
      Port: 5433,
    });
  });

  it('E3 cluster parameter group forces TLS and loads pgaudit', () => {
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Family: 'aurora-postgresql16',
      Parameters: Match.objectLike({ 'rds.force_ssl': '1', 'pgaudit.log': 'ddl,role' }),
    });
    expect(PHI_DATABASE_PARAMETERS.shared_preload_libraries.split(',')).toContain('pgaudit');
  });

  it('I3 production has a writer and a reader, each private, current CA, PI under the PHI key', () => {
    template.resourceCountIs('AWS::RDS::DBInstance', 2);
    template.allResourcesProperties('AWS::RDS::DBInstance', {
      PubliclyAccessible: false,
      CACertificateIdentifier: 'rds-ca-rsa2048-g1',
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: stackOutputNamed('PhiDataKey.*Arn'),
      MonitoringInterval: 60,
      AutoMinorVersionUpgrade: true,
    });
  });

  it('I2 cluster DeletionPolicy and UpdateReplacePolicy Snapshot; logical ID pinned', () => {
    template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    expect(stack.getLogicalId(stack.phiDatabase.cluster!.node.defaultChild as CfnDBCluster)).toBe(
      'DatabaseCluster5B53A178',
    );
  });

  it('U3 the cluster log group /aws/rds/cluster/<id>/postgresql exists, encrypted, before the cluster', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/cluster/hipaa-prod-phi-db/postgresql',
      RetentionInDays: 2192,
    });
    template.hasResource('AWS::RDS::DBCluster', {
      DependsOn: Match.arrayWith([
        stack.getLogicalId(stack.phiDatabase.logGroups.postgresql.logGroup.node.defaultChild as CfnLogGroup),
      ]),
      Properties: Match.objectLike({ EnableCloudwatchLogsExports: ['postgresql'] }),
    });
  });

  it('E1 the cluster log group is encrypted with the PHI key (the exports may hold PHI), findings with the operations key', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/cluster/hipaa-prod-phi-db/postgresql',
      KmsKeyId: stackOutputNamed('PhiDataKey.*Arn'),
    });
    const findingsId = stack.getLogicalId(stack.phiDatabase.logFindingsGroup.node.defaultChild as CfnLogGroup);
    expect(template.toJSON().Resources[findingsId].Properties.KmsKeyId).toEqual({
      'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/OperationsKey.*Arn/) }),
    });
  });

  it('a single-AZ Aurora config (non-production) has only the writer', () => {
    const dev = buildDataTier(
      testConfig('dev', { database: { engine: 'aurora-postgresql', instanceClass: 'r6g.large', multiAz: false } }),
      { validate: false },
    );
    Template.fromStack(dev.data).resourceCountIs('AWS::RDS::DBInstance', 1);
  });

  it('known open item: cdk-nag RDSInBackupPlan flags Aurora member instances (cdklabs/cdk-nag#1627); the cluster is in the plan', () => {
    applyAcknowledgements(aurora.app, buildRegister(aurora.config));
    const findings = compliancePacks().flatMap((p) =>
      p
        .validateScope(aurora.app)
        .violations.flatMap((v) =>
          v.violatingResources
            .filter((r) => (r.constructPath ?? '').includes('/Data/'))
            .map((r) => `${v.ruleName} @ ${r.constructPath}`),
        ),
    );
    expect(findings.filter((f) => !f.includes('S3BucketReplicationEnabled')).sort()).toEqual([
      'HIPAA.Security-RDSInBackupPlan @ Prod/Data/Database/Cluster/Reader/Resource',
      'HIPAA.Security-RDSInBackupPlan @ Prod/Data/Database/Cluster/Writer/Resource',
      'NIST.800.53.R5-RDSInBackupPlan @ Prod/Data/Database/Cluster/Reader/Resource',
      'NIST.800.53.R5-RDSInBackupPlan @ Prod/Data/Database/Cluster/Writer/Resource',
    ]);
  });
});

describe('PhiDatabase (RDS for PostgreSQL instance): PHI stays out of the database logs', () => {
  const { stack: s, props } = bareProps();
  const db = new PhiDatabase(s, 'Db', props);
  const t = Template.fromStack(s);
  const logGroups = t.findResources('AWS::Logs::LogGroup');

  it('U4 parameter group: no statement text with errors, terse errors (no DETAIL values), no statement or slow-statement logging', () => {
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres16',
      Parameters: Match.objectLike({
        log_min_error_statement: 'panic',
        log_error_verbosity: 'terse',
        log_statement: 'none',
        log_min_duration_statement: '-1',
        'pgaudit.log_parameter': '0',
      }),
    });
  });

  it('U4 the postgresql and upgrade log groups carry the PHI data protection policy, findings to an encrypted group', () => {
    const findingsId = s.getLogicalId(db.logFindingsGroup.node.defaultChild as CfnLogGroup);
    expect(logGroups[findingsId].Properties).toMatchObject({ KmsKeyId: expect.anything(), RetentionInDays: 2192 });
    expect(Object.keys(db.logGroups).sort()).toEqual(['postgresql', 'upgrade']);
    for (const [type, group] of Object.entries(db.logGroups)) {
      const props = logGroups[s.getLogicalId(group.logGroup.node.defaultChild as CfnLogGroup)].Properties;
      expect(props.LogGroupName).toBe(`/aws/rds/instance/test-phi-db/${type}`);
      const policy = props.DataProtectionPolicy;
      expect(policy).toMatchObject({ Name: 'phi-masking' });
      const [audit, deidentify] = policy.Statement;
      // Every identifier the app log groups mask (PHI_LOG_DATA_IDENTIFIERS, the same list), audited and masked.
      for (const statement of [audit, deidentify]) {
        expect(statement.DataIdentifier).toHaveLength(PHI_LOG_DATA_IDENTIFIERS.length);
        for (const id of PHI_LOG_DATA_IDENTIFIERS) {
          expect(JSON.stringify(statement.DataIdentifier)).toContain(`:data-identifier/${id.name}"`);
        }
      }
      expect(deidentify.Operation).toEqual({ Deidentify: { MaskConfig: {} } });
      expect(audit.Operation.Audit.FindingsDestination.CloudWatchLogs.LogGroup).toEqual({ Ref: findingsId });
    }
  });
});

describe('PhiDatabase props validation names field, value and rule', () => {
  it.each([
    [{ port: 5432 }, /port = 5432: must be 1150-65535 and not the PostgreSQL default 5432/],
    [{ backupRetentionDays: 7 }, /backupRetentionDays = 7: must be 35 \(I1\)/],
    [{ identifier: 'Bad_Id' }, /identifier = 'Bad_Id': must be lower-case letters, digits and dashes/],
  ])('rejects %p', (overrides, message) => {
    const { stack: s, props } = bareProps(overrides as Partial<PhiDatabaseProps>);
    expect(() => new PhiDatabase(s, 'Db', props)).toThrow(message);
  });

  it('accepts valid props (instance engine): one encrypted, deletion-protected PostgreSQL instance, no cluster', () => {
    const { stack: s, props } = bareProps();
    const db = new PhiDatabase(s, 'Db', props);
    expect(db.cluster).toBeUndefined();
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::RDS::DBInstance', 1);
    t.resourceCountIs('AWS::RDS::DBCluster', 0);
    const [[instanceId, instance]] = Object.entries(t.findResources('AWS::RDS::DBInstance'));
    expect(instanceId).toBe(s.getLogicalId(db.instance!.node.defaultChild as CfnDBInstance));
    expect(instance.Properties).toMatchObject({
      Engine: 'postgres',
      DBInstanceIdentifier: 'test-phi-db',
      Port: '5433',
      StorageEncrypted: true,
      DeletionProtection: true,
      MultiAZ: true,
      BackupRetentionPeriod: 35,
    });
    expect(instance.DeletionPolicy).toBe('Snapshot');
  });
});
