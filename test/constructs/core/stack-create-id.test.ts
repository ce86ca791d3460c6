import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { derivesFromStackId, stackCreateId, STACK_CREATE_ID_LENGTH } from '../../../constructs/core/stack-create-id';
import { backupVaultName } from '../../../lib/config/names';
import { buildTestBlueprint, testConfig } from '../../support/blueprint';
import { evaluateWithStackId, TEST_STACK_CREATE_ID } from '../../support/stack-id';

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
    const { stage } = buildTestBlueprint(testConfig('dev'));
    const [vault] = Object.values(Template.fromStack(stage.data).findResources('AWS::Backup::BackupVault'));
    expect(vault.DeletionPolicy).toBe('Retain');
    expect(evaluateWithStackId(vault.Properties.BackupVaultName)).toBe(`hipaa-dev-phi-vault-${TEST_STACK_CREATE_ID}`);
    expect(backupVaultName(testConfig('dev'), 'abcd1234')).toBe('hipaa-dev-phi-vault-abcd1234');
  });
});
