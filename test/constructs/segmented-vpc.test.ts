import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_INTERFACE_ENDPOINTS } from '../../lib/config/defaults';
import { SegmentedVpc, SegmentedVpcProps, TIER } from '../../constructs/segmented-vpc';
import { fixtureStack, importedKey, KEY_ARN, RETENTION } from '../support/construct-fixtures';

/** The PHI VPC as the dev environment configures it (10.10.0.0/16, two AZs, no NAT, data tier on 5433). */
const PHI_PROPS: Omit<SegmentedVpcProps, 'flowLogKey'> = {
  cidr: '10.10.0.0/16',
  azCount: 2,
  internetEgress: 'none',
  databasePort: 5433,
  interfaceEndpoints: DEFAULT_INTERFACE_ENDPOINTS,
  retention: RETENTION,
};

// Two segmented VPCs in one stack, as NetworkStack composes them: the PHI VPC (data tier, interface endpoints)
// and a plain one (defaults), with an imported flow log key. Same construct ids, same logical ids.
const stack = fixtureStack('Network');
const flowLogKey = importedKey(stack);
const phiVpc = new SegmentedVpc(stack, 'PhiVpc', { ...PHI_PROPS, flowLogKey });
const nonPhiVpc = new SegmentedVpc(stack, 'NonPhiVpc', {
  cidr: '10.20.0.0/16',
  azCount: 2,
  internetEgress: 'none',
  flowLogKey,
  retention: RETENTION,
});
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;

function ofType(type: string): Array<[string, { Properties: Record<string, unknown> }]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

