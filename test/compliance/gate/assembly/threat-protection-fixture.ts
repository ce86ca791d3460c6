/**
 * The threat protection parts of the synthetic assembly (ThreatProtectionPresent, D2): the alert pipeline's rules
 * for GuardDuty runtime coverage and malware scan results, and the PHI bucket's malware quarantine. A Fargate service
 * (task definition, execution role and policy) and the ECR endpoints are added by the rule's own tests
 * (appStackWithService, ecrEndpoints), so the other rules' fixture stays as it was.
 */
import { guardDutyAgentRepositoryArn } from '../../../../constructs/guard-duty-agent-repository';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mutable = Record<string, any>;

export const AGENT_REPOSITORY = guardDutyAgentRepositoryArn('us-east-1')!;
const PULL = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

/** Alerting stack: the alert pipeline's two rules (runtime coverage unhealthy, malware scan results). */
export function threatAlertingResources(): Mutable {
  // The alert formatter of the alerting stack (tamper-fixture's Formatter); a list of its own for each rule.
  const target = () => [{ Arn: { 'Fn::GetAtt': ['Formatter', 'Arn'] }, Id: 'Target0' }];
  return {
    RuntimeCoverageRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        State: 'ENABLED',
        EventPattern: { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Runtime Protection Unhealthy'] },
        Targets: target(),
      },
    },
    MalwareScanResultsRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.guardduty'],
          'detail-type': ['GuardDuty Malware Protection Object Scan Result'],
          detail: {
            scanResultDetails: { scanResultStatus: ['THREATS_FOUND', 'UNSUPPORTED', 'ACCESS_DENIED', 'FAILED'] },
          },
        },
        Targets: target(),
      },
    },
  };
}

/** Data stack: the PHI bucket's policy with the malware quarantine. */
export function threatDataResources(): Mutable {
  return {
    PhiBucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'PhiBucket' },
        PolicyDocument: {
          Statement: [
            {
              Sid: 'DenyReadsOfObjectsWithThreatsFound',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: ['s3:GetObject', 's3:GetObjectVersion'],
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['PhiBucket', 'Arn'] }, '/*']] },
              Condition: { StringEquals: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'THREATS_FOUND' } },
            },
            {
              Sid: 'DenyLiftingTheMalwareQuarantine',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: [
                's3:DeleteObjectTagging',
                's3:DeleteObjectVersionTagging',
                's3:PutObjectTagging',
                's3:PutObjectVersionTagging',
              ],
              Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['PhiBucket', 'Arn'] }, '/*']] },
              Condition: { StringEquals: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'THREATS_FOUND' } },
            },
          ],
        },
      },
    },
  };
}

/** An app stack with one Fargate service whose execution role may pull GuardDuty's agent (the synthesized shape). */
export function appStackWithService(): Mutable {
  return {
    Metadata: { HipaaBlueprint: { appName: 'app', envName: 'prod' } },
    Resources: {
      ExecutionRole: { Type: 'AWS::IAM::Role', Properties: {} },
      ExecutionPolicy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Roles: [{ Ref: 'ExecutionRole' }],
          PolicyDocument: {
            Statement: [
              { Sid: 'GuardDutyAgentPull', Effect: 'Allow', Action: PULL, Resource: AGENT_REPOSITORY },
              { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
            ],
          },
        },
      },
      TaskDefinition: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: {
          RequiresCompatibilities: ['FARGATE'],
          ExecutionRoleArn: { 'Fn::GetAtt': ['ExecutionRole', 'Arn'] },
        },
      },
      Service: {
        Type: 'AWS::ECS::Service',
        Properties: { LaunchType: 'FARGATE', TaskDefinition: { Ref: 'TaskDefinition' } },
      },
    },
  };
}

/** The network stack's ECR interface endpoints, with the blueprint's policies (this account, plus the agent). */
export function ecrEndpoints(): Mutable {
  const endpoint = (service: string) => ({
    Type: 'AWS::EC2::VPCEndpoint',
    Properties: {
      VpcId: { Ref: 'Vpc' },
      VpcEndpointType: 'Interface',
      ServiceName: `com.amazonaws.us-east-1.${service}`,
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: '*',
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:PrincipalAccount': '123456789012', 'aws:ResourceAccount': '123456789012' },
            },
          },
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: PULL,
            Resource: AGENT_REPOSITORY,
            Condition: { StringEquals: { 'aws:PrincipalAccount': '123456789012' } },
          },
        ],
      },
    },
  });
  return { EcrApiEndpoint: endpoint('ecr.api'), EcrDkrEndpoint: endpoint('ecr.dkr') };
}
