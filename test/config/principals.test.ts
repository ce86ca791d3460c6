import {
  deploymentRoleArns,
  keyPrincipals,
  PHYSICAL_NAME_RULES,
  phiBucketPrincipals,
  rootUserArn,
} from '../../lib/config';
import { testConfig } from '../support/blueprint';

const role = (name: string): string => `arn:aws:iam::123456789012:role/${name}`;
const config = testConfig('dev', {
  keyAdminRoleArns: [role('KeyAdmin')],
  databaseAdminRoleArns: [role('Dba')],
  auditReaderRoleArns: [role('Auditor')],
});
const DEPLOY = role('cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1');
const DEPLOY_REPLICA = role('cdk-hnb659fds-cfn-exec-role-123456789012-us-west-2');
const TASK = role('hipaa-dev-api-task');
const DATA_REPLICATION = role('hipaa-dev-phi-data-replication');
const REPLICA_REPLICATION = role('hipaa-dev-phi-replica-replication');
const BACKUP = role('hipaa-dev-phi-backup');
const MALWARE_SCAN = role('hipaa-dev-phi-malware-scan');

describe('principals', () => {
  test('E1 administrators of every key: the key admins and the deployment role of its region', () => {
    for (const domain of ['phi', 'audit', 'backup', 'operations'] as const) {
      expect(keyPrincipals(config, domain).administratorArns).toEqual([role('KeyAdmin'), DEPLOY]);
    }
    expect(keyPrincipals(config, 'phi-replica').administratorArns).toEqual([role('KeyAdmin'), DEPLOY_REPLICA]);
  });

  test('E1 users of each key, per service', () => {
    expect(keyPrincipals(config, 'phi').users).toEqual({
      s3: [TASK, DATA_REPLICATION, REPLICA_REPLICATION, BACKUP, MALWARE_SCAN],
      rds: [DEPLOY, role('Dba'), BACKUP],
      backup: [BACKUP],
    });
    expect(keyPrincipals(config, 'audit').users).toEqual({
      s3: [
        role('Auditor'),
        role('hipaa-dev-audit-replication'),
        role('hipaa-dev-access-audit-delivery'),
        role('hipaa-dev-access-audit-volume'),
        role('hipaa-dev-findings-archive-delivery'),
      ],
      firehose: [
        role('hipaa-dev-api-task'),
        role('cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1'),
        role('hipaa-dev-findings-archive-export'),
      ],
    });
    // D2: with the findings archive switched off, neither of its roles may use the audit key.
    const noArchive = { ...config, detection: { ...config.detection, findingsArchive: false } };
    expect(JSON.stringify(keyPrincipals(noArchive, 'audit').users)).not.toContain('findings-archive');
    expect(keyPrincipals(config, 'audit-replica').users).toEqual({
      s3: [role('Auditor'), role('hipaa-dev-audit-replication')],
    });
    expect(keyPrincipals(config, 'audit-replica').administratorArns).toContain(
      'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-west-2',
    );
    expect(keyPrincipals(config, 'backup').users).toEqual({ backup: [BACKUP, DEPLOY] });
    expect(keyPrincipals(config, 'phi-replica').users).toEqual({
      s3: [DATA_REPLICATION, REPLICA_REPLICATION, BACKUP],
      backup: [BACKUP],
    });
    // I1: the replica region's backup key, for the backup plan's copies (S3 through AWS Backup, RDS through RDS).
    expect(keyPrincipals(config, 'backup-replica').users).toEqual({ backup: [BACKUP, DEPLOY_REPLICA], rds: [BACKUP] });
    expect(keyPrincipals(config, 'backup-replica').administratorArns).toEqual([role('KeyAdmin'), DEPLOY_REPLICA]);
    // D2: without Malware Protection for S3, no malware scan role on the PHI key; GuardDuty off keeps it (the plan is
    // per bucket, independent of the detector).
    const noMalwareScan = testConfig('dev', {
      detection: { ...config.detection, malwareProtection: false, providedBy: 'another scanner' },
    });
    expect(keyPrincipals(noMalwareScan, 'phi').users?.s3).not.toContain(MALWARE_SCAN);
    expect(phiBucketPrincipals(noMalwareScan, 'data').objectPrincipalArns).not.toContain(MALWARE_SCAN);
    const noGuardDuty = testConfig('dev', { detection: { ...config.detection, guardDuty: false } });
    expect(keyPrincipals(noGuardDuty, 'phi').users?.s3).toContain(MALWARE_SCAN);
    expect(phiBucketPrincipals(noGuardDuty, 'data').objectPrincipalArns).toContain(MALWARE_SCAN);
    // The operations key keeps use by the account through its services.
    expect(keyPrincipals(config, 'operations').users).toBeUndefined();
  });

  test('E1 A3 who reaches the PHI buckets', () => {
    expect(phiBucketPrincipals(config, 'data')).toEqual({
      objectPrincipalArns: [
        TASK,
        DATA_REPLICATION,
        REPLICA_REPLICATION,
        BACKUP,
        role('aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie'),
        MALWARE_SCAN,
      ],
      vpcOnlyPrincipalArns: [TASK],
      policyAdministratorArns: [DEPLOY],
    });
    expect(phiBucketPrincipals(config, 'replica')).toEqual({
      objectPrincipalArns: [DATA_REPLICATION, REPLICA_REPLICATION, BACKUP],
      vpcOnlyPrincipalArns: [],
      policyAdministratorArns: [DEPLOY_REPLICA],
    });
  });

  test('E1 ARNs are in the partition of the region; the root user is the account root', () => {
    const gov = testConfig('dev', { region: 'us-gov-west-1', phiBucket: { replicaRegion: 'us-gov-east-1' } });
    expect(deploymentRoleArns(gov)).toEqual([
      'arn:aws-us-gov:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-gov-west-1',
      'arn:aws-us-gov:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-gov-east-1',
    ]);
    expect(rootUserArn(gov)).toBe('arn:aws-us-gov:iam::123456789012:root');
  });

  test('E1 the fixed role names fit the IAM rule, and one that would not is refused', () => {
    const rule = PHYSICAL_NAME_RULES.find((r) => r.what === 'IAM role name')!;
    expect(rule.names(config)).toEqual([
      'hipaa-dev-api-task',
      'hipaa-dev-phi-data-replication',
      'hipaa-dev-phi-replica-replication',
      'hipaa-dev-audit-replication',
      'hipaa-dev-phi-backup',
      'hipaa-dev-access-audit-delivery',
      'hipaa-dev-phi-malware-scan',
      'hipaa-dev-access-audit-volume',
      'hipaa-dev-findings-archive-delivery',
      'hipaa-dev-findings-archive-export',
    ]);
    expect(rule.names(config).map(rule.problem)).toEqual([undefined, undefined, undefined, undefined]);
    expect(rule.problem('x'.repeat(65))).toBe('IAM role names are 1-64 of [A-Za-z0-9+=,.@_-]');
  });
});
