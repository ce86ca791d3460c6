import { CfnPublishingDestination } from 'aws-cdk-lib/aws-guardduty';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { tagSafeguards } from './core';

/** Props of a GuardDutyFindingsExport. */
export interface GuardDutyFindingsExportProps {
  /** The detector whose findings are exported (GuardDutyDetector.detector.ref: the detector id). */
  readonly detectorId: string;
  /** The findings archive (FindingsArchive.bucket): its policy admits GuardDuty's writes under `AWSLogs/<account>/GuardDuty/`. */
  readonly bucket: IBucket;
  /** The key GuardDuty encrypts the exported findings with (the audit key, with guardDutyFindingsExport usage). */
  readonly encryptionKey: IKey;
}

/**
 * GuardDuty's S3 publishing destination (D2): the detector exports every finding (new findings within about five
 * minutes, updates at its publishing frequency) to the six-year findings archive, under `AWSLogs/<account>/GuardDuty/`, encrypted with
 * the audit key. GuardDuty checks at creation that it can locate the bucket and use the key (the audit stack's bucket
 * policy and the keys stack's key policy admit it for this account's detectors only).
 */
export class GuardDutyFindingsExport extends Construct {
  public readonly destination: CfnPublishingDestination;

  constructor(scope: Construct, id: string, props: GuardDutyFindingsExportProps) {
    super(scope, id);
    this.destination = new CfnPublishingDestination(this, 'Destination', {
      detectorId: props.detectorId,
      destinationType: 'S3',
      destinationProperties: {
        // The bucket itself, not a folder: GuardDuty requires a destination folder to exist as an object, and the
        // archive lets nobody but GuardDuty and Firehose write. GuardDuty writes under AWSLogs/<account>/GuardDuty/.
        destinationArn: props.bucket.bucketArn,
        kmsKeyArn: props.encryptionKey.keyArn,
      },
    });
    tagSafeguards(this, ['D2']);
  }
}
