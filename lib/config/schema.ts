/**
 * The one declaration of an environment's configuration: a zod schema from which the TypeScript type is
 * inferred (so type and validation cannot drift), the JSON Schema is generated (lib/config/json-schema.ts,
 * editors complete and check a JSON environment with it) and the README's configuration table is generated
 * (npm run docs). Every field carries `description` (what it is) and `rule` (what validation enforces).
 *
 * Objects are strict: an unknown key is refused, with the nearest known key suggested. Shapes are checked
 * before any value is used: the cross-field rules (lib/config/rules.ts) run only on fields that parsed, so no
 * input can crash validation.
 */
import { z } from 'zod';
import RDS_INSTANCE_CLASSES from './rds-instance-classes.json';
import { RDS_CLASSES_FILE } from './rds-instance-classes-source';
import {
  CLOUDWATCH_LOGS_RETENTION_VALUES,
  HIPAA_MIN_RETENTION_DAYS,
  MAX_CONTINUOUS_BACKUP_DAYS,
  MIN_MONTHLY_BACKUP_DAYS,
  MIN_PITR_DAYS,
  RDS_MAX_BACKUP_RETENTION_DAYS,
  SESSION_LIMIT_MINUTES,
} from '../../constructs/core';
import { INTERFACE_ENDPOINT_SERVICES } from '../../constructs/interface-endpoint-services';
import { BUILD_DIRECTORY } from './build-directory';
import { MAX_RECOVERY_TIME_OBJECTIVE_HOURS } from '../../constructs/phi-restore-validation';
import { FARGATE_MEMORY_BY_CPU, IMAGE_TAG, MIN_CONTAINER_PORT, WORKLOAD_NAME } from '../../constructs/phi-service';

/** Object Lock, Backup and lifecycle retentions are capped at 100 years by AWS. */
export const MAX_RETENTION_DAYS = 36500;
/** RDS for PostgreSQL: allocated storage (gp3) from 20 GiB to 64 TiB. */
export const MIN_DATABASE_STORAGE_GIB = 20;
export const MAX_DATABASE_STORAGE_GIB = 65536;
/** RDS for PostgreSQL accepts ports 1150-65535. */
export const MIN_DATABASE_PORT = 1150;
/** The PostgreSQL default port: the AWS Solutions pack (RDS11) rejects it on a database. */
export const POSTGRES_DEFAULT_PORT = 5432;
/** Tasks per service: at most this many (a sanity bound; autoscaling goes to 4x). */
export const MAX_DESIRED_COUNT = 100;
/** Upper bound of app.accessVolumeThresholdPerHour (the volume check's construct accepts up to this). */
export const MAX_ACCESS_VOLUME_THRESHOLD = 1_000_000;
/** Default of app.accessVolumeThresholdPerHour: events of one user in one hour. */
export const DEFAULT_ACCESS_VOLUME_THRESHOLD = 500;
/** Default of detection.criticalFindingMaxAgeDays: days a CRITICAL Security Hub finding may stay open. */
export const DEFAULT_CRITICAL_FINDING_MAX_AGE_DAYS = 30;
/** Upper bound of detection.criticalFindingMaxAgeDays (Security Hub keeps a finding 90 days after its last update). */
export const MAX_CRITICAL_FINDING_AGE_DAYS = 90;

