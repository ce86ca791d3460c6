import { CfnOutput } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { KEY_DOMAINS, KeyDomain } from '../../constructs/key-usage';
import { ManagedKey } from '../../constructs/managed-key';
import { describedAs, keyAlias } from '../config/names';
import { isolatedCopyAccounts, keyPrincipals } from '../config/principals';
import { assertDeploymentRole, BlueprintStack, BlueprintStackProps } from './blueprint-stack';

/** The environment's customer-managed keys, one per data domain (E1). Stacks take the keys they use by domain. */
export type KeyRing = Readonly<Record<KeyDomain, IKey>>;

/** Props of the keys stack. */
export type KeysStackProps = BlueprintStackProps;

const KEY_IDS: Readonly<Record<KeyDomain, string>> = {
  phi: 'PhiDataKey',
  audit: 'AuditKey',
  backup: 'BackupKey',
  operations: 'OperationsKey',
};

/** Customer-managed KMS keys, one per data domain (safeguard E1). Stateful: retained, protected. */
export class KeysStack extends BlueprintStack {
  public readonly keys: KeyRing;

  constructor(scope: Construct, id: string, props: KeysStackProps) {
    super(scope, id, props);
    const { config } = props;
    const keys = {} as Record<KeyDomain, IKey>;
    for (const domain of Object.keys(KEY_DOMAINS) as KeyDomain[]) {
      // E1: administration by the key admins and the deployment role, use by named principals only
      // (lib/config/principals.ts; the operations key keeps use through its services by the account).
      const principals = keyPrincipals(config, domain);
      assertDeploymentRole(this, principals.administratorArns);
      keys[domain] = new ManagedKey(this, KEY_IDS[domain], {
        alias: keyAlias(config, domain),
        description: describedAs(config, KEY_DOMAINS[domain].description),
        usage: {
          ...KEY_DOMAINS[domain].usage,
          // D2: GuardDuty encrypts the findings it exports to the findings archive with the audit key.
          ...(domain === 'audit' && config.detection.guardDuty && config.detection.findingsArchive !== false
            ? { guardDutyFindingsExport: true }
            : {}),
        },
        ...principals,
        domain,
        // I1: a vault of another account receives copies of the database's snapshots, encrypted with the PHI key.
        ...(domain === 'phi' ? { backupCopyAccounts: isolatedCopyAccounts(config) } : {}),
      }).key;
    }
    this.keys = keys;
    // Read by the deploy command's post-deploy steps (lib/deploy/core/stacks.ts OUTPUTS), e.g. RDSOSMetrics encryption.
    new CfnOutput(this, 'OperationsKeyArn', { value: keys.operations.keyArn });
  }
}
