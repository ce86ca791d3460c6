import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { checkBootstrap } from '../../../lib/deploy/preflight/bootstrap';
import { testConfig } from '../../support/blueprint';
import { assembly, assemblyStack, preflightContext, regionOf, sdkError } from '../../support/deploy';

const ssm = mockClient(SSMClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => ssm.restore());
beforeEach(() => ssm.reset());

const config = testConfig('prod');
const twoRegions = assembly(
  assemblyStack('hipaa-prod-data', 'us-east-1', {}, { requiresBootstrapStackVersion: 6 }),
  assemblyStack('hipaa-prod-app', 'us-east-1', {}, { requiresBootstrapStackVersion: 21 }),
  assemblyStack('hipaa-prod-phi-replica', 'us-west-2', {}, { requiresBootstrapStackVersion: 6 }),
);

/** SSM answers the bootstrap version per region; undefined: the parameter does not exist. */
function versions(byRegion: Record<string, string | undefined>): void {
  ssm.on(GetParameterCommand).callsFake(async (input, getClient) => {
    const region = await regionOf(getClient);
    expect(input.Name).toBe('/cdk-bootstrap/hnb659fds/version');
    const value = byRegion[region];
    if (value === undefined) throw sdkError('ParameterNotFound');
    return { Parameter: { Value: value } };
  });
}

describe('preflight: CDK bootstrap in every region', () => {
  it('passes when both regions are bootstrapped at the highest version any stack requires', async () => {
    versions({ 'us-east-1': '21', 'us-west-2': '30' });
    expect(await checkBootstrap(preflightContext(config, { assembly: twoRegions }))).toEqual([]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('refuses a region without bootstrap with the exact bootstrap command', async () => {
    versions({ 'us-east-1': '21', 'us-west-2': undefined });
    expect(await checkBootstrap(preflightContext(config, { assembly: twoRegions }))).toEqual([
      {
        level: 'error',
        check: 'bootstrap',
        message:
          'CDK bootstrap missing in aws://123456789012/us-west-2 (no SSM parameter /cdk-bootstrap/hnb659fds/version; needed by hipaa-prod-phi-replica): run `npx cdk bootstrap aws://123456789012/us-west-2`',
      },
    ]);
  });

  it('refuses a bootstrap older than the synthesized stacks require (read from the assembly, not a constant)', async () => {
    versions({ 'us-east-1': '20', 'us-west-2': '6' });
    expect((await checkBootstrap(preflightContext(config, { assembly: twoRegions }))).map((f) => f.message)).toEqual([
      'CDK bootstrap in aws://123456789012/us-east-1 is version 20; the stacks need >= 21: upgrade it with `npx cdk bootstrap aws://123456789012/us-east-1`',
    ]);
  });

  it('a custom qualifier appears in the command', async () => {
    ssm.on(GetParameterCommand).rejects(sdkError('ParameterNotFound'));
    const custom = assembly(
      assemblyStack(
        'hipaa-prod-data',
        'us-east-1',
        {},
        { bootstrapStackVersionSsmParameter: '/cdk-bootstrap/myqual/version' },
      ),
      assemblyStack(
        'hipaa-prod-phi-replica',
        'us-west-2',
        {},
        { bootstrapStackVersionSsmParameter: '/cdk-bootstrap/myqual/version' },
      ),
    );
    const messages = (await checkBootstrap(preflightContext(config, { assembly: custom }))).map((f) => f.message);
    expect(messages[0]).toContain('run `npx cdk bootstrap aws://123456789012/us-east-1 --qualifier myqual`');
  });

  it('access denied is an error naming the permission, never a pass', async () => {
    ssm.on(GetParameterCommand).rejects(sdkError('AccessDeniedException', 'not authorized', 403));
    const findings = await checkBootstrap(preflightContext(config, { assembly: twoRegions }));
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({ level: 'error' });
    expect(findings[0].message).toMatch(
      /^cannot read the CDK bootstrap version in aws:\/\/123456789012\/us-east-1 .* allow ssm:GetParameter/,
    );
  });

  it('warns (never passes silently) for a region no synthesized stack declares a requirement for', async () => {
    versions({ 'us-east-1': '21' });
    const oneRegion = assembly(assemblyStack('hipaa-prod-data', 'us-east-1', {}));
    expect(await checkBootstrap(preflightContext(config, { assembly: oneRegion }))).toEqual([
      {
        level: 'warning',
        check: 'bootstrap',
        message: 'no synthesized stack deploys to us-west-2: its bootstrap is not checked',
      },
    ]);
  });
});
