import {
  guardDutyAgentRepositoryArn,
  requireGuardDutyAgentRepositoryArn,
} from '../../constructs/guard-duty-agent-repository';
import { partitionOf } from './rules';
import { BlueprintConfig } from './schema';

/**
 * The GuardDuty Fargate agent repository the task execution roles and the ECR endpoints admit (D2), for this
 * environment's region. With detection.guardDuty on, the blueprint turns runtime monitoring on, so the region's
 * repository must be known (config validation reports an unknown one on `region`). With it off, an organization's
 * delegated GuardDuty administrator may still turn runtime monitoring on for this account: the repository is
 * admitted when the region's is known, and nothing is admitted otherwise.
 */
export function guardDutyAgentRepository(
  config: Pick<BlueprintConfig, 'region'> & { readonly detection: Pick<BlueprintConfig['detection'], 'guardDuty'> },
): string | undefined {
  const partition = partitionOf(config.region);
  return config.detection.guardDuty
    ? requireGuardDutyAgentRepositoryArn(config.region, 'region', partition)
    : guardDutyAgentRepositoryArn(config.region, partition);
}
