/**
 * Probes left open by the attacker review of 2026-12-04 (check-template in assembly mode passed each, exit 0): the
 * account's CloudTrail calls routed to another account through an SNS subscription to a queue, a function or a
 * Firehose stream of that account, and through an event rule whose target is wholly another stack's output. Then the
 * third round's eleven: a resource share, a zero-ETL integration, an account transformer policy, a function's
 * asynchronous destinations, an outside GuardDuty administrator, an Identity Center permission set, a policy from
 * outside the assembly, Service Connect logs, a topic policy for an outside subscriber, an RDS Proxy without TLS and a
 * Delivery-class log group.
 */
import { Json, one, Probe, Templates } from './probe';

const OTHER_ACCOUNT = '999999999999';

/** A rule of the detection stack sending every CloudTrail API call to `arn`. */
const everyCallTo = (t: Templates, arn: unknown): void => {
  t.detection!.Resources.SyntheticEveryCall = {
    Type: 'AWS::Events::Rule',
    Properties: {
      State: 'ENABLED',
      EventPattern: { 'detail-type': ['AWS API Call via CloudTrail'] },
      Targets: [{ Id: 'out', Arn: arn }],
    },
  };
};

/** An in-account topic of the detection stack, every CloudTrail call routed to it, subscribed by `protocol`. */
const subscribedTopic =
  (protocol: string, endpoint: unknown) =>
  (t: Templates): void => {
    t.detection!.Resources.SyntheticTopic = { Type: 'AWS::SNS::Topic', Properties: {} };
    t.detection!.Resources.SyntheticSubscription = {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'SyntheticTopic' }, Protocol: protocol, Endpoint: endpoint },
    };
    everyCallTo(t, { Ref: 'SyntheticTopic' });
  };

