import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeBackupVaultCommand } from '@aws-sdk/client-backup';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeConfigurationRecordersCommand, DescribeDeliveryChannelsCommand } from '@aws-sdk/client-config-service';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { CreateServiceLinkedRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { GetAccountSettingsCommand } from '@aws-sdk/client-lambda';
import { GetMacieSessionCommand } from '@aws-sdk/client-macie2';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { DescribeHubCommand } from '@aws-sdk/client-securityhub';
import { DescribeDocumentCommand, GetParameterCommand } from '@aws-sdk/client-ssm';
import { readAssembly } from '../../lib/deploy/core/assembly';
import { CommandDeps } from '../../lib/deploy/command-deps';
import { runCommand } from '../../lib/deploy/run-command';
import { validateConfig } from '../../lib/config';
import { testConfig } from '../support/blueprint';
import { captureReporter, fakeClients, recordingCheck, recordingRunner, sdkError } from '../support/deploy';
import { cloudFormation, identity, mockAllClients, restoreAllClients } from '../support/fake-aws';
import { synthesizedDir } from '../support/synthesized';

const mocks = mockAllClients();
afterAll(() => restoreAllClients(mocks));
const config = validateConfig(testConfig('prod'));
let assemblyDir: string;

beforeAll(() => {
  // The real prod templates (testConfig('prod') as the globalSetup synthesized it once for the run; read only),
  // read back as the synth step would.
  assemblyDir = synthesizedDir('prod');
});

/** A fresh account: bootstrapped, the deploy service-linked roles exist, nothing else. */
function freshAccount(): void {
  identity(mocks);
  cloudFormation(mocks, new Map());
  mocks.ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '30' } });
  mocks.iam.on(GetRoleCommand).callsFake(async (input) => {
    if (input.RoleName === 'AWSServiceRoleForConfig') throw sdkError('NoSuchEntityException', 'not found', 404);
    return { Role: { RoleName: input.RoleName } };
  });
  mocks.lambda
    .on(GetAccountSettingsCommand)
    .resolves({ AccountLimit: { UnreservedConcurrentExecutions: 1000, ConcurrentExecutions: 1000 } });
  mocks.guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
  mocks.securityHub.on(DescribeHubCommand).rejects(sdkError('InvalidAccessException', 'not subscribed', 401));
  mocks.macie.on(GetMacieSessionCommand).rejects(sdkError('AccessDeniedException', 'Macie is not enabled.', 403));
  mocks.configService.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [] });
  mocks.configService.on(DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [] });
  mocks.ssm.on(DescribeDocumentCommand).rejects(sdkError('InvalidDocument', 'does not exist'));
  mocks.acm
    .on(DescribeCertificateCommand)
    .resolves({ Certificate: { Status: 'ISSUED', DomainName: 'app.example.org' } });
  mocks.s3.on(HeadBucketCommand).rejects(sdkError('NotFound', 'Not Found', 404));
  mocks.ecr.on(DescribeRepositoriesCommand).rejects(sdkError('RepositoryNotFoundException'));
  mocks.backup.on(DescribeBackupVaultCommand).rejects(sdkError('ResourceNotFoundException'));
  mocks.rds.on(DescribeDBInstancesCommand).rejects(sdkError('DBInstanceNotFoundFault'));
  mocks.logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
}

function run(argv: string[] = ['--env', 'prod'], codes: number[] = []) {
  const reporter = captureReporter();
  const runner = recordingRunner(codes);
  const deps: CommandDeps = {
    clients: fakeClients(),
    runner,
    reporter,
    projectDir: '/nonexistent',
    loadConfig: () => config,
    readAssembly: () => readAssembly(assemblyDir),
    checkAssembly: recordingCheck().check,
  };
  return { done: runCommand('preflight', argv, deps), reporter, runner };
}

beforeEach(() => Object.values(mocks).forEach((m) => m.reset()));

