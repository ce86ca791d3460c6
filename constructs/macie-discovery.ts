import { CfnOutput, Stack } from 'aws-cdk-lib';
import { CfnSession } from 'aws-cdk-lib/aws-macie';
import { Construct } from 'constructs';

/** Props of MacieDiscovery. */
export interface MacieDiscoveryProps {
  /** Names of the PHI buckets Macie classifies daily (phiBucketNames(config)). */
  readonly phiBucketNames: readonly string[];
  /** Name of the daily classification job. */
  readonly jobName: string;
}

/**
 * Macie on the PHI buckets (D2, 164.308(a)(1)(ii)(D)): the Macie session of the account and region,
 * findings published every 15 minutes.
 *
 * CloudFormation has no resource for Macie classification jobs, so the daily job on the PHI buckets
 * is a deploy step: the exact command is emitted as the stack output `MacieClassificationJobCommand`.
 * The PHI key's policy lets Macie's service-linked role decrypt (key-usage.ts `macieDiscovery`).
 */
export class MacieDiscovery extends Construct {
  public readonly session: CfnSession;
  /** The AWS CLI command that creates the daily classification job (deploy step). */
  public readonly classificationJobCommand: string;

  constructor(scope: Construct, id: string, props: MacieDiscoveryProps) {
    super(scope, id);
    if (props.phiBucketNames.length === 0) {
      throw new Error(`MacieDiscovery ${this.node.path}: phiBucketNames = []: at least one PHI bucket to classify`);
    }
    if (!/^[A-Za-z0-9-]{1,64}$/.test(props.jobName)) {
      throw new Error(`MacieDiscovery ${this.node.path}: jobName = '${props.jobName}': must be 1-64 of [A-Za-z0-9-]`);
    }
    const { account, region } = Stack.of(this);
    this.session = new CfnSession(this, 'Session', {
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      status: 'ENABLED',
    });
    const buckets = JSON.stringify([{ accountId: account, buckets: [...props.phiBucketNames] }]);
    this.classificationJobCommand =
      `aws macie2 create-classification-job --region ${region} --name ${props.jobName} ` +
      `--job-type SCHEDULED --schedule-frequency '{"dailySchedule":{}}' ` +
      `--s3-job-definition '{"bucketDefinitions":${buckets}}'`;
    new CfnOutput(this, 'MacieClassificationJobCommand', {
      key: 'MacieClassificationJobCommand',
      description: 'Deploy step (no CloudFormation resource): daily Macie classification of the PHI buckets',
      value: this.classificationJobCommand,
    });
  }
}
