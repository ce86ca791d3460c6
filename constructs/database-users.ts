import * as path from 'path';
import { Aws, CustomResource, Duration } from 'aws-cdk-lib';
import { ISecurityGroup, IVpc, Peer, Port, SecurityGroup, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EncryptedLogGroup, EncryptedLogGroupProps } from './encrypted-log-group';
import {
  assertLocalEsbuild,
  lambdaNetworkPolicy,
  ownResourceStatements,
  retainedDeadLetterQueue,
  vpcFunctionSafeguards,
} from './vpc-function-parts';

/** Props of a DatabaseUsers provisioner. */
export interface DatabaseUsersProps {
  /** The PHI VPC. */
  readonly vpc: IVpc;
  /** Subnets of the function: the application tier (the only tier the database's network ACL admits). */
  readonly vpcSubnets: SubnetSelection;
  /** Endpoint host name of the database writer (PhiDatabase.endpoint). */
  readonly databaseEndpoint: string;
  /** Port the database listens on. */
  readonly databasePort: number;
  /**
   * Security group of the database: the provisioner's own group is admitted on `databasePort` (an
   * ingress rule is added to it) and may reach it on that port only.
   */
  readonly databaseSecurityGroup: ISecurityGroup;
  /** The RDS-managed master user secret (JSON with username and password). */
  readonly masterSecret: ISecret;
  /** The customer-managed key of the master secret (read through Secrets Manager only). */
  readonly masterSecretKey: IKey;
  /**
   * The database users to create, one per service: lower-case kebab names, 2-24 characters
   * (config.services[].name). Each gets LOGIN, rds_iam, its own schema and search_path; nothing else.
   */
  readonly users: readonly string[];
  /** Customer-managed key of the function's log group and dead-letter queue (E2). */
  readonly encryptionKey: IKey;
  /** Retention of the function's log group (the blueprint's retention policy; six years, U3). */
  readonly retention: EncryptedLogGroupProps['retention'];
  /**
   * Database the users and schemas are created in (an RDS instance created without a database name
   * has only `postgres`).
   * @default 'postgres'
   */
  readonly databaseName?: string;
  /**
   * The region's S3 managed prefix list (`pl-...`): egress on 443 to it and to the VPC only. The
   * function PUTs its response to CloudFormation's S3 bucket through the S3 gateway endpoint, and an
   * SG names gateway endpoint traffic only by that prefix list.
   * @default - 443 to 0.0.0.0/0; what it reaches is decided by the route table (application tier:
   *   the VPC and the gateway endpoints only, unless config adds NAT)
   */
  readonly s3PrefixListId?: string;
}

/** Service user names (config SERVICE_NAME): lower-case kebab, starting with a letter, 2-24 characters. */
const USER = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,23}$/;
/** Roles PostgreSQL or RDS reserve or own (same list as lambda/db-users/identifiers.ts). */
const RESERVED = /^(public|none|postgres|rds.*|pg.*)$/;
const DATABASE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
const ENTRY = path.join(__dirname, '..', 'lambda', 'db-users', 'index.ts');
const PROJECT_ROOT = path.join(__dirname, '..');

/**
 * Creates each service's database user at deploy time, so no human needs a way into the VPC (A1, A3):
 * a Lambda-backed CloudFormation custom resource (no provider framework) in the application tier
 * that reads the master secret, connects over TLS verified against the Amazon CA bundle (E3) and,
 * idempotently, creates per user a LOGIN role without password in rds_iam (IAM database
 * authentication only), a schema of its own and its search_path, and turns on pgaudit of the master
 * user's reads, writes, DDL and role changes (U1). Users removed from the list lose LOGIN; nothing is
 * ever dropped, and Delete leaves the database as it is. A change of `users` re-runs it.
 *
 * The function: Node.js 24 on arm64, bundled by local esbuild, reserved concurrency 1, an encrypted
 * dead-letter queue, a six-year encrypted log group, a security group whose only egress is the
 * database port to the database's group and HTTPS, and a role whose only permissions are two
 * customer-managed policies (the secret, its key through Secrets Manager, its log group and queue;
 * and the network interface actions, which IAM grants only on `*`).
 *
 * Deploy needs: the secretsmanager interface endpoint in the VPC, and an S3 gateway endpoint policy
 * admitting s3:PutObject on `arn:<partition>:s3:::cloudformation-custom-resource-response-<region
 * without dashes>/*` (CloudFormation's response bucket), or CloudFormation never hears back.
 */
export class DatabaseUsers extends Construct {
  /** The provisioner function. */
  public readonly function: NodejsFunction;
  /** The custom resource (type Custom::DatabaseUsers). */
  public readonly resource: CustomResource;
  /** Security group of the function: the database port to the database, HTTPS out. */
  public readonly securityGroup: SecurityGroup;
  /** Log group of the function. */
  public readonly logGroup: EncryptedLogGroup;
  /** Dead-letter queue of invocations that failed even to respond. */
  public readonly deadLetterQueue: Queue;
  /** The function's role (customer-managed policies only). */
  public readonly role: Role;
  /** The users, sorted, as the custom resource receives them. */
  public readonly users: readonly string[];

  constructor(scope: Construct, id: string, props: DatabaseUsersProps) {
    super(scope, id);
    const where = `DatabaseUsers ${this.node.path}`;
    this.users = DatabaseUsers.validatedUsers(where, props.users);
    const port = props.databasePort;
    if (!Number.isInteger(port) || port < 1150 || port > 65535) {
      throw new Error(`${where}: databasePort = ${port}: must be an integer from 1150 to 65535`);
    }
    const databaseName = props.databaseName ?? 'postgres';
    if (!DATABASE_NAME.test(databaseName)) {
      throw new Error(
        `${where}: databaseName = '${databaseName}': must be a letter, then letters, digits or '_' (1-63 characters)`,
      );
    }
    if (props.s3PrefixListId !== undefined && !/^pl-[0-9a-f]{8,17}$/.test(props.s3PrefixListId)) {
      throw new Error(
        `${where}: s3PrefixListId = '${props.s3PrefixListId}': must be a managed prefix list ID, pl- and 8-17 hex digits`,
      );
    }
    assertLocalEsbuild(where);

    this.logGroup = new EncryptedLogGroup(this, 'LogGroup', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    });

