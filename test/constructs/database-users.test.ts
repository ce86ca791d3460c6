import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { DatabaseUsers, DatabaseUsersProps } from '../../constructs/database-users';
import { PhiDatabase } from '../../constructs/phi-database';
import { Acknowledgement, applyAcknowledgements } from '../../lib/compliance/register';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { HIPAA_MIN_RETENTION_DAYS } from '../../lib/config';

const RETENTION = {
  logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
  auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
  auditLockMode: 'COMPLIANCE',
} as const;

interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly users: DatabaseUsers;
  readonly database: PhiDatabase;
  readonly databaseSecurityGroup: SecurityGroup;
  readonly vpc: Vpc;
  readonly operationsKey: Key;
}

/** A stack holding a real PhiDatabase (instance engine) and the provisioner next to it. */
function build(overrides: Partial<DatabaseUsersProps> = {}): Fixture {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Db', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Application', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      { name: 'Data', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
  const phiKey = new Key(stack, 'PhiKey', { enableKeyRotation: true });
  const operationsKey = new Key(stack, 'OperationsKey', { enableKeyRotation: true });
  const databaseSecurityGroup = new SecurityGroup(stack, 'DatabaseSecurityGroup', { vpc, allowAllOutbound: false });
  const database = new PhiDatabase(stack, 'Database', {
    vpc,
    subnets: { subnetGroupName: 'Data' },
    securityGroup: databaseSecurityGroup,
    engine: 'postgresql',
    instanceClass: 't4g.medium',
    identifier: 'test-phi-db',
    port: 5433,
    storageKey: phiKey,
    operationsKey,
    monitoringRole: PhiDatabase.createMonitoringRole(stack, 'MonitoringRole'),
    retention: RETENTION,
    backupRetentionDays: 35,
    multiAz: true,
  });
  const users = new DatabaseUsers(stack, 'DatabaseUsers', {
    vpc,
    vpcSubnets: { subnetGroupName: 'Application' },
    databaseEndpoint: database.endpoint,
    databasePort: 5433,
    databaseSecurityGroup,
    masterSecret: database.secret,
    masterSecretKey: operationsKey,
    users: ['sample-api', 'billing'],
    encryptionKey: operationsKey,
    retention: RETENTION,
    ...overrides,
  });
  return { app, stack, users, database, databaseSecurityGroup, vpc, operationsKey };
}

const fixture = build();
const { stack, users } = fixture;
const template = Template.fromStack(stack);
const logicalId = (c: { node: { defaultChild?: unknown } } | CfnResource): string =>
  stack.getLogicalId((CfnResource.isCfnResource(c) ? c : c.node.defaultChild) as CfnResource);
const sgId = logicalId(users.securityGroup);
const dbSgId = logicalId(fixture.databaseSecurityGroup);
const fnId = logicalId(users.function);

/** The register entry the lead pastes into lib/compliance/acknowledgements.ts (same rule id, path shape). */
const ENI_ACKNOWLEDGEMENT: Acknowledgement = {
  ruleIds: ['AwsSolutions-IAM5[Resource::*]'],
  path: '*/DatabaseUsers/NetworkPolicy/Resource',
  reason: 'test copy of the register entry',
  compensatingControl: 'test copy of the register entry',
};

/** Findings of the four packs on the provisioner and the database's security group (what it touches). */
function findings(app: App): string[] {
  return compliancePacks().flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((v) =>
        v.violatingResources
          .filter((r) => /\/(DatabaseUsers|DatabaseSecurityGroup)(\/|$)/.test(r.constructPath ?? ''))
          .map((r) => `${v.ruleName} @ ${r.constructPath}`),
      ),
  );
}

