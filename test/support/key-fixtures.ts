import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { KEY_DOMAINS, KeyDomain } from '../../constructs/key-usage';
import { ManagedKey } from '../../constructs/managed-key';
import { fixtureStack } from './construct-fixtures';

/** Construct ids of the domain keys, as KeysStack names them (same ids: same logical ids). */
export const DOMAIN_KEY_IDS: Readonly<Record<KeyDomain, string>> = {
  phi: 'PhiDataKey',
  audit: 'AuditKey',
  backup: 'BackupKey',
  operations: 'OperationsKey',
};

/** The administrator the fixture keys name (as KeysStack names the CloudFormation execution role). */
export const FIXTURE_ADMINISTRATOR = 'arn:aws:iam::123456789012:role/Deployment';

/** One ManagedKey per KEY_DOMAINS entry, with its usage, in a stack of their own (one named administrator and user per service). */
export function domainKeys(): { stack: Stack; template: Template; keyPolicyOf(logicalId: string): KeyPolicy } {
  const stack = fixtureStack('Keys');
  for (const domain of Object.keys(KEY_DOMAINS) as KeyDomain[]) {
    new ManagedKey(stack, DOMAIN_KEY_IDS[domain], {
      alias: `test/${domain}`,
      description: KEY_DOMAINS[domain].description,
      usage: KEY_DOMAINS[domain].usage,
      administratorArns: [FIXTURE_ADMINISTRATOR],
      users: KEY_DOMAINS[domain].usage.namedUsersOnly
        ? Object.fromEntries(
            KEY_DOMAINS[domain].usage.viaServices.map((s) => [s, ['arn:aws:iam::123456789012:role/User']]),
          )
        : undefined,
    });
  }
  const template = Template.fromStack(stack);
  return {
    stack,
    template,
    keyPolicyOf: (logicalId) => template.toJSON().Resources[logicalId].Properties.KeyPolicy as KeyPolicy,
  };
}

/** A key policy as the template holds it. */
export interface KeyPolicy {
  readonly Statement: Array<Record<string, unknown>>;
}
