import { Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import {
  AccountRootPrincipal,
  ArnPrincipal,
  PolicyDocument,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { CfnKey, Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { KeyDomainName, markKeyDomain, markNamedKeyUsers } from './core';
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
   * Exact IAM role ARNs that administer the key (ADMIN_ACTIONS, never use): the key administrators of the
   * config and the CloudFormation execution role that deploys the key (CloudFormation must update its
   * policy; KMS refuses a policy that does not let its creator call PutKeyPolicy). Besides them only the
   * account's root user may administer the key (the documented lockout path).
   */
  readonly administratorArns: readonly string[];
  /**
   * For each service of `usage.viaServices`, the exact IAM principal ARNs that may use the key through
   * that service (an empty list: nobody). Required when `usage.namedUsersOnly`; with a CloudTrail usage,
   * the `s3` users are also the ones that may decrypt trail log files.
   * @default - every principal of this account that IAM allows, through usage.viaServices (not allowed
   *   with usage.namedUsersOnly)
   */
  readonly users?: Readonly<Record<string, readonly string[]>>;
  /**
   * The data domain the key protects, written into its template metadata (`HipaaBlueprint::KeyDomain`) so that
   * the gate can check each store is encrypted with the key of its domain (e.g. PHI stores with the PHI key).
   * @default - no domain marker: a store the gate requires on a domain key fails on this key
   */
  readonly domain?: KeyDomainName;
  /**
   * Accounts (12 digits) that copy recovery points encrypted with this key into a vault of theirs (a cross-account
   * isolated copy, I1): for resources it does not fully manage (RDS), AWS Backup requires the source's customer-managed
   * key to be shared with the destination account. Each account's AWS Backup service-linked role
   * (BACKUP_SERVICE_LINKED_ROLE) may use the key, by exact ARN (aws:PrincipalArn), and create grants for AWS resources
   * only; no other principal of that account.
   * @default - none
   */
  readonly backupCopyAccounts?: readonly string[];
  /**
   * Exact ARNs of EventBridge rules that dead-letter events into SQS queues encrypted with the key: EventBridge sends
   * to such a queue as the service principal events.amazonaws.com, and SQS then uses the key on its behalf
   * (kms:GenerateDataKey, kms:Decrypt), so the policy admits that principal for these rules only (aws:SourceArn).
   * @default - none: no EventBridge dead-letter queue under this key
   */
  readonly deadLetterRuleArns?: readonly string[];
}

/** The role AWS Backup acts with in a destination account of a cross-account copy (its service-linked role). */
export const BACKUP_SERVICE_LINKED_ROLE = 'aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup';

/** The use actions a cross-account AWS Backup copy needs on the source key (AWS Backup Developer Guide). */
export const BACKUP_COPY_ACCOUNT_ACTIONS: readonly string[] = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
];

/** An EventBridge rule ARN of one account (no wildcards). */
const RULE_ARN = /^arn:[a-z-]+:events:[a-z0-9-]+:\d{12}:rule\/[\w.-]+$/;

/**
 * Read-only key metadata: what the key is, its policy, rotation, grants and tags. Readable by every
 * principal of the account that IAM allows (AWS Config rules and Security Hub checks through their
 * service-linked roles, `npm run verify`, auditors); none of it changes or uses the key.
 */
export const READ_ACTIONS: readonly string[] = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
];

/**
 * Key administration, never use: who holds these can manage the key (and its policy, aliases, tags,
 * rotation, deletion) but cannot encrypt, decrypt or create grants. Listed one by one, no wildcards:
 * `kms:Create*` would include kms:CreateGrant, with which any principal allowed it in IAM could grant
 * itself Decrypt and bypass the kms:ViaService condition of the use statements. Checked against the
 * AWS Service Authorization Reference for AWS KMS (key-scoped actions only: kms:CreateKey, kms:ListAliases
 * and kms:ListKeys are not key-scoped; import and multi-Region actions do not apply to these keys;
 * kms:GetPublicKey is for asymmetric keys only). Only the named administrators and the root user hold
 * them: kms:PutKeyPolicy would let anyone else give itself use.
 */
export const ADMIN_ACTIONS: readonly string[] = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
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

/** Exact principal ARNs a key policy names: a role (optionally with a path) or the account root user. */
const PRINCIPAL_ARN = /^arn:[a-z-]+:iam::\d{12}:(root|role\/[\w+=,.@/-]+)$/;

/**
 * A customer-managed KMS key with the blueprint's safeguards (E1): rotation on, 30-day deletion
 * window, retained on deletion and replacement, and a key policy that separates administration from
 * use. Administration: only `administratorArns` and, as the lockout path, the account's root user
 * (aws:PrincipalArn `arn:<partition>:iam::<account>:root`: the root user itself, not every IAM principal
 * the account root delegates to; its every use raises the RootAccountUsage alarm). Use: only the named
 * AWS services, only for this account, and with `usage.namedUsersOnly` only by the named principals of
 * each service. Key metadata (READ_ACTIONS) stays readable in the account.
 */
