import { Json, one, Probe } from './probe';

const taskDefinition = (t: Parameters<Probe['mutate']>[0]): Json => one(t, 'app', 'AWS::ECS::TaskDefinition')[1];
const phiFlowLog = (t: Parameters<Probe['mutate']>[0]): Json =>
  one(t, 'network', 'AWS::EC2::FlowLog', (r) => JSON.stringify(r.Properties.ResourceId).includes('"PhiVpc'))[1];
/** An EKS cluster (synthetic ARNs and subnet ids) with `endpoints` as its API endpoint access, and no logging. */
const eksCluster = (endpoints: Json): Json => ({
  Type: 'AWS::EKS::Cluster',
  Properties: {
    RoleArn: 'arn:aws:iam::123456789012:role/probe-cluster',
    ResourcesVpcConfig: { SubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], ...endpoints },
  },
});
const webAcl = (t: Parameters<Probe['mutate']>[0]): [string, Json] => one(t, 'app', 'AWS::WAFv2::WebACL');

/** Container logging, flow logs, endpoint DNS, key rotation period, task placement and the load balancer's WAF. */
export const PROBES: readonly Probe[] = [
  {
    name: 'U3 U4 E2 container logs to a group the awslogs driver creates (no key, retention or masking)',
    safeguards: ['U3', 'U4', 'E2'],
    mutate: (t) => {
      const options = taskDefinition(t).Properties.ContainerDefinitions[0].LogConfiguration.Options;
      Object.assign(options, { 'awslogs-group': '/ecs/hipaa-prod-api', 'awslogs-create-group': 'true' });
    },
    caughtBy: /ContainerLogsToManagedLogGroup\[awslogs-create-group::true\]/,
  },
  {
    name: 'U3 U4 E2 container logs shipped by the splunk driver to an external endpoint',
    safeguards: ['U3', 'U4', 'E2'],
    mutate: (t) => {
      taskDefinition(t).Properties.ContainerDefinitions[0].LogConfiguration = {
        LogDriver: 'splunk',
        Options: { 'splunk-url': 'https://splunk.example.com:8088', 'splunk-format': 'raw' },
      };
    },
    caughtBy: /ContainerLogsToManagedLogGroup\[LogDriver::splunk\]/,
  },
  {
    name: 'N4 the PHI VPC flow log records rejected traffic only',
    safeguards: ['N4'],
    mutate: (t) => (phiFlowLog(t).Properties.TrafficType = 'REJECT'),
    caughtBy: /VpcFlowLogsComplete\[FlowLog::TrafficType-REJECT\]/,
  },
  {
    name: 'N4 the PHI VPC flow log format without addresses or ports',
    safeguards: ['N4'],
    mutate: (t) => (phiFlowLog(t).Properties.LogFormat = '${version} ${action} ${log-status}'),
    caughtBy: /VpcFlowLogsComplete\[FlowLog::LogFormat-without-srcaddr/,
  },
  {
    name: 'N3 the interface endpoints without private DNS (the SDK resolves the public endpoints)',
    safeguards: ['N3'],
    mutate: (t) => {
      for (const r of Object.values(t.network!.Resources)) {
        if (r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties.VpcEndpointType === 'Interface') {
          r.Properties.PrivateDnsEnabled = false;
        }
      }
    },
    caughtBy: /InterfaceEndpointsPresent\[Endpoint::[a-z.-]+-private-dns-off\]/,
  },
  {
    name: 'E1 key material rotated every seven years (RotationPeriodInDays 2560)',
    safeguards: ['E1'],
    mutate: (t) => {
      for (const r of Object.values(t.keys!.Resources)) {
        if (r.Type === 'AWS::KMS::Key') r.Properties.RotationPeriodInDays = 2560;
      }
    },
    caughtBy: /KmsKeySafeguards\[RotationPeriodInDays::2560\]/,
  },
  {
    name: 'N2 the service tasks in the public tier with public IPs',
    safeguards: ['N2'],
    mutate: (t) => {
      const awsvpc = one(t, 'app', 'AWS::ECS::Service')[1].Properties.NetworkConfiguration.AwsvpcConfiguration;
      awsvpc.AssignPublicIp = 'ENABLED';
      awsvpc.Subnets = JSON.parse(JSON.stringify(awsvpc.Subnets).split('ApplicationSubnet').join('PublicSubnet'));
      const outputs = Object.keys((t.network as { Outputs?: Json }).Outputs ?? {});
      for (const s of awsvpc.Subnets as Json[]) {
        const name = s['Fn::GetStackOutput'].OutputName as string;
        const n = /PublicSubnet(\d)/.exec(name)![1]!;
        s['Fn::GetStackOutput'].OutputName = outputs.find((o) =>
          o.startsWith(`PublishOutputRefPhiVpcPublicSubnet${n}`),
        );
      }
    },
    caughtBy: /EcsServicesInApplicationTier\[Subnets::public\]/,
  },
  {
    name: 'N2 E3 a second, allow-all web ACL associated with the load balancer after the real one',
    safeguards: ['N2', 'E3'],
    mutate: (t) => {
      const r = t.app!.Resources;
      const [, association] = one(t, 'app', 'AWS::WAFv2::WebACLAssociation');
      r.ProbePermissiveAcl = {
        Type: 'AWS::WAFv2::WebACL',
        Properties: {
          DefaultAction: { Allow: {} },
          Scope: 'REGIONAL',
          Rules: [],
          VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'permissive', SampledRequestsEnabled: false },
        },
      };
      r.ProbePermissiveAclAssociation = {
        Type: 'AWS::WAFv2::WebACLAssociation',
        Properties: {
          ResourceArn: association.Properties.ResourceArn,
          WebACLArn: { 'Fn::GetAtt': ['ProbePermissiveAcl', 'Arn'] },
        },
      };
    },
    caughtBy: /LoadBalancerWebAcl\[WebAcl::several\]/,
  },
  {
    name: "N2 E3 the web ACL's managed rule groups counting instead of blocking",
    safeguards: ['N2', 'E3'],
    mutate: (t) => {
      for (const rule of webAcl(t)[1].Properties.Rules as Json[]) {
        if (rule.OverrideAction) rule.OverrideAction = { Count: {} };
      }
    },
    caughtBy: /LoadBalancerWebAcl\[WebAcl::[A-Za-z+-]*-not-blocking/,
  },
  {
    name: "N4 U3 the PHI VPC's flow log delivered to another account's bucket (no lock, no six-year retention, outside the account)",
    safeguards: ['N4', 'U3'],
    mutate: (t) => {
      const [, flowLog] = one(
        t,
        'network',
        'AWS::EC2::FlowLog',
        (r) =>
          JSON.stringify(r.Properties.ResourceId).includes('PhiVpc') &&
          !JSON.stringify(r.Properties.ResourceId).includes('NonPhi'),
      );
      const p = flowLog.Properties;
      delete p.LogGroupName;
      delete p.DeliverLogsPermissionArn;
      Object.assign(p, { LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flowlogs-archive-999999999999' });
    },
    caughtBy: /VpcFlowLogsComplete\[FlowLog::LogDestination-outside-assembly\]/,
  },
  {
    name: "N4 U3 the PHI VPC's flow log delivered through a new role with no policy (created, but nothing is ever delivered)",
    safeguards: ['N4', 'U3'],
    mutate: (t) => {
      t.network!.Resources.ProbeEmptyFlowLogRole = {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          },
        },
      };
      phiFlowLog(t).Properties.DeliverLogsPermissionArn = { 'Fn::GetAtt': ['ProbeEmptyFlowLogRole', 'Arn'] };
    },
    caughtBy: /VpcFlowLogsComplete\[FlowLog::DeliveryRole-may-not-write\]/,
  },
  {
    // A class cdk-nag's rules see only as aws-eks's CfnCluster: check-template builds that class (nag-tested-l1.ts).
    name: 'N2 an EKS cluster added to the app stack whose Kubernetes API endpoint is public',
    safeguards: ['N2'],
    mutate: (t) => {
      t.app!.Resources.ProbeCluster = eksCluster({ EndpointPublicAccess: true, EndpointPrivateAccess: true });
    },
    caughtBy: /AwsSolutions-EKS1/,
  },
  {
    name: 'U3 an EKS cluster added to the app stack that publishes no control plane audit log',
    safeguards: ['U3'],
    mutate: (t) => {
      t.app!.Resources.ProbeCluster = eksCluster({ EndpointPublicAccess: false, EndpointPrivateAccess: true });
    },
    caughtBy: /AwsSolutions-EKS2\[LogExport::audit\]/,
  },
];
