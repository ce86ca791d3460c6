import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnVPCEndpoint } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';
import { guardDutyAgentRepositoryArn } from '../../../../constructs/guard-duty-agent-repository';
import { RESOURCE_LESS_ENDPOINT_ACTIONS } from '../../../../constructs/interface-endpoint-policies';
import { SegmentedVpc } from '../../../../constructs/segmented-vpc';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import {
  RESOURCE_LESS_ACTIONS,
  VpcEndpointPolicyThisAccount,
} from '../../../../lib/compliance/gate/rules/vpc-endpoint-policy-this-account';
import { DEFAULT_INTERFACE_ENDPOINTS, HIPAA_MIN_RETENTION_DAYS } from '../../../../lib/config';

type Statement = Record<string, unknown> & { Sid?: string; Condition?: Record<string, Record<string, unknown>> };

function endpoints(
  env: { account?: string; region?: string } = { account: '123456789012', region: 'us-east-1' },
): Map<string, CfnVPCEndpoint> {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Network', { env });
  new SegmentedVpc(stack, 'PhiVpc', {
    cidr: '10.10.0.0/16',
    azCount: 2,
    internetEgress: 'none',
    databasePort: 5433,
    interfaceEndpoints: DEFAULT_INTERFACE_ENDPOINTS,
    flowLogKey: new Key(stack, 'Key'),
    guardDutyAgentRepositoryArn: guardDutyAgentRepositoryArn('us-east-1'),
    retention: { logRetentionDays: HIPAA_MIN_RETENTION_DAYS, auditRetentionDays: 2192, auditLockMode: 'COMPLIANCE' },
  });
  const out = new Map<string, CfnVPCEndpoint>();
  for (const c of stack.node.findAll()) {
    if (c instanceof CfnVPCEndpoint) out.set(c.node.scope!.node.id, c);
  }
  return out;
}

/** Replaces the endpoint's policy statements (a hand edit of the template). */
function edit(endpoint: CfnResource, f: (statements: Statement[]) => Statement[]): CfnResource {
  const doc = Stack.of(endpoint).resolve((endpoint as CfnVPCEndpoint).policyDocument) as { Statement: Statement[] };
  endpoint.addPropertyOverride('PolicyDocument.Statement', f(doc.Statement));
  return endpoint;
}

