import { VpcFlowLogsComplete } from '../../../../lib/compliance/gate/assembly/vpc-flow-logs-complete';
import { findingsOf, Mutable } from './assembly-fixture';

/** A flow log of `vpc` as the blueprint writes it: all traffic, default format, to a log group. */
const flowLog = (vpc: unknown, props: Mutable = {}): Mutable => ({
  Type: 'AWS::EC2::FlowLog',
  Properties: {
    ResourceType: 'VPC',
    ResourceId: vpc,
    TrafficType: 'ALL',
    LogDestinationType: 'cloud-watch-logs',
    LogGroupName: { Ref: 'FlowLogGroup' },
    DeliverLogsPermissionArn: { 'Fn::GetAtt': ['FlowLogRole', 'Arn'] },
    ...props,
  },
});
/** The log group and delivery role a stack's flow logs use. */
const destination = (resources: Mutable): void => {
  resources.FlowLogGroup = { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 2192 } };
  resources.FlowLogRole = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      Policies: [
        {
          PolicyName: 'deliver',
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
                Resource: { 'Fn::GetAtt': ['FlowLogGroup', 'Arn'] },
              },
            ],
          },
        },
      ],
    },
  };
};
/** The fixture with the blueprint's flow logs on both VPCs (the non-PHI one's in another stack), then `mutate`. */
const withFlowLogs =
  (mutate: (t: Record<string, Mutable>) => void = () => undefined) =>
  (t: Record<string, Mutable>): void => {
    destination(t.network.Resources);
    destination(t.data.Resources);
    t.network.Resources.VpcFlowLog = flowLog({ Ref: 'Vpc' });
    t.data.Resources.NonPhiVpcFlowLog = flowLog({
      'Fn::GetStackOutput': { StackName: 'app-prod-network', OutputName: 'NonPhiVpcId' },
    });
    mutate(t);
  };
const FULL_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

