import { Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BlueprintConfig } from './config';
import { KeysStack } from './stacks/keys-stack';
import { NetworkStack } from './stacks/network-stack';

/** Props of one deployable environment. */
export interface HipaaStageProps {
  /** A validated config (see loadConfig). */
  readonly config: BlueprintConfig;
}

/**
 * One deployable environment (the equivalent of a cdk.Stage, kept a plain construct so that
 * `cdk synth` and `cdk deploy --all` see its stacks as top-level stacks): composes the stacks in dependency order keys -> network -> (audit,
 * data) -> app, on the config's account and region. Stateful stacks get termination protection.
 */
export class HipaaStage extends Construct {
  public readonly keys: KeysStack;
  public readonly network: NetworkStack;

  constructor(scope: Construct, id: string, props: HipaaStageProps) {
    super(scope, id);
    const { config } = props;
    const name = (stack: string): string => `${config.appName}-${config.envName}-${stack}`;

    this.keys = new KeysStack(this, 'Keys', {
      stackName: name('keys'),
      description: 'HIPAA blueprint: customer-managed KMS keys per data domain (E1)',
      terminationProtection: true,
      config,
    });
    this.network = new NetworkStack(this, 'Network', {
      stackName: name('network'),
      description: 'HIPAA blueprint: segmented PHI and non-PHI VPCs, endpoints, flow logs (N1-N4)',
      terminationProtection: true,
      config,
      logsKey: this.keys.keys.operations,
    });

    Tags.of(this).add('Application', config.appName);
    Tags.of(this).add('Environment', config.envName);
    Tags.of(this).add('Owner', config.owner);
    Tags.of(this).add('DataClassification', 'PHI', { priority: 50 });
  }
}