describe('SegmentedVpc', () => {
  it('N2 PHI VPC has public, application and data tiers in two AZs', () => {
    const names = ofType('AWS::EC2::Subnet')
      .map(([id]) => id)
      .filter((id) => id.startsWith('PhiVpc'));
    expect(names.map((n) => n.replace(/Subnet\w+$/, '')).sort()).toEqual([
      'PhiVpcApplication',
      'PhiVpcApplication',
      'PhiVpcData',
      'PhiVpcData',
      'PhiVpcPublic',
      'PhiVpcPublic',
    ]);
  });

  it('N2 no subnet auto-assigns public IPs', () => {
    for (const [, subnet] of ofType('AWS::EC2::Subnet')) {
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  it('N3 no NAT gateway unless config asks; application and data tiers have no internet route', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    const routes = ofType('AWS::EC2::Route');
    expect(routes.length).toBeGreaterThan(0);
    for (const [id, route] of routes) {
      expect(id).toMatch(/PublicSubnet\dDefaultRoute/);
      expect(route.Properties.GatewayId).toBeDefined();
    }
  });

  it('N3 config egress nat adds one NAT gateway per AZ for the application tier', () => {
    const s = fixtureStack('Network');
    new SegmentedVpc(s, 'PhiVpc', { ...PHI_PROPS, flowLogKey: importedKey(s), internetEgress: 'nat' });
    const natTemplate = Template.fromStack(s);
    natTemplate.resourceCountIs('AWS::EC2::NatGateway', 2);
    natTemplate.hasResourceProperties('AWS::EC2::Route', {
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: Match.anyValue(),
    });
    // The application tier routes through them; the data tier stays isolated.
    const routes = Object.entries(natTemplate.findResources('AWS::EC2::Route'));
    const natRoutes = routes.filter(([, r]) => r.Properties.NatGatewayId !== undefined).map(([id]) => id);
    expect(natRoutes.map((id) => id.replace(/\d+DefaultRoute\w*$/, '')).sort()).toEqual([
      'PhiVpcApplicationSubnet',
      'PhiVpcApplicationSubnet',
    ]);
  });

  it('N3 gateway endpoints for S3 and DynamoDB in both VPCs', () => {
    const services = ofType('AWS::EC2::VPCEndpoint')
      .filter(([, e]) => e.Properties.VpcEndpointType === undefined || e.Properties.VpcEndpointType === 'Gateway')
      .map(([, e]) => JSON.stringify(e.Properties.ServiceName));
    expect(services.filter((s) => s.includes('.s3'))).toHaveLength(2);
    expect(services.filter((s) => s.includes('.dynamodb'))).toHaveLength(2);
  });

  it("N3 the S3 gateway endpoints admit only this account's buckets, the regional ECR image-layer bucket and CloudFormation's response bucket", () => {
    const s3 = ofType('AWS::EC2::VPCEndpoint').filter(([, e]) =>
      JSON.stringify(e.Properties.ServiceName).includes('.s3'),
    );
    expect(s3.map(([id]) => id).sort()).toEqual(['NonPhiVpcS30FDEF36E', 'PhiVpcS3F3E5E2BE']);
    for (const [, e] of s3) {
      expect(e.Properties.PolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ThisAccountBucketsOnly',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } },
          },
          {
            Sid: 'EcrImageLayers',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*',
          },
          {
            Sid: 'CloudFormationCustomResourceResponses',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::cloudformation-custom-resource-response-useast1/*',
          },
        ],
      });
    }
  });

  it("N3 the DynamoDB gateway endpoints admit only this account's tables", () => {
    const ddb = ofType('AWS::EC2::VPCEndpoint').filter(([, e]) =>
      JSON.stringify(e.Properties.ServiceName).includes('.dynamodb'),
    );
    expect(ddb.map(([id]) => id).sort()).toEqual(['NonPhiVpcDynamoDB58C9C9A5', 'PhiVpcDynamoDB0D6513D3']);
    for (const [, e] of ddb) {
      expect(e.Properties.PolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ThisAccountTablesOnly',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'dynamodb:*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:ResourceAccount': '123456789012' } },
          },
        ],
      });
    }
  });

  it('N3 interface endpoints for the workload, private DNS, HTTPS from the VPC only', () => {
    const iface = ofType('AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties.VpcEndpointType === 'Interface');
    const names = iface.map(([, e]) => String(e.Properties.ServiceName).replace('com.amazonaws.us-east-1.', ''));
    expect(names.sort()).toEqual(
      [
        'athena',
        'backup',
        'ec2messages',
        'ecr.api',
        'ecr.dkr',
        'kinesis-firehose',
        'kms',
        'logs',
        'monitoring',
        'rds',
        'secretsmanager',
        'securityhub',
        'sns',
        'ssm',
        'ssmmessages',
        'sts',
      ].sort(),
    );
    for (const [, e] of iface) expect(e.Properties.PrivateDnsEnabled).toBe(true);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface endpoints: HTTPS from inside the VPC only',
      SecurityGroupIngress: [
        { CidrIp: '10.10.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp', Description: 'HTTPS from the VPC' },
      ],
    });
  });

  it('N2 data tier network ACL admits only the application tier on the database port', () => {
    const entries = ofType('AWS::EC2::NetworkAclEntry').map(([, e]) => e.Properties);
    const ingress = entries.filter((e) => e.Egress !== true);
    const egress = entries.filter((e) => e.Egress === true);
    expect(ingress.map((e) => [e.CidrBlock, e.PortRange, e.RuleAction])).toEqual([
      ['10.10.2.0/24', { From: 5433, To: 5433 }, 'allow'],
      ['10.10.3.0/24', { From: 5433, To: 5433 }, 'allow'],
    ]);
    expect(egress.map((e) => [e.CidrBlock, e.PortRange, e.RuleAction])).toEqual([
      ['10.10.2.0/24', { From: 1024, To: 65535 }, 'allow'],
      ['10.10.3.0/24', { From: 1024, To: 65535 }, 'allow'],
    ]);
    // The application subnets really are those CIDRs.
    template.hasResourceProperties('AWS::EC2::Subnet', {
      CidrBlock: '10.10.2.0/24',
      Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-name', Value: 'Application' }]),
    });
    // The ACL is associated with the data subnets only.
    const associations = ofType('AWS::EC2::SubnetNetworkAclAssociation').map(([, a]) =>
      JSON.stringify(a.Properties.SubnetId),
    );
    expect(associations).toHaveLength(2);
    for (const a of associations) expect(a).toMatch(/PhiVpcDataSubnet/);
  });

  it('N4 flow logs capture all traffic of both VPCs into encrypted six-year log groups', () => {
    const flowLogs = ofType('AWS::EC2::FlowLog');
    expect(flowLogs).toHaveLength(2);
    for (const [, f] of flowLogs) {
      expect(f.Properties.TrafficType).toBe('ALL');
      expect(f.Properties.LogDestinationType).toBe('cloud-watch-logs');
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 2192,
      KmsKeyId: KEY_ARN,
    });
  });

  it('N4 the flow log role is trusted only by this account and writes only its log group', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '123456789012' } }),
          }),
        ],
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  it('N4 default security groups are closed', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 2);
  });

  it('U3 E2 the default-security-group provider Lambda logs to an encrypted six-year log group of the stack', () => {
    const handlers = ofType('AWS::Lambda::Function');
    expect(handlers).toHaveLength(1);
    const [, handler] = handlers[0]!;
    const ref = (handler.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(ref).toBe(stack.getLogicalId(phiVpc.providerLogGroup.logGroup.node.defaultChild as CfnLogGroup));
    expect(nonPhiVpc.providerLogGroup).toBe(phiVpc.providerLogGroup);
    expect(resources[ref]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 2192, KmsKeyId: expect.anything() },
    });
  });

  it('N2 N3 validates props, naming the field and value: azCount 2-3, known endpoint names', () => {
    const s = fixtureStack();
    expect(() => new SegmentedVpc(s, 'One', { ...PHI_PROPS, flowLogKey: importedKey(s), azCount: 1 })).toThrow(
      'SegmentedVpc S/One: azCount = 1: must be 2 or 3 (Multi-AZ)',
    );
    expect(() => new SegmentedVpc(s, 'Four', { ...PHI_PROPS, flowLogKey: importedKey(s, 'K4'), azCount: 4 })).toThrow(
      'azCount = 4',
    );
    expect(
      () =>
        new SegmentedVpc(s, 'Unknown', {
          ...PHI_PROPS,
          flowLogKey: importedKey(s, 'K5'),
          interfaceEndpoints: ['kms', 'bedrock'],
        }),
    ).toThrow('SegmentedVpc S/Unknown: interfaceEndpoints = ["bedrock"]: unknown endpoint names');
  });

  it('N3 defaults: no data tier, no ACL, no interface endpoint or endpoint security group', () => {
    expect(nonPhiVpc.dataAcl).toBeUndefined();
    expect(nonPhiVpc.endpointSecurityGroup).toBeUndefined();
    const subnets = Object.keys(template.findResources('AWS::EC2::Subnet')).filter((id) => id.startsWith('NonPhiVpc'));
    expect(subnets.map((n) => n.replace(/Subnet\w+$/, '')).sort()).toEqual([
      'NonPhiVpcApplication',
      'NonPhiVpcApplication',
      'NonPhiVpcPublic',
      'NonPhiVpcPublic',
    ]);
    const endpoints = Object.entries(template.findResources('AWS::EC2::VPCEndpoint')).filter(([id]) =>
      id.startsWith('NonPhiVpc'),
    );
    expect(endpoints.map(([id]) => id).sort()).toEqual(['NonPhiVpcDynamoDB58C9C9A5', 'NonPhiVpcS30FDEF36E']);
  });

  it('tier() selects the subnets of one tier', () => {
    expect(phiVpc.vpc.selectSubnets(phiVpc.tier(TIER.data)).subnets).toHaveLength(2);
    expect(phiVpc.tier(TIER.application)).toEqual({ subnetGroupName: 'Application' });
  });
});

describe('SegmentedVpc interface endpoint AZs', () => {
  const endpointSubnets = (props: Partial<SegmentedVpcProps>): unknown[][] => {
    const s = fixtureStack('Endpoints');
    new SegmentedVpc(s, 'PhiVpc', { ...PHI_PROPS, flowLogKey: importedKey(s), ...props });
    const endpoints = Template.fromStack(s).findResources('AWS::EC2::VPCEndpoint', {
      Properties: { VpcEndpointType: 'Interface' },
    });
    return Object.values(endpoints).map((e) => (e as { Properties: { SubnetIds: unknown[] } }).Properties.SubnetIds);
  };

  it('N3 every interface endpoint is in every application subnet by default', () => {
    const all = endpointSubnets({});
    expect(all).toHaveLength(DEFAULT_INTERFACE_ENDPOINTS.length);
    for (const ids of all) expect(ids).toHaveLength(2);
  });

  it('N3 interfaceEndpointAzCount 1 puts each endpoint in the first application subnet only (low-cost profile)', () => {
    const all = endpointSubnets({ interfaceEndpointAzCount: 1 });
    expect(all).toHaveLength(DEFAULT_INTERFACE_ENDPOINTS.length);
    for (const ids of all) expect(ids).toEqual([{ Ref: expect.stringMatching(/^PhiVpcApplicationSubnet1Subnet/) }]);
  });

  it('refuses an endpoint AZ count outside 1..azCount, naming the value and the rule', () => {
    for (const bad of [0, 3, 1.5]) {
      const s = fixtureStack();
      expect(
        () => new SegmentedVpc(s, 'Bad', { ...PHI_PROPS, flowLogKey: importedKey(s), interfaceEndpointAzCount: bad }),
      ).toThrow(`SegmentedVpc S/Bad: interfaceEndpointAzCount = ${bad}: must be a whole number from 1 to azCount (2)`);
    }
  });
});
