import { App, Stack } from 'aws-cdk-lib';
import { derivesFromStackId, stackCreateId, STACK_CREATE_ID_LENGTH } from '../../../constructs/core/stack-create-id';
import { backupVaultName } from '../../../lib/config/names';
import { testConfig } from '../../support/blueprint';
import { evaluateWithStackId, TEST_STACK_CREATE_ID } from '../../support/stack-id';
import { synthesizedTemplate } from '../../support/synthesized';

function resolved(value: string): unknown {
  const stack = new Stack(new App(), 'S');
  return stack.resolve(value);
}

describe('stackCreateId', () => {
  test('is the first UUID group of AWS::StackId, resolved by CloudFormation (the template stays deterministic)', () => {
    const value = resolved(stackCreateId());
    expect(derivesFromStackId(value)).toBe(true);
    expect(evaluateWithStackId(value)).toBe(TEST_STACK_CREATE_ID);
    expect(TEST_STACK_CREATE_ID).toHaveLength(STACK_CREATE_ID_LENGTH);
    // Another creation of the stack (a new stack id) gives another suffix.
    const recreated =
      'arn:aws:cloudformation:us-east-1:123456789012:stack/hipaa-dev-data/9f8e7d6c-0000-4000-8000-000000000000';
    expect(evaluateWithStackId(value, recreated)).toBe('9f8e7d6c');
    expect(derivesFromStackId(resolved('fixed-name'))).toBe(false);
  });

  test('I1 I2 the backup vault is named per creation of the data stack: a retry never meets the vault a failed create kept', () => {
    // testConfig('dev') as the globalSetup synthesized it once for the run.
    const [vault] = Object.values(synthesizedTemplate('dev', 'Data').findResources('AWS::Backup::BackupVault'));
    expect(vault.DeletionPolicy).toBe('Retain');
    expect(evaluateWithStackId(vault.Properties.BackupVaultName)).toBe(`hipaa-dev-phi-vault-${TEST_STACK_CREATE_ID}`);
    expect(backupVaultName(testConfig('dev'), 'abcd1234')).toBe('hipaa-dev-phi-vault-abcd1234');
  });
});
