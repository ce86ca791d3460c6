import type { ConfiguredAllowLists } from '../../../config/principals';
import { ManifestReview } from '../core/manifest-review';
import { AssemblyStack } from '../core/template-json';

/** What the assembly rules know besides the templates (from the validated config, when there is one). */
export interface AssemblyContext {
  /**
   * Names of the PHI buckets config derives (lib/config/names.ts phiBucketNames): a bucket of that name is a PHI
   * store even without its marker.
   * @default - none: PHI buckets are recognised by marker and by the naming pattern only
   */
  readonly phiBucketNames?: readonly string[];
  /**
   * The account the environment deploys to (config.account): every stack must deploy there (StackEnvironmentsNamed).
   * @default - the account most stacks name
   */
  readonly account?: string;
  /**
   * The region the PHI replica stack deploys to (config.phiBucket.replicaRegion): step 1 of a first deploy is that
   * stack alone (ReplicaBootstrapAlone).
   * @default - not compared: the stack's name is (from its declaration)
   */
  readonly phiReplicaRegion?: string;
  /**
   * The alert endpoints config subscribes (config.alertEmails, config.alertHttpsEndpoint): each is subscribed to every
   * topic the alarms reach (AlarmsReachSubscribers).
   * @default - not compared: some e-mail, https or sms subscription suffices
   */
  readonly alertEndpoints?: readonly string[];
  /**
   * Whether the environment is production (config.production): outside it, backup vault locks may stay in governance
   * mode (PhiBackupsMeetFloors).
   * @default - production
   */
  readonly production?: boolean;
  /**
   * The isolated vault config copies PHI recovery points to (config.backup.isolatedCopyVaultArn), the one vault outside
   * the assembly a copy may go to (BackupCopiedToLockedVault).
   * @default - none
   */
  readonly isolatedCopyVaultArn?: string;
  /**
   * Whether config lets the PHI VPC's application tier reach the internet through NAT gateways
   * (config.network.internetEgress): 'nat', or 'none' (PhiVpcEgressAsConfigured).
   * @default - 'none'
   */
  readonly internetEgress?: 'none' | 'nat';
  /**
   * The region whose Session Manager preferences the environment owns (lib/config/names.ts sessionPreferencesRegion:
   * its region when config.sharesAccountWith is absent): a stack of that region must hold them
   * (SessionPreferencesPresent).
   * @default - not required
   */
  readonly sessionPreferencesRegion?: string;
  /**
   * Access-audit events of one user in one hour above which the volume check alarms (lib/config/names.ts
   * accessVolumeThreshold): the deployed check's THRESHOLD may not exceed it (AccessAuditChannelPresent).
   * @default - the schema's highest threshold, 1,000,000
   */
  readonly accessVolumeThreshold?: number;
  /**
   * Who config names on each allow-list (lib/config/principals.ts configuredAllowLists): the PHI buckets' and the keys'
   * named principals are among them (AllowListsAsConfigured).
   * @default - not compared
   */
  readonly allowLists?: ConfiguredAllowLists;
  /**
   * The resources the rule packs saw in the construct tree otherwise than they deploy (PacksSeeOverrides), and how
   * to check them with the packs as the template renders them. Only the synth-time plugin knows the tree; the template
   * checker runs the packs on the rendered templates already.
   * @default - none: PacksSeeOverrides judges nothing
   */
  readonly overrides?: OverriddenResources;
  /**
   * The review of the cloud assembly's manifest (assembly-loader.ts reviewAssembly) as the synth wrote it: what
   * `cdk deploy --app` of the assembly would deploy otherwise than the templates checked (AssemblyDeploysAsChecked).
   * Given by the synth-time plugin; check-template reviews the same manifest in loadAssembly and refuses (exit 2) an
   * assembly with any problem before a rule runs.
   * @default - none: AssemblyDeploysAsChecked judges nothing
   */
  readonly manifest?: ManifestReview;
}

/** Resources whose rendered properties the rule packs did not see in the construct tree (PacksSeeOverrides). */
export interface OverriddenResources {
  /** By stack construct path (a nested stack's too): the logical ids and why each one is rechecked. */
  readonly byStack: ReadonlyMap<string, ReadonlyMap<string, string>>;
  /** The packs' findings on `stack`'s template as check-template finds them (every resource of it). */
  readonly checkWithPacks: (stack: AssemblyStack) => readonly PackFinding[];
}

/** A finding of a rule pack on a rendered template. */
export interface PackFinding {
  /** The pack's rule id, with its `[finding]` suffix where it has one (e.g. 'HIPAA.Security-RDSStorageEncrypted'). */
  readonly ruleId: string;
  readonly logicalId: string;
  readonly description: string;
}

/** One finding of an assembly rule. */
export interface AssemblyFinding {
  /** `Blueprint-<Rule>[<finding>]`, like the project NagPack's ids. */
  readonly ruleId: string;
  /** The stack and resource the finding is on; no logical id when it is about the template or the assembly. */
  readonly stack: AssemblyStack;
  readonly logicalId?: string;
  /** What is wrong, in a sentence naming the resource and the safeguard. */
  readonly description: string;
}

/**
 * A rule that sees the whole cloud assembly (every stack of the environment as one set): presence of what must
 * exist somewhere, and relations between stacks (a store and the key of another stack, a peering and the PHI VPC).
 * Pure: templates in, findings out. Run at synth by the BlueprintAssemblyChecks validation plugin and by the
 * template checker in assembly mode.
 */
export interface AssemblyRule {
  /** Rule name, e.g. 'DetectionServicesPresent' (the finding ids are `Blueprint-<name>[...]`). */
  readonly name: string;
  readonly info: string;
  readonly explanation: string;
  readonly safeguards: readonly string[];
  readonly hipaaSections: readonly string[];
  /**
   * The rule requires something to exist in a whole environment (detection, alarms, the trail): it does not apply
   * to step 1 of a first deploy (templates declaring phiReplicaBootstrap), which holds the replica stack only.
   * @default false
   */
  readonly presence?: boolean;
  /** Findings over the assembly; `evaluated` counts the resources (or facts) the rule judged. */
  readonly check: (stacks: readonly AssemblyStack[], context: AssemblyContext) => AssemblyEvaluation;
}

/** Result of one assembly rule. */
export interface AssemblyEvaluation {
  readonly findings: readonly AssemblyFinding[];
  /** Number of things judged (resources, required alarms, services...), for the gate summary. */
  readonly evaluated: number;
}

/** Builds a finding of `rule`. */
export function finding(
  rule: string,
  id: string,
  stack: AssemblyStack,
  logicalId: string | undefined,
  description: string,
): AssemblyFinding {
  return { ruleId: `Blueprint-${rule}[${id}]`, stack, ...(logicalId !== undefined ? { logicalId } : {}), description };
}