export const PROBES: readonly Probe[] = [
  {
    name: "U6 CloudTrail calls sent to an in-account topic subscribed by another account's SQS queue",
    safeguards: ['U6', 'E1'],
    mutate: subscribedTopic('sqs', `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:synthetic-collector`),
    caughtBy: /AlarmsReachSubscribers\[SyntheticSubscription::subscriber-outside-account\]/,
  },
  {
    name: "U6 CloudTrail calls sent to an in-account topic subscribed by another account's Lambda function",
    safeguards: ['U6', 'E1'],
    mutate: subscribedTopic('lambda', `arn:aws:lambda:us-east-1:${OTHER_ACCOUNT}:function:synthetic-collector`),
    caughtBy: /AlarmsReachSubscribers\[SyntheticSubscription::subscriber-outside-account\]/,
  },
  {
    name: 'U6 CloudTrail calls sent to an in-account topic subscribed by a Firehose stream named by an import',
    safeguards: ['U6', 'E1'],
    mutate: subscribedTopic('firehose', { 'Fn::ImportValue': 'SyntheticCollector:StreamArn' }),
    caughtBy: /AlarmsReachSubscribers\[SyntheticSubscription::subscriber-outside-account\]/,
  },
  {
    name: "U6 CloudTrail calls sent to a rule target that is wholly an import (another stack's export, outside the assembly)",
    safeguards: ['U6', 'E1'],
    mutate: (t) => everyCallTo(t, { 'Fn::ImportValue': 'SyntheticCollector:QueueArn' }),
    caughtBy: /EventTargetsInAccount\[Target::account-unknown\]/,
  },
  {
    name: "N1 A3 a PHI application subnet and the database's admitted security group shared with another account (RAM)",
    safeguards: ['N1', 'A3'],
    mutate: (t) => {
      const [group] = one(t, 'data', 'AWS::EC2::SecurityGroup');
      t.data!.Resources.SyntheticShare = {
        Type: 'AWS::RAM::ResourceShare',
        Properties: {
          Name: 'synthetic-share',
          AllowExternalPrincipals: true,
          Principals: [OTHER_ACCOUNT],
          ResourceArns: [
            {
              'Fn::Sub': [
                'arn:aws:ec2:us-east-1:${AWS::AccountId}:security-group/${G}',
                { G: { 'Fn::GetAtt': [group, 'GroupId'] } },
              ],
            },
          ],
        },
      };
    },
    caughtBy: /LogsAndEventsStayInAccount\[Principals::outside-account\]/,
  },
  {
    name: "E1 A3 the PHI database copied to another account's Redshift by a zero-ETL integration",
    safeguards: ['E1', 'A3'],
    mutate: (t) => {
      const [db] = one(t, 'data', 'AWS::RDS::DBInstance');
      t.data!.Resources.SyntheticZeroEtl = {
        Type: 'AWS::RDS::Integration',
        Properties: {
          IntegrationName: 'synthetic',
          SourceArn: { 'Fn::Sub': `arn:aws:rds:us-east-1:\${AWS::AccountId}:db:\${${db}}` },
          TargetArn: `arn:aws:redshift-serverless:us-east-1:${OTHER_ACCOUNT}:namespace/0f1e2d3c-aaaa-bbbb-cccc-111122223333`,
        },
      };
    },
    caughtBy: /LogsAndEventsStayInAccount\[TargetArn::another-account\]/,
  },
  {
    name: 'U1 U6 every CloudTrail event rewritten (userIdentity removed) by an account transformer policy',
    safeguards: ['U1', 'U6'],
    mutate: (t) =>
      (t.audit!.Resources.SyntheticTransformer = {
        Type: 'AWS::Logs::AccountPolicy',
        Properties: {
          PolicyName: 'synthetic-normalise',
          PolicyType: 'TRANSFORMER_POLICY',
          SelectionCriteria: 'LogGroupNamePrefix IN ["hipaa-prod-audit"]',
          PolicyDocument: JSON.stringify({
            transformerConfig: [{ parseJSON: {} }, { deleteKeys: { withKeys: ['userIdentity', 'eventName'] } }],
          }),
        },
      }),
    caughtBy: /LogsAndEventsStayInAccount\[PolicyType::transformer\]/,
  },
  {
    name: "D3 U6 every alert formatter invocation (each finding) recorded to another account's queue (Lambda destinations)",
    safeguards: ['D3', 'U6'],
    mutate: (t) => {
      const [, config] = one(t, 'alerting', 'AWS::Lambda::EventInvokeConfig');
      const queue = `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:synthetic-collector`;
      config.Properties.DestinationConfig = { OnSuccess: { Destination: queue }, OnFailure: { Destination: queue } };
    },
    caughtBy: /LogsAndEventsStayInAccount\[DestinationConfig\.OnSuccess::another-account\]/,
  },
  {
    name: 'D2 another account accepted as GuardDuty administrator (it receives every finding, its filters apply)',
    safeguards: ['D2'],
    mutate: (t) => {
      const [detector] = one(t, 'detection', 'AWS::GuardDuty::Detector');
      t.detection!.Resources.SyntheticAdministrator = {
        Type: 'AWS::GuardDuty::Master',
        Properties: {
          DetectorId: { Ref: detector },
          MasterId: OTHER_ACCOUNT,
          InvitationId: '84b097800250d17d1872b34c4daadcf5',
        },
      };
    },
    caughtBy: /LogsAndEventsStayInAccount\[MasterId::outside-account\]/,
  },
  {
    name: 'A2 A4 an Identity Center permission set with AdministratorAccess and a 12-hour session, assigned to a group',
    safeguards: ['A2', 'A4'],
    mutate: (t) => {
      const instance = 'arn:aws:sso:::instance/ssoins-0000000000000000';
      t.audit!.Resources.SyntheticPermissionSet = {
        Type: 'AWS::SSO::PermissionSet',
        Properties: {
          InstanceArn: instance,
          Name: 'SyntheticAdmin',
          SessionDuration: 'PT12H',
          ManagedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        },
      };
      t.audit!.Resources.SyntheticAssignment = {
        Type: 'AWS::SSO::Assignment',
        Properties: {
          InstanceArn: instance,
          PermissionSetArn: { 'Fn::GetAtt': ['SyntheticPermissionSet', 'PermissionSetArn'] },
          PrincipalId: 'synthetic-group',
          PrincipalType: 'GROUP',
          TargetId: { Ref: 'AWS::AccountId' },
          TargetType: 'AWS_ACCOUNT',
        },
      };
    },
    caughtBy: /HumanRolesRequireMfa\[IdentityCenter::not-shipped\]/,
  },
  {
    name: 'U6 A3 the database-users provisioner given a customer managed policy made outside the assembly',
    safeguards: ['U6', 'A3'],
    mutate: (t) => {
      const [, fn] = one(t, 'data', 'AWS::Lambda::Function', (_r, id) => id.startsWith('DatabaseUsersFunction'));
      const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
      t.data!.Resources[role]!.Properties.ManagedPolicyArns = ['arn:aws:iam::222222222222:policy/synthetic-legacy'];
    },
    caughtBy: /RolesMayNotTamper\[.*::policy-outside-assembly\]/,
  },
  {
    name: "U3 U4 the API's Service Connect access logs, with query parameters, to a group the awslogs driver creates",
    safeguards: ['U3', 'U4'],
    mutate: (t) => {
      const [, service] = one(t, 'app', 'AWS::ECS::Service');
      service.Properties.ServiceConnectConfiguration = {
        Enabled: true,
        Namespace: 'arn:aws:servicediscovery:us-east-1:222222222222:namespace/ns-synthetic',
        AccessLogConfiguration: { Format: 'TEXT', IncludeQueryParameters: 'ENABLED' },
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: {
            'awslogs-group': '/ecs/service-connect/synthetic',
            'awslogs-region': 'us-east-1',
            'awslogs-create-group': 'true',
            'awslogs-stream-prefix': 'envoy',
          },
        },
      };
    },
    caughtBy: /ContainerLogsToManagedLogGroup\[ServiceConnect\./,
  },
  {
    name: 'D3 another account allowed to subscribe to the alert topic (every alert, subscribed by API)',
    safeguards: ['D3'],
    mutate: (t) => {
      const [, policy] = one(t, 'alerting', 'AWS::SNS::TopicPolicy');
      (policy.Properties.PolicyDocument.Statement as Json[]).push({
        Sid: 'SyntheticPartner',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
        Action: ['sns:Subscribe', 'sns:Receive'],
        Resource: policy.Properties.Topics[0],
      });
    },
    caughtBy: /LogsAndEventsStayInAccount\[Principal::outside-account\]/,
  },
  {
    name: 'E3 an RDS Proxy in front of the PHI database that accepts clear text (RequireTLS false)',
    safeguards: ['E3'],
    mutate: (t) =>
      (t.data!.Resources.SyntheticProxy = {
        Type: 'AWS::RDS::DBProxy',
        Properties: {
          DBProxyName: 'synthetic-proxy',
          EngineFamily: 'POSTGRESQL',
          RequireTLS: false,
          RoleArn: 'arn:aws:iam::222222222222:role/synthetic-proxy',
          VpcSubnetIds: ['subnet-00000000000000001', 'subnet-00000000000000002'],
          Auth: [
            {
              AuthScheme: 'SECRETS',
              IAMAuth: 'DISABLED',
              SecretArn: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:synthetic',
            },
          ],
        },
      }),
    caughtBy: /RdsForceSsl\[RequireTLS::not-true\]/,
  },
  {
    name: "U3 the database-users provisioner's log group of the Delivery class (events kept one day)",
    safeguards: ['U3'],
    mutate: (t) => {
      const [, group] = one(t, 'data', 'AWS::Logs::LogGroup', (_r, id) => id.startsWith('DatabaseUsers'));
      group.Properties.LogGroupClass = 'DELIVERY';
    },
    caughtBy: /LogGroupSixYearRetention\[LogGroupClass::DELIVERY\]/,
  },
];
