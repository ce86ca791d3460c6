import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnVPCEndpoint } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';
import { SegmentedVpc } from '../../../../constructs/segmented-vpc';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { VpcEndpointPolicyThisAccount } from '../../../../lib/compliance/gate/rules/vpc-endpoint-policy-this-account';
import { DEFAULT_INTERFACE_ENDPOINTS, HIPAA_MIN_RETENTION_DAYS } from '../../../../lib/config';

type Statement = Record<string, unknown> & { Sid?: string; Condition?: Record<string, Record<string, unknown>> };

function endpoints(): Map<string, CfnVPCEndpoint> {
  const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Network', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  new SegmentedVpc(stack, 'PhiVpc', {
    cidr: '10.10.0.0/16',
    azCount: 2,
    internetEgress: 'none',
    databasePort: 5433,
    interfaceEndpoints: DEFAULT_INTERFACE_ENDPOINTS,
    flowLogKey: new Key(stack, 'Key'),
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
});