describe('VpcEndpointPolicyThisAccount', () => {
  test('N3 U6 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === VpcEndpointPolicyThisAccount)?.safeguards).toEqual(['N3', 'U6']);
  });

  test('N3 U6 passes on every gateway and interface endpoint of a SegmentedVpc', () => {
    const all = endpoints();
    expect([...all.keys()].sort()).toEqual(
      ['DynamoDB', 'S3', ...DEFAULT_INTERFACE_ENDPOINTS.map((n) => `Endpoint-${n}`)].sort(),
    );
    for (const endpoint of all.values())
      expect(VpcEndpointPolicyThisAccount(endpoint)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('N3 U6 fires on an endpoint without a policy (the default allows everything)', () => {
    for (const name of ['Endpoint-logs', 'S3']) {
      const endpoint = endpoints().get(name)!;
      endpoint.addPropertyDeletionOverride('PolicyDocument');
      expect(VpcEndpointPolicyThisAccount(endpoint)).toEqual(['PolicyDocument::none']);
    }
  });

  test('N3 U6 reads a policy written as a JSON string, and fires on one only deploy resolves', () => {
    const open = { Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] };
    const withPolicy = (name: string, policy: unknown): CfnResource => {
      const endpoint = endpoints().get(name)!;
      endpoint.addPropertyOverride('PolicyDocument', policy);
      return endpoint;
    };
    expect(VpcEndpointPolicyThisAccount(withPolicy('S3', JSON.stringify(open)))).toEqual(['Statement0-any-resource']);
    expect(VpcEndpointPolicyThisAccount(withPolicy('Endpoint-sns', JSON.stringify(open)))).toEqual([
      'Statement0-any-principal-account',
      'Statement0-any-resource-account',
    ]);
    // The shipped policy, as a string: read the same, it passes.
    const shipped = endpoints().get('S3')!;
    const text = JSON.stringify(Stack.of(shipped).resolve((shipped as CfnVPCEndpoint).policyDocument));
    expect(VpcEndpointPolicyThisAccount(withPolicy('S3', text))).toBe(NagRuleCompliance.COMPLIANT);
    expect(
      VpcEndpointPolicyThisAccount(
        withPolicy('S3', { 'Fn::Sub': [JSON.stringify(open), { A: { Ref: 'AWS::AccountId' } }] }),
      ),
    ).toEqual(['PolicyDocument::only-deploy-resolves']);
  });

  test("N3 U6 fires when an interface endpoint admits another account's principals or resources", () => {
    const dropCondition = (key: string) => (statements: Statement[]) =>
      statements.map((s) => {
        const rest = Object.fromEntries(Object.entries(s.Condition?.StringEquals ?? {}).filter(([k]) => k !== key));
        return { ...s, Condition: { StringEquals: rest } };
      });
    expect(
      VpcEndpointPolicyThisAccount(edit(endpoints().get('Endpoint-sns')!, dropCondition('aws:PrincipalAccount'))),
    ).toEqual(['Statement0-any-principal-account']);
    expect(
      VpcEndpointPolicyThisAccount(
        edit(endpoints().get('Endpoint-secretsmanager')!, dropCondition('aws:ResourceAccount')),
      ),
    ).toEqual(['Statement0-any-resource-account']);
    // Resource-less actions are allowed listed one by one, never as a wildcard.
    expect(
      VpcEndpointPolicyThisAccount(
        edit(endpoints().get('Endpoint-ecr.api')!, (st) => st.map((s, i) => (i === 1 ? { ...s, Action: 'ecr:*' } : s))),
      ),
    ).toEqual(['Statement1-any-resource-account']);
  });

  test("N3 U6 fires when a gateway endpoint admits any account's buckets", () => {
    expect(
      VpcEndpointPolicyThisAccount(
        edit(endpoints().get('S3')!, (st) =>
          st.map((s) => (s.Sid === 'ThisAccountBucketsOnly' ? { ...s, Condition: undefined } : s)),
        ),
      ),
    ).toEqual(['Statement0-any-resource']);
  });

  test('N3 U6 the gate allows every resource-less action the endpoint policies list (and no wildcard)', () => {
    for (const action of Object.values(RESOURCE_LESS_ENDPOINT_ACTIONS).flat())
      expect(RESOURCE_LESS_ACTIONS.has(action.toLowerCase())).toBe(true);
    expect([...RESOURCE_LESS_ACTIONS].filter((a) => /[*?]/.test(a))).toEqual([]);
  });

  test("N3 U6 passes GuardDuty's Fargate agent repository pulls and the resource-less actions, in any case", () => {
    const ecr = endpoints().get('Endpoint-ecr.dkr')!;
    expect(JSON.stringify(Stack.of(ecr).resolve(ecr.policyDocument))).toContain('aws-guardduty-agent-fargate');
    expect(VpcEndpointPolicyThisAccount(ecr)).toBe(NagRuleCompliance.COMPLIANT);
    expect(
      VpcEndpointPolicyThisAccount(
        edit(endpoints().get('Endpoint-sts')!, (st) =>
          st.map((s) =>
            s.Sid === 'ThisAccountPrincipalsResourceLessActions' ? { ...s, Action: 'STS:getCallerIdentity' } : s,
          ),
        ),
      ),
    ).toBe(NagRuleCompliance.COMPLIANT);
  });

  test("N3 U6 fires when an interface endpoint allows an action on any account's resource without aws:ResourceAccount", () => {
    const thisAccountPrincipals = { StringEquals: { 'aws:PrincipalAccount': '123456789012' } };
    const cases: Array<[string, unknown, unknown]> = [
      ['Endpoint-sns', 'sns:Publish', '*'],
      ['Endpoint-kinesis-firehose', 'firehose:PutRecord', '*'],
      ['Endpoint-sts', ['sts:GetCallerIdentity', 'sts:AssumeRole'], '*'],
      ['Endpoint-logs', 'logs:PutLogEvents', 'arn:aws:logs:us-east-1:999999999999:log-group:sink:*'],
      // Image pulls are allowed from GuardDuty's repository only, not from a repository of the same name elsewhere.
      [
        'Endpoint-ecr.dkr',
        'ecr:BatchGetImage',
        'arn:aws:ecr:us-east-1:999999999999:repository/aws-guardduty-agent-fargate',
      ],
    ];
    for (const [name, action, resource] of cases) {
      const endpoint = endpoints().get(name)!;
      const index = (Stack.of(endpoint).resolve(endpoint.policyDocument) as { Statement: Statement[] }).Statement
        .length;
      const added = {
        Effect: 'Allow',
        Principal: '*',
        Action: action,
        Resource: resource,
        Condition: thisAccountPrincipals,
      };
      expect([name, VpcEndpointPolicyThisAccount(edit(endpoint, (st) => [...st, added]))]).toEqual([
        name,
        [`Statement${index}-any-resource-account`],
      ]);
    }
  });

  test("N3 U6 fires when a condition names another account's principals or resources", () => {
    const foreign = (key: string) => (statements: Statement[]) =>
      statements.map((s, i) =>
        i === 0 ? { ...s, Condition: { StringEquals: { ...s.Condition!.StringEquals, [key]: '999999999999' } } } : s,
      );
    expect(
      VpcEndpointPolicyThisAccount(edit(endpoints().get('Endpoint-sns')!, foreign('aws:ResourceAccount'))),
    ).toEqual(['Statement0-any-resource-account']);
    expect(
      VpcEndpointPolicyThisAccount(edit(endpoints().get('Endpoint-sns')!, foreign('aws:PrincipalAccount'))),
    ).toEqual(['Statement0-any-principal-account']);
    expect(VpcEndpointPolicyThisAccount(edit(endpoints().get('S3')!, foreign('aws:ResourceAccount')))).toEqual([
      'Statement0-any-resource',
    ]);
  });

  test('N3 U6 fires when a gateway endpoint names a bucket that is not an AWS-owned one the blueprint needs', () => {
    const added = (Action: string, Resource: unknown) => ({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action,
      Resource,
    });
    const cases: Array<[string, unknown]> = [
      // The attack: a partner's drop object, named exactly.
      ['s3:PutObject', 'arn:aws:s3:::atk-sink-bucket-999999999999/drop/export.bin'],
      ['s3:PutObject', 'arn:aws:s3:::atk-sink-bucket-999999999999'],
      // Another region's layer bucket, a look-alike name, and an action the blueprint does not need there.
      ['s3:GetObject', 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'],
      ['s3:GetObject', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket-x/*'],
      ['s3:PutObject', 'arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*'],
      ['s3:GetObject', 'arn:aws:s3:::cloudformation-custom-resource-response-useast1/*'],
      // An AWS-owned object next to another one in the same statement.
      ['s3:GetObject', ['arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*', 'arn:aws:s3:::atk-sink/x']],
    ];
    for (const [action, resource] of cases) {
      expect([
        resource,
        VpcEndpointPolicyThisAccount(edit(endpoints().get('S3')!, (st) => [...st, added(action, resource)])),
      ]).toEqual([resource, ['Statement3-any-resource']]);
    }
  });

  test('N3 U6 judges the AWS-owned buckets by their shape where the stack states no region', () => {
    const agnostic = endpoints({});
    expect(VpcEndpointPolicyThisAccount(agnostic.get('Endpoint-sns')!)).toBe(NagRuleCompliance.COMPLIANT);
    const s3 = agnostic.get('S3')!;
    const only = (Action: string, Resource: unknown) => () => [
      { Effect: 'Allow', Principal: { AWS: '*' }, Action, Resource },
    ];
    expect(
      VpcEndpointPolicyThisAccount(
        edit(s3, only('s3:GetObject', 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*')),
      ),
    ).toBe(NagRuleCompliance.COMPLIANT);
    expect(
      VpcEndpointPolicyThisAccount(edit(s3, only('s3:PutObject', 'arn:aws:s3:::atk-sink-bucket-999999999999/drop/x'))),
    ).toEqual(['Statement0-any-resource']);
  });
});
