import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  ArnPrincipal,
  Effect,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { CfnKey, Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { KeyDomainName, markKeyDomain } from './core';
import { KeyUsage } from './key-usage';

/** Props of a ManagedKey. */
export interface ManagedKeyProps {
  /** Alias without the `alias/` prefix, e.g. `hipaa-dev/phi`. */
  readonly alias: string;
  /** What the key protects (shown in the console and the template). */
  readonly description: string;
  /** The services allowed to use the key. */
  readonly usage: KeyUsage;
  /**
   * IAM role ARNs that may administer the key, in addition to IAM administration delegated through
   * the account root principal.
   * @default - administration through IAM in this account only
   */
  readonly adminRoleArns?: readonly string[];
  /**
   * The data domain the key protects, written into its template metadata (`HipaaBlueprint::KeyDomain`) so that
   * the gate can check each store is encrypted with the key of its domain (e.g. PHI stores with the PHI key).
   * @default - no domain marker: a store the gate requires on a domain key fails on this key
   */
  readonly domain?: KeyDomainName;
}

/**
 * Key administration, never use: who holds these can manage the key (and its policy, aliases, tags,
 * rotation, deletion) but cannot encrypt, decrypt or create grants. Listed one by one, no wildcards:
 * `kms:Create*` would include kms:CreateGrant, with which any principal allowed it in IAM could grant
 * itself Decrypt and bypass the kms:ViaService condition of the use statements. Checked against the
 * AWS Service Authorization Reference for AWS KMS (key-scoped actions only: kms:CreateKey, kms:ListAliases
 * and kms:ListKeys are not key-scoped; import and multi-Region actions do not apply to these keys;
 * kms:GetPublicKey is for asymmetric keys only). kms:PutKeyPolicy stays so that the CloudFormation
 * execution role (IAM in this account) can update the policy.
 */
export const ADMIN_ACTIONS: readonly string[] = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];
const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/**
 * A customer-managed KMS key with the blueprint's safeguards (E1): rotation on, 30-day deletion
 * window, retained on deletion and replacement, and a key policy that separates administration
 * (IAM administrators, no cryptographic use) from use (only the named AWS services, only for this
 * account).
 */
export class ManagedKey extends Construct {
  public readonly key: Key;

