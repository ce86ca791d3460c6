import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnSession } from 'aws-cdk-lib/aws-macie';
import { Construct } from 'constructs';

/** Props of MacieDiscovery. */
export interface MacieDiscoveryProps {
  /**
   * Names of the PHI buckets Macie classifies daily: only buckets in this stack's region (a Macie
   * classification job is regional and cannot name a bucket of another region).
   */
  readonly phiBucketNames: readonly string[];
  /**
   * PHI buckets in other regions (the cross-region replica), which this job cannot classify: they need
   * Macie and a job in their own region. Named in the output's description as a documented gap.
   * @default - none
   */
  readonly otherRegionPhiBucketNames?: readonly string[];
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
 * The job covers this region's PHI buckets only; PHI buckets of other regions (the replica) need Macie
 * enabled there, which the blueprint does not deploy (a documented gap, named in the output description).
 *
 * The session is retained (DeletionPolicy and UpdateReplacePolicy Retain, safeguard I2): disabling
 * Macie deletes its findings and jobs, so deleting or replacing the stack leaves it enabled.
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
    const others = props.otherRegionPhiBucketNames ?? [];
    this.session = new CfnSession(this, 'Session', {
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      status: 'ENABLED',
    });
    this.session.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
    const buckets = JSON.stringify([{ accountId: account, buckets: [...props.phiBucketNames] }]);
    this.classificationJobCommand =
      `aws macie2 create-classification-job --region ${region} --name ${props.jobName} ` +
      `--job-type SCHEDULED --schedule-frequency '{"dailySchedule":{}}' ` +
      `--s3-job-definition '{"bucketDefinitions":${buckets}}'`;
    new CfnOutput(this, 'MacieClassificationJobCommand', {
      key: 'MacieClassificationJobCommand',
      description:
        `Deploy step (no CloudFormation resource): daily Macie classification of the PHI buckets in ${region}` +
        (others.length > 0
          ? `. Not covered (Macie jobs are regional; enable Macie and a job in their region): ${others.join(', ')}`
          : ''),
      value: this.classificationJobCommand,
    });
  }
}
