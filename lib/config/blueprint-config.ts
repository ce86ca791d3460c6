import type { RetentionPolicy } from '../../constructs/core/retention';
import type { InternetEgress } from '../../constructs/segmented-vpc';
import { BackupConfig, DatabaseConfig, PhiBucketConfig } from './data-config';
import { ServiceConfig } from './service-config';
import { AppSessionConfig } from './session-config';

export type { InternetEgress };

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
 * Which account-level detection services the blueprint turns on (safeguard D2). Switch one off only
 * where the account already has it (Control Tower, an organisation-wide delegated administrator,
 * an existing recorder): each of these allows one per account and region, so creating a second fails deploy.
 */
export interface DetectionConfig {
  /**
   * AWS Config recorder (all resource types, global ones in the home region), delivery channel to the
   * audit archive, and the HIPAA Security managed rules.
   * @default true
   */
  readonly config: boolean;
  /**
   * AWS Config's service-linked role AWSServiceRoleForConfig, which the recorder uses. There is one per
   * account and it outlives recorders: AWS creates it whenever AWS Config is turned on (console, Control
   * Tower, Security Hub set-up, a previous recorder), and creating it a second time fails the deploy.
   * 'create': the detection stack creates it (a fresh account that never had AWS Config; the role is
   * retained if the stack is deleted). 'existing': the account already has it (check with
   * `aws iam get-role --role-name AWSServiceRoleForConfig`); the recorder only references it.
   * Ignored when `config` is false.
   * @default 'create'
   */
  readonly configServiceLinkedRole: 'create' | 'existing';
  /**
   * GuardDuty detector with S3 data event and RDS login protection.
   * @default true
   */
  readonly guardDuty: boolean;
  /**
   * Security Hub with the AWS Foundational Security Best Practices and NIST SP 800-53 r5 standards.
   * @default true
   */
  readonly securityHub: boolean;
  /**
   * Macie session (the PHI bucket classification job is a deploy step: CloudFormation has no resource for it).
   * @default true
   */
  readonly macie: boolean;
  /**
   * Amazon Inspector for container images. CloudFormation cannot activate Inspector, so this is a
   * documented deploy step; the flag records the decision and emits the activation command as an output.
   * @default true
   */
  readonly inspector: boolean;
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
  /** Detection services the blueprint enables (D2); all on unless the account already has them. */
  readonly detection: DetectionConfig;
  readonly domain?: DomainConfig;
  /**
   * IAM role ARNs that administer the KMS keys (key policy administration statements). Absent:
   * administration is delegated to IAM in the account (the account root principal), never key use.
   */
  readonly keyAdminRoleArns?: readonly string[];
  /**
   * IAM USER ARNs (any account, normally a separate security/identity account) that may assume the
   * break-glass role with MFA used within the last hour (safeguard A5). Users, not roles: sessions of
   * SAML/OIDC-federated roles (IAM Identity Center) carry no MFA context keys, so they could never
   * satisfy the trust policy, and break-glass is for when that identity provider is down. Keep these
   * users for emergencies only, with hardware MFA enforced and their use alerted in their own account;
   * the blueprint creates no IAM users (A1). Required (non-empty) in production; empty elsewhere
   * means no break-glass role is created.
   * @default - none (required in production)
   */
  readonly breakGlassPrincipalArns: readonly string[];
  /** The PHI database (E2, E3, I1-I3); see DatabaseConfig. */
  readonly database: DatabaseConfig;
  /** The PHI data bucket (E2, E3, I1, I2); see PhiBucketConfig. */
  readonly phiBucket: PhiBucketConfig;
  /** AWS Backup of the PHI stores (I1); see BackupConfig. */
  readonly backup: BackupConfig;
  /** Application sign-in sessions (A2, A4); see AppSessionConfig. */
  readonly app: AppSessionConfig;
  /**
   * The containerised PHI workloads on Fargate (A3, E3, I3, U3, U4), each with its own image
   * repository, log group and task role; see ServiceConfig.
   * @default - none
   */
  readonly services: readonly ServiceConfig[];
  /**
   * ECS Exec (interactive shell into running tasks). When on, sessions are encrypted with the
   * operations key and logged to an encrypted six-year log group; keep off unless operators need it.
   * @default false
   */
  readonly ecsExec: boolean;
}
