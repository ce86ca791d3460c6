import { BlueprintConfig } from './blueprint-config';
import { DEFAULT_INTERFACE_ENDPOINTS } from './endpoints';
import { HIPAA_MIN_RETENTION_DAYS } from './retention';

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
      azCount: 2,
      internetEgress: 'none',
      databasePort: 5432,
      interfaceEndpoints: DEFAULT_INTERFACE_ENDPOINTS,
    },
    retention: {
      logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      // Dev says so explicitly: GOVERNANCE lets an authorised admin clear test objects. Prod may not.
      auditLockMode: 'GOVERNANCE',
    },
    alertEmails: ['security-alerts@example.org'],
    deletionProtection: false,
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
      databasePort: 5432,
      interfaceEndpoints: DEFAULT_INTERFACE_ENDPOINTS,
    },
    retention: {
      logRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      auditRetentionDays: HIPAA_MIN_RETENTION_DAYS,
      auditLockMode: 'COMPLIANCE',
    },
    alertEmails: ['security-alerts@example.org'],
    domain: {
      name: 'app.example.org',
      certificateArn: 'arn:aws:acm:us-east-1:222222222222:certificate/00000000-0000-0000-0000-000000000000',
    },
    deletionProtection: true,
  },
};
