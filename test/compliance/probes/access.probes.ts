import { Json, one, Probe, remove } from './probe';

const route = (t: Parameters<Probe['mutate']>[0]): Json =>
  one(t, 'app', 'AWS::ElasticLoadBalancingV2::ListenerRule')[1];
const admitsPeople = (r: Json) =>
  (r.Properties.AssumeRolePolicyDocument?.Statement ?? []).some((s: Json) => s.Principal?.AWS !== undefined);

/** The PHI bucket's deny binding the task roles to the PHI VPC (PhiBucket's VPC-only principals). */
const vpcOnlyDeny = (t: Parameters<Probe['mutate']>[0]): Json => {
  const [, policy] = one(t, 'data', 'AWS::S3::BucketPolicy', (r) =>
    JSON.stringify(r.Properties.PolicyDocument).includes('DenyVpcOnlyPrincipalsOutsideTheirVpc'),
  );
  return policy.Properties.PolicyDocument.Statement.find((s: Json) => s.Sid === 'DenyVpcOnlyPrincipalsOutsideTheirVpc');
};

/** Access control: A1 unique identities, A2 MFA, A3 least privilege, A4 automatic logoff, A5 emergency access. */
export const PROBES: readonly Probe[] = [
  {
    name: "E1 A3 an administrator's role may assume the allow-listed backup role (with MFA): it reads PHI past the allow-list",
    safeguards: ['E1', 'A3'],
    mutate: (t) => {
      const [, role] = one(t, 'data', 'AWS::IAM::Role', (r) =>
        String(r.Properties.RoleName ?? '').endsWith('-phi-backup'),
      );
      role.Properties.AssumeRolePolicyDocument.Statement.push({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:role/Admin' },
        Action: 'sts:AssumeRole',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      });
    },
    caughtBy: /AllowListsAsConfigured\[\w+::allow-listed-role-trusts-people\]/,
  },
  {
    name: 'A3 N3 the task definition names its task role by a literal ARN, and the VPC-only deny a decoy role',
    safeguards: ['A3', 'N3'],
    mutate: (t) => {
      const [, td] = one(t, 'app', 'AWS::ECS::TaskDefinition');
      const roleId = td.Properties.TaskRoleArn['Fn::GetAtt'][0] as string;
      const name = t.app!.Resources[roleId].Properties.RoleName as string;
      const deny = vpcOnlyDeny(t);
      const [taskArn] = deny.Condition.ArnEquals['aws:PrincipalArn'] as string[];
      td.Properties.TaskRoleArn = taskArn;
      deny.Condition.ArnEquals['aws:PrincipalArn'] = [taskArn!.replace(name, `${name}-decoy`)];
    },
    caughtBy: /PhiTaskRolesVpcBound\[PhiBucket\w+::task-role-not-vpc-bound\]/,
  },
  {
    name: "E1 A3 an administrator's role added by hand to the PHI bucket's object allow-list (not through config)",
    safeguards: ['E1', 'A3'],
    mutate: (t) => {
      const [, policy] = one(t, 'data', 'AWS::S3::BucketPolicy', (r) =>
        JSON.stringify(r.Properties.PolicyDocument).includes('DenyObjectAccessOutsideTheAllowList'),
      );
      const deny = policy.Properties.PolicyDocument.Statement.find(
        (s: Json) => s.Sid === 'DenyObjectAccessOutsideTheAllowList',
      );
      const [first] = deny.Condition.ArnNotEquals['aws:PrincipalArn'] as string[];
      deny.Condition.ArnNotEquals['aws:PrincipalArn'].push(first!.replace(/role\/.*$/, 'role/Admin'));
    },
    caughtBy: /AllowListsAsConfigured\[PhiBucket\w+::principal-not-in-config\]/,
  },
  {
    name: "E1 A3 an administrator's role added by hand to the PHI key's users through S3",
    safeguards: ['E1', 'A3'],
    mutate: (t) => {
      const [, key] = one(t, 'keys', 'AWS::KMS::Key', (r) => r.Metadata?.['HipaaBlueprint::KeyDomain'] === 'phi');
      const use = key.Properties.KeyPolicy.Statement.find((s: Json) => s.Sid === 'UseThroughS3ByNamedPrincipals');
      const [first] = use.Condition.ArnEquals['aws:PrincipalArn'] as string[];
      use.Condition.ArnEquals['aws:PrincipalArn'].push(first!.replace(/role\/.*$/, 'role/Admin'));
    },
    caughtBy: /AllowListsAsConfigured\[PhiDataKey\w+::principal-not-in-config\]/,
  },
  {
    name: "A3 U4 an EventBridge rule sends the PHI bucket's Object Created events (keys, sizes, requesters) to a queue of the account",
    safeguards: ['A3', 'U4'],
    mutate: (t) =>
      Object.assign(t.app!.Resources, {
        ProbeCollector: { Type: 'AWS::SQS::Queue', Properties: {} },
        ProbeUploads: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'] },
            Targets: [{ Id: 'collector', Arn: { 'Fn::GetAtt': ['ProbeCollector', 'Arn'] } }],
          },
        },
      }),
    caughtBy: /PhiObjectEventsStayInside\[ProbeUploads::routes-phi-object-events\]/,
  },
  {
    name: "A3 U4 a tamper rule widened to the PHI bucket's GetObject data events (every read's key to the alert path)",
    safeguards: ['A3', 'U4'],
    mutate: (t) => {
      const [, rule] = one(t, 'alerting', 'AWS::Events::Rule', (r) =>
        JSON.stringify(r.Properties.EventPattern ?? {}).includes('PutBucketNotification'),
      );
      rule.Properties.EventPattern.detail.eventName = ['PutBucketNotification', 'GetObject'];
      delete rule.Properties.EventPattern.detail.userIdentity;
    },
    caughtBy: /PhiObjectEventsStayInside\[\w+::routes-phi-object-events\]/,
  },
  {
    name: "A3 N3 the PHI bucket's VPC-only deny names a decoy role: the task role's credentials read PHI from anywhere",
    safeguards: ['A3', 'N3'],
    mutate: (t) => {
      const deny = vpcOnlyDeny(t);
      deny.Condition.ArnEquals['aws:PrincipalArn'] = ['arn:aws:iam::123456789012:role/app-prod-decoy-task'];
    },
    caughtBy: /PhiTaskRolesVpcBound\[PhiBucket\w+::task-role-not-vpc-bound\]/,
  },
  {
    name: "A3 N3 the PHI bucket's VPC-only deny names a literal VPC id instead of the PHI VPC",
    safeguards: ['A3', 'N3'],
    mutate: (t) => (vpcOnlyDeny(t).Condition.StringNotEquals['aws:SourceVpc'] = 'vpc-0123456789abcdef0'),
    caughtBy: /PhiTaskRolesVpcBound\[PhiBucket\w+::vpc-not-the-phi-vpc\]/,
  },
  {
    name: "A3 N3 the PHI bucket's VPC-only deny names the non-PHI VPC",
    safeguards: ['A3', 'N3'],
    mutate: (t) => {
      const vpc = vpcOnlyDeny(t).Condition.StringNotEquals['aws:SourceVpc'];
      const [nonPhi] = one(t, 'network', 'AWS::EC2::VPC', (r) =>
        JSON.stringify(r.Tags ?? r.Properties.Tags ?? []).includes('NonPHI'),
      );
      const [output] = Object.entries(t.network!.Outputs as Record<string, Json>).find(
        ([, o]) => o.Value?.Ref === nonPhi,
      )!;
      vpc['Fn::GetStackOutput'].OutputName = output;
    },
    caughtBy: /PhiTaskRolesVpcBound\[PhiBucket\w+::vpc-not-the-phi-vpc\]/,
  },
  {
    name: 'A1 an IAM user with an access key, in a group',
    safeguards: ['A1'],
    mutate: (t) =>
      Object.assign(t.audit!.Resources, {
        ProbeGroup: { Type: 'AWS::IAM::Group', Properties: {} },
        ProbeUser: { Type: 'AWS::IAM::User', Properties: { Groups: [{ Ref: 'ProbeGroup' }] } },
        ProbeKey: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'ProbeUser' } } },
      }),
    caughtBy: /NoIamUsersOrAccessKeys\[IamUser::created\]/,
  },
  {
    name: 'A2 the Cognito sign-in step removed from a route',
    safeguards: ['A2'],
    mutate: (t) => {
      const rule = route(t);
      rule.Properties.Actions = rule.Properties.Actions.filter((a: Json) => a.Type !== 'authenticate-cognito');
    },
    caughtBy: /ForwardRequiresSignIn\[Actions::forward-without-sign-in\]/,
  },
  {
    name: 'A2 the sign-in lets unauthenticated requests through',
    safeguards: ['A2'],
    mutate: (t) =>
      (route(t).Properties.Actions.find(
        (a: Json) => a.Type === 'authenticate-cognito',
      ).AuthenticateCognitoConfig.OnUnauthenticatedRequest = 'allow'),
    caughtBy: /ForwardRequiresSignIn\[Actions::sign-in-allows-anonymous\]/,
  },
  {
    name: 'A2 the break-glass role assumable without MFA',
    safeguards: ['A2', 'A5'],
    mutate: (t) => {
      for (const s of one(t, 'audit', 'AWS::IAM::Role', admitsPeople)[1].Properties.AssumeRolePolicyDocument
        .Statement) {
        if (s.Principal?.AWS !== undefined) delete s.Condition;
      }
    },
    caughtBy: /HumanRolesRequireMfa\[AssumeRolePolicy::Statement\d+-no-MFA\]/,
  },
  {
    name: 'A2 the user pool without required MFA',
    safeguards: ['A2'],
    mutate: (t) => (one(t, 'app', 'AWS::Cognito::UserPool')[1].Properties.MfaConfiguration = 'OFF'),
    caughtBy: /COG2/,
  },
  {
    // The attacker review of 2026-12-03: anyone signs up, verifies their own e-mail, enrols MFA and reads records.
    name: 'A2 the user pool open to self sign-up',
    safeguards: ['A2'],
    mutate: (t) =>
      (one(t, 'app', 'AWS::Cognito::UserPool')[1].Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly = false),
    caughtBy: /ForwardRequiresSignIn\[\w+::user-pool-self-sign-up\]/,
  },
  {
    name: 'A3 an administrator statement in a workload policy',
    safeguards: ['A3'],
    mutate: (t) =>
      one(t, 'app', 'AWS::IAM::ManagedPolicy', (_r, id) =>
        id.includes('PhiAccessPolicy'),
      )[1].Properties.PolicyDocument.Statement.push({
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
      }),
    caughtBy: /IAMPolicyNoStatementsWithAdminAccess|AwsSolutions-IAM5\[Action::\*\]/,
  },
  {
    name: 'A4 the load balancer sign-in session raised to 8 hours',
    safeguards: ['A4'],
    mutate: (t) =>
      (route(t).Properties.Actions.find(
        (a: Json) => a.Type === 'authenticate-cognito',
      ).AuthenticateCognitoConfig.SessionTimeout = 28800),
    caughtBy: /SessionLifetimeLimit\[Actions\.SessionTimeout::28800s\]/,
  },
  {
    name: 'A4 the app tokens raised to 24 hours',
    safeguards: ['A4'],
    mutate: (t) => {
      const client = one(t, 'app', 'AWS::Cognito::UserPoolClient')[1];
      client.Properties.AccessTokenValidity = 24;
      client.Properties.IdTokenValidity = 24;
      client.Properties.TokenValidityUnits = {
        ...client.Properties.TokenValidityUnits,
        AccessToken: 'hours',
        IdToken: 'hours',
      };
    },
    caughtBy: /SessionLifetimeLimit\[AccessTokenValidity::1440min\]/,
  },
  {
    // The attacker review of 2026-12-03: the load balancer's session still ends, but a stolen refresh token mints
    // tokens for any other client of the pool for ten years.
    name: 'A4 the app refresh tokens raised to 3650 days',
    safeguards: ['A4'],
    mutate: (t) => {
      const client = one(t, 'app', 'AWS::Cognito::UserPoolClient')[1];
      client.Properties.RefreshTokenValidity = 3650;
      client.Properties.TokenValidityUnits = { ...client.Properties.TokenValidityUnits, RefreshToken: 'days' };
    },
    caughtBy: /SessionLifetimeLimit\[RefreshTokenValidity::5256000min\]/,
  },
  {
    // The second review of 2026-12-03: Cognito replaces 0 by its 30-day default.
    name: 'A4 the app refresh tokens set to 0 (Cognito then keeps them 30 days)',
    safeguards: ['A4'],
    mutate: (t) => (one(t, 'app', 'AWS::Cognito::UserPoolClient')[1].Properties.RefreshTokenValidity = 0),
    caughtBy: /SessionLifetimeLimit\[RefreshTokenValidity::0min-becomes-default-43200min\]/,
  },
  {
    name: 'A4 the Session Manager idle timeout raised to 60 minutes',
    safeguards: ['A4'],
    mutate: (t) => (one(t, 'app', 'AWS::SSM::Document')[1].Properties.Content.inputs.idleSessionTimeout = '60'),
    caughtBy: /SessionLifetimeLimit\[idleSessionTimeout::60\]/,
  },
  {
    name: "A4 the Session Manager idle timeout raised to 60 minutes, the document's type written as an intrinsic",
    safeguards: ['A4'],
    mutate: (t) => {
      const document = one(t, 'app', 'AWS::SSM::Document')[1];
      document.Properties.DocumentType = { 'Fn::Select': [0, ['Session']] };
      document.Properties.Content.inputs.idleSessionTimeout = '60';
    },
    caughtBy: /SessionLifetimeLimit\[idleSessionTimeout::60\]/,
  },
  {
    name: 'A4 the break-glass role keeps 12-hour sessions',
    safeguards: ['A4', 'A5'],
    mutate: (t) => (one(t, 'audit', 'AWS::IAM::Role', admitsPeople)[1].Properties.MaxSessionDuration = 43200),
    caughtBy: /SessionLifetimeLimit\[MaxSessionDuration::43200\]/,
  },
  {
    name: 'A5 the break-glass alarm removed',
    safeguards: ['A5', 'D1'],
    mutate: (t) => {
      const [alarm] = one(
        t,
        'audit',
        'AWS::CloudWatch::Alarm',
        (r) => r.Properties.MetricName === 'BreakGlassRoleAssumed',
      );
      remove(t, 'audit', [alarm]);
    },
    caughtBy: /SecurityAlarmsPresent\[BreakGlass-.*::no-alarm\]/,
  },
];