export class ManagedKey extends Construct {
  public readonly key: Key;

  constructor(scope: Construct, id: string, props: ManagedKeyProps) {
    super(scope, id);
    const where = `ManagedKey ${this.node.path}`;
    if (!/^[a-zA-Z0-9/_-]+$/.test(props.alias) || props.alias.startsWith('aws/')) {
      throw new Error(`${where}: alias = '${props.alias}': must be [a-zA-Z0-9/_-]+ and not start with aws/`);
    }
    if (props.administratorArns.length === 0) {
      throw new Error(
        `${where}: administratorArns = []: must name at least the CloudFormation execution role (it updates the key policy)`,
      );
    }
    ManagedKey.assertPrincipalArns(`${where}: administratorArns`, props.administratorArns);
    if (props.usage.namedUsersOnly && props.users === undefined) {
      throw new Error(
        `${where}: users = undefined: required: the key's usage admits named principals only (namedUsersOnly), one list per service of ${JSON.stringify(props.usage.viaServices)}`,
      );
    }
    const stack = Stack.of(this);
    const { region, account, partition } = stack;
    const policy = new PolicyDocument({
      statements: ManagedKey.administrationStatements(props.administratorArns, `arn:${partition}:iam::${account}:root`),
    });
    for (const statement of ManagedKey.useStatements(props.usage, account, region, props.users, where)) {
      policy.addStatements(statement);
    }
    for (const statement of ManagedKey.backupCopyStatements(
      props.backupCopyAccounts ?? [],
      account,
      partition,
      where,
    )) {
      policy.addStatements(statement);
    }
    const ruleArns = props.deadLetterRuleArns ?? [];
    for (const arn of ruleArns) {
      if (!Token.isUnresolved(arn) && !RULE_ARN.test(arn)) {
        throw new Error(
          `${where}: deadLetterRuleArns = '${arn}': must be an exact EventBridge rule ARN (arn:<partition>:events:<region>:<account>:rule/<name>, no wildcards)`,
        );
      }
    }
    if (ruleArns.length > 0) {
      policy.addStatements(
        new PolicyStatement({
          sid: 'EventBridgeDeadLettersOfNamedRules',
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnEquals: { 'aws:SourceArn': [...ruleArns] } },
        }),
      );
    }

