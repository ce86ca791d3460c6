import { RetentionPolicy } from './retention';

/** Whether subnets that run workloads may reach the internet. */
export type InternetEgress = 'none' | 'nat';

/** Network layout of one environment. */
export interface NetworkConfig {
  /** CIDR of the PHI VPC (tiers: public, application, data). */
  readonly phiVpcCidr: string;
  /** CIDR of the non-PHI VPC; must not overlap the PHI VPC. */
  readonly nonPhiVpcCidr: string;
  /** Availability zones per VPC, 2 to 3. */
  readonly azCount: number;
  /** 'none': no NAT, workloads reach AWS only through VPC endpoints. 'nat': one NAT gateway per AZ. */
  readonly internetEgress: InternetEgress;
  /** Database port the data-tier network ACL admits from the application tier. */
  readonly databasePort: number;
  /**
   * Interface endpoints in the PHI VPC, by service short name (e.g. 'ecr.api', 'logs').
   * Only names from INTERFACE_ENDPOINT_SERVICES are accepted.
   */
  readonly interfaceEndpoints: readonly string[];
}

/** The domain the application is served on; absent in dev (synth still works, deploy needs one). */
export interface DomainConfig {
  /** Fully qualified name of the application, e.g. app.example.org. */
  readonly name: string;
  /** An existing ACM certificate ARN in the deploy region, or absent to issue one DNS-validated. */
  readonly certificateArn?: string;
  /** Route 53 hosted zone id, needed to DNS-validate a new certificate. */
  readonly hostedZoneId?: string;
  /** Route 53 hosted zone name for hostedZoneId. */
  readonly hostedZoneName?: string;
}

/**
 * One deployable environment. A fork changes behaviour by editing an object of this type in
 * lib/config/environments.ts, never constructs.
 */
export interface BlueprintConfig {
  /** Environment name, selected with `-c env=NAME`. */
  readonly envName: string;
  /** Short application name, lower-case letters, digits and dashes; prefixes stack names. */
  readonly appName: string;
  /** Owner tag value (team or cost centre). */
  readonly owner: string;
  /** Whether this environment holds production PHI: tightens validation (COMPLIANCE lock, Multi-AZ). */
  readonly production: boolean;
  /** 12-digit AWS account id the environment deploys to. */
  readonly account: string;
  /** Region the environment deploys to; must be in allowedRegions. */
  readonly region: string;
  /** Regions this organisation allows PHI in. */
  readonly allowedRegions: readonly string[];
  readonly network: NetworkConfig;
  /** Retention of every log and audit store (never below 2192 days). */
  readonly retention: RetentionPolicy;
  /** E-mail addresses subscribed to security alerts. */
  readonly alertEmails: readonly string[];
  readonly domain?: DomainConfig;
  /** Deletion protection on databases and load balancers; must be true in production. */
  readonly deletionProtection: boolean;
  /**
   * IAM role ARNs that administer the KMS keys (key policy administration statements). Absent:
   * administration is delegated to IAM in the account (the account root principal), never key use.
   */
  readonly keyAdminRoleArns?: readonly string[];
}