/** An AWS region name, e.g. us-east-1 (commercial, China, GovCloud and ISO partitions). */
export const REGION_NAME = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
/** A lower-case fully qualified domain name. */
export const FQDN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** An e-mail address as SNS accepts it (no spaces, one @, a local part without leading, trailing or doubled dots, a dotted domain). */
const EMAIL =
  /^(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
/**
 * appName: lower-case letters and digits in words joined by single dashes, starting with a letter, 2-12
 * characters. It prefixes every physical name, so it must fit all of their rules: no double or trailing dash
 * (ECR, RDS, CloudTrail) and none of the words Cognito reserves in a sign-in domain (aws, amazon, cognito).
 */
export const APP_NAME = /^(?!.*(?:aws|amazon|cognito))[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,11}$/;
/** envName: lower-case letters and digits, starting with a letter, 2-10 characters (stage ids are its PascalCase). */
export const ENV_NAME = /^[a-z][a-z0-9]{1,9}$/;
/** A tag value AWS accepts (Owner): letters, digits, spaces and _ . : / = + - @, 1-256 characters. */
export const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;
/** Path patterns an ALB listener rule accepts (case-sensitive, * and ? wildcards), up to 128 characters. */
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+?*&]{0,127}$/;
/** Host headers an ALB listener rule accepts, lower-cased here, optionally a leading `*.` wildcard. */
const HOST_HEADER = /^(?=.{1,128}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** Database user names the provisioner refuses (PostgreSQL and RDS reserved roles, and the database's master user). */
export const RESERVED_SERVICE_NAME = /^(public|none|postgres|dbadmin|rds.*|pg.*)$/;
/** A Route 53 hosted zone id. */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,32}$/;

/** The RDS instance classes CloudFormation accepts (written by npm run docs from aws-cdk-lib's validation engine). */
const RDS_CLASSES: ReadonlySet<string> = new Set(RDS_INSTANCE_CLASSES.classes);

const described = <T extends z.ZodType>(schema: T, description: string, rule: string): T =>
  schema.meta({ description, rule });

const wholeNumber = (rule: string) => z.number().int(`must be a whole number: ${rule}`);
const flag = (description: string) => described(z.boolean(), description, 'true or false (a boolean, not a string)');

export const networkSchema = z.strictObject({
  phiVpcCidr: described(
    z.string(),
    'CIDR of the PHI VPC (tiers: public, application, data)',
    'a valid, aligned IPv4 CIDR from /16 to /20, without leading zeros, outside the ranges no VPC can use (0/8, loopback, link-local, multicast, reserved); must not overlap nonPhiVpcCidr',
  ),
  nonPhiVpcCidr: described(
    z.string(),
    'CIDR of the non-PHI VPC',
    'a valid, aligned IPv4 CIDR from /16 to /20, without leading zeros, outside the ranges no VPC can use (0/8, loopback, link-local, multicast, reserved); must not overlap phiVpcCidr',
  ),
  azCount: described(
    wholeNumber('2 or 3').min(2, 'must be 2 or 3 (Multi-AZ, HIPAA 164.308(a)(7))').max(3, 'must be 2 or 3'),
    'Availability zones per VPC',
    '2 or 3',
  ),
  internetEgress: described(
    z.enum(['none', 'nat']),
    "'none': workloads reach AWS only through VPC endpoints; 'nat': one NAT gateway per AZ",
    "'none' or 'nat'",
  ),
  databasePort: described(
    wholeNumber(`${MIN_DATABASE_PORT}-65535`)
      .min(MIN_DATABASE_PORT, `must be ${MIN_DATABASE_PORT}-65535 (the ports RDS for PostgreSQL accepts)`)
      .max(65535, `must be ${MIN_DATABASE_PORT}-65535`)
      .refine((p) => p !== POSTGRES_DEFAULT_PORT, {
        message: `must not be the PostgreSQL default ${POSTGRES_DEFAULT_PORT} (AwsSolutions-RDS11), e.g. 5433`,
      }),
    'Port of the database and of the data-tier network ACL',
    `${MIN_DATABASE_PORT}-65535, not ${POSTGRES_DEFAULT_PORT}`,
  ),
  interfaceEndpoints: described(
    z
      .array(
        z.enum(Object.keys(INTERFACE_ENDPOINT_SERVICES) as [string, ...string[]], {
          message: `unknown endpoint; known: ${Object.keys(INTERFACE_ENDPOINT_SERVICES).join(', ')}`,
        }),
      )
      .readonly(),
    'Interface endpoints in the PHI VPC, by short name (constructs/interface-endpoint-services.ts)',
    'known names, each once; with internetEgress none, every endpoint the deployed stacks use (sns always; ecr.api, ecr.dkr, logs, secretsmanager, ssm, kinesis-firehose with services; ssmmessages, kms with ecsExec)',
  ),
  interfaceEndpointAzCount: described(
    wholeNumber('1-3').min(1, 'must be 1 to azCount').max(3, 'must be 1 to azCount').optional(),
    'In how many AZs of the PHI VPC each interface endpoint has a network interface (each costs an hourly fee per AZ); callers in the other AZs reach it across AZs and lose it when its AZ fails',
    '1 to azCount; production: azCount (every AZ); default azCount',
  ),
  nonPhiPublicSubnets: described(
    z.boolean().optional(),
    'A public tier (internet gateway route) in the non-PHI VPC, for something public you deploy there yourself; without it (the default, false) the non-PHI VPC has no internet gateway and internetEgress applies to the PHI VPC only',
    'true or false (a boolean, not a string); default false',
  ),
});

export const retentionSchema = z.strictObject({
  logRetentionDays: described(
    wholeNumber(`at least ${HIPAA_MIN_RETENTION_DAYS}`)
      .min(
        HIPAA_MIN_RETENTION_DAYS,
        `must be at least ${HIPAA_MIN_RETENTION_DAYS} days (six years, HIPAA 164.316(b)(2)(i))`,
      )
      .refine((d) => CLOUDWATCH_LOGS_RETENTION_VALUES.includes(d), {
        message: `must be a value CloudWatch Logs accepts: ${CLOUDWATCH_LOGS_RETENTION_VALUES.filter((d) => d >= HIPAA_MIN_RETENTION_DAYS).join(', ')}`,
      }),
    'Days every log group and log bucket keeps events (U3)',
    `a CloudWatch Logs value of at least ${HIPAA_MIN_RETENTION_DAYS}`,
  ),
  auditRetentionDays: described(
    wholeNumber(`${HIPAA_MIN_RETENTION_DAYS}-${MAX_RETENTION_DAYS}`)
      .min(
        HIPAA_MIN_RETENTION_DAYS,
        `must be at least ${HIPAA_MIN_RETENTION_DAYS} days (six years, HIPAA 164.316(b)(2)(i))`,
      )
      .max(MAX_RETENTION_DAYS, `must be at most ${MAX_RETENTION_DAYS} days (S3 Object Lock allows 100 years)`),
    'Default Object Lock retention of the audit archive, in days (U2)',
    `${HIPAA_MIN_RETENTION_DAYS}-${MAX_RETENTION_DAYS}`,
  ),
  auditLockMode: described(
    z.enum(['COMPLIANCE', 'GOVERNANCE']),
    'Object Lock mode of the audit archive',
    "'COMPLIANCE'; 'GOVERNANCE' only outside production",
  ),
});

export const detectionSchema = z.strictObject({
  config: flag('AWS Config recorder, delivery channel and the HIPAA Security managed rules (D2)'),
  configServiceLinkedRole: described(
    z.enum(['create', 'existing']),
    "AWSServiceRoleForConfig: 'create' in a fresh account, 'existing' where AWS Config was ever enabled (`aws iam get-role --role-name AWSServiceRoleForConfig`)",
    "'create' or 'existing'",
  ),
  guardDuty: flag(
    'GuardDuty detector with S3 and RDS protection and Fargate runtime monitoring (managed agent; the task execution roles and ECR endpoints may pull its sidecar) (D2)',
  ),
  malwareProtection: described(
    z.boolean().optional(),
    'GuardDuty Malware Protection for S3 on the PHI data bucket (D2): every new object scanned and tagged, objects tagged THREATS_FOUND unreadable, scan results alerting; a per-bucket plan that works without a detector, so it stays on where an organization administrator runs GuardDuty; false only where another scanner covers the bucket (name who in providedBy)',
    'true or false; default true',
  ),
  securityHub: flag('Security Hub with the AWS Foundational and NIST 800-53 r5 standards (D2)'),
  macie: flag('Macie session (D2)'),
  inspector: flag(
    'Amazon Inspector for container images (ECR enhanced continuous registry scanning) and Lambda (post-deploy step) (D2)',
  ),
  findingsArchive: described(
    z.boolean().optional(),
    'The six-year findings archive (D2): an object-locked bucket under the audit key receiving GuardDuty findings (publishing destination) and Security Hub findings (EventBridge -> Firehose); false where the organization already archives findings (name who in providedBy)',
    'true or false; default true',
  ),
  criticalFindingMaxAgeDays: described(
    wholeNumber(`1-${MAX_CRITICAL_FINDING_AGE_DAYS} days`)
      .min(1, `must be from 1 to ${MAX_CRITICAL_FINDING_AGE_DAYS} days`)
      .max(MAX_CRITICAL_FINDING_AGE_DAYS, `must be at most ${MAX_CRITICAL_FINDING_AGE_DAYS} days`)
      .optional(),
    `Days a CRITICAL Security Hub finding (Inspector, GuardDuty, Macie, controls) may stay NEW or NOTIFIED before the findings age alarm fires (V2, D2; default ${DEFAULT_CRITICAL_FINDING_MAX_AGE_DAYS}); the check runs where securityHub is true`,
    `1-${MAX_CRITICAL_FINDING_AGE_DAYS} whole days`,
  ),
  providedBy: described(
    z.string().min(3, 'must name who provides it').max(200, 'must be at most 200 characters').optional(),
    'Who provides the detection services switched off here (e.g. "Control Tower GuardDuty delegated administrator"); written into the evidence',
    'required when any of config, guardDuty, securityHub, macie, inspector, findingsArchive, malwareProtection is false',
  ),
});

export const domainSchema = z.strictObject({
  name: described(
    z.string().regex(FQDN, 'must be a lower-case fully qualified domain name, e.g. app.example.org'),
    'Fully qualified name the application is served on',
    'a lower-case FQDN',
  ),
  certificateArn: described(
    z.string().optional(),
    'An existing ACM certificate in the deploy region and account (it must cover name and every hostHeader route)',
    "an ACM certificate ARN of this environment's partition, region and account; or hostedZoneId + hostedZoneName",
  ),
  hostedZoneId: described(
    z.string().regex(HOSTED_ZONE_ID, 'must be a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ').optional(),
    'Route 53 hosted zone in which a new certificate for name is DNS-validated',
    'with hostedZoneName, when there is no certificateArn',
  ),
  hostedZoneName: described(
    z.string().regex(FQDN, 'must be a lower-case domain name').optional(),
    'Name of hostedZoneId',
    'name must be this zone or a name inside it',
  ),
});

/** The current-generation RDS instance families the blueprint accepts (Graviton or 6th-generation Intel and later). */
const RDS_FAMILIES = [
  't4g',
  't3',
  'm6g',
  'm6i',
  'm7g',
  'm7i',
  'm8g',
  'r6g',
  'r6i',
  'r7g',
  'r7i',
  'r8g',
  'x2g',
] as const;

/** An RDS size's place from smallest to largest: micro, small, medium, large, xlarge, 2xlarge, ... */
const sizeRank = (size: string): number => {
  const named = ['nano', 'micro', 'small', 'medium', 'large'].indexOf(size);
  if (named >= 0) return named;
  const times = /^(\d*)xlarge$/.exec(size);
  return times ? 5 + Number(times[1] || 1) : 1000;
};

export const databaseSchema = z.strictObject({
  engine: described(
    z.enum(['postgresql', 'aurora-postgresql']),
    "'postgresql': an RDS PostgreSQL instance; 'aurora-postgresql' is built in the construct but refused until cdk-nag#1627 is fixed",
    "'postgresql'",
  ),
  instanceClass: described(
    z
      .string()
      .regex(new RegExp(`^(${RDS_FAMILIES.join('|')})\\.[a-z0-9]+$`), {
        // Names the families: 't2.micro' and 'm5.large' were told only "without 'db.'" (the config review of
        // 2026-12-04), which they already were.
        message: `must be a current-generation RDS instance class, of family ${RDS_FAMILIES.join(', ')}, written without 'db.' (e.g. 't4g.medium' or 'r6g.large')`,
        abort: true,
      })
      // A size the family does not have (r6g.micro) fails CloudFormation's validation at synth, naming a construct:
      // refused here, naming the field (the newcomer review of 2026-12-03).
      .superRefine((v, ctx) => {
        if (RDS_CLASSES.has(`db.${v}`)) return;
        // The family's sizes CloudFormation accepts: 't4g.nano' was told the family list, which names t4g (the
        // newcomer review of 2026-12-04).
        const family = v.split('.')[0]!;
        const sizes = [...RDS_CLASSES]
          .filter((c) => c.startsWith(`db.${family}.`))
          .map((c) => c.slice(`db.${family}.`.length))
          .sort((a, b) => sizeRank(a) - sizeRank(b));
        ctx.addIssue({
          code: 'custom',
          message: `is not an RDS instance class CloudFormation accepts${sizes.length > 0 ? `: ${family} comes in ${sizes.join(', ')}` : ''} (${RDS_CLASSES_FILE}, from aws-cdk-lib's validation engine ${RDS_INSTANCE_CLASSES.engineVersion})`,
          abort: true,
        });
      }),
    "Instance class without the 'db.' prefix",
    "a current-generation RDS class CloudFormation accepts (lib/config/rds-instance-classes.json, read from aws-cdk-lib's validation engine by npm run docs), e.g. t4g.medium, r6g.large",
  ),
  backupRetentionDays: described(
    wholeNumber(`${MIN_PITR_DAYS}`)
      .min(MIN_PITR_DAYS, `must be at least ${MIN_PITR_DAYS} days of point-in-time recovery (safeguard I1)`)
      .max(
        RDS_MAX_BACKUP_RETENTION_DAYS,
        `must be at most ${RDS_MAX_BACKUP_RETENTION_DAYS} (the RDS maximum; longer retention comes from backup.monthlyRetentionDays)`,
      ),
    'Days of automated backups (point-in-time recovery)',
    `exactly ${MIN_PITR_DAYS}: the I1 floor is also the RDS maximum`,
  ),
  multiAz: described(
    z.boolean(),
    'Multi-AZ standby (I3)',
    'true (a boolean): the gate refuses a single-AZ PHI database in every environment',
  ),
  allocatedStorageGiB: described(
    wholeNumber(`${MIN_DATABASE_STORAGE_GIB}-${MAX_DATABASE_STORAGE_GIB}`)
      .min(MIN_DATABASE_STORAGE_GIB, `must be at least ${MIN_DATABASE_STORAGE_GIB} GiB`)
      .max(MAX_DATABASE_STORAGE_GIB, `must be at most ${MAX_DATABASE_STORAGE_GIB} GiB (64 TiB, the RDS maximum)`)
      .optional(),
    'Allocated storage in GiB (default 100)',
    `${MIN_DATABASE_STORAGE_GIB}-${MAX_DATABASE_STORAGE_GIB}`,
  ),
});

export const phiBucketSchema = z.strictObject({
  noncurrentVersionExpirationDays: described(
    wholeNumber(`${HIPAA_MIN_RETENTION_DAYS}-${MAX_RETENTION_DAYS}`)
      .min(HIPAA_MIN_RETENTION_DAYS, `must be at least ${HIPAA_MIN_RETENTION_DAYS} days`)
      .max(MAX_RETENTION_DAYS, `must be at most ${MAX_RETENTION_DAYS} days`),
    'Days an overwritten or deleted version of a PHI object is kept',
    `${HIPAA_MIN_RETENTION_DAYS}-${MAX_RETENTION_DAYS}`,
  ),
  replicaRegion: described(
    z.string().regex(REGION_NAME, 'must be an AWS region name such as us-west-2'),
    'Region of the PHI replica bucket (two-way replication)',
    'in allowedRegions, not region, same partition',
  ),
});

export const backupSchema = z.strictObject({
  dailyRetentionDays: described(
    wholeNumber(`${MIN_PITR_DAYS}`)
      .min(MIN_PITR_DAYS, `must be at least ${MIN_PITR_DAYS} days (safeguard I1)`)
      .max(
        MAX_CONTINUOUS_BACKUP_DAYS,
        `must be at most ${MAX_CONTINUOUS_BACKUP_DAYS} (AWS Backup keeps continuous backups at most ${MAX_CONTINUOUS_BACKUP_DAYS} days)`,
      ),
    'Days a daily (continuous) recovery point is kept',
    `exactly ${MIN_PITR_DAYS}: the I1 floor is also the continuous-backup maximum`,
  ),
  monthlyRetentionDays: described(
    wholeNumber(`${MIN_MONTHLY_BACKUP_DAYS}-${MAX_RETENTION_DAYS}`)
      .min(MIN_MONTHLY_BACKUP_DAYS, `must be at least ${MIN_MONTHLY_BACKUP_DAYS} days`)
      .max(MAX_RETENTION_DAYS, `must be at most ${MAX_RETENTION_DAYS} days`),
    'Days a monthly recovery point is kept',
    `${MIN_MONTHLY_BACKUP_DAYS}-${MAX_RETENTION_DAYS}`,
  ),
  vaultMinRetentionDays: described(
    wholeNumber(`${MIN_PITR_DAYS}-dailyRetentionDays`).min(MIN_PITR_DAYS, `must be at least ${MIN_PITR_DAYS} days`),
    'Vault lock minimum retention: no recovery point can be deleted sooner, by anyone',
    `${MIN_PITR_DAYS} to dailyRetentionDays`,
  ),
  isolatedCopyVaultArn: described(
    z
      .string()
      .regex(
        /^arn:aws[a-z-]*:backup:[a-z]{2}(-[a-z]+)+-\d:\d{12}:backup-vault:[A-Za-z0-9_-]{2,50}$/,
        'must be an AWS Backup vault ARN, e.g. arn:aws:backup:us-east-1:111122223333:backup-vault:phi-airgap',
      )
      .optional(),
    'A logically air-gapped vault, or a vault of another account, every PHI recovery point is also copied to (in addition to the replica region vault), in a region of allowedRegions and this partition. A vault of another account must be in config.region (AWS Backup cannot copy a database snapshot across accounts and regions in one copy action) and in the same AWS Organization, and its vault access policy must admit this account; the blueprint shares the PHI key (which encrypts the database snapshots) with that account AWS Backup service-linked role only, and a failed copy alerts',
    'an AWS Backup vault ARN; omit for the replica region copy only',
  ),
  recoveryTimeObjectiveHours: described(
    wholeNumber(`1-${MAX_RECOVERY_TIME_OBJECTIVE_HOURS}`)
      .min(1, `must be from 1 to ${MAX_RECOVERY_TIME_OBJECTIVE_HOURS} hours`)
      .max(
        MAX_RECOVERY_TIME_OBJECTIVE_HOURS,
        `must be at most ${MAX_RECOVERY_TIME_OBJECTIVE_HOURS} hours (the HIPAA proposed rule restores critical systems within 72 hours)`,
      )
      .optional(),
    `Recovery time objective: a weekly restore test that takes longer is reported FAILED and alarms (I1; default ${MAX_RECOVERY_TIME_OBJECTIVE_HOURS})`,
    `whole hours, 1-${MAX_RECOVERY_TIME_OBJECTIVE_HOURS}`,
  ),
});

export const appSchema = z.strictObject({
  sessionTimeoutMinutes: described(
    wholeNumber(`1-${SESSION_LIMIT_MINUTES}`)
      .min(1, `must be from 1 to ${SESSION_LIMIT_MINUTES} minutes`)
      .max(
        SESSION_LIMIT_MINUTES,
        `must be at most ${SESSION_LIMIT_MINUTES} minutes (safeguard A4, automatic logoff, 164.312(a)(2)(iii))`,
      ),
    'Sign-in session and token lifetime of the application',
    `1-${SESSION_LIMIT_MINUTES}`,
  ),
  accessVolumeThresholdPerHour: described(
    wholeNumber(`1-${MAX_ACCESS_VOLUME_THRESHOLD}`)
      .min(1, `must be from 1 to ${MAX_ACCESS_VOLUME_THRESHOLD} events per user per hour`)
      .max(MAX_ACCESS_VOLUME_THRESHOLD, `must be at most ${MAX_ACCESS_VOLUME_THRESHOLD} events per user per hour`)
      .optional(),
    `Access-audit events of one user in one hour above which the volume alarm fires (U5, D1; default ${DEFAULT_ACCESS_VOLUME_THRESHOLD})`,
    `1-${MAX_ACCESS_VOLUME_THRESHOLD}`,
  ),
});

export const routingSchema = z.strictObject({
  pathPattern: described(
    z
      .string()
      .regex(PATH_PATTERN, "must start with '/' and be at most 128 characters of [A-Za-z0-9_-.$/~\"'@:+?*&]")
      .optional(),
    'Listener rule path pattern, e.g. /api/*',
    'starts with /, at most 128 characters',
  ),
  hostHeader: described(
    z.string().regex(HOST_HEADER, 'must be a lower-case host name, optionally starting with *.').optional(),
    'Listener rule host header, e.g. api.example.org',
    'covered by the certificate (domain.name)',
  ),
  priority: described(
    wholeNumber('1-50000').min(1, 'must be from 1 to 50000').max(50000, 'must be from 1 to 50000'),
    'Listener rule priority (lower wins)',
    'unique, 1-50000; a route may not be shadowed by one of lower priority',
  ),
});

export const serviceSchema = z.strictObject({
  name: described(
    z
      .string()
      .regex(WORKLOAD_NAME, 'must be 2-24 lower-case letters, digits or single dashes, starting with a letter')
      .refine((n) => !RESERVED_SERVICE_NAME.test(n), {
        message:
          'must not be a PostgreSQL or RDS reserved role name or the master user (public, none, postgres, dbadmin, rds*, pg*): it names the database user',
      }),
    'Names the log group, construct ids, configuration parameters, the image repository (imageTag) and the database user',
    'lower-case kebab, 2-24; unique, also once PascalCased',
  ),
  imageTag: described(
    z
      .string()
      .regex(IMAGE_TAG, 'must be an image tag (1-128 of [A-Za-z0-9_.-])')
      .refine((t) => t !== 'latest', { message: "must not be 'latest' (tags are immutable: a release is a new tag)" })
      .optional(),
    'Image tag to run from the ECR repository the app stack creates for the service (push it there; see awaitingFirstImage)',
    "1-128 of [A-Za-z0-9_.-], not 'latest'; exactly one of imageTag and buildDirectory",
  ),
  buildDirectory: described(
    z
      .string()
      .regex(
        BUILD_DIRECTORY,
        "must be a path relative to the repository root, e.g. 'services/sample-api' (segments of letters, digits, _ . -; no '.' or '..')",
      )
      .optional(),
    'Directory, relative to the repository root, whose Dockerfile builds the image: `cdk deploy` builds it (Docker needed then, never at synth) and pushes it to the CDK bootstrap container assets repository; no ECR repository is created for the service',
    'exactly one of imageTag and buildDirectory; an existing directory holding a Dockerfile; no awaitingFirstImage',
  ),
  containerPort: described(
    wholeNumber(`${MIN_CONTAINER_PORT}-65535`)
      .min(
        MIN_CONTAINER_PORT,
        `must be ${MIN_CONTAINER_PORT}-65535: the container runs as a non-root user, which cannot bind lower ports`,
      )
      .max(65535, `must be ${MIN_CONTAINER_PORT}-65535`),
    'Port the container serves HTTPS on',
    `${MIN_CONTAINER_PORT}-65535`,
  ),
  cpu: described(
    z.number().refine((c) => Object.keys(FARGATE_MEMORY_BY_CPU).includes(String(c)), {
      message: `must be a Fargate CPU size: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}`,
    }),
    'Fargate task CPU units',
    Object.keys(FARGATE_MEMORY_BY_CPU).join(', '),
  ),
  memoryMiB: described(wholeNumber('a Fargate size'), 'Fargate task memory in MiB', 'a valid size for cpu'),
  desiredCount: described(
    wholeNumber(`1-${MAX_DESIRED_COUNT}`)
      .min(1, 'must be at least 1 (use awaitingFirstImage for zero tasks)')
      .max(MAX_DESIRED_COUNT, `must be at most ${MAX_DESIRED_COUNT}`),
    'Tasks to run (the autoscaling minimum)',
    `1-${MAX_DESIRED_COUNT}; at least 2 in production (I3); all services at full scale (4x), twice during a deployment, fit the application tier's /24 subnets`,
  ),
  routing: routingSchema.meta({
    description: 'Load balancer routing to this service',
    rule: 'pathPattern and/or hostHeader',
  }),
  awaitingFirstImage: described(
    z.boolean().optional(),
    'First deploy before the image tag exists: zero tasks until it is pushed',
    'true or false; only with imageTag',
  ),
});

/** One deployable environment. A fork edits objects of this shape in lib/config/environments.ts. */
export const blueprintConfigSchema = z.strictObject({
  $schema: described(z.string().optional(), 'JSON Schema reference of a JSON environment file (ignored)', 'any string'),
  envName: described(
    z.string().regex(ENV_NAME, 'must be 2-10 lower-case letters or digits, starting with a letter'),
    'Environment name, selected with -c env=NAME; prefixes every name with appName',
    '2-10 lower-case letters or digits, starting with a letter',
  ),
  appName: described(
    z
      .string()
      .regex(
        APP_NAME,
        "must be 2-12 lower-case letters or digits in words joined by single dashes, starting with a letter, without 'aws', 'amazon' or 'cognito'",
      ),
    'Short application name; with envName it prefixes every physical name (`<app>-<env>-...`)',
    "2-12, lower-case kebab, no double or trailing dash, no 'aws'/'amazon'/'cognito'; every derived name must fit its AWS rule",
  ),
  owner: described(
    z.string().regex(TAG_VALUE, 'must be 1-256 letters, digits, spaces or _ . : / = + - @ (an AWS tag value)'),
    'Owner tag on every resource (team or cost centre)',
    'an AWS tag value, 1-256 characters',
  ),
  production: flag('Whether this environment holds production PHI: tightens validation'),
  account: described(
    z
      .string({ error: "must be the 12-digit AWS account id as a string, in quotes (e.g. '111111111111')" })
      .regex(/^\d{12}$/, "must be a 12-digit AWS account id, as a string (e.g. '111111111111')"),
    'AWS account the environment deploys to',
    'a 12-digit string',
  ),
  region: described(
    z.string().regex(REGION_NAME, 'must be an AWS region name such as us-east-1'),
    'Region the environment deploys to',
    'in allowedRegions',
  ),
  allowedRegions: described(
    z
      .array(z.string().regex(REGION_NAME, 'must be an AWS region name such as us-east-1'))
      .min(1, 'must list at least one region')
      .readonly(),
    'Regions this organisation allows PHI in',
    'region names, each once; one partition',
  ),
  sharesAccountWith: described(
    z.string().regex(ENV_NAME, 'must be the name of another environment').optional(),
    'Another environment in the same account and region that creates the account-level services (GuardDuty, Security Hub, Macie, Config, Session Manager preferences); this one creates none of them',
    'required when another environment deploys to the same account and region; that one must not set it',
  ),
  network: networkSchema.meta({ description: 'Network layout (N1-N4)', rule: 'see its fields' }),
  retention: retentionSchema.meta({
    description: 'Retention of every log and audit store (U2, U3)',
    rule: 'see its fields',
  }),
  alertEmails: described(
    z
      .array(z.string().regex(EMAIL, 'must be an e-mail address'))
      .min(1, 'must list at least one address that receives security alerts (safeguard D3)')
      .max(20, 'must list at most 20 addresses')
      .readonly(),
    'Subscribers to security alerts',
    '1-20 addresses, each once (case-insensitive)',
  ),
  alertHttpsEndpoint: described(
    z
      .string()
      .max(2048, 'must be at most 2048 characters')
      .regex(
        /^https:\/\/[a-z0-9.-]+(:\d{1,5})?([/?#]\S*)?$/i,
        'must be an https:// URL without credentials or spaces (an SNS HTTPS subscription, e.g. a pager webhook)',
      )
      .optional(),
    'A second alert endpoint besides e-mail (e.g. a pager webhook): an SNS HTTPS subscription with a delivery retry policy and a dead-letter queue',
    'optional; an https:// URL, no user:password@, at most 2048 characters; it must confirm the subscription (SNS posts a SubscriptionConfirmation)',
  ),
  detection: detectionSchema.meta({
    description: 'Account-level detection services (D2); switch one off only where the account already has it',
    rule: 'see its fields',
  }),
  domain: domainSchema
    .optional()
    .meta({ description: 'Application domain and certificate', rule: 'required in production' }),
  keyAdminRoleArns: described(
    z.array(z.string()).readonly().optional(),
    'IAM roles that administer the KMS keys (administration only, never use)',
    "role ARNs of this environment's partition and account, each once",
  ),
  databaseAdminRoleArns: described(
    z.array(z.string()).readonly().optional(),
    'IAM roles of database administrators: the only principals besides deployment and AWS Backup that may use the PHI key through RDS (snapshot copy and restore, instance changes)',
    "role ARNs of this environment's partition and account, each once, none a key administrator",
  ),
  auditReaderRoleArns: described(
    z.array(z.string()).readonly().optional(),
    'IAM roles of investigators and auditors: the only principals that may decrypt the audit archive and the AWS Config delivery (the audit key through S3)',
    "role ARNs of this environment's partition and account, each once, none a key administrator",
  ),
  breakGlassPrincipalArns: described(
    z.array(z.string()).readonly(),
    'IAM users (any account, normally a security account) that may assume the break-glass role with MFA (A5)',
    "IAM user ARNs of this environment's partition, each once; at least one in production",
  ),
  database: databaseSchema.meta({ description: 'The PHI database (E2, E3, I1-I3)', rule: 'see its fields' }),
  phiBucket: phiBucketSchema.meta({ description: 'The PHI data bucket (E2, E3, I1, I2)', rule: 'see its fields' }),
  backup: backupSchema.meta({ description: 'AWS Backup of the PHI stores (I1)', rule: 'see its fields' }),
  app: appSchema.meta({
    description: 'Application sign-in sessions (A2, A4) and per-user access volume alarm (U5, D1)',
    rule: 'see its fields',
  }),
  services: described(
    z.array(serviceSchema).readonly(),
    'Fargate workloads, each with its image (a tag of its own repository, or built from a directory), log group, configuration parameters, task role and database user',
    'may be empty; names, PascalCased names and priorities unique',
  ),
  ecsExec: flag('ECS Exec into running tasks (sessions KMS-encrypted and logged); keep off unless operators need it'),
});

/** One deployable environment, as validated. */
export type BlueprintConfig = z.infer<typeof blueprintConfigSchema>;
export type NetworkConfig = BlueprintConfig['network'];
export type InternetEgress = NetworkConfig['internetEgress'];
export type RetentionConfig = BlueprintConfig['retention'];
export type DetectionConfig = BlueprintConfig['detection'];
export type DomainConfig = NonNullable<BlueprintConfig['domain']>;
export type DatabaseConfig = BlueprintConfig['database'];
export type PhiBucketConfig = BlueprintConfig['phiBucket'];
export type BackupConfig = BlueprintConfig['backup'];
export type AppSessionConfig = BlueprintConfig['app'];
export type ServiceConfig = BlueprintConfig['services'][number];
export type ServiceRouting = ServiceConfig['routing'];
