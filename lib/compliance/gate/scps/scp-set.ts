/**
 * The service control policies the organization attaches to the environment's account (V1, U6): the
 * eligibility SCP (non-eligible services), the region SCP (regions outside allowedRegions) and the two tamper
 * SCPs (issue 12's tamper actions except by the deployment role). Each is minified JSON within the 5,120-character
 * SCP limit (renderScp throws otherwise). Written into the evidence at every synth.
 */
import { BlueprintConfig } from '../../../config/schema';
import { buildEligibilityScp, renderScp } from '../eligibility/scp';
import { buildAllowedRegionsScp, ScpDocument } from './allowed-regions-scp';
import { buildAuditTamperScp, buildKeysAndDetectionTamperScp } from './tamper-protection-scps';

/** One SCP of the set: its file name in the evidence, what it is for, the document and its rendering. */
export interface NamedScp {
  /** File name under `compliance/service-control-policies/`, e.g. `allowed-regions.json`. */
  readonly file: string;
  readonly purpose: string;
  readonly document: ScpDocument;
  /** Minified JSON, at most 5,120 characters. */
  readonly json: string;
}

/** The SCPs of one environment. @throws Error when one is over the SCP size limit. */
export function buildScpSet(
  config: Pick<BlueprintConfig, 'appName' | 'envName' | 'account' | 'region' | 'allowedRegions' | 'phiBucket'>,
): NamedScp[] {
  const scps: Omit<NamedScp, 'json'>[] = [
    {
      file: 'hipaa-eligible-services.json',
      purpose: 'Denies every service that is not HIPAA eligible (V1)',
      document: buildEligibilityScp() as unknown as ScpDocument,
    },
    {
      file: 'allowed-regions.json',
      purpose: `Denies requests to regions outside ${config.allowedRegions.join(', ')}, except to global services`,
      document: buildAllowedRegionsScp(config),
    },
    {
      file: 'tamper-protection-audit.json',
      purpose:
        'Denies changes to the trail, the protection of the environment buckets and objects, log groups, alarms, rules and the alert path, except by the deployment role (U6)',
      document: buildAuditTamperScp(config),
    },
    {
      file: 'tamper-protection-keys-and-detection.json',
      purpose:
        'Denies key policy and state changes, grants not made by AWS services, blinding of GuardDuty, Security Hub, Macie, Config and Inspector, backup, database and role tampering, except by the deployment role (and AWS Backup where it needs them) (E1, U6, I1)',
      document: buildKeysAndDetectionTamperScp(config),
    },
  ];
  return scps.map((s) => {
    try {
      return { ...s, json: renderScp(s.document) };
    } catch (e) {
      throw new Error(`SCP ${s.file}: ${(e as Error).message}`, { cause: e });
    }
  });
}
