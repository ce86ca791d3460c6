import { BlueprintConfig } from '../../config/schema';
import { Acknowledgement } from './apply';
import {
  APP_TIER_ACKNOWLEDGEMENTS,
  appServiceAcknowledgements,
  dataTierAcknowledgements,
  replicaDetectionAcknowledgements,
  PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS,
  platformAcknowledgements,
} from './entries';

export * from './apply';
export * from './guard-rules';
export * from './entries';

/** Options of buildRegister. */
export interface RegisterOptions {
  /**
   * The app is step 1 of a first deploy (`-c phiReplicaBootstrap=true`): the bootstrap entry applies too.
   * Never set otherwise: in a normal synth it would match a PHI store, and applying it would throw.
   * @default false
   */
  readonly phiReplicaBootstrap?: boolean;
}

/**
 * The acknowledgement register of one environment: a function of the validated config being synthesized,
 * so a broken entry of another environment cannot affect this one. Order matters only for reading.
 */
export function buildRegister(config: BlueprintConfig, options: RegisterOptions = {}): Acknowledgement[] {
  return [
    ...dataTierAcknowledgements(config),
    ...replicaDetectionAcknowledgements(config),
    ...APP_TIER_ACKNOWLEDGEMENTS,
    ...appServiceAcknowledgements(config),
    ...platformAcknowledgements(config),
    ...(options.phiReplicaBootstrap ? PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS : []),
  ];
}
