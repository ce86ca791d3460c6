import { App, Stack } from 'aws-cdk-lib';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';
import { markNamedKeyUsers } from '../../../../constructs/core';
import { KEY_DOMAINS, KeyUsage } from '../../../../constructs/key-usage';
import { ManagedKey } from '../../../../constructs/managed-key';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import { KeyUseByNamedPrincipals } from '../../../../lib/compliance/gate/rules/key-use-by-named-principals';

const ACCOUNT = '123456789012';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const stack = (): Stack =>
  new Stack(new App({ builtinCloudFormationValidation: false }), 'Keys', {
    env: { account: ACCOUNT, region: 'us-east-1' },
  });

function managed(usage: KeyUsage): CfnKey {
  return new ManagedKey(stack(), 'K', {
    alias: 'test/k',
    description: 'd',
    usage,
    administratorArns: [`arn:aws:iam::${ACCOUNT}:role/Deployment`],
    users: usage.namedUsersOnly
      ? Object.fromEntries(usage.viaServices.map((s) => [s, [`arn:aws:iam::${ACCOUNT}:role/User`]]))
      : undefined,
  }).key.node.defaultChild as CfnKey;
}

/** A key marked NamedKeyUsers whose policy is exactly `statements`. */
function marked(...statements: Record<string, unknown>[]): CfnKey {
  const key = new CfnKey(stack(), 'Raw', { keyPolicy: { Version: '2012-10-17', Statement: statements } });
  markNamedKeyUsers(key, { safeguards: ['E1'] });
  return key;
}

const allow = (action: string | string[], condition?: Record<string, unknown>, principal: unknown = { AWS: ROOT }) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: action,
  Resource: '*',
  ...(condition ? { Condition: condition } : {}),
});
const viaS3 = { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 's3.us-east-1.amazonaws.com' } };

describe('KeyUseByNamedPrincipals', () => {
  test('E1 A3 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === KeyUseByNamedPrincipals)?.safeguards).toEqual(['E1', 'A3']);
  });

  test.each(['phi', 'audit', 'backup'] as const)('E1 passes on the blueprint %s key with named principals', (d) => {
    expect(KeyUseByNamedPrincipals(managed(KEY_DOMAINS[d].usage))).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('E1 does not apply to a key not limited to named users (the operations key)', () => {
    expect(KeyUseByNamedPrincipals(managed(KEY_DOMAINS.operations.usage))).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test('E1 fires on use through a service by the whole account (no aws:PrincipalArn)', () => {
    expect(KeyUseByNamedPrincipals(marked(allow(['kms:Decrypt', 'kms:GenerateDataKey*'], viaS3)))).toEqual([
      'KeyPolicy::Statement0-whole-account-use',
    ]);
  });

  test('E1 fires on a grant or wildcard action that amounts to use, and on Principal * held only to the account', () => {
    expect(KeyUseByNamedPrincipals(marked(allow('kms:Create*', viaS3)))).toEqual([
      'KeyPolicy::Statement0-whole-account-use',
    ]);
    expect(
      KeyUseByNamedPrincipals(marked(allow('kms:Decrypt', { StringEquals: { 'kms:CallerAccount': ACCOUNT } }, '*'))),
    ).toEqual(['KeyPolicy::Statement0-whole-account-use']);
  });

  test('E1 fires on administration by the whole account (the account root without a principal condition)', () => {
    expect(KeyUseByNamedPrincipals(marked(allow(['kms:PutKeyPolicy', 'kms:DescribeKey'])))).toEqual([
      'KeyPolicy::Statement0-whole-account-administration',
    ]);
  });

  test('E1 fires on a wildcard principal ARN and on a condition that holds when the key is absent', () => {
    expect(
      KeyUseByNamedPrincipals(
        marked(allow('kms:Decrypt', { ...viaS3, ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/*` } })),
      ),
    ).toEqual(['KeyPolicy::Statement0-principal-arn-wildcard']);
    expect(
      KeyUseByNamedPrincipals(
        marked(
          allow('kms:Decrypt', {
            ...viaS3,
            ArnEqualsIfExists: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/A` },
          }),
        ),
      ),
    ).toEqual(['KeyPolicy::Statement0-whole-account-use']);
  });

  test('E1 passes on read-only metadata for the account, named roles in Principal, the root user as lockout, and services', () => {
    expect(
      KeyUseByNamedPrincipals(
        marked(
          allow(['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus']),
          allow('kms:Decrypt', viaS3, { AWS: `arn:aws:iam::${ACCOUNT}:role/Task` }),
          allow('kms:PutKeyPolicy', { ArnEquals: { 'aws:PrincipalArn': ROOT } }),
          allow('kms:Decrypt', { StringEquals: { 'aws:SourceAccount': ACCOUNT } }, { Service: 'config.amazonaws.com' }),
        ),
      ),
    ).toBe(NagRuleCompliance.COMPLIANT);
  });
  test('E1 reads a policy written as a JSON string; fires on one only deploy resolves, and on none (the default policy)', () => {
    const withPolicy = (keyPolicy: unknown): CfnKey => {
      const key = new CfnKey(stack(), 'Raw', { keyPolicy });
      markNamedKeyUsers(key, { safeguards: ['E1'] });
      return key;
    };
    const document = { Version: '2012-10-17', Statement: [allow('kms:*')] };
    expect(KeyUseByNamedPrincipals(withPolicy(JSON.stringify(document)))).toEqual([
      'KeyPolicy::Statement0-whole-account-use',
    ]);
    expect(
      KeyUseByNamedPrincipals(
        withPolicy({ 'Fn::Sub': [JSON.stringify(document), { Var0: { Ref: 'AWS::AccountId' } }] }),
      ),
    ).toEqual(['KeyPolicy::only-deploy-resolves']);
    expect(
      KeyUseByNamedPrincipals(
        withPolicy({ Statement: [{ ...allow('kms:Decrypt'), Effect: { 'Fn::Select': [0, ['Allow']] } }] }),
      ),
    ).toEqual(['KeyPolicy::statement-only-deploy-resolves']);
    expect(KeyUseByNamedPrincipals(withPolicy(undefined))).toEqual(['KeyPolicy::absent']);
  });
});
