import {
  AssociateKmsKeyCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { OUTPUTS, RDS_OS_METRICS_LOG_GROUP, stackName } from '../core/stacks';
import { PostDeployStep } from './context';

const STEP = 'RDSOSMetrics log group';

/**
 * RDS enhanced monitoring writes OS metrics to RDSOSMetrics, a log group RDS creates itself (one per
 * account and region), so no stack can own it. Give it the operations key (AssociateKmsKey) when it
 * has none, and the six-year retention (PutRetentionPolicy) when it keeps less or never expires.
 * A key already associated (another environment of the account) is left as is; a longer retention too.
 */
export const rdsOsMetricsStep: PostDeployStep = {
  name: STEP,
  run: async (ctx) => {
    const { config } = ctx;
    const logs = ctx.clients.logs(config.region);
    const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: RDS_OS_METRICS_LOG_GROUP }));
    const group = (out.logGroups ?? []).find((g) => g.logGroupName === RDS_OS_METRICS_LOG_GROUP);
    if (!group) {
      return {
        step: STEP,
        status: 'pending',
        detail:
          `${RDS_OS_METRICS_LOG_GROUP} does not exist yet in ${config.region}: RDS creates it after the database's first ` +
          'minute of enhanced monitoring; run the deploy again later to encrypt it and set its retention',
      };
    }
    const wanted = config.retention.logRetentionDays;
    const done: string[] = [];
    const kept: string[] = [];
    if (!group.kmsKeyId) {
      const keyArn = ctx.output(OUTPUTS.operationsKeyArn);
      if (!keyArn) {
        return {
          step: STEP,
          status: 'failed',
          detail:
            `${RDS_OS_METRICS_LOG_GROUP} is not encrypted, and stack ${stackName(config, OUTPUTS.operationsKeyArn.role)} ` +
            `has no output ${OUTPUTS.operationsKeyArn.outputName} to encrypt it with`,
        };
      }
      await logs.send(new AssociateKmsKeyCommand({ logGroupName: RDS_OS_METRICS_LOG_GROUP, kmsKeyId: keyArn }));
      done.push(`encrypted with the operations key ${keyArn}`);
    } else {
      kept.push(`encrypted with ${group.kmsKeyId}`);
    }
    if (group.retentionInDays === undefined || group.retentionInDays < wanted) {
      await logs.send(
        new PutRetentionPolicyCommand({ logGroupName: RDS_OS_METRICS_LOG_GROUP, retentionInDays: wanted }),
      );
      done.push(`retention ${group.retentionInDays ?? 'never expire'} -> ${wanted} days`);
    } else {
      kept.push(`retention ${group.retentionInDays} days`);
    }
    return done.length
      ? { step: STEP, status: 'done', detail: [...done, ...kept].join('; ') }
      : { step: STEP, status: 'already done', detail: kept.join('; ') };
  },
};
