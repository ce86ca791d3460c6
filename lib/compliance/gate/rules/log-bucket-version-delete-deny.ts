import { CfnResource } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { stringForms, UNKNOWN_PART } from '../core/string-forms';
import { isObject, localAttribute, localTarget, TemplateJson } from '../core/template-json';
import { isLogBucket, LOG_DELIVERY_SERVICES } from './log-bucket-shape';
import {
  bucketPolicyStatements,
  conditionValues,
  deniesToEveryone,
  entries,
  PolicyStatementJson,
  StackEnvironment,
  unconditional,
} from './policy-statements';
import { stackEnvironmentOf, viewOf } from './template-view';

/** The account of an IAM or STS principal ARN (a 12-digit id or the stack's own `<AWS::AccountId>`), or a bare id. */
const PRINCIPAL_ACCOUNT =
  /^(?:arn:(?:<AWS::Partition>|[^:<]+):(?:iam|sts)::(\d{12}|<AWS::AccountId>):.+|(\d{12}|<AWS::AccountId>))$/;

/** Whether `form` (a string form of a policy value) is the stack's own account: the pseudo parameter, or its id. */
const isThisAccount = (form: string, env: StackEnvironment): boolean =>
  form === '<AWS::AccountId>' || (env.account !== undefined && form === env.account);

/**
 * Whether every value `value` may take at deploy is the stack's own account (core/string-forms). `anyLiteral`: where
 * the stack's account is not known (a template checked as a file), a literal 12-digit id may be it.
 */
function namesThisAccount(value: unknown, template: TemplateJson, env: StackEnvironment, anyLiteral: boolean): boolean {
  const { forms, complete } = stringForms(value, template);
  const literalAllowed = anyLiteral && env.account === undefined;
  return (
    complete && forms.length > 0 && forms.every((f) => isThisAccount(f, env) || (literalAllowed && /^\d{12}$/.test(f)))
  );
}

/**
 * Whether the statement applies only to requests from this account: a positive condition (StringEquals, ArnEquals and
 * their kin, no IfExists) on `keys` whose every value is this account. An Allow may add conditions; they only narrow it.
 * `anyLiteral` as for namesThisAccount.
 */
function limitedToThisAccount(
  statement: PolicyStatementJson,
  keys: readonly string[],
  template: TemplateJson,
  env: StackEnvironment,
  anyLiteral = false,
): boolean {
  return keys.some((key) => {
    const values = conditionValues(statement.Condition, key, 'positive');
    return (
      values !== undefined && values.length > 0 && values.every((v) => namesThisAccount(v, template, env, anyLiteral))
    );
  });
}

/**
 * The Elastic Load Balancing accounts that may write access logs of the stack's region (aws-cdk-lib RegionInfo
 * elbv2Account, what AccessLogBucket.receiveLoadBalancerLogsFrom grants); of every region when the region is not known.
 */
function elbAccounts(region: string | undefined): string[] {
  const regions = region === undefined ? RegionInfo.regions : [RegionInfo.get(region)];
  return regions.map((r) => r.elbv2Account).filter((a): a is string => a !== undefined);
}

/** Whether the statement allows s3:PutObject only (the ELB account's grant: it writes logs, it reads nothing). */
const onlyPutObject = (s: PolicyStatementJson): boolean =>
  s.NotAction === undefined &&
  entries(s.Action).length > 0 &&
  entries(s.Action).every((a) => typeof a === 'string' && a.toLowerCase() === 's3:putobject');

/**
 * The kind of finding for one entry of a Principal's `AWS` list, or undefined when it is a principal of this account:
 * a role or user of the template (Fn::GetAtt Arn), an ARN or id of this account (a literal equal to the stack's
 * account, or `AWS::AccountId`), or everyone under a condition to this account (aws:PrincipalAccount or
 * aws:SourceAccount); or the ELB account of the region granted s3:PutObject only.
 */
function awsPrincipalProblem(
  value: unknown,
  statement: PolicyStatementJson,
  template: TemplateJson,
  env: StackEnvironment,
): string | undefined {
  if (value === '*') {
    return limitedToThisAccount(statement, ['aws:PrincipalAccount', 'aws:SourceAccount'], template, env)
      ? undefined
      : 'any-principal';
  }
  const target = localTarget(value);
  if (target !== undefined && localAttribute(value) === 'Arn') {
    const type = template.Resources?.[target]?.Type;
    return type === 'AWS::IAM::Role' || type === 'AWS::IAM::User' ? undefined : 'unresolved';
  }
  const { forms, complete } = stringForms(value, template);
  if (!complete || forms.length === 0) return 'unresolved';
  for (const form of forms) {
    if (form.includes(UNKNOWN_PART)) return 'unresolved';
    const match = PRINCIPAL_ACCOUNT.exec(form);
    const account = match?.[1] ?? match?.[2];
    if (account === undefined) return 'unresolved';
    if (isThisAccount(account, env)) continue;
    if (
      elbAccounts(env.region).includes(account) &&
      /^(?:arn:(?:<AWS::Partition>|[^:<]+):iam::\d{12}:root|\d{12})$/.test(form)
    ) {
      if (onlyPutObject(statement)) continue;
      return 'elb-account-beyond-put';
    }
    return 'another-account';
  }
  return undefined;
}

