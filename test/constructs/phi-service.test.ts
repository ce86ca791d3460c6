import { App, CfnElement, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  ApplicationProtocol,
  ApplicationTargetGroup,
  Protocol as ElbProtocol,
  TargetType,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { PHI_LOG_DATA_IDENTIFIERS } from '../../constructs/phi-log-group';
import { PhiService } from '../../constructs/phi-service';
import {
  Acknowledgement,
  appServiceAcknowledgements,
  applyAcknowledgements,
  buildRegister,
} from '../../lib/compliance/register';
import { compliancePacks } from '../../lib/compliance/apply-compliance';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { buildServicesApp, ServicesTestStack, TEST_DB_RESOURCE_ID, TEST_SERVICE } from '../support/app-services';
import { testConfig } from '../support/blueprint';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CloudFormation JSON, asserted field by field
type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
/** A reference to the operations key in the keys stack (an export or a stack output, per feature flags). */
const OPERATIONS_KEY = Match.objectLike({});
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect: string };

function resourcesOf(stack: ServicesTestStack): Record<string, Resource> {
  return Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
}
function ofType(resources: Record<string, Resource>, type: string): Array<[string, Resource]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
function policyStatements(resources: Record<string, Resource>, idPrefix: string): Statement[] {
  const found = ofType(resources, 'AWS::IAM::ManagedPolicy').filter(([id]) => id.startsWith(idPrefix));
  expect(found).toHaveLength(1);
  return found[0][1].Properties.PolicyDocument.Statement as Statement[];
}
/** Findings of every pack on the App stack after the register is applied. */
function appFindings(app: App, register: readonly Acknowledgement[] = buildRegister(testConfig('dev'))): string[] {
  applyAcknowledgements(app, register);
  return compliancePacks().flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((v) =>
        v.violatingResources
          .filter((r) => (r.constructPath ?? '').startsWith('Dev/App/'))
          .map((r) => `${v.ruleName} @ ${r.constructPath}`),
      ),
  );
}

let main: ReturnType<typeof buildServicesApp>;
let resources: Record<string, Resource>;
let template: Template;
let exec: ReturnType<typeof buildServicesApp>;
let execResources: Record<string, Resource>;

beforeAll(() => {
  main = buildServicesApp();
  template = Template.fromStack(main.stack);
  resources = template.toJSON().Resources;
  exec = buildServicesApp({ enableExecuteCommand: true });
  execResources = resourcesOf(exec.stack);
});

