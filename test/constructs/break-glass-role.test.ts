import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  breakGlassFilterPattern,
  BreakGlassRole,
  BreakGlassRoleProps,
  breakGlassWildcardFindings,
} from '../../constructs/break-glass-role';
import { MAX_FILTER_PATTERN_LENGTH } from '../../constructs/security-metric-filters';
import { isBalanced } from '../support/rule-data';

function stack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'S', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
}

const USER = 'arn:aws:iam::333333333333:user/break-glass-1';
const CONTAINMENT = {
  ecsClusterName: 'hipaa-prod-phi',
  environmentTags: { Application: 'hipaa', Environment: 'prod' },
};
const props = (overrides: Partial<BreakGlassRoleProps> = {}): BreakGlassRoleProps => ({
  roleName: 'bg',
  principalArns: [USER],
  containment: CONTAINMENT,
  ...overrides,
});

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** The policy statements of a BreakGlassRole built with `p`, resolved. */
function statements(p: BreakGlassRoleProps = props()): Statement[] {
  const s = stack();
  new BreakGlassRole(s, 'B', p);
  const policies = Template.fromStack(s).findResources('AWS::IAM::ManagedPolicy');
  return Object.values(policies).flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}
const bySid = (all: Statement[], sid: string): Statement => all.find((s) => s.Sid === sid)!;
const actionsOf = (s: Statement): string[] => ([] as string[]).concat(s.Action);

