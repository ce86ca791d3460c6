import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';
import { KEY_DOMAINS, KeyDomain } from '../../constructs/key-usage';
import { ManagedKey } from '../../constructs/managed-key';
import { KmsKeySafeguards } from '../../lib/compliance/gate/rules/kms-key-safeguards';
import { DOMAIN_KEY_IDS } from '../support/key-fixtures';
import { includedStack, logicalIdAt, synthesizedStack, synthesizedTemplate } from '../support/synthesized';

// The keys stack as the shared dev synth wrote it (test/support/global-setup.ts): the stage's own props, the gate on.
const template = synthesizedTemplate('dev', 'Keys');

function keyPolicyOf(logicalId: string): { Statement: Array<Record<string, unknown>> } {
  return template.toJSON().Resources[logicalId].Properties.KeyPolicy;
}

describe('KeysStack', () => {
  // ManagedKey and KEY_DOMAINS are tested in test/constructs/{managed-key,key-usage}.test.ts; here, the stack.
  it('E1 creates one customer-managed key per data domain, with aliases', () => {
    template.resourceCountIs('AWS::KMS::Key', 4);
    for (const domain of ['phi', 'audit', 'backup', 'operations']) {
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: `alias/hipaa-dev/${domain}` });
    }
  });

  it("E1 each domain's key carries that domain's use statements and description, and no administrator role in dev", () => {
    for (const domain of Object.keys(KEY_DOMAINS) as KeyDomain[]) {
      const key = logicalIdAt('dev', 'Keys', `Dev/Keys/${DOMAIN_KEY_IDS[domain]}/Key/Resource`);
      const resource = template.toJSON().Resources[key];
      const expected = ManagedKey.useStatements(KEY_DOMAINS[domain].usage, '123456789012', 'us-east-1').map(
        (s) => s.sid,
      );
      expect([domain, keyPolicyOf(key).Statement.map((s) => s.Sid)]).toEqual([
        domain,
        ['KeyAdministrationWithoutUse', ...expected],
      ]);
      expect(resource.Properties.Description).toContain(KEY_DOMAINS[domain].description);
      const admin = keyPolicyOf(key).Statement[0];
      expect(admin.Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:root' });
    }
  });

  it('E1 every key of the stack passes KmsKeySafeguards (each use statement scoped)', () => {
    const included = includedStack('dev', 'Keys');
    const keys = included.stack.node.findAll().filter((c): c is CfnKey => c instanceof CfnKey);
    expect(keys).toHaveLength(4);
    for (const key of keys) expect(KmsKeySafeguards(key)).toBe(NagRuleCompliance.COMPLIANT);
  });

  it('I2 pins the logical IDs of the keys', () => {
    expect(Object.keys(template.findResources('AWS::KMS::Key')).sort()).toEqual([
      'AuditKey55555D67',
      'BackupKey1226E6A1',
      'OperationsKeyC8E359A5',
      'PhiDataKeyE6603588',
    ]);
  });

  it('I2 has termination protection', () => {
    expect(synthesizedStack('dev', 'Keys').terminationProtection).toBe(true);
  });

  it('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});
