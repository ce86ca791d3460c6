import { CreateClassificationJobCommand, ListClassificationJobsCommand, Macie2Client } from '@aws-sdk/client-macie2';
import { mockClient } from 'aws-sdk-client-mock';
import { PostDeployContext } from '../../../lib/deploy/post-deploy/context';
import { macieJobStep } from '../../../lib/deploy/post-deploy/macie-job';
import { testConfig } from '../../support/blueprint';
import { fakeClients } from '../../support/deploy';

const macie = mockClient(Macie2Client);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => macie.restore());
beforeEach(() => macie.reset());

const BUCKET = 'hipaa-prod-phi-data-123456789012-us-east-1';
const ctx: PostDeployContext = {
  config: testConfig('prod'),
  clients: fakeClients(),
  output: (ref) => (ref.outputName === 'PhiBucketName' ? BUCKET : undefined),
};

describe('post-deploy: Macie classification job', () => {
  it('needed: creates a daily job scoped to the PHI bucket of this region', async () => {
    macie.on(ListClassificationJobsCommand).resolves({ items: [] });
    macie.on(CreateClassificationJobCommand).resolves({ jobId: 'job-1' });
    const result = await macieJobStep.run(ctx);
    expect(result).toEqual({
      step: 'Macie classification job',
      status: 'done',
      detail: `created daily job hipaa-prod-phi-daily-discovery (job-1) on ${BUCKET}; the replica bucket in us-west-2 needs Macie and a job there`,
    });
    expect(macie.commandCalls(ListClassificationJobsCommand)[0].args[0].input.filterCriteria).toEqual({
      includes: [{ comparator: 'EQ', key: 'name', values: ['hipaa-prod-phi-daily-discovery'] }],
    });
    const input = macie.commandCalls(CreateClassificationJobCommand)[0].args[0].input;
    expect(input).toMatchObject({
      name: 'hipaa-prod-phi-daily-discovery',
      jobType: 'SCHEDULED',
      scheduleFrequency: { dailySchedule: {} },
      s3JobDefinition: { bucketDefinitions: [{ accountId: '123456789012', buckets: [BUCKET] }] },
    });
    expect(input.clientToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('already done: an active job of ours exists (IDLE between runs), nothing created', async () => {
    macie
      .on(ListClassificationJobsCommand)
      .resolves({ items: [{ name: 'hipaa-prod-phi-daily-discovery', jobId: 'job-1', jobStatus: 'IDLE' }] });
    expect(await macieJobStep.run(ctx)).toEqual({
      step: 'Macie classification job',
      status: 'already done',
      detail: 'job hipaa-prod-phi-daily-discovery (job-1) is IDLE',
    });
    expect(macie.commandCalls(CreateClassificationJobCommand)).toHaveLength(0);
  });

  it('a cancelled job of ours does not count: a new one is created', async () => {
    macie
      .on(ListClassificationJobsCommand)
      .resolves({ items: [{ name: 'hipaa-prod-phi-daily-discovery', jobId: 'old', jobStatus: 'CANCELLED' }] });
    macie.on(CreateClassificationJobCommand).resolves({ jobId: 'job-2' });
    expect((await macieJobStep.run(ctx)).status).toBe('done');
    expect(macie.commandCalls(CreateClassificationJobCommand)).toHaveLength(1);
  });
});