describe('BreakGlassRole', () => {
  test('A5 refuses no principals, malformed ARNs and role names', () => {
    expect(() => new BreakGlassRole(stack(), 'B', props({ principalArns: [] }))).toThrow(/principalArns = \[\]/);
    expect(
      () => new BreakGlassRole(stack(), 'B', props({ principalArns: ['arn:aws:iam::123456789012:group/x'] })),
    ).toThrow(/principalArns\[0\] = 'arn:aws:iam::123456789012:group\/x'/);
    expect(() => new BreakGlassRole(stack(), 'B', props({ roleName: 'bad name' }))).toThrow(/roleName = 'bad name'/);
  });

  test('A5 principals are IAM users (any account): federated role sessions carry no MFA context', () => {
    expect(
      () => new BreakGlassRole(stack(), 'B', props({ principalArns: ['arn:aws:iam::333333333333:role/SecurityLead'] })),
    ).toThrow(
      /principalArns\[0\] = 'arn:aws:iam::333333333333:role\/SecurityLead': not an IAM user ARN.*no MFA context/,
    );
    // Users in another (security/identity) account and with a path are accepted.
    expect(
      () =>
        new BreakGlassRole(
          stack(),
          'B',
          props({ principalArns: [USER, 'arn:aws:iam::444444444444:user/emergency/break-glass-2'] }),
        ),
    ).not.toThrow();
  });

  test('A5 trust: each account of the users as principal, only the named user ARNs, MFA present and used within the hour', () => {
    const s = stack();
    const second = 'arn:aws:iam::333333333333:user/emergency/break-glass-2';
    const other = 'arn:aws:iam::444444444444:user/break-glass-3';
    new BreakGlassRole(s, 'B', props({ principalArns: [USER, other, second] }));
    const [role] = Object.values(Template.fromStack(s).findResources('AWS::IAM::Role'));
    const trust = role.Properties.AssumeRolePolicyDocument.Statement as Array<Record<string, unknown>>;
    const mfa = {
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' },
    };
    // Accounts, not users: IAM refuses a trust policy naming a user that does not exist yet, not one naming its account.
    expect(trust).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::333333333333:root' },
        Condition: { ArnEquals: { 'aws:PrincipalArn': [USER, second] }, ...mfa },
      },
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444444444444:root' },
        Condition: { ArnEquals: { 'aws:PrincipalArn': [other] }, ...mfa },
      },
    ]);
    expect(JSON.stringify(trust)).not.toMatch(/"AWS":"arn:aws:iam::\d{12}:user\//);
    expect(role.Properties.MaxSessionDuration).toBe(3600);
  });

  test('A3 containment refuses a bad cluster name, no tags, and wildcard tag values', () => {
    const bad = (containment: BreakGlassRoleProps['containment']) => () =>
      new BreakGlassRole(stack(), 'B', props({ containment }));
    expect(bad({ ...CONTAINMENT, ecsClusterName: 'a/*' })).toThrow(/containment.ecsClusterName = 'a\/\*'/);
    expect(bad({ ...CONTAINMENT, environmentTags: {} })).toThrow(/containment.environmentTags = \{\}/);
    expect(bad({ ...CONTAINMENT, environmentTags: { Application: '*' } })).toThrow(
      /containment.environmentTags.Application = '\*'/,
    );
  });

  test('A3 containment actions are scoped to this environment (cluster ARN, account+region, resource tags)', () => {
    const all = statements();
    const tagged = {
      StringEquals: { 'aws:ResourceTag/Application': 'hipaa', 'aws:ResourceTag/Environment': 'prod' },
    };
    const network = bySid(all, 'ContainNetwork');
    expect(actionsOf(network).sort()).toEqual(['ec2:RevokeSecurityGroupEgress', 'ec2:RevokeSecurityGroupIngress']);
    expect(JSON.stringify(network.Resource)).toMatch(
      /":ec2:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":security-group\/\*"/,
    );
    expect(network.Condition).toEqual(tagged);
    const database = bySid(all, 'ContainDatabase');
    expect(actionsOf(database).sort()).toEqual(['rds:StopDBCluster', 'rds:StopDBInstance']);
    expect(JSON.stringify(database.Resource)).toMatch(/:db:\*"/);
    expect(JSON.stringify(database.Resource)).toMatch(/:cluster:\*"/);
    expect(database.Condition).toEqual(tagged);
    const workload = bySid(all, 'ContainWorkload');
    expect(actionsOf(workload).sort()).toEqual(['ecs:StopTask', 'ecs:UpdateService']);
    expect(JSON.stringify(workload.Resource)).toMatch(/:service\/hipaa-prod-phi\/\*"/);
    expect(JSON.stringify(workload.Resource)).toMatch(/:task\/hipaa-prod-phi\/\*"/);
    expect(JSON.stringify(workload.Resource)).not.toMatch(/:(service|task)\/\*"/);
    // No Allow statement other than the investigation reads names Resource '*'.
    const star = all.filter((s) => s.Effect === 'Allow' && ([] as unknown[]).concat(s.Resource).includes('*'));
    expect(star.map((s) => s.Sid)).toEqual(['InvestigateReadOnly']);
    for (const a of ['ecs:UpdateService', 'ecs:StopTask', 'ec2:RevokeSecurityGroupIngress', 'rds:StopDBInstance']) {
      expect(actionsOf(star[0])).not.toContain(a);
    }
  });

  test('A3 without containment the role can only investigate', () => {
    const sids = statements(props({ containment: undefined })).map((s) => s.Sid);
    expect(sids.filter((sid) => sid?.startsWith('Contain'))).toEqual([]);
  });

  test('U4 log event reads: this account and region only, never RDS log exports (/aws/rds/*), never Unmask', () => {
    const all = statements();
    const reads = bySid(all, 'ReadOperationalLogs');
    expect(actionsOf(reads).sort()).toEqual(['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:StartQuery']);
    expect(JSON.stringify(reads.Resource)).toMatch(
      /":logs:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":log-group:\*"/,
    );
    expect(
      actionsOf(bySid(all, 'InvestigateReadOnly')).filter((a) => /Log(Events|Record)|StartQuery|Unmask/.test(a)),
    ).toEqual([]);
    const denyRds = bySid(all, 'DenyPhiLogReads');
    expect(denyRds.Effect).toBe('Deny');
    expect(actionsOf(denyRds)).toEqual(expect.arrayContaining([...actionsOf(reads), 'logs:Unmask']));
    expect(JSON.stringify(denyRds.Resource)).toMatch(/:log-group:\/aws\/rds\/\*"/);
    expect(bySid(all, 'DenyUnmask')).toMatchObject({ Effect: 'Deny', Action: 'logs:Unmask', Resource: '*' });
  });

  test('V2 breakGlassWildcardFindings names the cdk-nag ids of every wildcard, per cluster', () => {
    const findings = breakGlassWildcardFindings(['hipaa-dev-phi', 'hipaa-prod-phi']);
    expect(findings).toEqual(
      expect.arrayContaining([
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Action::ec2:Describe*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:security-group/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service/hipaa-dev-phi/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/hipaa-prod-phi/*]',
      ]),
    );
    // Deny statements raise no finding.
    expect(findings.filter((f) => f.includes('/aws/rds/'))).toEqual([]);
  });
});

describe('breakGlassFilterPattern', () => {
  const arn = 'arn:aws:iam::123456789012:role/ops/BreakGlass';

  test('matches AssumeRole of exactly that role ARN', () => {
    const pattern = breakGlassFilterPattern(arn);
    expect(pattern).toContain(`$.requestParameters.roleArn = "${arn}"`);
    expect(pattern).toContain('$.eventName = "AssumeRole"');
    expect(pattern).toContain('$.eventSource = "sts.amazonaws.com"');
    expect(isBalanced(pattern)).toBe(true);
    expect(pattern.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
  });

  test('accepts ARNs holding unresolved CDK tokens', () => {
    const tokenArn = 'arn:${Token[AWS.Partition.9]}:iam::${Token[AWS.AccountId.6]}:role/BreakGlass';
    expect(breakGlassFilterPattern(tokenArn)).toContain(tokenArn);
    expect(breakGlassFilterPattern('${Token[TOKEN.21]}')).toContain('"${Token[TOKEN.21]}"');
  });

  test('rejects values that are not a role ARN or would break the pattern', () => {
    for (const bad of [
      '',
      'BreakGlass',
      'arn:aws:iam::123456789012:user/alice',
      'arn:aws:iam::123456789012:role/x" || ($.a = "b',
    ]) {
      expect(() => breakGlassFilterPattern(bad)).toThrow(/not an IAM role ARN/);
    }
    expect(() => breakGlassFilterPattern(`arn:aws:iam::123456789012:role/${'a'.repeat(1000)}`)).toThrow();
  });
});
