import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { CfnKey, CfnReplicaKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  AccountRootPrincipal,
  AnyPrincipal,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { ManagedKey } from '../../../../constructs/managed-key';
import { KEY_DOMAINS, KeyUsage, PHI_REPLICA_KEY } from '../../../../constructs/key-usage';
import { useActionsAllowedBy } from '../../../../lib/compliance/gate/rules/kms-key-safeguards';
import { projectFindings as findings } from '../../../support/rule-fixtures';

/** Named administrators and, for keys limited to named users, one named user per service (lib/config/principals.ts). */
const principalsFor = (usage: KeyUsage): { administratorArns: string[]; users?: Record<string, string[]> } => ({
  administratorArns: ['arn:aws:iam::123456789012:role/Deployment'],
  users: usage.namedUsersOnly
    ? Object.fromEntries(usage.viaServices.map((s) => [s, ['arn:aws:iam::123456789012:role/User']]))
    : undefined,
});

describe('project rule KmsKeySafeguards (E1)', () => {
  it('passes on a ManagedKey', () => {
    expect(
      findings(
        (s) =>
          new ManagedKey(s, 'Good', {
            alias: 'test/phi',
            description: 'd',
            usage: KEY_DOMAINS.phi.usage,
            ...principalsFor(KEY_DOMAINS.phi.usage),
          }),
      ),
    ).not.toContainEqual(expect.stringMatching(/KmsKeySafeguards/));
  });

  it('fires on no rotation, a 7-day window, a deletable key, and unconditioned use in the key policy', () => {
    expect(
      findings((s) => {
        const key = new Key(s, 'Bad', {
          enableKeyRotation: false,
          pendingWindow: Duration.days(7),
          removalPolicy: RemovalPolicy.DESTROY,
          policy: new PolicyDocument({
            statements: [
              new PolicyStatement({ principals: [new AccountRootPrincipal()], actions: ['kms:*'], resources: ['*'] }),
            ],
          }),
        });
        expect(key.node.defaultChild).toBeInstanceOf(CfnKey);
      }),
    ).toEqual(
      expect.arrayContaining([
        'Blueprint-KmsKeySafeguards[EnableKeyRotation::false]',
        'Blueprint-KmsKeySafeguards[PendingWindowInDays::7]',
        'Blueprint-KmsKeySafeguards[DeletionPolicy::not-Retain]',
        'Blueprint-KmsKeySafeguards[UpdateReplacePolicy::not-Retain]',
        'Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-use-without-condition]',
      ]),
    );
  });

  it('fires on a multi-Region key (literal or unresolved) and on every replica key, whose policy is judged too', () => {
    const grant = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    };
    const policy = { Version: '2012-10-17', Statement: [grant] };
    const keyFindings = (multiRegion: unknown): string[] =>
      findings((s) => {
        const key = new CfnKey(s, 'K', {
          keyPolicy: policy,
          enableKeyRotation: true,
          pendingWindowInDays: 30,
          multiRegion: multiRegion as boolean,
        });
        key.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }).filter((f) => f.includes('KmsKeySafeguards'));
    expect(keyFindings(undefined)).toEqual([]);
    expect(keyFindings(false)).toEqual([]);
    expect(keyFindings(true)).toEqual(['Blueprint-KmsKeySafeguards[MultiRegion::true]']);
    expect(keyFindings({ 'Fn::If': ['C', true, false] })).toEqual(['Blueprint-KmsKeySafeguards[MultiRegion::true]']);
    const replicaFindings = (keyPolicy: unknown, pendingWindowInDays: number): string[] =>
      findings((s) => {
        const replica = new CfnReplicaKey(s, 'R', {
          keyPolicy,
          primaryKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/mrk-00000000000000000000000000000000',
          pendingWindowInDays,
        });
        replica.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }).filter((f) => f.includes('KmsKeySafeguards'));
    expect(replicaFindings(policy, 30)).toEqual(['Blueprint-KmsKeySafeguards[ReplicaKey::multi-Region]']);
    expect(
      replicaFindings({ Version: '2012-10-17', Statement: [{ ...grant, Action: 'kms:*', Condition: undefined }] }, 7),
    ).toEqual([
      'Blueprint-KmsKeySafeguards[ReplicaKey::multi-Region]',
      'Blueprint-KmsKeySafeguards[PendingWindowInDays::7]',
      'Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-use-without-condition]',
    ]);
  });

  it('reads a key policy written as a JSON string, and fires on one only deploy resolves and on none', () => {
    /** KmsKeySafeguards findings of a rotated, retained CfnKey whose KeyPolicy is `keyPolicy`. */
    const policyFindings = (keyPolicy: unknown): string[] =>
      findings((s) => {
        const key = new CfnKey(s, 'K', { keyPolicy, enableKeyRotation: true, pendingWindowInDays: 30 });
        key.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }).filter((f) => f.includes('KmsKeySafeguards'));
    const grant = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222222222222:root' },
      Action: 'kms:*',
      Resource: '*',
    };
    const document = { Version: '2012-10-17', Statement: [grant] };
    expect(policyFindings(JSON.stringify(document))).toEqual([
      'Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-use-without-condition]',
    ]);
    expect(policyFindings({ 'Fn::Sub': [JSON.stringify(document), { Var0: { Ref: 'AWS::AccountId' } }] })).toEqual([
      'Blueprint-KmsKeySafeguards[KeyPolicy::only-deploy-resolves]',
    ]);
    expect(policyFindings({ Statement: [{ ...grant, Effect: { 'Fn::Select': [0, ['Allow']] } }] })).toEqual([
      'Blueprint-KmsKeySafeguards[KeyPolicy::statement-only-deploy-resolves]',
    ]);
    // KMS's default key policy gives the whole account kms:*.
    expect(policyFindings(undefined)).toEqual(['Blueprint-KmsKeySafeguards[KeyPolicy::absent]']);
  });

  /** KmsKeySafeguards findings of a rotated, retained key with an administration-only policy and `period`. */
  const rotationFindings = (period: unknown): string[] =>
    findings((s) => {
      const key = new Key(s, 'K', {
        enableKeyRotation: true,
        pendingWindow: Duration.days(30),
        removalPolicy: RemovalPolicy.RETAIN,
        policy: new PolicyDocument({
          statements: [
            new PolicyStatement({
              principals: [new AccountRootPrincipal()],
              actions: ['kms:CreateAlias', 'kms:Describe*'],
              resources: ['*'],
            }),
          ],
        }),
      });
      const cfn = key.node.defaultChild as CfnKey;
      cfn.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
      cfn.rotationPeriodInDays = period as number;
    }).filter((f) => f.includes('KmsKeySafeguards'));

  it('E1 passes on yearly rotation (the default, or a period of at most 365 days)', () => {
    expect(rotationFindings(undefined)).toEqual([]);
    expect(rotationFindings(365)).toEqual([]);
    expect(rotationFindings(90)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['about seven years (2560 days)', 2560, 'RotationPeriodInDays::2560'],
    ['366 days', 366, 'RotationPeriodInDays::366'],
    ['a period only deploy resolves', { 'Fn::ImportValue': 'period' }, 'RotationPeriodInDays::unresolved'],
  ])('E1 fires on a rotation period of %s', (_name, period, expected) => {
    expect(rotationFindings(period)).toEqual([`Blueprint-KmsKeySafeguards[${expected}]`]);
  });

  /** KmsKeySafeguards findings of a rotated, retained key whose policy is `statements`. */
  function keyPolicyFindings(...statements: PolicyStatement[]): string[] {
    return findings((s) => {
      const key = new Key(s, 'K', {
        enableKeyRotation: true,
        pendingWindow: Duration.days(30),
        removalPolicy: RemovalPolicy.RETAIN,
        policy: new PolicyDocument({ statements }),
      });
      (key.node.defaultChild as CfnKey).applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
    }).filter((f) => f.includes('KmsKeySafeguards'));
  }
  const root = (actions: string[], conditions?: Record<string, unknown>): PolicyStatement =>
    new PolicyStatement({ principals: [new AccountRootPrincipal()], actions, resources: ['*'], conditions });

  it.each([['kms:Create*'], ['kms:Re*'], ['kms:*crypt*'], ['*'], ['KMS:decrypt'], ['kms:*']])(
    'fires on the unconditioned wildcard %s (it allows use or grant creation)',
    (action) => {
      expect(keyPolicyFindings(root(['kms:DescribeKey', action]))).toEqual([
        'Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-use-without-condition]',
      ]);
    },
  );

  it('expands ? wildcards (CDK refuses them in PolicyStatement; a raw key policy may carry them)', () => {
    expect(useActionsAllowedBy('kms:Generate?ataKey')).toEqual(['kms:GenerateDataKey']);
    expect(useActionsAllowedBy('kms:?ecrypt')).toEqual(['kms:Decrypt']);
    expect(useActionsAllowedBy('kms:Describe?ey')).toEqual([]);
    expect(useActionsAllowedBy({ Ref: 'Token' })).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:CreateGrant']));
  });

  it('fires on an Allow with NotAction, even with a condition', () => {
    const notAction = new PolicyStatement({
      principals: [new AccountRootPrincipal()],
      notActions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:CallerAccount': '123456789012' } },
    });
    expect(keyPolicyFindings(notAction)).toEqual(['Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-not-action]']);
  });

  it('passes on explicit administration, and on use scoped through a service in this account', () => {
    expect(
      keyPolicyFindings(
        root(['kms:CreateAlias', 'kms:Describe*', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:List*']),
        root(['kms:*'], {
          StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
        }),
      ),
    ).toEqual([]);
  });

  it('E1 fires on use whose only condition scopes nothing (aws:SecureTransport)', () => {
    expect(
      keyPolicyFindings(
        root(['kms:CreateAlias']),
        root(['kms:Decrypt', 'kms:GenerateDataKey'], { Bool: { 'aws:SecureTransport': 'true' } }),
      ),
    ).toEqual(['Blueprint-KmsKeySafeguards[KeyPolicy::Statement1-use-not-scoped]']);
  });

  it('E1 fires on use held to the account only (kms:CallerAccount: every principal of the account has it)', () => {
    expect(keyPolicyFindings(root(['kms:Decrypt'], { StringEquals: { 'kms:CallerAccount': '123456789012' } }))).toEqual(
      ['Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-use-not-scoped]'],
    );
  });

  it('E1 fires on scoping keys under IfExists, negated or ForAllValues operators (true when the key is absent)', () => {
    expect(
      keyPolicyFindings(
        root(['kms:Decrypt'], { StringEqualsIfExists: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }),
        root(['kms:Decrypt'], { StringNotEquals: { 'kms:ViaService': 'rds.us-east-1.amazonaws.com' } }),
        root(['kms:Decrypt'], { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['aws:s3:arn'] } }),
      ),
    ).toEqual([
      'Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-use-not-scoped]',
      'Blueprint-KmsKeySafeguards[KeyPolicy::Statement1-use-not-scoped]',
      'Blueprint-KmsKeySafeguards[KeyPolicy::Statement2-use-not-scoped]',
    ]);
  });

  it("E1 fires on Principal '*' not held to an account, even when the use is otherwise scoped", () => {
    const anyone = (conditions: Record<string, unknown>): PolicyStatement =>
      new PolicyStatement({ principals: [new AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'], conditions });
    expect(
      keyPolicyFindings(
        anyone({ Bool: { 'aws:SecureTransport': 'true' } }),
        anyone({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }),
        anyone({
          StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
        }),
      ),
    ).toEqual([
      'Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-any-principal-without-account]',
      'Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-use-not-scoped]',
      'Blueprint-KmsKeySafeguards[KeyPolicy::Statement1-any-principal-without-account]',
    ]);
  });

  it('E1 service principals need aws:SourceAccount, aws:SourceArn or an encryption context', () => {
    const service = (conditions: Record<string, unknown>): PolicyStatement =>
      new PolicyStatement({
        principals: [new ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions,
      });
    expect(
      keyPolicyFindings(
        service({ Bool: { 'aws:SecureTransport': 'true' } }),
        service({ StringEquals: { 'aws:SourceAccount': '123456789012' } }),
        service({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:*' } }),
        service({ StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:123456789012:t' } }),
      ),
    ).toEqual(['Blueprint-KmsKeySafeguards[KeyPolicy::Statement0-use-not-scoped]']);
  });

  it('E1 an encryption-context key required present (Null: false) scopes use; Null: true does not', () => {
    expect(
      keyPolicyFindings(
        root(['kms:Decrypt'], { Null: { 'kms:EncryptionContext:aws:ssm:SessionId': 'false' } }),
        root(['kms:Decrypt'], { Null: { 'kms:EncryptionContext:aws:ssm:SessionId': 'true' } }),
      ),
    ).toEqual(['Blueprint-KmsKeySafeguards[KeyPolicy::Statement1-use-not-scoped]']);
  });

  it("E1 the operations key lets Session Manager and ECS Exec sessions use it directly, this account's, with the session context only", () => {
    const [statement] = ManagedKey.useStatements({ viaServices: [], ssmSessions: true }, '123456789012', 'us-east-1');
    expect(statement!.toStatementJson()).toEqual({
      Sid: 'SessionManagerEncryptsSessionsInThisAccount',
      Effect: 'Allow',
      Principal: { AWS: expect.anything() },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:CallerAccount': '123456789012' },
        StringLike: { 'kms:EncryptionContext:aws:ssm:SessionId': '*', 'kms:EncryptionContext:aws:ssm:TargetId': '*' },
      },
    });
    expect(keyPolicyFindings(statement!)).toEqual([]);
  });

  it.each(Object.entries(KEY_DOMAINS))("passes on the blueprint's %s key", (_domain, { usage }) => {
    expect(
      findings((s) => new ManagedKey(s, 'Good', { alias: 'test/k', description: 'd', usage, ...principalsFor(usage) })),
    ).not.toContainEqual(expect.stringMatching(/KmsKeySafeguards/));
  });

  it("passes on the blueprint's PHI replica key", () => {
    expect(
      findings(
        (s) =>
          new ManagedKey(s, 'Good', {
            alias: 'test/r',
            description: 'd',
            usage: PHI_REPLICA_KEY.usage,
            ...principalsFor(PHI_REPLICA_KEY.usage),
          }),
      ),
    ).not.toContainEqual(expect.stringMatching(/KmsKeySafeguards/));
  });
});
