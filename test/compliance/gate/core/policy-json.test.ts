import {
  conditionSurelyFails,
  readPolicyDocument,
  RequestContext,
} from '../../../../lib/compliance/gate/core/policy-json';

const literal = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A role of account 123456789012 calling over TLS, not a service; its MFA unknown. */
const ROLE: RequestContext = {
  'aws:securetransport': ['true'],
  'aws:principalisawsservice': ['false'],
  'aws:principalaccount': ['123456789012'],
  'aws:principalarn': ['arn:aws:iam::123456789012:role/app-formatter'],
};
/** A service calling for account 123456789012: no principal account. */
const SERVICE: RequestContext = {
  'aws:securetransport': ['true'],
  'aws:principalisawsservice': ['true'],
  'aws:sourceaccount': ['123456789012'],
  'aws:principalaccount': null,
};
const fails = (condition: Record<string, Record<string, unknown>> | undefined, context: RequestContext) =>
  conditionSurelyFails(condition, context, literal);

describe('conditionSurelyFails (a deny read against what a request is known to carry)', () => {
  test('V2 no condition, or keys it does not know, never surely fail (a deny then applies)', () => {
    expect(fails(undefined, ROLE)).toBe(false);
    expect(fails({ StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': '*' } }, ROLE)).toBe(false);
    expect(fails({ 'ForAnyValue:StringEquals': { 'aws:PrincipalAccount': '999999999999' } }, ROLE)).toBe(false);
    expect(fails({ NumericLessThan: { 'aws:PrincipalAccount': '1' } }, ROLE)).toBe(false);
    // A value only deploy resolves.
    expect(fails({ StringEquals: { 'aws:PrincipalAccount': { Ref: 'Other' } } }, ROLE)).toBe(false);
  });

  test('V2 the TLS-only deny fails for a TLS request; a Bool on the service flag fails or holds by who asks', () => {
    expect(fails({ Bool: { 'aws:SecureTransport': 'false' } }, ROLE)).toBe(true);
    expect(fails({ Bool: { 'aws:PrincipalIsAWSService': 'true' } }, ROLE)).toBe(true);
    expect(fails({ Bool: { 'aws:PrincipalIsAWSService': 'true' } }, SERVICE)).toBe(false);
  });

  test("V2 negated operators hold for an absent key, positive ones do not, IfExists variants hold (the shipped topic policy's this-account deny)", () => {
    const onlyThisAccount = {
      StringNotEquals: { 'aws:PrincipalAccount': '123456789012' },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    };
    expect(fails(onlyThisAccount, ROLE)).toBe(true);
    expect(fails(onlyThisAccount, SERVICE)).toBe(true);
    expect(fails(onlyThisAccount, { ...ROLE, 'aws:principalaccount': ['999999999999'] })).toBe(false);
    expect(fails({ StringEquals: { 'aws:PrincipalAccount': '123456789012' } }, SERVICE)).toBe(true);
    expect(fails({ StringEqualsIfExists: { 'aws:PrincipalAccount': '999999999999' } }, SERVICE)).toBe(false);
    expect(fails({ Null: { 'aws:PrincipalAccount': 'true' } }, SERVICE)).toBe(false);
    expect(fails({ Null: { 'aws:PrincipalAccount': 'true' } }, ROLE)).toBe(true);
  });

  test('V2 Like and Arn operators match wildcards; case counts only where IAM says', () => {
    expect(fails({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/app-*' } }, ROLE)).toBe(false);
    expect(fails({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/app-*' } }, ROLE)).toBe(true);
    expect(fails({ StringEquals: { 'aws:PrincipalArn': 'ARN:AWS:IAM::123456789012:ROLE/APP-FORMATTER' } }, ROLE)).toBe(
      true,
    );
    expect(
      fails({ StringEqualsIgnoreCase: { 'aws:PrincipalArn': 'ARN:AWS:IAM::123456789012:ROLE/APP-FORMATTER' } }, ROLE),
    ).toBe(false);
  });
});

describe('readPolicyDocument: a policy document as CloudFormation hands it on', () => {
  const statement = { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'kms:*' };
  const document = { Version: '2012-10-17', Statement: [statement] };

  test('E1 an object is read whole', () => {
    expect(readPolicyDocument(document)).toEqual({ statements: [statement], unreadable: undefined });
  });

  test('E1 the same JSON written as a string is read as the service parses it', () => {
    expect(readPolicyDocument(JSON.stringify(document))).toEqual({ statements: [statement], unreadable: undefined });
    // One statement, not a list: IAM takes either.
    expect(readPolicyDocument(JSON.stringify({ Statement: statement })).statements).toEqual([statement]);
  });

  test('E1 what only deploy resolves, or what is not a policy, is unreadable', () => {
    expect(readPolicyDocument({ 'Fn::Sub': [JSON.stringify(document), { Var0: { Ref: 'AWS::AccountId' } }] })).toEqual({
      statements: [],
      unreadable: 'only-deploy-resolves',
    });
    expect(readPolicyDocument({ 'Fn::Join': ['', ['{"Statement":', '[]}']] }).unreadable).toBe('only-deploy-resolves');
    expect(readPolicyDocument('{"Statement": [')).toEqual({ statements: [], unreadable: 'not-json' });
    expect(readPolicyDocument('"text"').unreadable).toBe('not-an-object');
    expect(readPolicyDocument(undefined).unreadable).toBe('not-an-object');
    expect(readPolicyDocument([document]).unreadable).toBe('not-an-object');
    expect(readPolicyDocument({ Statement: { 'Fn::If': ['C', [statement], []] } }).unreadable).toBe(
      'statement-only-deploy-resolves',
    );
    // The second review of 2026-12-03: a key the gate does not read, or no Statement at all.
    expect(readPolicyDocument(JSON.stringify({ statement: [statement] }))).toEqual({
      statements: [],
      unreadable: 'unknown-element',
    });
    expect(readPolicyDocument('{}')).toEqual({ statements: [], unreadable: 'no-statement' });
    // A key twice (the attacker review of 2026-12-03): JSON.parse reads the last Effect, the service perhaps the first.
    const twice = `{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*", "Effect": "Deny"}]}`;
    expect(JSON.parse(twice).Statement[0].Effect).toBe('Deny');
    expect(readPolicyDocument(twice)).toEqual({ statements: [], unreadable: 'duplicate-key' });
    expect(readPolicyDocument('{"Statement": [], "Statement": [{"Effect": "Allow"}]}').unreadable).toBe(
      'duplicate-key',
    );
    expect(readPolicyDocument({ Version: '2012-10-17', Id: 'key-policy', Statement: [] }).unreadable).toBeUndefined();
  });

  test('E1 a statement only deploy resolves, or whose Effect or actions are not written out, leaves the rest read', () => {
    const deny = { Effect: 'Deny', Principal: '*', Action: 'kms:ScheduleKeyDeletion' };
    for (const hidden of [
      { 'Fn::If': ['C', statement, { Ref: 'AWS::NoValue' }] },
      { ...statement, Effect: { 'Fn::Select': [0, ['Allow']] } },
      { ...statement, Effect: 'allow' },
      { ...statement, Action: { 'Fn::Split': [',', 'kms:Decrypt,kms:Encrypt'] } },
      { ...statement, Action: ['kms:Encrypt', { Ref: 'Action' }] },
      { ...statement, Action: undefined, NotAction: [{ Ref: 'Action' }] },
      // The second review of 2026-12-03: a whole Principal, Resource or Condition only deploy resolves.
      { ...statement, Principal: { 'Fn::If': ['Open', '*', { AWS: 'arn:aws:iam::123456789012:root' }] } },
      { ...statement, Principal: undefined, NotPrincipal: { 'Fn::Select': [0, ['*']] } },
      { ...statement, Resource: { 'Fn::If': ['Open', '*', 'arn:aws:kms:us-east-1:123456789012:key/k'] } },
      { ...statement, Condition: { 'Fn::If': ['Open', {}, { Bool: { 'aws:SecureTransport': 'true' } }] } },
      'Allow everything',
    ]) {
      expect(readPolicyDocument({ Statement: [deny, hidden] })).toEqual({
        statements: [deny],
        unreadable: 'statement-only-deploy-resolves',
      });
    }
  });
});