describe('VpcFlowLogsComplete', () => {
  test('N4 every VPC with a flow log of all traffic in the default format (or a full custom one) passes', () => {
    expect(findingsOf(VpcFlowLogsComplete, withFlowLogs())).toEqual([]);
    const custom = withFlowLogs((t) => (t.network.Resources.VpcFlowLog.Properties.LogFormat = FULL_FORMAT));
    expect(findingsOf(VpcFlowLogsComplete, custom)).toEqual([]);
  });

  test.each<[string, (t: Record<string, Mutable>) => void, string[]]>([
    ['no flow logs at all', () => undefined, ['[FlowLog::none] NonPhiVpc', '[FlowLog::none] Vpc']],
    [
      'the PHI VPC flow log of rejected traffic only',
      withFlowLogs((t) => (t.network.Resources.VpcFlowLog.Properties.TrafficType = 'REJECT')),
      ['[FlowLog::TrafficType-REJECT] Vpc'],
    ],
    [
      'the PHI VPC flow log reduced to fields without addresses or ports',
      withFlowLogs((t) => (t.network.Resources.VpcFlowLog.Properties.LogFormat = '${version} ${action} ${log-status}')),
      ['[FlowLog::LogFormat-without-srcaddr+dstaddr+srcport+dstport+protocol+start+end] Vpc'],
    ],
    [
      'a format chosen by a condition, one branch without addresses',
      withFlowLogs(
        (t) =>
          (t.network.Resources.VpcFlowLog.Properties.LogFormat = {
            'Fn::If': ['C', FULL_FORMAT, '${action} ${srcport} ${dstport} ${protocol} ${start} ${end}'],
          }),
      ),
      ['[FlowLog::LogFormat-without-srcaddr+dstaddr] Vpc'],
    ],
    [
      'a format only deploy resolves',
      withFlowLogs((t) => (t.network.Resources.VpcFlowLog.Properties.LogFormat = { 'Fn::ImportValue': 'format' })),
      ['[FlowLog::LogFormat-unresolved] Vpc'],
    ],
    [
      'the traffic type chosen by a condition',
      withFlowLogs(
        (t) => (t.network.Resources.VpcFlowLog.Properties.TrafficType = { 'Fn::If': ['C', 'ALL', 'ACCEPT'] }),
      ),
      ['[FlowLog::TrafficType-ALL+ACCEPT] Vpc'],
    ],
    [
      'the flow log on a VPC only deploy names (the PHI VPC left without one)',
      withFlowLogs((t) => (t.network.Resources.VpcFlowLog.Properties.ResourceId = { 'Fn::ImportValue': 'vpc' })),
      ['[FlowLog::none] Vpc', '[FlowLog::unresolved] VpcFlowLog'],
    ],
    [
      'the flow log moved to a subnet (the VPC is not covered)',
      withFlowLogs((t) =>
        Object.assign(t.network.Resources.VpcFlowLog.Properties, {
          ResourceType: 'Subnet',
          ResourceId: { Ref: 'AppSubnet' },
        }),
      ),
      ['[FlowLog::none] Vpc'],
    ],
    [
      'a resource type only deploy resolves',
      withFlowLogs(
        (t) => (t.network.Resources.VpcFlowLog.Properties.ResourceType = { 'Fn::If': ['C', 'VPC', 'Subnet'] }),
      ),
      ['[FlowLog::none] Vpc', '[FlowLog::unresolved] VpcFlowLog'],
    ],
  ])('N4 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(VpcFlowLogsComplete, mutate)).toEqual(expected);
  });

  test('N4 a second, complete flow log of the VPC covers it (an extra REJECT one does no harm)', () => {
    const extra = withFlowLogs(
      (t) => (t.network.Resources.RejectFlowLog = flowLog({ Ref: 'Vpc' }, { TrafficType: 'REJECT' })),
    );
    expect(findingsOf(VpcFlowLogsComplete, extra)).toEqual([]);
  });

  test.each<[string, Mutable, string]>([
    [
      "another account's bucket",
      {
        LogDestinationType: 's3',
        LogDestination: 'arn:aws:s3:::flowlogs-archive-999999999999',
        LogGroupName: undefined,
      },
      'LogDestination-outside-assembly',
    ],
    [
      'a log group named by a literal (the service creates it)',
      { LogGroupName: 'flow-logs' },
      'LogGroup-outside-assembly',
    ],
    [
      'a delivery role outside the assembly',
      { DeliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/other' },
      'DeliverLogsPermissionArn-outside-assembly',
    ],
    ['Firehose', { LogDestinationType: 'kinesis-data-firehose' }, 'LogDestinationType-kinesis-data-firehose'],
  ])('N4 U3 the PHI VPC flow log delivered to %s is a finding (attacker review, 2026-12-02)', (_name, props, id) => {
    const findings = findingsOf(
      VpcFlowLogsComplete,
      withFlowLogs((t) => Object.assign(t.network.Resources.VpcFlowLog.Properties, props)),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain(id);
  });

  test('N4 U3 a flow log into a bucket of the assembly, or a folder of it, passes', () => {
    for (const to of [
      { 'Fn::GetAtt': ['LogBucket', 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['LogBucket', 'Arn'] }, '/flow/']] },
    ]) {
      expect(
        findingsOf(
          VpcFlowLogsComplete,
          withFlowLogs((t) => {
            t.network.Resources.LogBucket = { Type: 'AWS::S3::Bucket', Properties: {} };
            const p = t.network.Resources.VpcFlowLog.Properties;
            delete p.LogGroupName;
            delete p.DeliverLogsPermissionArn;
            Object.assign(p, { LogDestinationType: 's3', LogDestination: to });
          }),
        ),
      ).toEqual([]);
    }
  });

  test.each<[string, (role: Mutable) => void, string]>([
    [
      'assumable by another service only',
      (role) => (role.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service = 'lambda.amazonaws.com'),
      'DeliveryRole-not-assumable-by-flow-logs',
    ],
    ['without any policy', (role) => (role.Properties.Policies = []), 'DeliveryRole-may-not-write'],
    [
      'allowed on another log group only',
      (role) =>
        (role.Properties.Policies[0].PolicyDocument.Statement[0].Resource =
          'arn:aws:logs:us-east-1:123456789012:log-group:other'),
      'DeliveryRole-may-not-write',
    ],
    [
      'denied PutLogEvents',
      (role) =>
        role.Properties.Policies[0].PolicyDocument.Statement.push({
          Effect: 'Deny',
          Action: 'logs:Put*',
          Resource: '*',
        }),
      'DeliveryRole-may-not-write',
    ],
  ])("N4 U3 the PHI VPC flow log's delivery role %s is a finding (nothing is ever delivered)", (_name, mutate, id) => {
    const findings = findingsOf(
      VpcFlowLogsComplete,
      withFlowLogs((t) => mutate(t.network.Resources.FlowLogRole)),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain(id);
  });
});
