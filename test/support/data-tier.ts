import { App, Stack } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { stageId } from '../../lib/blueprint-app';
import { BlueprintConfig, validateConfig } from '../../lib/config';
import { DataStack } from '../../lib/stacks/data-stack';
import { KeysStack } from '../../lib/stacks/keys-stack';
import { NetworkStack } from '../../lib/stacks/network-stack';
import { PhiReplicaStack } from '../../lib/stacks/phi-replica-stack';
import { testConfig } from './blueprint';

/** The data tier on its own: keys, network, a stand-in alarm topic, and the data stack, in a stage-like scope. */
export interface DataTier {
  /** The validated config the tier was built from. */
  readonly config: BlueprintConfig;
  readonly app: App;
  readonly keys: KeysStack;
  readonly network: NetworkStack;
  readonly data: DataStack;
  /** The PHI replica in the replica region (the PHI bucket's replication partner). */
  readonly phiReplica: PhiReplicaStack;
}

/**
 * Builds KeysStack + NetworkStack + DataStack + PhiReplicaStack the way HipaaStage composes them (same
 * construct paths, e.g. Dev/Data/...), with an SNS action on a test topic standing in for the alerting stack.
 */
export function buildDataTier(
  config: BlueprintConfig = testConfig('dev'),
  options: { validate?: boolean } = {},
): DataTier {
  // Construct tests of engine paths the config does not offer yet (Aurora) skip config validation.
  const valid = options.validate === false ? config : validateConfig(config);
  const app = new App({ builtinCloudFormationValidation: false });
  const stage = new Construct(app, stageId(valid.envName));
  const keys = new KeysStack(stage, 'Keys', { config: valid });
  const network = new NetworkStack(stage, 'Network', { config: valid, keys: keys.keys });
  const alerts = new Stack(stage, 'TestAlerts', { env: { account: valid.account, region: valid.region } });
  const topic = new Topic(alerts, 'AlarmTopic');
  const data = new DataStack(stage, 'Data', {
    config: valid,
    keys: keys.keys,
    vpc: network.vpc,
    alarmAction: new SnsAction(topic),
    terminationProtection: true,
  });
  const phiReplica = new PhiReplicaStack(stage, PhiReplicaStack.ID, PhiReplicaStack.stackProps(valid));
  phiReplica.addStackDependency(data);
  return { config: valid, app, keys, network, data, phiReplica };
}
