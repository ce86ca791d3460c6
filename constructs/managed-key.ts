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
}

/** Key administration, never use: who holds these can manage the key but cannot encrypt or decrypt. */
const ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
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
  }

  private adminStatement(adminRoleArns: readonly string[]): PolicyStatement {
    return new PolicyStatement({
      sid: 'KeyAdministrationWithoutUse',
      effect: Effect.ALLOW,
      principals: [new AccountRootPrincipal(), ...adminRoleArns.map((arn) => new ArnPrincipal(arn))],
      actions: ADMIN_ACTIONS,
      resources: ['*'],
    });
  }

  /** The statements that let only the named services use the key. Exposed for tests. */
  public static useStatements(usage: KeyUsage, account: string, region: string): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    if (usage.viaServices.length > 0) {
      statements.push(
        new PolicyStatement({
          sid: 'UseThroughNamedServicesInThisAccount',
          principals: [new AccountRootPrincipal()],
          actions: [...USE_ACTIONS, 'kms:CreateGrant', 'kms:ListGrants'],
          resources: ['*'],
          conditions: {
            StringEquals: {
              'kms:CallerAccount': account,
              'kms:ViaService': usage.viaServices.map((s) => `${s}.${region}.amazonaws.com`),
            },
          },
        }),
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
              'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${region}:${account}:log-group:*`,
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
          actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: ['*'],
          conditions: {
            StringEquals: { 'aws:SourceAccount': account },
            StringLike: {
              'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${Aws.PARTITION}:cloudtrail:*:${account}:trail/*`,
            },
          },
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
    return statements;
  }
}