  constructor(scope: Construct, id: string, props: ManagedKeyProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9/_-]+$/.test(props.alias) || props.alias.startsWith('aws/')) {
      throw new Error(
        `ManagedKey ${this.node.path}: alias = '${props.alias}': must be [a-zA-Z0-9/_-]+ and not start with aws/`,
      );
    }
    const region = Stack.of(this).region;
    const account = Stack.of(this).account;
    const policy = new PolicyDocument({ statements: [this.adminStatement(props.adminRoleArns ?? [])] });
    for (const statement of ManagedKey.useStatements(props.usage, account, region)) policy.addStatements(statement);

    this.key = new Key(this, 'Key', {
      description: props.description,
      alias: `alias/${props.alias}`,
      policy,
      // Safeguards last.
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.key.node.defaultChild as CfnKey).applyRemovalPolicy(RemovalPolicy.RETAIN, {
      applyToUpdateReplacePolicy: true,
    });
    if (props.domain !== undefined) markKeyDomain(this.key.node.defaultChild as CfnKey, props.domain);
  }

  private adminStatement(adminRoleArns: readonly string[]): PolicyStatement {
    return new PolicyStatement({
      sid: 'KeyAdministrationWithoutUse',
      effect: Effect.ALLOW,
      principals: [new AccountRootPrincipal(), ...adminRoleArns.map((arn) => new ArnPrincipal(arn))],
      actions: [...ADMIN_ACTIONS],
      resources: ['*'],
    });
  }

  /** The statements that let only the named services use the key. Exposed for tests. */
  public static useStatements(usage: KeyUsage, account: string, region: string): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    if (usage.viaServices.length > 0) {
      const viaThisAccount = {
        'kms:CallerAccount': account,
        'kms:ViaService': usage.viaServices.map((s) => `${s}.${region}.amazonaws.com`),
      };
      statements.push(
        new PolicyStatement({
          sid: 'UseThroughNamedServicesInThisAccount',
          principals: [new AccountRootPrincipal()],
          actions: USE_ACTIONS,
          resources: ['*'],
          conditions: { StringEquals: viaThisAccount },
        }),
        // Grants only through the named services and only for their AWS resources (a grant is use:
        // whoever holds one can decrypt), never a grant a principal creates for itself.
        new PolicyStatement({
          sid: 'GrantsThroughNamedServicesForAwsResources',
          principals: [new AccountRootPrincipal()],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: { StringEquals: viaThisAccount, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      );
    }
    const logGroupPrefix = usage.cloudWatchLogGroupPrefix ?? '';
    if (!/^[a-zA-Z0-9_\-/.#]*$/.test(logGroupPrefix) || (logGroupPrefix !== '' && !usage.cloudWatchLogs)) {
      throw new Error(
        `ManagedKey: cloudWatchLogGroupPrefix = '${logGroupPrefix}': must be a log group name prefix without wildcards, and only with cloudWatchLogs`,
      );
    }
    if (usage.cloudWatchLogs) {
      statements.push(
        new PolicyStatement({
          sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups',
          principals: [new ServicePrincipal(`logs.${region}.amazonaws.com`)],
          actions: USE_ACTIONS,
          resources: ['*'],
          conditions: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${region}:${account}:log-group:${logGroupPrefix}*`,
            },
          },
        }),
      );
    }
    if (usage.cloudTrail) {
      statements.push(
        new PolicyStatement({
          sid: 'CloudTrailEncryptsThisAccountsTrails',
          principals: [new ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceAccount': account },
            StringLike: {
              'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${account}:trail/*`,
            },
          },
        }),
        // DescribeKey requests carry no encryption context: under the statement above it would never
        // be allowed. AWS documents it as its own statement ("Enable CloudTrail to describe KMS key
        // properties"); here for this account's trails only.
        new PolicyStatement({
          sid: 'CloudTrailDescribesKeyForThisAccount',
          principals: [new ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['kms:DescribeKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
        new PolicyStatement({
          sid: 'ThisAccountDecryptsTrailLogs',
          principals: [new AccountRootPrincipal()],
          actions: ['kms:Decrypt', 'kms:ReEncryptFrom'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'kms:CallerAccount': account },
            StringLike: {
              'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${account}:trail/*`,
            },
          },
        }),
      );
    }
    if (usage.alarmPublishers) {
      statements.push(
        new PolicyStatement({
          sid: 'AlarmsAndEventsPublishToEncryptedTopics',
          principals: [new ServicePrincipal('cloudwatch.amazonaws.com'), new ServicePrincipal('events.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
      );
    }
    if (usage.awsConfig) {
      statements.push(
        new PolicyStatement({
          sid: 'AwsConfigDeliversEncryptedSnapshots',
          principals: [new ServicePrincipal('config.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': account } },
        }),
      );
    }
    if (usage.macieDiscovery) {
      statements.push(
        new PolicyStatement({
          sid: 'MacieServiceLinkedRoleDecryptsForDiscovery',
          principals: [new AccountRootPrincipal()],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          conditions: {
            ArnLike: {
              'aws:PrincipalArn': `arn:${Aws.PARTITION}:iam::${account}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`,
            },
          },
        }),
      );
    }
    if (usage.fargateEphemeralStorage) {
      // As documented in "Create an encryption key for Fargate ephemeral storage for Amazon ECS"
      // (Amazon ECS Developer Guide), conditioned on this account's clusters only: the key stack
      // cannot name the cluster (the app stack references the key, not the other way round).
      const thisAccountsClusters = { 'kms:EncryptionContext:aws:ecs:clusterAccount': [account] };
      statements.push(
        new PolicyStatement({
          sid: 'FargateEncryptsEphemeralStorageOfThisAccountsClusters',
          principals: [new ServicePrincipal('fargate.amazonaws.com')],
          actions: ['kms:GenerateDataKeyWithoutPlaintext'],
          resources: ['*'],
          conditions: { StringEquals: thisAccountsClusters },
        }),
        new PolicyStatement({
          sid: 'FargateGrantsDecryptOfEphemeralStorageOfThisAccountsClusters',
          principals: [new ServicePrincipal('fargate.amazonaws.com')],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: {
            StringEquals: thisAccountsClusters,
            'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt'] },
          },
        }),
      );
    }
    if (usage.ssmSessions) {
      // Session Manager (and ECS Exec) session encryption: the client calls GenerateDataKey and the SSM
      // agent Decrypt, both directly (no kms:ViaService), always with the encryption context
      // {aws:ssm:SessionId, aws:ssm:TargetId} (aws/session-manager-plugin src/datachannel/streaming.go,
      // aws/amazon-ssm-agent agent/session/crypto/blockcipher.go). Both keys must be present: a request
      // without them (any other direct use of the key) is not allowed here.
      statements.push(
        new PolicyStatement({
          sid: 'SessionManagerEncryptsSessionsInThisAccount',
          principals: [new AccountRootPrincipal()],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'kms:CallerAccount': account },
            StringLike: {
              'kms:EncryptionContext:aws:ssm:SessionId': '*',
              'kms:EncryptionContext:aws:ssm:TargetId': '*',
            },
          },
        }),
      );
    }
    return statements;
  }
}
