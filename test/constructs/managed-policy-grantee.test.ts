import { Template } from 'aws-cdk-lib/assertions';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { ManagedPolicyGrantee } from '../../constructs/managed-policy-grantee';
import { fixtureStack } from '../support/construct-fixtures';

/** A role, its customer-managed policy, the grantee writing into it, and what it is granted. */
function granted(): { template: Template; grantee: ManagedPolicyGrantee; role: Role; policy: ManagedPolicy } {
  const s = fixtureStack();
  const role = new Role(s, 'TaskRole', { assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com') });
  const policy = new ManagedPolicy(s, 'TaskPolicy', { roles: [role] });
  const grantee = new ManagedPolicyGrantee(role, policy);
  Bucket.fromBucketName(s, 'Phi', 'hipaa-test-phi').grantRead(grantee, 'api/*');
  Secret.fromSecretNameV2(s, 'ApiKey', 'api-key').grantRead(grantee);
  return { template: Template.fromStack(s), grantee, role, policy };
}

describe('ManagedPolicyGrantee', () => {
  const { template, grantee, role, policy } = granted();

  it('A3 grants land in the one customer-managed policy, never in an inline policy of the role', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    const [managed] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const actions = (managed.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((st) =>
      [st.Action].flat(),
    );
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*', 'secretsmanager:GetSecretValue']));
    const [r] = Object.values(template.findResources('AWS::IAM::Role'));
    expect(r.Properties.Policies).toBeUndefined();
    expect(r.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('A3 it acts as the role: same principal for trust, account and policy fragment; grants name the role', () => {
    expect(grantee.grantPrincipal).toBe(grantee);
    expect(grantee.role).toBe(role);
    expect(grantee.policy).toBe(policy);
    expect(grantee.assumeRoleAction).toBe(role.assumeRoleAction);
    expect(grantee.principalAccount).toBe(role.principalAccount);
    expect(grantee.policyFragment).toBe(role.policyFragment);
  });

  it('A3 addToPrincipalPolicy (and the deprecated addToPolicy) add to the policy and make it the dependable', () => {
    const s = fixtureStack();
    const r = new Role(s, 'R', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const p = new ManagedPolicy(s, 'P', { roles: [r] });
    const g = new ManagedPolicyGrantee(r, p);
    const result = g.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }));
    expect(result).toEqual({ statementAdded: true, policyDependable: p });
    expect(g.addToPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }))).toBe(true);
    const [managed] = Object.values(Template.fromStack(s).findResources('AWS::IAM::ManagedPolicy'));
    const actions = (managed.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((st) =>
      [st.Action].flat(),
    );
    // Merged into one statement by @aws-cdk/aws-iam:minimizePolicies (cdk.json).
    expect(actions.sort()).toEqual(['sns:Publish', 'sqs:SendMessage']);
  });
});