describe('PhiService', () => {
  it('A3 the task role has no permissions until granted (no inline policy, no managed policy)', () => {
    const bare = resourcesOf(buildServicesApp({ grant: false }).stack);
    const [[taskRoleId, taskRole]] = ofType(bare, 'AWS::IAM::Role').filter(([id]) =>
      id.startsWith('ApiServiceTaskRole'),
    );
    expect(taskRole.Properties.Policies).toBeUndefined();
    expect(taskRole.Properties.ManagedPolicyArns).toBeUndefined();
    expect(ofType(bare, 'AWS::IAM::Policy')).toEqual([]);
    for (const [, policy] of ofType(bare, 'AWS::IAM::ManagedPolicy')) {
      expect(policy.Properties.Roles).not.toContainEqual({ Ref: taskRoleId });
    }
  });

  it('A3 grantPhiAccess grants exactly its own database user, the bucket prefix and the PHI key through S3', () => {
    const statements = policyStatements(resources, 'ApiServicePhiAccessPolicy');
    expect(statements.map((s) => [actionsOf(s), s.Condition ?? null])).toEqual([
      [['rds-db:connect'], null],
      [['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject'], null],
      [['s3:ListBucket'], { StringLike: { 's3:prefix': ['api/*'] } }],
      [['kms:Decrypt', 'kms:GenerateDataKey'], { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }],
    ]);
    expect(statements[0].Resource).toBe(`arn:aws:rds-db:us-east-1:123456789012:dbuser:${TEST_DB_RESOURCE_ID}/api`);
    expect(statements[1].Resource).toEqual({
      'Fn::Join': [
        '',
        ['arn:aws:s3:::hipaa-dev-phi-data-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '/api/*'],
      ],
    });
    expect(JSON.stringify(statements[3].Resource)).toMatch(/PhiDataKey/);
  });

  it('A3 no task role can read a database secret: no secretsmanager action in any task role policy', () => {
    for (const [, policy] of ofType(resources, 'AWS::IAM::ManagedPolicy').filter(([id]) =>
      /^ApiService(PhiAccess|Exec)Policy/.test(id),
    )) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).not.toMatch(/secretsmanager:|rds!/);
    }
  });

  it('A3 the database user must be a plain user name (no wildcard, no other database user pattern)', () => {
    const built = buildServicesApp({ grant: false });
    expect(() => built.stack.api.grantPhiAccess({ database: { resourceId: TEST_DB_RESOURCE_ID, user: '*' } })).toThrow(
      /user = '\*': must be 1-63 lower-case letters/,
    );
  });

  it('A3 no policy of the service has a wildcard action, and no policy is inline', () => {
    for (const [, policy] of [
      ...ofType(resources, 'AWS::IAM::ManagedPolicy'),
      ...ofType(execResources, 'AWS::IAM::ManagedPolicy'),
    ]) {
      for (const s of policy.Properties.PolicyDocument.Statement as Statement[]) {
        for (const action of actionsOf(s)) expect(action).not.toMatch(/\*/);
      }
    }
    expect(ofType(resources, 'AWS::IAM::Policy')).toEqual([]);
    expect(ofType(execResources, 'AWS::IAM::Policy')).toEqual([]);
  });

  it('A1 creates no IAM user, group or access key (workloads use roles only)', () => {
    for (const type of ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::AccessKey']) {
      template.resourceCountIs(type, 0);
    }
  });

  it('A3 the execution role pulls only from its own repository and writes only its log group', () => {
    const statements = policyStatements(resources, 'ApiServiceExecutionPolicy');
    expect(statements).toEqual([
      {
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': ['ApiRepositoryF340B4FB', 'Arn'] },
      },
      { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': ['ApiServiceLogs06988AA4', 'Arn'] },
      },
    ]);
  });

  it('A3 both roles are trusted only by ECS tasks of this account and region', () => {
    const roles = ofType(resources, 'AWS::IAM::Role').filter(([id]) => id.startsWith('ApiService'));
    expect(roles).toHaveLength(2);
    for (const [, role] of roles) {
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': expect.anything() },
          },
        }),
      ]);
    }
  });

  it('A3 the container runs as a non-root user, read-only root filesystem, not privileged, no capabilities', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      ContainerDefinitions: [
        Match.objectLike({
          User: '1000:1000',
          ReadonlyRootFilesystem: true,
          Privileged: false,
          LinuxParameters: { InitProcessEnabled: true, Capabilities: { Drop: ['ALL'] } },
          MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
          Environment: Match.absent(),
        }),
      ],
      Volumes: [{ Name: 'tmp' }],
    });
  });

  it('runs the configured image tag from its own repository', () => {
    const [[, taskDef]] = ofType(resources, 'AWS::ECS::TaskDefinition');
    const image = JSON.stringify(taskDef.Properties.ContainerDefinitions[0].Image);
    expect(image).toContain('"Ref":"ApiRepositoryF340B4FB"');
    expect(image).toContain(':v1');
    expect(taskDef.Properties.Cpu).toBe('512');
    expect(taskDef.Properties.Memory).toBe('1024');
  });

  it('E3 the only port mapping is the HTTPS container port, and the health check calls it over TLS', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          PortMappings: [{ ContainerPort: 8443, Protocol: 'tcp', Name: 'https' }],
          HealthCheck: {
            Command: ['CMD-SHELL', 'curl -fsk https://localhost:8443/health || exit 1'],
            Interval: 30,
            Timeout: 5,
            Retries: 3,
            StartPeriod: 60,
          },
        }),
      ],
    });
  });

  it('N2 tasks run in the application tier without public IPs, in their own group and the data tier app group', () => {
    const [[, service]] = ofType(resources, 'AWS::ECS::Service');
    const network = service.Properties.NetworkConfiguration.AwsvpcConfiguration;
    expect(network.AssignPublicIp).toBe('DISABLED');
    expect(JSON.stringify(network.Subnets)).not.toMatch(/Public|Data/);
    expect(network.Subnets).toHaveLength(2);
    for (const subnet of network.Subnets) {
      expect(JSON.stringify(subnet)).toMatch(/PhiVpcApplicationSubnet\dSubnet/);
    }
    expect(JSON.stringify(network.SecurityGroups[1])).toMatch(/AppSecurityGroup/);
    expect(network.SecurityGroups).toEqual([
      { 'Fn::GetAtt': ['ApiServiceSecurityGroupA2426F91', 'GroupId'] },
      expect.objectContaining({}),
    ]);
  });

  it('N2 the service security group admits only the load balancer, on the container port; egress HTTPS only', () => {
    const ingress = [
      ...ofType(resources, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties),
      ...ofType(resources, 'AWS::EC2::SecurityGroup').flatMap(([, r]) => r.Properties.SecurityGroupIngress ?? []),
    ];
    expect(ingress).toEqual([
      {
        Description: 'Load balancer to tasks (HTTPS)',
        FromPort: 8443,
        ToPort: 8443,
        IpProtocol: 'tcp',
        GroupId: { 'Fn::GetAtt': ['ApiServiceSecurityGroupA2426F91', 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': ['LoadBalancerSecurityGroup3036A0FC', 'GroupId'] },
      },
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'api tasks: HTTPS on 8443 from the load balancer only',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })],
    });
  });

  it('N3 with the S3 prefix list, task egress is HTTPS to the VPC CIDR and S3 only (no 0.0.0.0/0)', () => {
    const r = resourcesOf(buildServicesApp({ s3PrefixListId: 'pl-63a5400a' }).stack);
    const group = 'ApiServiceSecurityGroupA2426F91';
    const egress = [
      ...(r[group].Properties.SecurityGroupEgress ?? []),
      ...ofType(r, 'AWS::EC2::SecurityGroupEgress')
        .filter(([, e]) => JSON.stringify(e.Properties.GroupId).includes(group))
        .map(([, e]) => e.Properties),
    ];
    expect(egress).toEqual([
      expect.objectContaining({
        CidrIp: { 'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(/CidrBlock/) }) },
        FromPort: 443,
        ToPort: 443,
        IpProtocol: 'tcp',
      }),
      expect.objectContaining({
        DestinationPrefixListId: 'pl-63a5400a',
        FromPort: 443,
        ToPort: 443,
        IpProtocol: 'tcp',
      }),
    ]);
    expect(JSON.stringify(egress)).not.toContain('0.0.0.0/0');
    expect(() => buildServicesApp({ s3PrefixListId: 'pl-*' })).toThrow(
      /s3PrefixListId = 'pl-\*': must be a managed prefix list ID/,
    );
  });

  it('N2 as a load balancer target it registers its container port and admits the target group on its own group only', () => {
    const built = buildServicesApp({ grant: false });
    const tg = new ApplicationTargetGroup(built.stack, 'TestTargets', {
      vpc: built.stack.cluster.cluster.vpc,
      port: 8443,
      protocol: ApplicationProtocol.HTTPS,
      targetType: TargetType.IP,
      healthCheck: { protocol: ElbProtocol.HTTPS, path: '/health', interval: Duration.seconds(30) },
    });
    tg.addTarget(built.stack.api);
    const t = Template.fromStack(built.stack);
    t.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [
        { ContainerName: 'api', ContainerPort: 8443, TargetGroupArn: { Ref: Match.stringLikeRegexp('^TestTargets') } },
      ],
      HealthCheckGracePeriodSeconds: 60,
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Protocol: 'HTTPS',
      Port: 8443,
      TargetType: 'ip',
      HealthCheckProtocol: 'HTTPS',
    });
  });

  it('U3 U4 container logs: encrypted, 2192 days, retained, masking health and identity identifiers', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        KmsKeyId: OPERATIONS_KEY,
        RetentionInDays: 2192,
        DataProtectionPolicy: Match.objectLike({ Name: 'phi-masking' }),
      }),
    });
    const policy = resources.ApiServiceLogs06988AA4.Properties.DataProtectionPolicy;
    const identifiers = JSON.stringify(policy.Statement);
    for (const id of [
      'Ssn-US',
      'HealthInsuranceClaimNumber-US',
      'MedicareBeneficiaryNumber-US',
      'NationalProviderId-US',
      'DrugEnforcementAgencyNumber-US',
      'Name',
      'Address',
      'EmailAddress',
      'PhoneNumber-US',
    ]) {
      expect(identifiers).toContain(`data-identifier/${id}"`);
    }
    expect(policy.Statement.map((s: { Operation: object }) => Object.keys(s.Operation))).toEqual([
      ['Audit'],
      ['Deidentify'],
    ]);
    expect(policy.Statement[0].Operation.Audit.FindingsDestination).toEqual({
      CloudWatchLogs: { LogGroup: { Ref: 'ApiServiceLogsFindingsDA94B6B2' } },
    });
    expect(policy.Statement[0].DataIdentifier).toHaveLength(PHI_LOG_DATA_IDENTIFIERS.length);
  });

  it('U3 every log group of the stack is encrypted, six years, retained', () => {
    const groups = ofType(resources, 'AWS::Logs::LogGroup');
    // Container logs + findings, ECS Exec logs + findings, and Container Insights performance events.
    expect(groups).toHaveLength(5);
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      KmsKeyId: OPERATIONS_KEY,
      RetentionInDays: 2192,
    });
  });

  it('U3 the Container Insights group exists before the cluster, encrypted and kept six years', () => {
    const [[id, group]] = ofType(resources, 'AWS::Logs::LogGroup').filter(
      ([, g]) =>
        (g as { Properties: { LogGroupName?: string } }).Properties.LogGroupName ===
        '/aws/ecs/containerinsights/hipaa-dev-phi/performance',
    );
    expect((group as { Properties: Record<string, unknown> }).Properties).toMatchObject({ RetentionInDays: 2192 });
    const cluster = Object.values(template.findResources('AWS::ECS::Cluster'))[0] as { DependsOn?: string[] };
    expect(cluster.DependsOn).toContain(id);
  });

  it('U3 containers log through awslogs in blocking mode (no event dropped)', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: Match.objectLike({ 'awslogs-group': { Ref: 'ApiServiceLogs06988AA4' }, mode: 'blocking' }),
          },
        }),
      ],
    });
  });

  it('I2 pins the logical IDs of the log groups', () => {
    const api = main.stack.api;
    const idOf = (c: unknown): string => main.stack.getLogicalId(c as CfnElement);
    expect(idOf(api.logGroup.node.defaultChild)).toBe('ApiServiceLogs06988AA4');
    expect(idOf(api.logFindingsGroup.node.defaultChild)).toBe('ApiServiceLogsFindingsDA94B6B2');
    expect(idOf(main.stack.cluster.execLogGroup.node.defaultChild)).toBe('ClusterExecLogs5DA6745D');
  });

  it('ECS Exec is off by default: no exec permissions, capabilities dropped', () => {
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: false });
    expect(ofType(resources, 'AWS::IAM::ManagedPolicy').map(([id]) => id)).not.toContainEqual(
      expect.stringMatching(/ExecPolicy/),
    );
  });

  it('U1 E2 with ECS Exec on, sessions are encrypted with the operations key and logged to an encrypted log group', () => {
    const t = Template.fromStack(exec.stack);
    t.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
    t.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: {
        ExecuteCommandConfiguration: {
          KmsKeyId: OPERATIONS_KEY,
          Logging: 'OVERRIDE',
          LogConfiguration: {
            CloudWatchEncryptionEnabled: true,
            CloudWatchLogGroupName: { Ref: 'ClusterExecLogs5DA6745D' },
          },
        },
      },
    });
    const statements = policyStatements(execResources, 'ApiServiceExecPolicy');
    expect(statements.map(actionsOf)).toEqual([
      [
        'ssmmessages:CreateControlChannel',
        'ssmmessages:CreateDataChannel',
        'ssmmessages:OpenControlChannel',
        'ssmmessages:OpenDataChannel',
      ],
      ['logs:DescribeLogGroups'],
      ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      ['kms:Decrypt', 'kms:GenerateDataKey'],
    ]);
    expect(statements[2].Resource).toEqual({ 'Fn::GetAtt': ['ClusterExecLogs5DA6745D', 'Arn'] });
  });

  it('E1 ECS Exec does not touch the key policy (CDK would add kms:* for the account)', () => {
    const keys = JSON.stringify(Template.fromStack(exec.stack.node.scope!.node.findChild('Keys') as never).toJSON());
    expect(keys).not.toContain('"kms:*"');
    expect(keys).toEqual(
      JSON.stringify(Template.fromStack(main.stack.node.scope!.node.findChild('Keys') as never).toJSON()),
    );
  });

  it("E1 the tasks' Fargate ephemeral storage is encrypted with the PHI key (not an AWS-owned key)", () => {
    const clusters = Object.values(template.findResources('AWS::ECS::Cluster')) as Array<{
      Properties: { Configuration: { ManagedStorageConfiguration?: { FargateEphemeralStorageKmsKeyId?: unknown } } };
    }>;
    expect(clusters).toHaveLength(1);
    const keyId = clusters[0].Properties.Configuration.ManagedStorageConfiguration?.FargateEphemeralStorageKmsKeyId;
    // The PHI key's own id (its Ref), a plain cross-stack value (no Fn::Split over its ARN).
    expect(JSON.stringify(keyId)).toMatch(/RefPhiDataKeyE6603588/);
    expect(JSON.stringify(keyId)).not.toMatch(/Fn::Split/);
    // Referenced, not granted: CDK adds nothing to the key policy (KeysStack grants Fargate for this account).
    const keys = JSON.stringify(Template.fromStack(main.stack.node.scope!.node.findChild('Keys') as never).toJSON());
    expect(keys).not.toMatch(/aws:ecs:clusterName/);
    expect(keys).toMatch(/FargateEncryptsEphemeralStorageOfThisAccountsClusters/);
  });

  it('AwsSolutions-ECS4 the cluster has Container Insights (enhanced)', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
  });

  it('I3 desired count from config, rolling deployments keep 100% healthy, circuit breaker rolls back', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      DeploymentConfiguration: Match.objectLike({
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
  });

  it('I3 autoscaling keeps desiredCount to 4x on a 60% CPU target', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 8,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 60,
      },
    });
  });

  it('awaitingFirstImage creates the service with zero tasks and autoscaling 0-0 (deploy before the image exists)', () => {
    const t = Template.fromStack(buildServicesApp({ service: { ...TEST_SERVICE, awaitingFirstImage: true } }).stack);
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 0 });
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 0 });
  });

  it('container secrets come from Secrets Manager through the execution role, never environment variables', () => {
    const built = buildServicesApp({ grant: false });
    const secret = built.stack.data.appSecret;
    new PhiService(built.stack, 'WorkerService', {
      cluster: built.stack.cluster,
      repository: built.stack.repository.repository,
      service: { ...TEST_SERVICE, name: 'worker' },
      logKey: (built.stack.node.scope!.node.findChild('Keys') as KeysStack).keys.operations,
      retention: testConfig('dev').retention,
      secrets: { DB_PASSWORD: { secret, field: 'password' } },
    });
    const r = resourcesOf(built.stack);
    const statements = policyStatements(r, 'WorkerServiceExecutionPolicy');
    expect(statements.map(actionsOf)).toContainEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    const [, taskDef] = ofType(r, 'AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('WorkerService'))!;
    expect(taskDef.Properties.ContainerDefinitions[0].Secrets).toEqual([
      { Name: 'DB_PASSWORD', ValueFrom: expect.anything() },
    ]);
    expect(taskDef.Properties.ContainerDefinitions[0].Environment).toBeUndefined();
  });

  it('validates props, naming field, value and rule', () => {
    expect(() => buildServicesApp({ service: { ...TEST_SERVICE, containerPort: 443 } })).toThrow(
      /PhiService Dev\/App\/ApiService: service\.containerPort = 443: must be 1024-65535/,
    );
    const built = buildServicesApp({ grant: false });
    const bucket = Bucket.fromBucketName(built.stack, 'AnyBucket', 'any-bucket');
    expect(() =>
      built.stack.api.grantPhiAccess({ phiObjects: { bucket, key: built.stack.data.phiKey, prefix: 'api/*' } }),
    ).toThrow(/phiObjects.prefix = 'api\/\*': must be a key prefix ending in '\/', without wildcards/);
  });

  it('the gate is clean on the App stack with the register, and the register entries are exactly what it acknowledges', () => {
    expect(appFindings(main.app)).toEqual([]);
    const fresh = buildServicesApp();
    // Without the service entries the gate reports exactly the two findings they acknowledge.
    const servicePaths = appServiceAcknowledgements(testConfig('dev')).map((a) => a.path);
    const withoutServiceEntries = buildRegister(testConfig('dev')).filter((a) => !servicePaths.includes(a.path));
    expect(appFindings(fresh.app, withoutServiceEntries).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*] @ Dev/App/ApiService/ExecutionPolicy/Resource',
      'AwsSolutions-IAM5[Resource::arn:aws:s3:::hipaa-dev-phi-data-<AWS::AccountId>-<AWS::Region>/api/*] @ Dev/App/ApiService/PhiAccessPolicy/Resource',
    ]);
  });

  it.each(['dev', 'prod'] as const)(
    "the %s register's service entries name exactly that environment's service prefixes of its PHI bucket",
    (env) => {
      expect(appServiceAcknowledgements(testConfig(env)).map((a) => [a.path, a.ruleIds])).toEqual([
        ['*/App/*/ExecutionPolicy/Resource', ['AwsSolutions-IAM5[Resource::*]']],
        [
          '*/App/*/PhiAccessPolicy/Resource',
          [
            `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::hipaa-${env}-phi-data-<AWS::AccountId>-<AWS::Region>/api/*]`,
            `AwsSolutions-IAM5[Resource::arn:aws:s3:::hipaa-${env}-phi-data-<AWS::AccountId>-<AWS::Region>/api/*]`,
          ],
        ],
      ]);
    },
  );

  it('with ECS Exec on, the gate is clean only with the exec entry the register adds for configs that enable it', () => {
    const execConfig = { ...testConfig('dev'), ecsExec: true };
    expect(appFindings(exec.app, buildRegister(execConfig))).toEqual([]);
    const again = buildServicesApp({ enableExecuteCommand: true });
    expect(appFindings(again.app).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*] @ Dev/App/ApiService/ExecPolicy/Resource',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*] @ Dev/App/ApiService/ExecPolicy/Resource',
    ]);
  });

  it('snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
