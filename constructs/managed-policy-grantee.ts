import {
  AddToPrincipalPolicyResult,
  IGrantable,
  IPrincipal,
  IRole,
  ManagedPolicy,
  PolicyStatement,
  PrincipalPolicyFragment,
} from 'aws-cdk-lib/aws-iam';

/**
 * A grantee that writes every grant into one customer-managed policy attached to a role, instead of
 * the role's inline default policy (HIPAA.Security/NIST.800.53.R5-IAMNoInlinePolicy). Pass it to
 * `bucket.grantRead(grantee)`, `secret.grantRead(grantee)`, `repository.grantPull(grantee)`: the
 * statements land in `policy`, which a test and a reviewer can read in one place (A3).
 */
export class ManagedPolicyGrantee implements IPrincipal, IGrantable {
  public readonly grantPrincipal: IPrincipal = this;
  public readonly assumeRoleAction: string;
  public readonly policyFragment: PrincipalPolicyFragment;
  public readonly principalAccount: string | undefined;

  /**
   * @param role the role whose permissions these are
   * @param policy a customer-managed policy attached to that role; grants are added to it
   */
  constructor(
    public readonly role: IRole,
    public readonly policy: ManagedPolicy,
  ) {
    this.assumeRoleAction = role.assumeRoleAction;
    this.policyFragment = role.policyFragment;
    this.principalAccount = role.principalAccount;
  }

  public addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }

  /** @deprecated use addToPrincipalPolicy */
  public addToPolicy(statement: PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }
}
