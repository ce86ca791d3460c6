import { App, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance } from 'cdk-nag';
import { PHI_STORE_TEMPLATE_METADATA } from '../../../../constructs/core';
import { PhiBucket } from '../../../../constructs/phi-bucket';
import { PROJECT_RULES } from '../../../../lib/compliance/gate/blueprint-checks';
import {
  conditionHolds,
  PhiBucketWritesUnderItsKey,
} from '../../../../lib/compliance/gate/rules/phi-bucket-writes-under-its-key';
import { phiBucket } from './phi-bucket-fixture';
import { editStatement, overrideBucketStatements, Statement, without } from '../../../support/policy-overrides';

const SSE = 's3:x-amz-server-side-encryption';
const KEY_ID = 's3:x-amz-server-side-encryption-aws-kms-key-id';
const OTHER_KEY = 'arn:aws:kms:us-east-1:123456789012:key/99999999-8888-7777-6666-555555555555';

const check = (phi: PhiBucket) => PhiBucketWritesUnderItsKey(phi.bucket.node.defaultChild as CfnBucket);

/** The rule's findings after one edit of the PHI bucket's policy. */
function after(edit: (statements: Statement[]) => Statement[]) {
  const phi = phiBucket();
  overrideBucketStatements(phi.bucket, edit);
  return check(phi);
}

const finding = (...writes: string[]) => writes.map((w) => `WriteEncryption::${w}-not-denied`);