/**
 * U3 A3: the kinds of Allow grants of a log bucket's policy to principals outside this account, as `Allow[<Sid or
 * #index>]::<kind>` findings. Access logs name every object key (record ids), requester ARN and source address, and a
 * trail's or Config's logs describe the whole account: only this account reads them. Each statement that may allow
 * (Effect not Deny: an Effect only deploy resolves counts) names as principals only this account's (awsPrincipalProblem)
 * and the services that deliver logs (LOG_DELIVERY_SERVICES), each such statement under aws:SourceAccount = this account
 * (every service statement the blueprint writes carries it: the confused-deputy guard). NotPrincipal (everyone else),
 * Federated or CanonicalUser principals, and a Principal only deploy resolves are findings too.
 */
function foreignGrants(
  statements: readonly PolicyStatementJson[],
  template: TemplateJson,
  env: StackEnvironment,
): string[] {
  const findings = new Set<string>();
  statements.forEach((statement, index) => {
    if (!isObject(statement) || statement.Effect === 'Deny') return;
    const key = `Allow[${typeof statement.Sid === 'string' ? statement.Sid : `#${index}`}]`;
    if (statement.NotPrincipal !== undefined) findings.add(`${key}::not-principal`);
    const principal = statement.Principal;
    if (principal === '*') {
      const problem = awsPrincipalProblem('*', statement, template, env);
      if (problem !== undefined) findings.add(`${key}::${problem}`);
      return;
    }
    if (!isObject(principal)) {
      if (statement.NotPrincipal === undefined) findings.add(`${key}::unresolved`);
      return;
    }
    for (const [kind, values] of Object.entries(principal)) {
      if (kind === 'AWS') {
        for (const value of entries(values)) {
          const problem = awsPrincipalProblem(value, statement, template, env);
          if (problem !== undefined) findings.add(`${key}::${problem}`);
        }
      } else if (kind === 'Service') {
        const known = entries(values).every(
          (v) => typeof v === 'string' && LOG_DELIVERY_SERVICES.includes(v.toLowerCase()),
        );
        if (!known) findings.add(`${key}::unknown-service`);
        // The confused-deputy guard: the service acts for this account's resources only. Where the stack's account
        // is not known, a literal account id is taken as its own (the principal is a log delivery service either way).
        if (!limitedToThisAccount(statement, ['aws:SourceAccount'], template, env, true)) {
          findings.add(`${key}::service-without-source-account`);
        }
      } else {
        findings.add(`${key}::${/^[A-Za-z]+$/.test(kind) ? kind : 'unresolved'}`);
      }
    }
  });
  return [...findings];
}

/**
 * U3 U6: every log bucket (template metadata HipaaBlueprint::LogBucket: the access log buckets, the AWS Config
 * delivery bucket, the audit archive; or, marker deleted, a bucket its template delivers logs to or lets a log delivery
 * service write: log-bucket-shape; LogDestinationsMarked follows writers in other stacks)
 * denies s3:DeleteObjectVersion on all its objects to everyone, with no condition: versioning keeps what is
 * overwritten or deleted only while no one can delete the versions. U3 A3: and its policy allows no one outside this
 * account (foreignGrants): the log delivery services under aws:SourceAccount, this account's principals, and the
 * region's Elastic Load Balancing account writing only.
 */
export function LogBucketVersionDeleteDeny(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') return NagRuleCompliance.NOT_APPLICABLE;
  // Marked in the template as it deploys, or a log bucket by the template's shape (log-bucket-shape).
  const { resource, stack, logicalId } = viewOf(node);
  if (!isLogBucket(resource, stack.template, logicalId)) return NagRuleCompliance.NOT_APPLICABLE;
  const statements = bucketPolicyStatements(node);
  const findings = deniesToEveryone(statements, ['s3:DeleteObjectVersion'], 'objects', unconditional, logicalId)
    ? []
    : ['VersionDeletes::not-denied'];
  findings.push(...foreignGrants(statements, stack.template, stackEnvironmentOf(node)));
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