describe('DatabaseUsers', () => {
  it('A3 passes HIPAA, NIST 800-53 R5, AwsSolutions and the project rules but for the ENI wildcard, which one register entry covers', () => {
    const bare = build();
    expect(findings(bare.app)).toEqual(['AwsSolutions-IAM5[Resource::*] @ Db/DatabaseUsers/NetworkPolicy/Resource']);
    const acknowledged = build();
    const [match] = applyAcknowledgements(acknowledged.app, [ENI_ACKNOWLEDGEMENT]);
    expect(match.paths).toEqual(['Db/DatabaseUsers/NetworkPolicy/Resource']);
    expect(findings(acknowledged.app)).toEqual([]);
  });

  it('N2 the function runs in the application tier only, in its own security group', () => {
    const fn = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
    const props = fn[fnId].Properties;
    expect(props.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [sgId, 'GroupId'] }]);
    const applicationSubnets = fixture.vpc
      .selectSubnets({ subnetGroupName: 'Application' })
      .subnets.map((s) => ({ Ref: logicalId(s.node.defaultChild as CfnResource) }));
    expect(props.VpcConfig.SubnetIds).toEqual(applicationSubnets);
  });

  it('N3 the security group leaves only on the database port to the database group and on 443', () => {
    expect(template.toJSON().Resources[sgId].Properties.SecurityGroupEgress).toEqual([
      {
        CidrIp: '0.0.0.0/0',
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        Description:
          'HTTPS to the interface endpoints and to S3 through the gateway endpoint (no internet route in the application tier)',
      },
    ]);
    const egress = template.findResources('AWS::EC2::SecurityGroupEgress');
    expect(Object.values(egress).map((r) => r.Properties)).toEqual([
      {
        GroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [dbSgId, 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 5433,
        ToPort: 5433,
        Description: 'Provisioner to database',
      },
    ]);
  });

  it('N3 with the S3 prefix list, 443 goes only to the VPC and to S3', () => {
    const f = build({ s3PrefixListId: 'pl-63a5400a' });
    const t = Template.fromStack(f.stack);
    const id = f.stack.getLogicalId(f.users.securityGroup.node.defaultChild as CfnResource);
    expect(t.toJSON().Resources[id].Properties.SecurityGroupEgress).toEqual([
      {
        CidrIp: f.stack.resolve(f.vpc.vpcCidrBlock),
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        Description: 'HTTPS to the interface endpoints in the VPC',
      },
    ]);
    const egress = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties);
    expect(egress).toHaveLength(2);
    expect(egress).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ DestinationPrefixListId: 'pl-63a5400a', FromPort: 443, ToPort: 443 }),
        expect.objectContaining({ FromPort: 5433, ToPort: 5433, Description: 'Provisioner to database' }),
      ]),
    );
  });

  it('N2 the database admits the provisioner on its port, from its security group only', () => {
    const ingress = template.findResources('AWS::EC2::SecurityGroupIngress');
    expect(Object.values(ingress).map((r) => r.Properties)).toEqual([
      {
        GroupId: { 'Fn::GetAtt': [dbSgId, 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 5433,
        ToPort: 5433,
        Description: 'Database users provisioner',
      },
    ]);
  });

  it('A3 the role holds two customer-managed policies only: the secret, its key via Secrets Manager, its logs and queue; ENI actions apart', () => {
    const roleId = logicalId(users.role);
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const secretArn = stack.resolve(fixture.database.secret.secretArn);
    const keyArn = stack.resolve(fixture.operationsKey.keyArn);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: [
          { Sid: 'ReadMasterSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretArn },
          {
            Sid: 'DecryptMasterSecretViaSecretsManager',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: keyArn,
            Condition: {
              StringEquals: {
                'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              },
            },
          },
          {
            Sid: 'WriteOwnLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: stack.resolve(users.logGroup.logGroup.logGroupArn),
          },
          {
            Sid: 'DeadLetterFailedInvocations',
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: stack.resolve(users.deadLetterQueue.queueArn),
          },
          {
            Sid: 'EncryptDeadLetters',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: keyArn,
            Condition: {
              StringEquals: {
                'kms:ViaService': { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              },
            },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'LambdaVpcNetworkInterfaces',
            Effect: 'Allow',
            Action: Match.arrayWith(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']),
            Resource: '*',
          },
        ],
      },
    });
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 2);
    // The secret is read by this role only: no policy anywhere else names it.
    const naming = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p) =>
      JSON.stringify(p).includes('secretsmanager:GetSecretValue'),
    );
    expect(naming).toHaveLength(1);
  });

  it('A3 reserved concurrency 1, a KMS-encrypted dead-letter queue, Node.js 24 on arm64', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 1,
      DeadLetterConfig: { TargetArn: stack.resolve(users.deadLetterQueue.queueArn) },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: stack.resolve(fixture.operationsKey.keyArn),
    });
    template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('U3 the function logs to its own encrypted log group kept six years and retained', () => {
    const logGroupId = logicalId(users.logGroup.logGroup);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        KmsKeyId: stack.resolve(fixture.operationsKey.keyArn),
        RetentionInDays: HIPAA_MIN_RETENTION_DAYS,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
  });

  it('A1 the custom resource carries the users, the secret ARN, host, port and database, and waits for its permissions and network', () => {
    const resources = template.findResources('Custom::DatabaseUsers');
    const [id] = Object.keys(resources);
    expect(resources[id].Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [fnId, 'Arn'] },
      ServiceTimeout: '600',
      Users: ['billing', 'sample-api'],
      SecretArn: stack.resolve(fixture.database.secret.secretArn),
      Host: stack.resolve(fixture.database.endpoint),
      Port: '5433',
      DatabaseName: 'postgres',
    });
    const dependsOn: string[] = resources[id].DependsOn;
    const policies = Object.keys(
      template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: logicalId(users.role) }] } }),
    );
    expect(policies).toHaveLength(2);
    expect(dependsOn).toEqual(expect.arrayContaining(policies));
    expect(dependsOn).toEqual(expect.arrayContaining([sgId, dbSgId]));
    const ingressId = Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress'))[0];
    expect(dependsOn).toContain(ingressId);
  });

  it('A1 a change in the users list changes the custom resource properties (CloudFormation sends Update)', () => {
    const other = Template.fromStack(build({ users: ['sample-api'] }).stack);
    const props = (t: Template): unknown => Object.values(t.findResources('Custom::DatabaseUsers'))[0].Properties;
    expect((props(other) as { Users: string[] }).Users).toEqual(['sample-api']);
    expect(props(other)).not.toEqual(props(template));
  });

  it('refuses bad props with the field, the value and the rule', () => {
    expect(() => build({ users: [] })).toThrow(/users = \[\]: at least one service user is required/);
    expect(() => build({ users: ['Sample_API'] })).toThrow(/users\[0\] = 'Sample_API': must be a service name/);
    expect(() => build({ users: ['a"; DROP ROLE x; --'] })).toThrow(
      /users\[0\] = 'a"; DROP ROLE x; --': must be a service name/,
    );
    expect(() => build({ users: ['rdsadmin'] })).toThrow(/users\[0\] = 'rdsadmin': is reserved/);
    expect(() => build({ users: ['public'] })).toThrow(/users\[0\] = 'public': is reserved/);
    expect(() => build({ users: ['api', 'api'] })).toThrow(/users\[1\] = 'api': is listed twice/);
    expect(() => build({ databasePort: 80 })).toThrow(/databasePort = 80: must be an integer from 1150 to 65535/);
    expect(() => build({ databaseName: 'x-y' })).toThrow(/databaseName = 'x-y': must be a letter/);
    expect(() => build({ s3PrefixListId: 'pl-xyz' })).toThrow(
      /s3PrefixListId = 'pl-xyz': must be a managed prefix list ID/,
    );
  });
});