describe('PhiBucketWritesUnderItsKey', () => {
  test('E2 is in PROJECT_RULES', () => {
    expect(PROJECT_RULES.find((r) => r.rule === PhiBucketWritesUnderItsKey)?.safeguards).toEqual(['E2']);
  });

  test('E2 passes on a PhiBucket, and does not apply to a bucket that is not a PHI store', () => {
    expect(check(phiBucket())).toBe(NagRuleCompliance.COMPLIANT);
    expect(PhiBucketWritesUnderItsKey(new CfnBucket(new Stack(new App(), 'S'), 'B'))).toBe(
      NagRuleCompliance.NOT_APPLICABLE,
    );
  });

  test('E2 passes with the denies written another way IAM reads the same: Null values as JSON booleans, object ARNs joined from the partition or substituted', () => {
    const booleans = (statements: Statement[]): Statement[] =>
      statements.map((s) => {
        const nulls = s.Condition?.Null as Record<string, unknown> | undefined;
        if (nulls === undefined) return s;
        const asBoolean = Object.fromEntries(Object.entries(nulls).map(([k, v]) => [k, v === 'true']));
        return { ...s, Condition: { ...s.Condition, Null: asBoolean } };
      });
    expect(after(booleans)).toBe(NagRuleCompliance.COMPLIANT);
    // The edit reached the denies it is about: four Null tests, each now a boolean.
    const rewrittenNulls = booleans(
      (phiBucket().bucket.policy!.document.toJSON() as { Statement: Statement[] }).Statement,
    ).flatMap((s) => Object.values((s.Condition?.Null as Record<string, unknown>) ?? {}));
    expect(rewrittenNulls.length).toBe(4);
    expect(rewrittenNulls.every((v) => typeof v === 'boolean')).toBe(true);
    const bucketId = (r: unknown): string =>
      (r as { 'Fn::Join': [string, [{ 'Fn::GetAtt': [string] }]] })['Fn::Join'][1][0]['Fn::GetAtt'][0];
    const forms: Record<string, (id: string) => unknown> = {
      joined: (id) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: id }, '/*']] }),
      substituted: (id) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${${id}}/*` }),
      'substituted Arn': (id) => ({ 'Fn::Sub': `\${${id}.Arn}/*` }),
    };
    for (const [name, form] of Object.entries(forms)) {
      const rewritten = (statements: Statement[]): Statement[] =>
        statements.map((s) =>
          /^DenyObjectWrites/.test(s.Sid ?? '') ? { ...s, Resource: form(bucketId(s.Resource)) } : s,
        );
      expect({ name, result: after(rewritten) }).toEqual({ name, result: NagRuleCompliance.COMPLIANT });
    }
  });

  test('E2 fires for each encryption a writer may ask for once its deny is removed', () => {
    // DSSE without a key id is refused by the "not aws:kms" deny alone: the aws:kms-without-key deny tests aws:kms.
    expect(after(without('DenyObjectWritesNotSseKms'))).toEqual(finding('sse-s3', 'aws-managed-key'));
    expect(after(without('DenyObjectWritesSseKmsWithoutKeyId'))).toEqual(finding('aws-managed-key'));
    expect(after(without('DenyObjectWritesWithAnotherKey'))).toEqual(finding('another-key'));
    expect(after(without('DenyObjectWritesSseC'))).toEqual(finding('sse-c'));
  });

  test('E2 fires when a deny is narrowed: another condition key, an operator it does not read, fewer actions, objects or principals', () => {
    const narrowed: Record<string, (s: Statement) => Statement> = {
      'a principal tag nobody has': (s) => ({
        ...s,
        Condition: { ...s.Condition, StringEquals: { 'aws:PrincipalTag/nobody': 'true' } },
      }),
      'a set operator on the header': (s) => ({
        ...s,
        Condition: { 'ForAnyValue:StringLike': { 's3:x-amz-server-side-encryption-customer-algorithm': '*' } },
      }),
      'an exception for principals with a tag': (s) => ({
        ...s,
        Condition: { ...s.Condition, StringNotEquals: { 'aws:PrincipalTag/team': 'writers' } },
      }),
      'an exception for one role': (s) => ({
        ...s,
        Condition: { ...s.Condition, ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:role/writer' } },
      }),
      'a key prefix': (s) => ({ ...s, Resource: 'arn:aws:s3:::app-env-phi-data-123456789012-us-east-1/records/*' }),
      'another action': (s) => ({ ...s, Action: 's3:GetObject' }),
      NotResource: (s) => ({ ...s, Resource: undefined, NotResource: 'arn:aws:s3:::elsewhere/*' }),
      'one principal': (s) => ({ ...s, Principal: { AWS: 'arn:aws:iam::123456789012:role/x' } }),
      'Allow instead of Deny': (s) => ({ ...s, Effect: 'Allow' }),
    };
    for (const [how, edit] of Object.entries(narrowed)) {
      expect([how, after(editStatement('DenyObjectWritesSseC', edit))]).toEqual([how, finding('sse-c')]);
    }
  });

  test('E2 fires when the other-key deny exempts a key other than the default encryption key, or any key', () => {
    const otherKeyDeny = (condition: Statement['Condition']) =>
      after(editStatement('DenyObjectWritesWithAnotherKey', (s) => ({ ...s, Condition: condition })));
    expect(otherKeyDeny({ Null: { [KEY_ID]: 'false' }, StringNotEquals: { [KEY_ID]: OTHER_KEY } })).toEqual(
      finding('another-key'),
    );
    expect(otherKeyDeny({ Null: { [KEY_ID]: 'false' }, StringNotLike: { [KEY_ID]: 'arn:aws:kms:*' } })).toEqual(
      finding('another-key'),
    );
    // Narrowed to key ARNs: a writer sending a key id or an alias (alias/aws/s3) is not denied.
    const phiKey = (s: Statement) => (s.Condition!.StringNotEquals as Record<string, unknown>)[KEY_ID];
    expect(
      after(
        editStatement('DenyObjectWritesWithAnotherKey', (s) => ({
          ...s,
          Condition: { StringNotEquals: { [KEY_ID]: phiKey(s) }, StringLike: { [KEY_ID]: 'arn:*' } },
        })),
      ),
    ).toEqual(finding('another-key'));
    const phi = phiBucket();
    overrideBucketStatements(
      phi.bucket,
      editStatement('DenyObjectWritesWithAnotherKey', (s) => {
        const own = (s.Condition!.StringNotEquals as Record<string, unknown>)[KEY_ID];
        return { ...s, Condition: { ...s.Condition, StringNotEquals: { [KEY_ID]: [own, OTHER_KEY] } } };
      }),
    );
    expect(check(phi)).toEqual(finding('another-key'));
  });

  test('E2 fires when a deny reads a value only deploy or the request decides: a token action or value, a policy variable', () => {
    const aes256 = { 'Fn::Join': ['', ['AES', '256']] };
    const cases: Record<string, [string, (s: Statement) => Statement, string[]]> = {
      'an action joined at deploy': [
        'DenyObjectWritesSseC',
        (s) => ({ ...s, Action: { 'Fn::Join': ['', ['s3:PutObject', 'Acl']] } }),
        finding('sse-c'),
      ],
      'an algorithm joined at deploy': [
        'DenyObjectWritesNotSseKms',
        (s) => ({ ...s, Condition: { ...s.Condition, StringNotEquals: { [SSE]: ['aws:kms', aes256] } } }),
        finding('sse-s3', 'aws-managed-key'),
      ],
      'a policy variable with a default': [
        'DenyObjectWritesNotSseKms',
        (s) => ({
          ...s,
          Condition: { ...s.Condition, StringNotEquals: { [SSE]: ['aws:kms', "${aws:PrincipalTag/x, 'AES256'}"] } },
        }),
        finding('sse-s3', 'aws-managed-key'),
      ],
    };
    for (const [how, [sid, edit, expected]] of Object.entries(cases)) {
      expect([how, after(editStatement(sid, edit))]).toEqual([how, expected]);
    }
  });

  test('E2 applies to a bucket named as a PHI bucket whose marker was deleted', () => {
    const phi = phiBucket();
    const cfn = phi.bucket.node.defaultChild as CfnBucket;
    cfn.cfnOptions.metadata = { ...cfn.cfnOptions.metadata, [PHI_STORE_TEMPLATE_METADATA]: undefined };
    overrideBucketStatements(phi.bucket, without('DenyObjectWritesSseC'));
    expect(check(phi)).toEqual(finding('sse-c'));
  });

  test('E2 passes with wider or differently written denies: every S3 action, no Null guard, keys in another case', () => {
    expect(after(editStatement('DenyObjectWritesSseC', (s) => ({ ...s, Action: 's3:*', Resource: '*' })))).toBe(
      NagRuleCompliance.COMPLIANT,
    );
    expect(
      after(
        editStatement('DenyObjectWritesNotSseKms', (s) => ({
          ...s,
          Condition: { StringNotEquals: { 'S3:X-Amz-Server-Side-Encryption': 'aws:kms' } },
        })),
      ),
    ).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('E2 fires when anyone but the deployment role may change the default encryption (header-less writes take it)', () => {
    expect(after(without('DenyConfigurationChangesExceptDeployment'))).toEqual([
      'DefaultEncryption::changes-not-denied',
    ]);
    const others = (s: Statement) => ({
      ...s,
      Action: (s.Action as string[]).filter((a) => !a.includes('Encryption')),
    });
    expect(after(editStatement('DenyConfigurationChangesExceptDeployment', others))).toEqual([
      'DefaultEncryption::changes-not-denied',
    ]);
  });

  test('E2 fires when the default encryption names no KMS key', () => {
    const phi = phiBucket();
    (phi.bucket.node.defaultChild as CfnBucket).addPropertyOverride(
      'BucketEncryption.ServerSideEncryptionConfiguration',
      [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    );
    expect(check(phi)).toEqual(['DefaultEncryption::no-kms-key']);
  });

  test('E2 conditions are evaluated as IAM does: Null, negated operators on absent keys, IfExists', () => {
    const kms = { [SSE]: 'aws:kms' };
    expect(conditionHolds({ Null: { [KEY_ID]: 'true' } }, kms)).toBe(true);
    expect(conditionHolds({ Null: { [KEY_ID]: 'false' } }, kms)).toBe(false);
    // A JSON boolean is compared as its text, as IAM does.
    expect(conditionHolds({ Null: { [KEY_ID]: true } }, kms)).toBe(true);
    expect(conditionHolds({ Null: { [KEY_ID]: false } }, kms)).toBe(false);
    expect(conditionHolds({ Null: { [SSE]: false } }, kms)).toBe(true);
    expect(conditionHolds({ StringNotEquals: { [KEY_ID]: OTHER_KEY } }, kms)).toBe(true);
    expect(conditionHolds({ StringEquals: { [KEY_ID]: OTHER_KEY } }, kms)).toBe(false);
    expect(conditionHolds({ StringEqualsIfExists: { [KEY_ID]: OTHER_KEY } }, kms)).toBe(true);
    expect(conditionHolds({ StringLike: { [SSE]: 'aws:*' } }, kms)).toBe(true);
    expect(conditionHolds({ StringLike: { [SSE]: 'AWS:*' } }, kms)).toBe(false);
    expect(conditionHolds({ StringEqualsIgnoreCase: { [SSE]: 'AWS:KMS' } }, kms)).toBe(true);
    expect(conditionHolds({ Bool: { 'aws:SecureTransport': 'false' } }, kms)).toBe(false);
    // IAM has no NullIfExists (S3 refuses such a policy): not counted as a deny.
    expect(conditionHolds({ NullIfExists: { [KEY_ID]: 'true' } }, kms)).toBe(false);
    expect(conditionHolds(undefined, kms)).toBe(true);
  });
});
