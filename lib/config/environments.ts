import { BlueprintConfig } from './schema';
import { DEFAULT_INTERFACE_ENDPOINTS, LOW_COST_INTERFACE_ENDPOINTS } from './defaults';
import { HIPAA_MIN_RETENTION_DAYS } from '../../constructs/core/retention';

/**
 * The environments of this blueprint. A fork edits these objects (accounts, CIDRs, e-mails, domain)
 * and nothing else; `-c env=NAME` picks one (default `dev`). The account ids below are placeholders
 * from the AWS documentation range: replace them before `cdk deploy`.
 */
export const ENVIRONMENTS: Readonly<Record<string, BlueprintConfig>> = {
  dev: {
    envName: 'dev',
    appName: 'hipaa',
    owner: 'platform-team',
    production: false,
    account: '111111111111',
    region: 'us-east-1',
    allowedRegions: ['us-east-1', 'us-west-2'],
    network: {
      phiVpcCidr: '10.10.0.0/16',
      nonPhiVpcCidr: '10.20.0.0/16',
      // Low-cost profile: the fewest AZs the rules allow (2: I3 Multi-AZ; the ALB and the database subnet group need
      // two) and no NAT gateway.
      azCount: 2,
      internetEgress: 'none',
      // Not the PostgreSQL default (AwsSolutions-RDS11); the data-tier ACL and the database use it.
      databasePort: 5433,
      // Low-cost profile: only the endpoints the stacks call (defaults.ts; the config rule and the gate check it).
      interfaceEndpoints: LOW_COST_INTERFACE_ENDPOINTS,
      // Low-cost profile: each endpoint in one AZ (half the hourly fee); callers in the other AZ reach it across AZs.
      // Production must keep them in every AZ (config rule).
      interfaceEndpointAzCount: 1,
    },
    retention: {
      logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      // Dev says so explicitly: GOVERNANCE lets test objects be cleared (after a deploy drops the archive's delete
      // denies, constructs/audit-archive-bucket.ts). Prod may not.
      auditLockMode: 'GOVERNANCE',
    },
    alertEmails: ['security-alerts@example.org'],
    detection: {
      config: true,
      // A fresh account: set 'existing' where AWS Config was ever enabled (AWSServiceRoleForConfig exists).
      configServiceLinkedRole: 'create',
      guardDuty: true,
      securityHub: true,
      macie: true,
      inspector: true,
    },
    // Placeholder: emergency IAM users with hardware MFA in the security/identity account (A5; users, not
    // federated roles: see BlueprintConfig.breakGlassPrincipalArns); replace before deploy.
    breakGlassPrincipalArns: ['arn:aws:iam::333333333333:user/break-glass-1'],
    // Low-cost profile: the prod shape at the smallest size (db.t4g.micro, 20 GiB, the RDS minimum). Multi-AZ stays
    // on so the packs' RDSMultiAZSupport passes honestly (I3), and so do encryption, backups and monitoring.
    database: {
      engine: 'postgresql',
      instanceClass: 't4g.micro',
      backupRetentionDays: 35,
      multiAz: true,
      allocatedStorageGiB: 20,
    },
    phiBucket: { noncurrentVersionExpirationDays: HIPAA_MIN_RETENTION_DAYS, replicaRegion: 'us-west-2' },
    backup: { dailyRetentionDays: 35, monthlyRetentionDays: 365, vaultMinRetentionDays: 35 },
    app: { sessionTimeoutMinutes: 15 },
    services: [
      {
        name: 'api',
        // The sample service, built from its Dockerfile by `cdk deploy` (Docker needed then, not at synth) and
        // pushed to the CDK bootstrap repository: the first deploy runs it, no image to push by hand.
        buildDirectory: 'services/sample-api',
        containerPort: 8443,
        cpu: 512,
        memoryMiB: 1024,
        // Low-cost profile: a single task (prod runs two or more across AZs).
        desiredCount: 1,
        // It answers every path (BASE_PATH stays the root) behind the Cognito sign-in.
        routing: { pathPattern: '/*', priority: 100 },
      },
    ],
    ecsExec: false,
  },
  prod: {
    envName: 'prod',
    appName: 'hipaa',
    owner: 'platform-team',
    production: true,
    account: '222222222222',
    region: 'us-east-1',
    allowedRegions: ['us-east-1', 'us-west-2'],
    network: {
      phiVpcCidr: '10.30.0.0/16',
      nonPhiVpcCidr: '10.40.0.0/16',
      azCount: 3,
      internetEgress: 'none',
      // Not the PostgreSQL default (AwsSolutions-RDS11); the data-tier ACL and the database use it.
      databasePort: 5433,
      interfaceEndpoints: DEFAULT_INTERFACE_ENDPOINTS,
    },
    retention: {
      logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      auditLockMode: 'COMPLIANCE',
    },
    alertEmails: ['security-alerts@example.org'],
    detection: {
      config: true,
      // A fresh account: set 'existing' where AWS Config was ever enabled (AWSServiceRoleForConfig exists).
      configServiceLinkedRole: 'create',
      guardDuty: true,
      securityHub: true,
      macie: true,
      inspector: true,
      // Tighter than the default 30 days: a critical finding open two weeks alarms.
      criticalFindingMaxAgeDays: 15,
    },
    domain: {
      name: 'app.example.org',
      certificateArn: 'arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-0000-0000-000000000000',
    },
    // Placeholder: emergency IAM users with hardware MFA in the security/identity account (A5; users, not
    // federated roles: see BlueprintConfig.breakGlassPrincipalArns); replace before deploy.
    breakGlassPrincipalArns: ['arn:aws:iam::333333333333:user/break-glass-1'],
    database: { engine: 'postgresql', instanceClass: 'r6g.large', backupRetentionDays: 35, multiAz: true },
    phiBucket: { noncurrentVersionExpirationDays: HIPAA_MIN_RETENTION_DAYS, replicaRegion: 'us-west-2' },
    // I1: a weekly restore test over 24 hours is reported FAILED and alarms (the default, 72, is the proposed rule's).
    backup: {
      dailyRetentionDays: 35,
      monthlyRetentionDays: 2192,
      vaultMinRetentionDays: 35,
      recoveryTimeObjectiveHours: 24,
    },
    app: { sessionTimeoutMinutes: 15 },
    services: [
      {
        name: 'api',
        imageTag: 'v1',
        containerPort: 8443,
        cpu: 512,
        memoryMiB: 1024,
        // Production: at least 2 tasks, spread over the application tier's AZs (I3), once the image exists.
        desiredCount: 2,
        routing: { pathPattern: '/*', priority: 100 },
        // The repository is created by this same deploy, so it holds no image yet: zero tasks until `api:v1`
        // is pushed, then set false and deploy (the service then runs desiredCount tasks).
        awaitingFirstImage: true,
      },
    ],
    ecsExec: false,
  },
};