describe('npm run preflight (real synthesized prod templates, mocked AWS)', () => {
  it('a fresh, prepared account passes every check; warnings say what could not be checked', async () => {
    freshAccount();
    const { done, reporter, runner } = run();
    expect(await done).toBe(0);
    expect(runner.calls).toEqual([['synth', '-c', 'env=prod', '--quiet', '--output', 'cdk.out']]);
    expect(reporter.errors).toEqual([]);
    expect(reporter.lines.filter((l) => l.startsWith('      ok'))).toEqual([
      '      ok     deploy target',
      '      ok     stack states',
      '      ok     bootstrap',
      '      ok     docker',
      '      ok     service-linked roles',
      '      ok     lambda concurrency',
      '      ok     account singletons',
      '      ok     domain',
    ]);
    const warnings = reporter.lines.filter((l) => l.startsWith('      WARN'));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^ {6}WARN {3}break-glass principals: not checked from account 123456789012: arn:aws:iam::333333333333:user\/break-glass-1\./,
      ),
      expect.stringMatching(
        /^ {6}WARN {3}leftovers: not checked .*AWS::Cognito::UserPool hipaa-prod-users of hipaa-prod-app/,
      ),
    ]);
    // Bootstrap asked in both regions, the leftovers looked up by the names in the templates.
    expect(mocks.ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    expect(
      mocks.s3
        .commandCalls(HeadBucketCommand)
        .map((c) => c.args[0].input.Bucket)
        .sort(),
    ).toEqual([
      'hipaa-prod-audit-replica-123456789012-us-west-2',
      'hipaa-prod-phi-data-123456789012-us-east-1',
      'hipaa-prod-phi-replica-123456789012-us-west-2',
    ]);
    // The image repository has no fixed name (CloudFormation names it), so there is nothing to look up.
    expect(mocks.ecr.commandCalls(DescribeRepositoriesCommand)).toEqual([]);
    expect(mocks.rds.commandCalls(DescribeDBInstancesCommand)[0].args[0].input).toEqual({
      DBInstanceIdentifier: 'hipaa-prod-phi-db',
    });
    expect(reporter.lines[reporter.lines.length - 1]).toBe(
      "Preflight ok for 'prod': `npm run deploy -- --env prod` can start.",
    );
  });

  it('the Lambda check sums the real templates: the formatter reserves 5, the access-audit volume check, the critical findings age check, the database users provisioner and the restore validation 1 each, so 105 unreserved is refused', async () => {
    freshAccount();
    mocks.lambda
      .on(GetAccountSettingsCommand)
      .resolves({ AccountLimit: { UnreservedConcurrentExecutions: 105, ConcurrentExecutions: 105 } });
    const { done, reporter } = run();
    expect(await done).toBe(1);
    expect(reporter.errors[0]).toMatch(
      /lambda concurrency: Lambda in us-east-1: unreserved concurrency is 105 \(account limit 105\) and this deploy reserves 9 more \(hipaa-prod-alerting AlertPipelineFormatter\w+: 5, hipaa-prod-audit AccessAuditVolumeFunction\w+: 1, hipaa-prod-detection CriticalFindingsAgeFunction\w+: 1, hipaa-prod-data DatabaseUsersFunction\w+: 1, hipaa-prod-data RestoreValidationFunction\w+: 1\)/,
    );
  });

  it('missing service-linked roles are created only with --create-service-linked-roles', async () => {
    freshAccount();
    mocks.iam.on(GetRoleCommand).rejects(sdkError('NoSuchEntityException', 'not found', 404));
    mocks.iam.on(CreateServiceLinkedRoleCommand).resolves({});
    let r = run();
    expect(await r.done).toBe(1);
    expect(mocks.iam.commandCalls(CreateServiceLinkedRoleCommand)).toHaveLength(0);
    r = run(['--env', 'prod', '--create-service-linked-roles']);
    expect(await r.done).toBe(0);
    expect(mocks.iam.commandCalls(CreateServiceLinkedRoleCommand).map((c) => c.args[0].input.AWSServiceName)).toEqual([
      'ecs.amazonaws.com',
      'ecs.application-autoscaling.amazonaws.com',
      'elasticloadbalancing.amazonaws.com',
      'rds.amazonaws.com',
    ]);
  });

  it('a failed synth (compliance gate) stops before the checks', async () => {
    identity(mocks);
    const { done, reporter } = run(['--env', 'prod'], [1]);
    expect(await done).toBe(1);
    expect(reporter.errors[0]).toMatch(/^synth failed \(exit 1\)/);
    expect(mocks.ssm.calls()).toHaveLength(0);
  });
});
