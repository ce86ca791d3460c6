import { Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { BlueprintConfig } from './config';
import { PhiReplicaStack } from './stacks/phi-replica-stack';

/** Props of the PHI replica bootstrap. */
export interface PhiReplicaBootstrapStageProps {
  /** A validated config (see loadConfig). */
  readonly config: BlueprintConfig;
}

/**
 * Step 1 of the first deploy of an environment (`-c phiReplicaBootstrap=true`): only the PHI replica
 * stack, with the same id, stack name and tags as in HipaaStage, so that step 2 (the normal deploy)
 * updates the same CloudFormation stack. Its replica bucket is created without replication
 * (PhiBucket `replicationPending`): S3 needs a replication destination to exist, and the PHI bucket
 * does not exist yet.
 */
export class PhiReplicaBootstrapStage extends Construct {
  public readonly phiReplica: PhiReplicaStack;

  constructor(scope: Construct, id: string, props: PhiReplicaBootstrapStageProps) {
    super(scope, id);
    const { config } = props;
    this.phiReplica = new PhiReplicaStack(this, PhiReplicaStack.ID, {
      ...PhiReplicaStack.stackProps(config),
      bootstrap: true,
    });

    // The same tags as HipaaStage.
    Tags.of(this).add('Application', config.appName);
    Tags.of(this).add('Environment', config.envName);
    Tags.of(this).add('Owner', config.owner);
    Tags.of(this).add('DataClassification', 'PHI', { priority: 50 });
  }
}
