import { randomUUID } from 'crypto';
import { CreateClassificationJobCommand, JobSummary, ListClassificationJobsCommand } from '@aws-sdk/client-macie2';
import { macieJobName, OUTPUTS, stackName } from '../core/stacks';
import { PostDeployStep } from './context';

const STEP = 'Macie classification job';

/** Job statuses that mean the daily job is in place (IDLE: between two scheduled runs). */
const ACTIVE = new Set(['RUNNING', 'IDLE', 'PAUSED', 'USER_PAUSED']);

async function jobsNamed(ctx: Parameters<PostDeployStep['run']>[0], name: string): Promise<JobSummary[]> {
  const macie = ctx.clients.macie(ctx.config.region);
  const jobs: JobSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await macie.send(
      new ListClassificationJobsCommand({
        filterCriteria: { includes: [{ comparator: 'EQ', key: 'name', values: [name] }] },
        nextToken,
      }),
    );
    jobs.push(...(page.items ?? []).filter((j) => j.name === name));
    nextToken = page.nextToken;
  } while (nextToken);
  return jobs;
}

/**
 * The daily Macie classification job on the PHI bucket of config.region (CloudFormation has no
 * resource for Macie jobs). Created when no active job of ours exists (ListClassificationJobs by
 * name); a Macie job is regional, so the replica bucket in the replica region is not covered.
 */
export const macieJobStep: PostDeployStep = {
  name: STEP,
  run: async (ctx) => {
    const { config } = ctx;
    const name = macieJobName(config);
    const jobs = await jobsNamed(ctx, name);
    const active = jobs.find((j) => ACTIVE.has(j.jobStatus ?? ''));
    if (active) {
      const paused = active.jobStatus === 'USER_PAUSED' ? '; paused by a user: resume it in the Macie console' : '';
      return {
        step: STEP,
        status: 'already done',
        detail: `job ${name} (${active.jobId}) is ${active.jobStatus}${paused}`,
      };
    }
    const bucket = ctx.output(OUTPUTS.phiBucketName);
    if (!bucket) {
      return {
        step: STEP,
        status: 'failed',
        detail: `stack ${stackName(config, OUTPUTS.phiBucketName.role)} has no output ${OUTPUTS.phiBucketName.outputName}: no bucket to classify`,
      };
    }
    const out = await ctx.clients.macie(config.region).send(
      new CreateClassificationJobCommand({
        clientToken: randomUUID(),
        name,
        description: `HIPAA blueprint ${config.appName}-${config.envName}: daily sensitive-data discovery on the PHI bucket (D2)`,
        jobType: 'SCHEDULED',
        scheduleFrequency: { dailySchedule: {} },
        initialRun: true,
        s3JobDefinition: { bucketDefinitions: [{ accountId: config.account, buckets: [bucket] }] },
      }),
    );
    return {
      step: STEP,
      status: 'done',
      detail: `created daily job ${name} (${out.jobId}) on ${bucket}; the replica bucket in ${config.phiBucket.replicaRegion} needs Macie and a job there`,
    };
  },
};
