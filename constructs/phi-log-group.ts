import { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnResource } from 'aws-cdk-lib';
import { DataIdentifier, DataProtectionPolicy, ILogGroup, LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { markPhiLogGroup, RetentionPolicy, tagSafeguards } from './core';
import { EncryptedLogGroup } from './encrypted-log-group';

/**
 * CloudWatch Logs managed data identifiers masked in application logs (safeguard U4): every health
 * and identity identifier aws-cdk-lib 2.276 names that maps to a HIPAA identifier (45 CFR
 * 164.514(b)(2)) for US patients, plus the health numbers of other jurisdictions the service list has.
 *
 * Not available as managed identifiers (mask them in the application or add custom identifiers):
 * dates (birth, admission, death), medical record numbers, health plan beneficiary numbers other
 * than the MBI/HICN, fax numbers, URLs, device identifiers, biometrics, photographs.
 */
export const PHI_LOG_DATA_IDENTIFIERS: readonly DataIdentifier[] = [
  // Identity (US)
  DataIdentifier.NAME,
  DataIdentifier.ADDRESS,
  DataIdentifier.ZIPCODE_US,
  DataIdentifier.LATLONG,
  DataIdentifier.EMAILADDRESS,
  DataIdentifier.PHONENUMBER_US,
  DataIdentifier.SSN_US,
  DataIdentifier.INDIVIDUALTAXIDENTIFICATIONNUMBER_US,
  DataIdentifier.DRIVERSLICENSE_US,
  DataIdentifier.PASSPORTNUMBER_US,
  DataIdentifier.BANKACCOUNTNUMBER_US,
  DataIdentifier.CREDITCARDNUMBER,
  DataIdentifier.VEHICLEIDENTIFICATIONNUMBER,
  DataIdentifier.IPADDRESS,
  // Health (US)
  DataIdentifier.HEALTHINSURANCECLAIMNUMBER_US,
  DataIdentifier.MEDICAREBENEFICIARYNUMBER_US,
  DataIdentifier.NATIONALPROVIDERID_US,
  DataIdentifier.DRUGENFORCEMENTAGENCYNUMBER_US,
  DataIdentifier.HEALTHCAREPROCEDURECODE_US,
  DataIdentifier.NATIONALDRUGCODE_US,
  // Health (other jurisdictions)
  DataIdentifier.HEALTHINSURANCECARDNUMBER_EU,
  DataIdentifier.HEALTHINSURANCENUMBER_FR,
  DataIdentifier.NHSNUMBER_GB,
  DataIdentifier.PERSONALHEALTHNUMBER_CA,
];

/**
 * The CloudWatch Logs data protection policy of every log group that may receive PHI (safeguard U4):
 * audit and mask PHI_LOG_DATA_IDENTIFIERS (plus `additionalIdentifiers`), findings (which identifier,
 * where; never the value) to `findings`. Used by PhiLogGroup (containers) and PhiDatabase (RDS logs).
 */
export function phiDataProtectionPolicy(
  findings: ILogGroup,
  additionalIdentifiers: readonly DataIdentifier[] = [],
): DataProtectionPolicy {
  return new DataProtectionPolicy({
    name: 'phi-masking',
    description: 'Audit and mask health and identity identifiers (HIPAA blueprint safeguard U4)',
    identifiers: [...PHI_LOG_DATA_IDENTIFIERS, ...additionalIdentifiers],
    logGroupAuditDestination: findings,
  });
}

/** Props of a PhiLogGroup. */
export interface PhiLogGroupProps {
  /** Customer-managed key of both log groups (operations key, E2). */
  readonly encryptionKey: IKey;
  /** The blueprint's retention policy (>= 2192 days, U3). */
  readonly retention: RetentionPolicy;
  /**
   * Custom identifiers (e.g. the organisation's medical record number format) masked in addition to
   * PHI_LOG_DATA_IDENTIFIERS; the managed ones cannot be removed.
   * @default - none
   */
  readonly additionalIdentifiers?: readonly DataIdentifier[];
}

/**
 * The log group of a workload that may handle PHI (safeguards E2, U3, U4): an EncryptedLogGroup with
 * a CloudWatch Logs data protection policy that audits and masks PHI_LOG_DATA_IDENTIFIERS, and a
 * second encrypted log group that receives the audit findings (which identifier, where; never the
 * value). Masked values are readable only with the logs:Unmask permission, which the blueprint grants to no one.
 */
export class PhiLogGroup extends Construct {
  /** Where the workload writes. */
  public readonly logGroup: LogGroup;
  /** Where CloudWatch Logs reports the identifiers it found and masked. */
  public readonly findingsLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PhiLogGroupProps) {
    super(scope, id);
    tagSafeguards(this, ['U3', 'U4', 'E2']);
    this.findingsLogGroup = new EncryptedLogGroup(this, 'Findings', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    }).logGroup;
    const policy = phiDataProtectionPolicy(this.findingsLogGroup, props.additionalIdentifiers);
    this.logGroup = new EncryptedLogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
      dataProtectionPolicy: policy,
    }).logGroup;
    markPhiLogGroup(this.logGroup.node.defaultChild as CfnResource);
  }
}
