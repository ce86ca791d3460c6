import { GetDetectorCommand, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetMacieSessionCommand } from '@aws-sdk/client-macie2';
import { DescribeHubCommand } from '@aws-sdk/client-securityhub';
import { DetectionConfig, stackName } from '../../config';
import { AwsClients } from '../core/aws-clients';
import { describeError, errorMessage, isError } from '../core/sdk-error';
import { VerifyCheck, VerifyRow } from './context';

/** Whether a service is on in a region, and what was seen. */
interface ServiceState {
  readonly on: boolean;
  readonly detail: string;
}

/** A regional detection service of D2 and how to read whether it is on. */
interface DetectionService {
  readonly label: string;
  readonly switch: keyof DetectionConfig;
  readonly state: (clients: AwsClients, region: string) => Promise<ServiceState>;
  /** Whether the replica detection stack runs it in config.phiBucket.replicaRegion (Macie is regional: it does not). */
  readonly inReplicaStack: boolean;
}

export const DETECTION_SERVICES: readonly DetectionService[] = [
  {
    label: 'GuardDuty',
    switch: 'guardDuty',
    inReplicaStack: true,
    state: async (clients, region) => {
      const client = clients.guardDuty(region);
      const ids = (await client.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
      if (ids.length === 0) return { on: false, detail: 'no detector' };
      const detector = await client.send(new GetDetectorCommand({ DetectorId: ids[0] }));
      return { on: detector.Status === 'ENABLED', detail: `detector ${ids[0]} ${detector.Status ?? 'unknown'}` };
    },
  },
  {
    label: 'Security Hub',
    switch: 'securityHub',
    inReplicaStack: true,
    state: async (clients, region) => {
      try {
        const hub = await clients.securityHub(region).send(new DescribeHubCommand({}));
        return { on: true, detail: `hub ${hub.HubArn ?? ''}`.trim() };
      } catch (e) {
        if (isError(e, 'InvalidAccessException', 'ResourceNotFoundException'))
          return { on: false, detail: 'not enabled' };
        throw e;
      }
    },
  },
  {
    label: 'Macie',
    switch: 'macie',
    inReplicaStack: false,
    state: async (clients, region) => {
      try {
        const session = await clients.macie(region).send(new GetMacieSessionCommand({}));
        return { on: session.status === 'ENABLED', detail: `session ${session.status ?? 'unknown'}` };
      } catch (e) {
        if (isError(e, 'AccessDeniedException') && /not enabled/i.test(errorMessage(e)))
          return { on: false, detail: 'not enabled' };
        throw e;
      }
    },
  },
];

/**
 * D2: GuardDuty, Security Hub and Macie enabled in EVERY region that holds PHI (config.region and the
 * replica region). A service switched on in config must be on (FAIL otherwise); one switched off is
 * expected to be run by the account (PASS when on, WARN when nobody runs it).
 */
export const verifyDetectionServices: VerifyCheck = async (ctx) => {
  const { config } = ctx;
  const rows: VerifyRow[] = [];
  for (const region of [config.region, config.phiBucket.replicaRegion]) {
    for (const service of DETECTION_SERVICES) {
      const check = `${service.label} in ${region}`;
      const switchedOn = config.detection[service.switch] === true;
      let state: ServiceState;
      try {
        state = await service.state(ctx.clients, region);
      } catch (e) {
        rows.push({ safeguard: 'D2', check, status: 'FAIL', detail: `could not read its state: ${describeError(e)}` });
        continue;
      }
      if (state.on) {
        rows.push({
          safeguard: 'D2',
          check,
          status: 'PASS',
          detail: switchedOn
            ? state.detail
            : `${state.detail} (run outside the blueprint: detection.${service.switch} = false)`,
        });
      } else if (switchedOn) {
        const where =
          region === config.region
            ? ''
            : service.inReplicaStack
              ? `; stack ${stackName(config, 'replicaDetection')} runs it in ${region}, which holds the PHI replica: deploy it`
              : `; the blueprint runs ${service.label} only in ${config.region}: enable it in ${region}, which holds the PHI replica`;
        rows.push({ safeguard: 'D2', check, status: 'FAIL', detail: `${state.detail}${where}` });
      } else {
        rows.push({
          safeguard: 'D2',
          check,
          status: 'WARN',
          detail: `${state.detail}, and detection.${service.switch} = false: nobody runs it in this PHI region`,
        });
      }
    }
  }
  return rows;
};
