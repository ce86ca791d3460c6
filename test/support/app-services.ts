import { App, Stack } from 'aws-cdk-lib';
import { Peer, Port, SecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ImageRepository } from '../../constructs/image-repository';
import { PhiCluster } from '../../constructs/phi-cluster';
import { PhiService } from '../../constructs/phi-service';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { stageId } from '../../lib/blueprint-app';
import { BlueprintConfig, phiDataBucketNameRef, ServiceConfig, validateConfig } from '../../lib/config';
import { BlueprintStack, BlueprintStackProps } from '../../lib/stacks/blueprint-stack';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { NetworkStack } from '../../lib/stacks/network-stack';
import { testConfig } from './blueprint';

/** The sample service of the tests: what environments.ts ships, with its image pushed. */
export const TEST_SERVICE: ServiceConfig = {
  name: 'api',
  imageTag: 'v1',
  containerPort: 8443,
  cpu: 512,
  memoryMiB: 1024,
  desiredCount: 2,
  routing: { pathPattern: '/*', priority: 100 },
};

/** A DbiResourceId standing in for DataStack.databaseResourceId. */
export const TEST_DB_RESOURCE_ID = 'db-ABCDEFGHIJKLMNOPQRSTUVWXY0';

/** Options of the services test app. */
export interface ServicesTestOptions {
  readonly config?: BlueprintConfig;
  readonly service?: ServiceConfig;
  readonly enableExecuteCommand?: boolean;
  /** PhiServiceProps.s3PrefixListId. @default - none */
  readonly s3PrefixListId?: string;
  /** Grant the service its PHI (database user `<name>` + `<name>/` prefix of the PHI bucket). @default true */
  readonly grant?: boolean;
}

/** Stand-ins for what AppStack takes from DataStack (DataStack itself is tested in its own file). */
export interface DataStandIns {
  /** DataStack.appSecurityGroup, in its own stack so the reference crosses stacks as it does in the blueprint. */
  readonly appSecurityGroup: SecurityGroup;
  /** DataStack.databaseResourceId: the DbiResourceId IAM database authentication names. */
  readonly databaseResourceId: string;
  /** An application secret under the operations key (for container `secrets`; never the database master secret). */
  readonly appSecret: ISecret;
  /** DataStack.phiKey. */
  readonly phiKey: IKey;
}

/** Props of the test stack. */
interface ServicesTestStackProps extends BlueprintStackProps {
  readonly keys: KeysStack;
  readonly network: NetworkStack;
  readonly appSecurityGroup: SecurityGroup;
  readonly options: ServicesTestOptions;
}

/** A stand-in for AppStack holding one service's constructs, wired the way AppStack wires them. */
export class ServicesTestStack extends BlueprintStack {
  public readonly repository: ImageRepository;
  public readonly cluster: PhiCluster;
  public readonly api: PhiService;
  public readonly data: DataStandIns;
  /** Stand-in for part B's load balancer security group. */
  public readonly loadBalancerGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: ServicesTestStackProps) {
    super(scope, id, props);
    const { keys, network, options, config } = props;
    const service = options.service ?? TEST_SERVICE;
    const operations = keys.keys.operations;
    const vpc = network.vpc;
    this.data = {
      appSecurityGroup: props.appSecurityGroup,
      databaseResourceId: TEST_DB_RESOURCE_ID,
      appSecret: Secret.fromSecretAttributes(this, 'AppSecret', {
        secretCompleteArn: `arn:aws:secretsmanager:${config.region}:${config.account}:secret:api-key-AbCdEf`,
        encryptionKey: operations,
      }),
      phiKey: keys.keys.phi,
    };
    this.loadBalancerGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc,
      description: 'Stand-in for the load balancer',
      allowAllOutbound: false,
    });
    // Like the real one (SecureLoadBalancer: the Cognito action adds HTTPS to the IdP inline), so its
    // egress is stated inline and EC2 adds no allow-all rule (project rule SecurityGroupEgressExplicit).
    this.loadBalancerGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'Stand-in for HTTPS to the IdP');
    this.repository = new ImageRepository(this, 'ApiRepository', {
      encryptionKey: operations,
      repositoryName: `${config.appName}-${config.envName}/${service.name}`,
    });
    this.cluster = new PhiCluster(this, 'Cluster', {
      vpc,
      key: operations,
      ephemeralStorageKey: this.data.phiKey,
      retention: config.retention,
      clusterName: 'hipaa-dev-phi',
    });
    this.api = new PhiService(this, 'ApiService', {
      cluster: this.cluster,
      repository: this.repository.repository,
      service,
      logKey: operations,
      retention: config.retention,
      joinSecurityGroups: [this.data.appSecurityGroup],
      enableExecuteCommand: options.enableExecuteCommand ?? config.ecsExec,
      s3PrefixListId: options.s3PrefixListId,
    });
    this.api.allowFrom(this.loadBalancerGroup);
    if (options.grant ?? true) {
      this.api.grantPhiAccess({
        database: { resourceId: this.data.databaseResourceId, user: service.name },
        // The PHI bucket by its config-derived name (the form PhiServiceAccess documents).
        phiObjects: {
          bucket: Bucket.fromBucketName(this, 'PhiBucketRef', phiDataBucketNameRef(config)),
          key: this.data.phiKey,
          prefix: `${service.name}/`,
        },
      });
    }
  }
}

/**
 * Keys and Network as the stage composes them (paths `Dev/...`), a `Dev/Data` stand-in holding the
 * application security group, and `Dev/App` holding the service.
 */
export function buildServicesApp(options: ServicesTestOptions = {}): { app: App; stack: ServicesTestStack } {
  const config = validateConfig(options.config ?? testConfig('dev'));
  const app = new App({ builtinCloudFormationValidation: false });
  const stage = new Construct(app, stageId(config.envName));
  const keys = new KeysStack(stage, 'Keys', { config });
  const network = new NetworkStack(stage, 'Network', { config, keys: keys.keys });
  const data = new Stack(stage, 'Data', { env: { account: config.account, region: config.region } });
  const appSecurityGroup = new SecurityGroup(data, 'AppSecurityGroup', {
    vpc: network.vpc,
    description: 'Stand-in for DataStack.appSecurityGroup',
    allowAllOutbound: false,
  });
  const stack = new ServicesTestStack(stage, 'App', { config, keys, network, appSecurityGroup, options });
  return { app, stack };
}