    this.deadLetterQueue = retainedDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey);

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Database users provisioner: the database port to the database, HTTPS to AWS APIs',
      allowAllOutbound: false,
    });
    // N3: inline (CIDR or prefix list) egress first: an SG-to-SG rule alone renders as a separate
    // resource and EC2 would keep its default allow-all egress (project rule SecurityGroupEgressExplicit).
    if (props.s3PrefixListId !== undefined) {
      this.securityGroup.addEgressRule(
        Peer.ipv4(props.vpc.vpcCidrBlock),
        Port.tcp(443),
        'HTTPS to the interface endpoints in the VPC',
      );
      this.securityGroup.addEgressRule(
        Peer.prefixList(props.s3PrefixListId),
        Port.tcp(443),
        'HTTPS to S3 (CloudFormation response) through the gateway endpoint',
      );
    } else {
      this.securityGroup.addEgressRule(
        Peer.anyIpv4(),
        Port.tcp(443),
        'HTTPS to the interface endpoints and to S3 through the gateway endpoint (no internet route in the application tier)',
      );
    }
    this.securityGroup.addEgressRule(props.databaseSecurityGroup, Port.tcp(port), 'Provisioner to database');
    props.databaseSecurityGroup.addIngressRule(this.securityGroup, Port.tcp(port), 'Database users provisioner');

    const { role, policies } = this.provisionerRole(props);
    this.role = role;

    this.function = new NodejsFunction(this, 'Function', {
      description: 'Creates the services database users (IAM auth) and schemas at deploy time (A1, A3)',
      memorySize: 256,
      timeout: Duration.minutes(2),
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      retryAttempts: 2,
      maxEventAge: Duration.minutes(15),
      // Safeguards last. The SDK is in the runtime; the PostgreSQL client is postgres.js (pure JavaScript, ~38 KB
      // minified) in the bundle. Immutable role: CDK adds no inline policy and no AWS managed policy; the role holds
      // only `policies`.
      ...vpcFunctionSafeguards({
        entry: ENTRY,
        projectRoot: PROJECT_ROOT,
        vpc: props.vpc,
        vpcSubnets: props.vpcSubnets,
        securityGroup: this.securityGroup,
        role,
        logGroup: this.logGroup.logGroup,
        deadLetterQueue: this.deadLetterQueue,
      }),
    });
    // Lambda checks the ENI permissions when the function is created: attach the policies first.
    for (const policy of policies) this.function.node.addDependency(policy);

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::DatabaseUsers',
      properties: {
        Users: [...this.users],
        SecretArn: props.masterSecret.secretArn,
        Host: props.databaseEndpoint,
        Port: String(port),
        DatabaseName: databaseName,
      },
      // A lost response fails the deployment after 10 minutes instead of CloudFormation's one hour.
      serviceTimeout: Duration.minutes(10),
    });
    // Created after, and deleted before, what it needs to run and respond: its permissions, its
    // security group rules and the database's ingress rule for it.
    this.resource.node.addDependency(...policies, this.securityGroup, props.databaseSecurityGroup);
  }

  /** The function's role: two customer-managed policies, nothing inline, no AWS managed policy. */
  private provisionerRole(props: DatabaseUsersProps): { role: Role; policies: ManagedPolicy[] } {
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Database users provisioner: read the master secret, write its logs, dead-letter failures',
    });
    const own = ownResourceStatements({
      deadLetterQueue: this.deadLetterQueue,
      encryptionKey: props.encryptionKey,
      logGroup: this.logGroup.logGroup,
    });
    const scoped = new ManagedPolicy(this, 'Policy', {
      description:
        'Database users provisioner: the master secret, its key via Secrets Manager, its log group and queue',
      roles: [role],
      statements: [
        new PolicyStatement({
          sid: 'ReadMasterSecret',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [props.masterSecret.secretArn],
        }),
        new PolicyStatement({
          sid: 'DecryptMasterSecretViaSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [props.masterSecretKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
        }),
        own.writeOwnLogs,
        own.deadLetters,
        own.encryptDeadLetters,
      ],
    });
    const network = lambdaNetworkPolicy(
      this,
      'NetworkPolicy',
      'Database users provisioner: the network interface actions Lambda needs to run in the VPC',
      role,
    );
    return { role, policies: [scoped, network] };
  }

  /** The users, sorted; throws naming the first bad one. */
  private static validatedUsers(where: string, users: readonly string[]): string[] {
    if (users.length === 0) {
      throw new Error(`${where}: users = []: at least one service user is required`);
    }
    users.forEach((user, i) => {
      if (!USER.test(user)) {
        throw new Error(
          `${where}: users[${i}] = '${user}': must be a service name (lower-case letters, digits and single dashes, starting with a letter, 2-24 characters)`,
        );
      }
      if (RESERVED.test(user)) {
        throw new Error(
          `${where}: users[${i}] = '${user}': is reserved by PostgreSQL or RDS (public, none, postgres, rds*, pg*)`,
        );
      }
      if (users.indexOf(user) !== i) {
        throw new Error(`${where}: users[${i}] = '${user}': is listed twice: names must be unique`);
      }
    });
    return [...users].sort();
  }
}
