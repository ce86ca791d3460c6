import { checkStackStates, recoveryFor } from '../../../lib/deploy/preflight/stack-states';
import { testConfig } from '../../support/blueprint';
import { assembly, assemblyStack, deployedStack, deployedState, preflightContext } from '../../support/deploy';

const config = testConfig('prod');
const templates = assembly(assemblyStack('hipaa-prod-data', 'us-east-1', {}));

function stateOf(
  status: string,
  resources: Array<[string, string, string?, string?]> = [],
  terminationProtection = true,
) {
  return deployedState(deployedStack('hipaa-prod-data', 'us-east-1', resources, { status, terminationProtection }));
}

describe('preflight: stack states', () => {
  it.each(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'REVIEW_IN_PROGRESS'])(
    'a stack in %s can be deployed',
    async (status) => {
      expect(
        await checkStackStates(preflightContext(config, { assembly: templates, deployed: stateOf(status) })),
      ).toEqual([]);
    },
  );

  it('an absent stack can be deployed', async () => {
    expect(await checkStackStates(preflightContext(config, { assembly: templates }))).toEqual([]);
  });

  it('ROLLBACK_COMPLETE: turn off termination protection, delete the stack, retained resources stay', async () => {
    const [f] = await checkStackStates(
      preflightContext(config, { assembly: templates, deployed: stateOf('ROLLBACK_COMPLETE') }),
    );
    expect(f.level).toBe('error');
    expect(f.message).toBe(
      'stack hipaa-prod-data (us-east-1) is ROLLBACK_COMPLETE: its first create failed and it can only be deleted. Fix the cause (see its events: `aws cloudformation describe-stack-events --stack-name hipaa-prod-data --region us-east-1`), turn off termination protection (`aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name hipaa-prod-data --region us-east-1`), then delete it with `aws cloudformation delete-stack --stack-name hipaa-prod-data --region us-east-1` and deploy again. Its retained resources (keys, log groups, buckets) stay; preflight then names any whose fixed name blocks the new create',
    );
    const unprotected = recoveryFor(stateOf('ROLLBACK_COMPLETE', [], false).get('hipaa-prod-data')!);
    expect(unprotected).not.toContain('update-termination-protection');
  });

  it('ROLLBACK_FAILED: delete, then delete keeping the DELETE_FAILED resources listed from the stack', async () => {
    const deployed = stateOf('ROLLBACK_FAILED', [
      ['DatabaseInstance', 'AWS::RDS::DBInstance', 'hipaa-prod-phi-db', 'DELETE_FAILED'],
      ['PhiBucket', 'AWS::S3::Bucket', 'hipaa-prod-phi-data-123456789012-us-east-1', 'DELETE_SKIPPED'],
    ]);
    const [f] = await checkStackStates(preflightContext(config, { assembly: templates, deployed }));
    expect(f.message).toContain(
      'resources that failed to delete: DatabaseInstance (AWS::RDS::DBInstance hipaa-prod-phi-db)',
    );
    expect(f.message).toContain('Turn off termination protection');
    expect(f.message).toContain(
      'delete it with `aws cloudformation delete-stack --stack-name hipaa-prod-data --region us-east-1`',
    );
    expect(f.message).toContain(
      'if it ends in DELETE_FAILED, delete it keeping those resources: `aws cloudformation delete-stack --retain-resources DatabaseInstance --stack-name hipaa-prod-data --region us-east-1`',
    );
    expect(f.message).toContain('a database with deletion protection must have it turned off to be deleted');
  });

  it('DELETE_FAILED: delete keeping the resources that failed', async () => {
    const deployed = stateOf(
      'DELETE_FAILED',
      [['Vault', 'AWS::Backup::BackupVault', 'hipaa-prod-phi-vault', 'DELETE_FAILED']],
      false,
    );
    const [f] = await checkStackStates(preflightContext(config, { assembly: templates, deployed }));
    expect(f.message).toMatch(
      /^stack hipaa-prod-data \(us-east-1\) is DELETE_FAILED: resources that failed to delete: Vault \(AWS::Backup::BackupVault hipaa-prod-phi-vault\)\. Delete it keeping them: `aws cloudformation delete-stack --retain-resources Vault /,
    );
  });

  it('UPDATE_ROLLBACK_FAILED: continue-update-rollback, naming the resources that failed', async () => {
    const deployed = stateOf('UPDATE_ROLLBACK_FAILED', [
      ['Db', 'AWS::RDS::DBInstance', 'hipaa-prod-phi-db', 'UPDATE_FAILED'],
    ]);
    const [f] = await checkStackStates(preflightContext(config, { assembly: templates, deployed }));
    expect(f.message).toBe(
      'stack hipaa-prod-data (us-east-1) is UPDATE_ROLLBACK_FAILED: an update failed and so did its rollback; resources that failed: Db (AWS::RDS::DBInstance hipaa-prod-phi-db). Fix what blocks them (see `aws cloudformation describe-stack-events --stack-name hipaa-prod-data --region us-east-1`), then `aws cloudformation continue-update-rollback --stack-name hipaa-prod-data --region us-east-1` (add --resources-to-skip LOGICAL_ID... only for resources that cannot be rolled back), and deploy again once it is UPDATE_ROLLBACK_COMPLETE',
    );
  });

  it.each([
    'UPDATE_IN_PROGRESS',
    'CREATE_IN_PROGRESS',
    'DELETE_IN_PROGRESS',
    'UPDATE_ROLLBACK_IN_PROGRESS',
    'ROLLBACK_IN_PROGRESS',
  ])('%s: wait for the running operation', async (status) => {
    const [f] = await checkStackStates(preflightContext(config, { assembly: templates, deployed: stateOf(status) }));
    expect(f.message).toBe(
      `stack hipaa-prod-data (us-east-1) is ${status}: another operation is running on it; wait until it finishes (\`aws cloudformation describe-stacks --stack-name hipaa-prod-data --region us-east-1\`) and run the command again`,
    );
  });

  it('CREATE_FAILED / UPDATE_FAILED (rollback disabled): rollback-stack', async () => {
    const [f] = await checkStackStates(
      preflightContext(config, { assembly: templates, deployed: stateOf('UPDATE_FAILED') }),
    );
    expect(f.message).toContain(
      'roll it back with `aws cloudformation rollback-stack --stack-name hipaa-prod-data --region us-east-1`',
    );
  });
});
