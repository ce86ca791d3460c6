/**
 * Probes left open by the attacker review of 2026-12-04 (check-template in assembly mode passed each, exit 0): the
 * account's CloudTrail calls routed to another account through an SNS subscription to a queue, a function or a
 * Firehose stream of that account, and through an event rule whose target is wholly another stack's output. Then the
 * third round's eleven: a resource share, a zero-ETL integration, an account transformer policy, a function's
 * asynchronous destinations, an outside GuardDuty administrator, an Identity Center permission set, a policy from
 * outside the assembly, Service Connect logs, a topic policy for an outside subscriber, an RDS Proxy without TLS and a
 * Delivery-class log group. Then the fourth round's nine: dead-letter targets outside the account (a function's, a
 * subscription's, a rule target's), a dead-letter queue readable from outside, a state machine relaying tamper events,
 * the Config delivery channel's bucket and topic outside, an aggregation authorization, and a service allowed on the
 * alert topic without a source condition.
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
  {
    name: "D3 U6 the alert formatter's failed invocations (each finding) sent to another account's dead-letter queue",
    safeguards: ['D3', 'U6'],
    mutate: (t) => {
      const [, fn] = one(t, 'alerting', 'AWS::Lambda::Function', (r) => r.Properties?.DeadLetterConfig !== undefined);
      fn.Properties.DeadLetterConfig = { TargetArn: `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:synthetic-collector` };
    },
    caughtBy: /LogsAndEventsStayInAccount\[DeadLetterConfig\.TargetArn::another-account\]/,
  },
  {
    name: "D3 U6 undelivered alerts of the e-mail subscription redriven to another account's queue",
    safeguards: ['D3', 'U6'],
    mutate: (t) => {
      const [, sub] = one(t, 'alerting', 'AWS::SNS::Subscription', (r) => r.Properties?.Protocol === 'email');
      sub.Properties.RedrivePolicy = { deadLetterTargetArn: `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:synthetic-dlq` };
    },
    caughtBy: /LogsAndEventsStayInAccount\[RedrivePolicy\.deadLetterTargetArn::another-account\]/,
  },
  {
    name: "U6 D3 every alert rule's undeliverable events sent to another account's dead-letter queue",
    safeguards: ['U6', 'D3'],
    mutate: (t) => {
      for (const [, rule] of Object.entries(t.alerting!.Resources).filter(([, r]) => r.Type === 'AWS::Events::Rule')) {
        for (const target of rule.Properties.Targets as Json[]) {
          target.DeadLetterConfig = { Arn: `arn:aws:sqs:us-east-1:${OTHER_ACCOUNT}:synthetic-dlq` };
        }
      }
    },
    caughtBy: /EventTargetsInAccount\[DeadLetter::another-account\]/,
  },
  {
    name: 'D3 U6 the alert dead-letter queue (every undelivered alert) readable by another account',
    safeguards: ['D3', 'U6'],
    mutate: (t) => {
      const [, policy] = one(t, 'alerting', 'AWS::SQS::QueuePolicy');
      (policy.Properties.PolicyDocument.Statement as Json[]).push({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
        Resource: '*',
      });
    },
    caughtBy: /LogsAndEventsStayInAccount\[Principal::outside-account\]/,
  },
  {
    name: 'U6 the database tamper events relayed by a state machine of the template (a second target) to another account',
    safeguards: ['U6'],
    mutate: (t) => {
      const [, rule] = one(t, 'alerting', 'AWS::Events::Rule', (_r, id) =>
        id.startsWith('TamperDetectionTamperDatabase'),
      );
      t.alerting!.Resources.SyntheticRelay = {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          RoleArn: 'arn:aws:iam::222222222222:role/synthetic-relay',
          DefinitionString: JSON.stringify({
            StartAt: 'Out',
            States: {
              Out: {
                Type: 'Task',
                Resource: 'arn:aws:states:::sqs:sendMessage',
                Parameters: {
                  QueueUrl: `https://sqs.us-east-1.amazonaws.com/${OTHER_ACCOUNT}/c`,
                  'MessageBody.$': '$',
                },
                End: true,
              },
            },
          }),
        },
      };
      (rule.Properties.Targets as Json[]).push({
        Id: 'SyntheticRelay',
        Arn: { Ref: 'SyntheticRelay' },
        RoleArn: 'arn:aws:iam::222222222222:role/synthetic-events',
      });
    },
    caughtBy: /EventTargetsInAccount\[Target::not-a-sink\]/,
  },
  {
    name: 'D2 U6 every configuration snapshot delivered to a bucket outside the assembly (the Config delivery channel)',
    safeguards: ['D2', 'U6'],
    mutate: (t) => {
      const [, channel] = one(t, 'detection', 'AWS::Config::DeliveryChannel');
      channel.Properties.S3BucketName = 'synthetic-partner-config-999999999999';
    },
    caughtBy: /DetectionServicesPresent\[.*delivery-bucket-outside-assembly\]/,
  },
  {
    name: "D2 U6 every configuration change streamed to another account's topic (the Config delivery channel)",
    safeguards: ['D2', 'U6'],
    mutate: (t) => {
      const [, channel] = one(t, 'detection', 'AWS::Config::DeliveryChannel');
      channel.Properties.SnsTopicARN = `arn:aws:sns:us-east-1:${OTHER_ACCOUNT}:synthetic-changes`;
    },
    caughtBy: /LogsAndEventsStayInAccount\[SnsTopicARN::another-account\]/,
  },
  {
    name: "D2 another account authorized to aggregate this account's Config data",
    safeguards: ['D2'],
    mutate: (t) =>
      (t.detection!.Resources.SyntheticAggregation = {
        Type: 'AWS::Config::AggregationAuthorization',
        Properties: { AuthorizedAccountId: OTHER_ACCOUNT, AuthorizedAwsRegion: 'us-east-1' },
      }),
    caughtBy: /LogsAndEventsStayInAccount\[AuthorizedAccountId::outside-account\]/,
  },
  {
    name: 'D3 EventBridge allowed to publish to the alert topic for any account (look-alike alerts)',
    safeguards: ['D3'],
    mutate: (t) => {
      const [, policy] = one(t, 'alerting', 'AWS::SNS::TopicPolicy');
      (policy.Properties.PolicyDocument.Statement as Json[]).push({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: policy.Properties.Topics[0],
      });
    },
    caughtBy: /LogsAndEventsStayInAccount\[Principal::service-without-source\]/,
  },
];
