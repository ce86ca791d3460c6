import { CfnRegistryScanningConfiguration } from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { tagSafeguards } from './core';

/** What the registry scanning configuration must say (the gate reads it): enhanced, continuous, every repository. */
export const REGISTRY_SCANNING = { scanType: 'ENHANCED', frequency: 'CONTINUOUS_SCAN', filter: '*' } as const;

/**
 * ECR enhanced scanning of the account's private registry in this region (safeguard D2, vulnerability scans of
 * 164.308(a)(1)(ii)(A)): Amazon Inspector scans every image of every repository on push and again whenever a new
 * vulnerability is published, for as long as the image is in use. Setting the registry to ENHANCED activates Amazon
 * Inspector's ECR scanning of the account (Amazon Inspector User Guide, "Amazon Inspector integration with Amazon
 * ECR"). One per account and region: it replaces the repositories' basic scan-on-push.
 */
export class RegistryScanning extends Construct {
  public readonly configuration: CfnRegistryScanningConfiguration;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.configuration = new CfnRegistryScanningConfiguration(this, 'Configuration', {
      scanType: REGISTRY_SCANNING.scanType,
      rules: [
        {
          scanFrequency: REGISTRY_SCANNING.frequency,
          repositoryFilters: [{ filter: REGISTRY_SCANNING.filter, filterType: 'WILDCARD' }],
        },
      ],
    });
    tagSafeguards(this, ['D2']);
  }
}
