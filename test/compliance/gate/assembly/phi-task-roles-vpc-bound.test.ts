import { ASSEMBLY_RULES } from '../../../../lib/compliance/gate/assembly';
import { PhiTaskRolesVpcBound } from '../../../../lib/compliance/gate/assembly/phi-task-roles-vpc-bound';
import { asAssembly, findingsOf, fixtureTemplates, Mutable, PHI_BUCKET } from './assembly-fixture';

const ACCOUNT = '123456789012';
const TASK_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/app-prod-api-task`;
const gso = (stack: string, output: string) => ({ 'Fn::GetStackOutput': { StackName: stack, OutputName: output } });
const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['PhiBucket', 'Arn'] }, '/*']] };

/** An app stack as the blueprint's: a task definition running as a named task role allowed on the PHI bucket. */
function appStack(): Mutable {
  return {
    Resources: {
      TaskRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'app-prod-api-task',
          AssumeRolePolicyDocument: {
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          },
        },
      },
      TaskDefinition: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: { TaskRoleArn: { 'Fn::GetAtt': ['TaskRole', 'Arn'] } },
      },
      PhiAccess: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Roles: [{ Ref: 'TaskRole' }],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['s3:GetObject', 's3:PutObject'],
                Resource: {
                  'Fn::Join': [
                    '',
                    [
                      'arn:aws:s3:::app-prod-phi-data-',
                      { Ref: 'AWS::AccountId' },
                      '-',
                      { Ref: 'AWS::Region' },
                      '/api/*',
                    ],
                  ],
                },
              },
              {
                Effect: 'Allow',
                Action: 's3:ListBucket',
                Resource: `arn:aws:s3:::${PHI_BUCKET}`,
                Condition: { StringLike: { 's3:prefix': ['api/*'] } },
              },
            ],
          },
        },
      },
    },
  };
}

/** The PHI bucket's VPC-only deny, as PhiBucket writes it. */
function vpcOnlyDeny(): Mutable {
  return {
    Sid: 'DenyVpcOnlyPrincipalsOutsideTheirVpc',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:*',
    Resource: [{ 'Fn::GetAtt': ['PhiBucket', 'Arn'] }, objects],
    Condition: {
      ArnEquals: { 'aws:PrincipalArn': [TASK_ROLE_ARN] },
      StringNotEquals: { 'aws:SourceVpc': gso('app-prod-network', 'VpcId') },
    },
  };
}

const withApp =
  (mutate: (t: Record<string, Mutable>, deny: Mutable) => void = () => undefined) =>
  (t: Record<string, Mutable>): void => {
    t.app = appStack();
    const deny = vpcOnlyDeny();
    t.data.Resources.PhiBucketVpcPolicy = {
      Type: 'AWS::S3::BucketPolicy',
      Properties: { Bucket: { Ref: 'PhiBucket' }, PolicyDocument: { Statement: [deny] } },
    };
    mutate(t, deny);
  };
const policy = (t: Record<string, Mutable>) => t.app.Resources.PhiAccess.Properties.PolicyDocument.Statement;

describe('Blueprint-PhiTaskRolesVpcBound', () => {
  test('A3 N3 is an assembly rule', () => {
    expect(ASSEMBLY_RULES).toContain(PhiTaskRolesVpcBound);
    expect(PhiTaskRolesVpcBound.safeguards).toEqual(['A3', 'N3']);
  });

  test('A3 N3 the task role bound to the PHI VPC, by name or by a reference to it, passes; no task role, nothing to judge', () => {
    expect(findingsOf(PhiTaskRolesVpcBound, withApp())).toEqual([]);
    // The account as a pseudo parameter, and the role named through a reference across stacks.
    expect(
      findingsOf(
        PhiTaskRolesVpcBound,
        withApp((_t, deny) => {
          deny.Condition.ArnEquals['aws:PrincipalArn'] = [
            {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/app-prod-api-task'],
              ],
            },
          ];
        }),
      ),
    ).toEqual([]);
    expect(
      findingsOf(
        PhiTaskRolesVpcBound,
        withApp((t, deny) => {
          t.app.Outputs = { TaskRoleArn: { Value: { 'Fn::GetAtt': ['TaskRole', 'Arn'] } } };
          deny.Condition.ArnEquals['aws:PrincipalArn'] = [gso('app-prod-app', 'TaskRoleArn')];
        }),
      ),
    ).toEqual([]);
    // An endpoint in the PHI VPC binds as well as the VPC.
    expect(
      findingsOf(
        PhiTaskRolesVpcBound,
        withApp((t, deny) => {
          t.network.Outputs.S3EndpointId = { Value: { Ref: 'SnsEndpoint' } };
          deny.Condition.StringNotEquals = { 'aws:SourceVpce': gso('app-prod-network', 'S3EndpointId') };
        }),
      ),
    ).toEqual([]);
    expect(findingsOf(PhiTaskRolesVpcBound)).toEqual([]);
    // The passing assembly was judged: one PHI bucket and the one task role allowed on it.
    const templates = fixtureTemplates();
    withApp()(templates);
    expect(PhiTaskRolesVpcBound.check(asAssembly(templates), { phiBucketNames: [PHI_BUCKET] }).evaluated).toBe(1);
  });

  test.each<[string, (t: Record<string, Mutable>, deny: Mutable) => void, string[]]>([
    [
      'the deny naming a decoy role',
      (_t, deny) => (deny.Condition.ArnEquals['aws:PrincipalArn'] = [`arn:aws:iam::${ACCOUNT}:role/app-prod-decoy`]),
      ['[PhiBucket::task-role-not-vpc-bound] PhiBucket'],
    ],
    [
      'the deny naming the role in another account',
      (_t, deny) =>
        (deny.Condition.ArnEquals['aws:PrincipalArn'] = ['arn:aws:iam::999999999999:role/app-prod-api-task']),
      ['[PhiBucket::task-role-not-vpc-bound] PhiBucket'],
    ],
    [
      'the deny removed',
      (t) => (t.data.Resources.PhiBucketVpcPolicy.Properties.PolicyDocument.Statement = []),
      ['[PhiBucket::task-role-not-vpc-bound] PhiBucket'],
    ],
    [
      'the deny narrowed to reads (writes from anywhere)',
      (_t, deny) => (deny.Action = ['s3:GetObject']),
      ['[PhiBucket::task-role-not-vpc-bound] PhiBucket'],
    ],
    [
      'the deny on the objects only (the listing from anywhere)',
      (_t, deny) => (deny.Resource = [objects]),
      ['[PhiBucket::task-role-not-vpc-bound] PhiBucket'],
    ],
    [
      'the role granted every S3 action by a wildcard the deny does not cover',
      (t, deny) => {
        deny.Action = ['s3:GetObject', 's3:PutObject', 's3:ListBucket'];
        policy(t).push({ Effect: 'Allow', Action: 's3:Delete*', Resource: 'arn:aws:s3:::app-prod-phi-*/*' });
      },
      ['[PhiBucket::task-role-not-vpc-bound] PhiBucket'],
    ],
    [
      'the deny with another condition (a tag nobody has)',
      (_t, deny) => (deny.Condition.StringEquals = { 'aws:PrincipalTag/unbound': 'yes' }),
      ['[PhiBucket::task-role-not-vpc-bound] PhiBucket'],
    ],
    [
      'a literal VPC id',
      (_t, deny) => (deny.Condition.StringNotEquals['aws:SourceVpc'] = 'vpc-0123456789abcdef0'),
      ['[PhiBucket::vpc-not-the-phi-vpc] PhiBucket'],
    ],
    [
      'the non-PHI VPC',
      (_t, deny) => (deny.Condition.StringNotEquals['aws:SourceVpc'] = gso('app-prod-network', 'NonPhiVpcId')),
      ['[PhiBucket::vpc-not-the-phi-vpc] PhiBucket'],
    ],
    [
      'the PHI VPC and the non-PHI VPC (either passes)',
      (_t, deny) =>
        (deny.Condition.StringNotEquals['aws:SourceVpc'] = [
          gso('app-prod-network', 'VpcId'),
          gso('app-prod-network', 'NonPhiVpcId'),
        ]),
      ['[PhiBucket::vpc-not-the-phi-vpc] PhiBucket'],
    ],
    [
      'an endpoint in the non-PHI VPC',
      (t, deny) => {
        t.network.Resources.NonPhiS3 = {
          Type: 'AWS::EC2::VPCEndpoint',
          Properties: { VpcId: { Ref: 'NonPhiVpc' }, ServiceName: 'com.amazonaws.us-east-1.s3' },
        };
        t.network.Outputs.NonPhiS3 = { Value: { Ref: 'NonPhiS3' } };
        deny.Condition.StringNotEquals = { 'aws:SourceVpce': gso('app-prod-network', 'NonPhiS3') };
      },
      ['[PhiBucket::vpc-not-the-phi-vpc] PhiBucket'],
    ],
    [
      'a second task role reaching the bucket through a wildcard resource, not named by the deny',
      (t) => {
        t.app.Resources.OtherRole = { Type: 'AWS::IAM::Role', Properties: { RoleName: 'app-prod-worker-task' } };
        t.app.Resources.OtherTask = {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: { TaskRoleArn: { 'Fn::GetAtt': ['OtherRole', 'Arn'] } },
        };
        t.app.Resources.OtherRole.Properties.Policies = [
          { PolicyName: 'all', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
        ];
      },
      ['[PhiBucket::task-role-not-vpc-bound] PhiBucket'],
    ],
  ])('A3 N3 %s is a finding', (_name, mutate, expected) => {
    expect(findingsOf(PhiTaskRolesVpcBound, withApp(mutate))).toEqual(expected);
  });

  test.each<[string, (t: Record<string, Mutable>) => void]>([
    [
      'named by its literal ARN in the task definition',
      (t) => (t.app.Resources.TaskDefinition.Properties.TaskRoleArn = TASK_ROLE_ARN),
    ],
    [
      'named by an ARN joined from its name',
      (t) =>
        (t.app.Resources.TaskDefinition.Properties.TaskRoleArn = {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/', { Ref: 'TaskRole' }],
          ],
        }),
    ],
    [
      'granted by a policy attached by its literal name',
      (t) => (t.app.Resources.PhiAccess.Properties.Roles = ['app-prod-api-task']),
    ],
    [
      'granted by an AWS::IAM::RolePolicy',
      (t) => {
        const access = t.app.Resources.PhiAccess;
        delete t.app.Resources.PhiAccess;
        t.app.Resources.RolePolicy = {
          Type: 'AWS::IAM::RolePolicy',
          Properties: {
            RoleName: { Ref: 'TaskRole' },
            PolicyName: 'phi',
            PolicyDocument: access.Properties.PolicyDocument,
          },
        };
      },
    ],
    [
      "granted by the bucket's own policy instead of its IAM policy",
      (t) => {
        t.app.Resources.PhiAccess.Properties.PolicyDocument.Statement = [];
        t.data.Resources.PhiBucketVpcPolicy.Properties.PolicyDocument.Statement.push({
          Effect: 'Allow',
          Principal: { AWS: TASK_ROLE_ARN },
          Action: ['s3:GetObject'],
          Resource: objects,
        });
      },
    ],
    [
      "excepted from the bucket's object allow-list (granted by an AWS managed policy the gate cannot read)",
      (t) => {
        t.app.Resources.PhiAccess.Properties.PolicyDocument.Statement = [];
        t.data.Resources.PhiBucketVpcPolicy.Properties.PolicyDocument.Statement.push({
          Sid: 'DenyObjectAccessOutsideTheAllowList',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:GetObject*', 's3:PutObject*'],
          Resource: objects,
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': [TASK_ROLE_ARN] } },
        });
      },
    ],
    [
      'with an AWS managed policy attached (it may allow anything on the bucket)',
      (t) => {
        t.app.Resources.PhiAccess.Properties.PolicyDocument.Statement = [];
        t.app.Resources.TaskRole.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'];
      },
    ],
  ])('A3 N3 a task role %s, the deny naming a decoy, is found', (_name, mutate) => {
    expect(
      findingsOf(
        PhiTaskRolesVpcBound,
        withApp((t, deny) => {
          mutate(t);
          deny.Condition.ArnEquals['aws:PrincipalArn'] = [`arn:aws:iam::${ACCOUNT}:role/app-prod-decoy`];
        }),
      ),
    ).toEqual(['[PhiBucket::task-role-not-vpc-bound] PhiBucket']);
  });

  test("A3 N3 a task role allowed on other buckets only is not the PHI bucket's concern", () => {
    expect(
      findingsOf(
        PhiTaskRolesVpcBound,
        withApp((t) => {
          t.app.Resources.PhiAccess.Properties.PolicyDocument.Statement = [
            { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-prod-uploads/*' },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' },
          ];
          t.data.Resources.PhiBucketVpcPolicy.Properties.PolicyDocument.Statement = [];
        }),
      ),
    ).toEqual([]);
  });
});
