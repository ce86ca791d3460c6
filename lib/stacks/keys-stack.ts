import { CfnOutput } from 'aws-cdk-lib';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { KEY_DOMAINS, KeyDomain } from '../../constructs/key-usage';
import { ManagedKey } from '../../constructs/managed-key';
import { describedAs, keyAlias } from '../config/names';
import { BlueprintStack, BlueprintStackProps } from './blueprint-stack';

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
      keys[domain] = new ManagedKey(this, KEY_IDS[domain], {
        alias: keyAlias(config, domain),
        description: describedAs(config, KEY_DOMAINS[domain].description),
        usage: KEY_DOMAINS[domain].usage,
        adminRoleArns: config.keyAdminRoleArns,
        domain,
      }).key;
    }
    this.keys = keys;
    // Read by the deploy command's post-deploy steps (lib/deploy/core/stacks.ts OUTPUTS), e.g. RDSOSMetrics encryption.
    new CfnOutput(this, 'OperationsKeyArn', { value: keys.operations.keyArn });
  }
}
