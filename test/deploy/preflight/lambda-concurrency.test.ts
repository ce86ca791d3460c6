import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { checkLambdaConcurrency, reservationsByRegion } from '../../../lib/deploy/preflight/lambda-concurrency';
import { testConfig } from '../../support/blueprint';
import { assembly, assemblyStack, deployedStack, deployedState, preflightContext } from '../../support/deploy';

const lambda = mockClient(LambdaClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => lambda.restore());
beforeEach(() => lambda.reset());

const config = testConfig('prod');
const templates = assembly(
  assemblyStack('hipaa-prod-alerting', 'us-east-1', {
    Formatter: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 5 } },
    Other: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 3 } },
    Unreserved: { Type: 'AWS::Lambda::Function', Properties: {} },
  }),
  assemblyStack('hipaa-prod-network', 'us-east-1', {
    Provider: { Type: 'AWS::Lambda::Function', Properties: { ReservedConcurrentExecutions: 2 } },
  }),
);

function account(unreserved: number, limit: number): void {
  lambda
    .on(GetAccountSettingsCommand)
    .resolves({ AccountLimit: { UnreservedConcurrentExecutions: unreserved, ConcurrentExecutions: limit } });
}

describe('preflight: Lambda concurrency', () => {
  it('sums ReservedConcurrentExecutions from the synthesized templates', () => {
    expect(
      reservationsByRegion({ assembly: templates })
        .get('us-east-1')
        ?.map((r) => r.reserved),
    ).toEqual([5, 3, 2]);
  });

  it('passes when unreserved concurrency stays >= 100 after the reservations', async () => {
    account(110, 110);
    expect(await checkLambdaConcurrency(preflightContext(config, { assembly: templates }))).toEqual([]);
  });

  it('refuses below reservations + 100, with the Service Quotas request command', async () => {
    account(109, 109);
    expect(await checkLambdaConcurrency(preflightContext(config, { assembly: templates }))).toEqual([
      {
        level: 'error',
        check: 'lambda concurrency',
        message:
          'Lambda in us-east-1: unreserved concurrency is 109 (account limit 109) and this deploy reserves 10 more (hipaa-prod-alerting Formatter: 5, hipaa-prod-alerting Other: 3, hipaa-prod-network Provider: 2); AWS requires 100 to stay unreserved, so the stack would fail to create. Request more and wait for it: `aws service-quotas request-service-quota-increase --region us-east-1 --service-code lambda --quota-code L-B99A9384 --desired-value 1000`',
      },
    ]);
  });

  it('counts only what deployed functions do not reserve yet', async () => {
    // The formatter already reserves 5 (part of the account's reserved share): only 3 + 2 are new.
    account(105, 110);
    lambda
      .on(GetFunctionConcurrencyCommand, { FunctionName: 'hipaa-prod-alerting-Formatter-ABC' })
      .resolves({ ReservedConcurrentExecutions: 5 });
    const deployed = deployedState(
      deployedStack('hipaa-prod-alerting', 'us-east-1', [
        ['Formatter', 'AWS::Lambda::Function', 'hipaa-prod-alerting-Formatter-ABC'],
      ]),
    );
    expect(await checkLambdaConcurrency(preflightContext(config, { assembly: templates, deployed }))).toEqual([]);
    account(104, 110);
    expect(
      (await checkLambdaConcurrency(preflightContext(config, { assembly: templates, deployed })))[0].message,
    ).toContain('unreserved concurrency is 104 (account limit 110) and this deploy reserves 5 more');
  });

  it('asks for more than 1000 when the account needs it', async () => {
    account(50, 2000);
    expect((await checkLambdaConcurrency(preflightContext(config, { assembly: templates })))[0].message).toContain(
      '--desired-value 2060`',
    );
  });
});