    this.key = new Key(this, 'Key', {
      description: props.description,
      alias: `alias/${props.alias}`,
      policy,
      // Safeguards last.
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const cfn = this.key.node.defaultChild as CfnKey;
    cfn.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
    if (props.usage.namedUsersOnly) markNamedKeyUsers(cfn, { safeguards: ['E1'] });
    if (props.domain !== undefined) markKeyDomain(cfn, props.domain);
  }

  /**
   * The statements that share the key with the AWS Backup service-linked role of each destination account of a
   * cross-account copy: use (BACKUP_COPY_ACCOUNT_ACTIONS) and grants for AWS resources, each held to that role's exact
   * ARN (aws:PrincipalArn), so no other principal of the account gains anything.
   */
  private static backupCopyStatements(
    accounts: readonly string[],
    account: string,
    partition: string,
    where: string,
  ): PolicyStatement[] {
    const unique = [...new Set(accounts)];
    for (const a of unique) {
      if (!/^\d{12}$/.test(a) || (!Token.isUnresolved(account) && a === account)) {
        throw new Error(
          `${where}: backupCopyAccounts = ${JSON.stringify(accounts)}: '${a}' must be the 12-digit id of another account`,
        );
      }
    }
    if (unique.length === 0) return [];
    const roots = unique.map((a) => new ArnPrincipal(`arn:${partition}:iam::${a}:root`));
    const roles = unique.map((a) => `arn:${partition}:iam::${a}:role/${BACKUP_SERVICE_LINKED_ROLE}`);
    return [
      new PolicyStatement({
        sid: 'CrossAccountBackupCopy',
        principals: roots,
        actions: [...BACKUP_COPY_ACCOUNT_ACTIONS],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': roles } },
      }),
      new PolicyStatement({
        sid: 'CrossAccountBackupCopyGrants',
        principals: roots,
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': roles }, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    ];
  }

  /** Throws unless every literal ARN is an exact role or root ARN (no wildcards); tokens are left to deploy. */
  private static assertPrincipalArns(field: string, arns: readonly string[]): void {
    arns.forEach((arn, i) => {
      if (Token.isUnresolved(arn)) return;
      if (!PRINCIPAL_ARN.test(arn) || /[*?]/.test(arn)) {
        throw new Error(
          `${field}[${i}] = '${arn}': must be an exact IAM role ARN (arn:<partition>:iam::<account>:role/<name>), no wildcards`,
        );
      }
    });
  }

  /**
   * Administration statements. Principal is the account (a role named in Principal must exist when the
   * policy is put; these are limited by aws:PrincipalArn instead, which KMS does not validate), so
   * every statement names the exact principals in its condition.
   */
  public static administrationStatements(administratorArns: readonly string[], rootUserArn: string): PolicyStatement[] {
    const account = new AccountRootPrincipal();
    return [
      new PolicyStatement({
        sid: 'KeyMetadataReadableInThisAccount',
        principals: [account],
        actions: [...READ_ACTIONS],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'KeyAdministrationByNamedRoles',
        principals: [account],
        actions: [...ADMIN_ACTIONS],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': [...administratorArns] } },
      }),
      new PolicyStatement({
        sid: 'RootUserLockoutPath',
        principals: [account],
        actions: [...ADMIN_ACTIONS],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': rootUserArn } },
      }),
    ];
  }

  /** The statements that let only the named services use the key. Exposed for tests. */
  public static useStatements(
    usage: KeyUsage,
    account: string,
    region: string,
    users?: Readonly<Record<string, readonly string[]>>,
    where = 'ManagedKey',
  ): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    if (users !== undefined) {
      const unknown = Object.keys(users).filter((s) => !usage.viaServices.includes(s));
      const missing = usage.viaServices.filter((s) => users[s] === undefined);
      if (unknown.length > 0 || missing.length > 0) {
        throw new Error(
          `${where}: users = ${JSON.stringify(Object.keys(users))}: must name exactly the services of usage.viaServices ${JSON.stringify(usage.viaServices)}`,
        );
      }
      for (const service of usage.viaServices)
        ManagedKey.assertPrincipalArns(`${where}: users.${service}`, users[service]!);
      statements.push(...ManagedKey.namedUseStatements(usage.viaServices, users, account, region));
    } else if (usage.viaServices.length > 0) {
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
      );
      // Reading trail log files: with named users only the principals that may read through S3 (the audit
      // readers), else every principal of this account that IAM allows.
      const readers = users?.s3;
      if (readers === undefined || readers.length > 0) {
        statements.push(
          new PolicyStatement({
            sid: readers === undefined ? 'ThisAccountDecryptsTrailLogs' : 'NamedPrincipalsDecryptTrailLogs',
            principals: [new AccountRootPrincipal()],
            actions: ['kms:Decrypt', 'kms:ReEncryptFrom'],
            resources: ['*'],
            conditions: {
              StringEquals: { 'kms:CallerAccount': account },
              StringLike: {
                'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${account}:trail/*`,
              },
              ...(readers === undefined ? {} : { ArnEquals: { 'aws:PrincipalArn': [...readers] } }),
            },
          }),
        );
      }
    }
    if (usage.alarmPublishers) {
      statements.push(
        new PolicyStatement({
          sid: 'AlarmsAndEventsPublishToEncryptedTopics',
          // SNS too: it encrypts the alerts it dead-letters into a queue under this key (an HTTPS alert endpoint).
          principals: [
            new ServicePrincipal('cloudwatch.amazonaws.com'),
            new ServicePrincipal('events.amazonaws.com'),
            new ServicePrincipal('sns.amazonaws.com'),
          ],
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
    if (usage.guardDutyFindingsExport) {
      // As "Exporting findings" (Amazon GuardDuty User Guide) asks: GenerateDataKey for the publishing destination,
      // limited to this account's detectors of this region.
      statements.push(
        new PolicyStatement({
          sid: 'GuardDutyEncryptsExportedFindingsOfThisAccount',
          principals: [new ServicePrincipal('guardduty.amazonaws.com')],
          actions: ['kms:GenerateDataKey'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:guardduty:${region}:${account}:detector/*` },
          },
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

  /**
   * Use through each service by its named principals only: the account principal limited by
   * aws:PrincipalArn to the exact ARNs (the roles need not exist yet: the keys stack deploys first),
   * through the service of this region and for this account; grants the same way, for AWS resources only.
   * A service with no principals gets no statement.
   */
  private static namedUseStatements(
    services: readonly string[],
    users: Readonly<Record<string, readonly string[]>>,
    account: string,
    region: string,
  ): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    for (const service of services) {
      const principals = users[service] ?? [];
      if (principals.length === 0) continue;
      const name = service
        .split(/[^a-zA-Z0-9]/)
        .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
        .join('');
      const through = { 'kms:CallerAccount': account, 'kms:ViaService': `${service}.${region}.amazonaws.com` };
      const named = { 'aws:PrincipalArn': [...principals] };
      statements.push(
        new PolicyStatement({
          sid: `UseThrough${name}ByNamedPrincipals`,
          principals: [new AccountRootPrincipal()],
          actions: USE_ACTIONS,
          resources: ['*'],
          conditions: { StringEquals: through, ArnEquals: named },
        }),
        new PolicyStatement({
          sid: `GrantsThrough${name}ByNamedPrincipalsForAwsResources`,
          principals: [new AccountRootPrincipal()],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: { StringEquals: through, ArnEquals: named, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      );
    }
    return statements;
  }
}
