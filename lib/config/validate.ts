import { ConfigProblem, fieldName, problemLine, problemsOf, showValue } from './problems';
import { validatedConfigSchema } from './rules';
import { BlueprintConfig, blueprintConfigSchema } from './schema';

/** Raised when a config breaks a rule; lists every problem, each naming field, value and rule. */
export class ConfigValidationError extends Error {
  constructor(
    public readonly envName: string,
    public readonly problems: readonly string[],
  ) {
    super(
      `Invalid blueprint configuration for environment '${envName}' (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

/**
 * Every problem of one environment's config, as `field = value: rule` lines (empty when valid). Pure, and it
 * never throws: any input (wrong types, null, missing sections, hostile strings) gives problem lines.
 */
export function configProblems(input: unknown): string[] {
  return parse(input).problems;
}

function parse(input: unknown): { config?: BlueprintConfig; problems: string[] } {
  const result = validatedConfigSchema.safeParse(input);
  if (result.success) return { config: result.data, problems: [] };
  return { problems: problemsOf(blueprintConfigSchema, input, result.error.issues).map((p) => problemLine(input, p)) };
}

/** Throws ConfigValidationError listing every problem; returns the parsed config (arrays frozen) when valid. */
export function validateConfig(input: unknown): BlueprintConfig {
  const { config, problems } = parse(input);
  if (!config) throw new ConfigValidationError(envNameOf(input), problems);
  return config;
}

function envNameOf(input: unknown): string {
  const name = (input as { envName?: unknown } | null)?.envName;
  return typeof name === 'string' && /^[a-z0-9]{1,32}$/.test(name) ? name : '(unnamed)';
}

/** The account and region another environment deploys to, read defensively (it is not validated here). */
function placeOf(
  input: unknown,
): { account: string; region: string; sharesAccountWith?: string; production?: boolean } | undefined {
  const c = input as { account?: unknown; region?: unknown; sharesAccountWith?: unknown; production?: unknown } | null;
  if (typeof c?.account !== 'string' || typeof c.region !== 'string') return undefined;
  return {
    account: c.account,
    region: c.region,
    sharesAccountWith: typeof c.sharesAccountWith === 'string' ? c.sharesAccountWith : undefined,
    production: typeof c.production === 'boolean' ? c.production : undefined,
  };
}

/** The regional detection services the blueprint creates once per account and region (DetectionStack, ReplicaDetectionStack). */
const REGIONAL_DETECTION = ['config', 'guardDuty', 'securityHub'] as const;
const DETECTION_NAMES: Record<(typeof REGIONAL_DETECTION)[number], string> = {
  config: 'the AWS Config recorder',
  guardDuty: 'the GuardDuty detector',
  securityHub: 'Security Hub',
};

/**
 * Where an environment creates each regional detection service, read defensively: its region (unless it shares the
 * account's services) and its PHI replica region (ReplicaDetectionStack, with the same switches); and whether it
 * creates the account's one AWS Config service-linked role.
 */
function detectionPlaces(input: unknown): {
  regions: Record<(typeof REGIONAL_DETECTION)[number], Set<string>>;
  createsConfigRole: boolean;
} {
  const c = input as {
    region?: unknown;
    sharesAccountWith?: unknown;
    detection?: Record<string, unknown>;
    phiBucket?: { replicaRegion?: unknown };
  } | null;
  const detection = c?.detection ?? {};
  const regions = Object.fromEntries(
    REGIONAL_DETECTION.map((k) => {
      const set = new Set<string>();
      if (detection[k] === true) {
        if (typeof c?.region === 'string' && c.sharesAccountWith === undefined) set.add(c.region);
        if (typeof c?.phiBucket?.replicaRegion === 'string') set.add(c.phiBucket.replicaRegion);
      }
      return [k, set];
    }),
  ) as Record<(typeof REGIONAL_DETECTION)[number], Set<string>>;
  return {
    regions,
    createsConfigRole:
      detection.config === true && detection.configServiceLinkedRole === 'create' && c?.sharesAccountWith === undefined,
  };
}

/** The account-level singletons two environments in one account and region would both create. */
export const ACCOUNT_LEVEL_SERVICES =
  'the GuardDuty detector, Security Hub, the Macie session, the AWS Config recorder and the Session Manager preferences document';

/**
 * Problems between the environment `envName` and the others: two environments in one account and region must
 * say which one creates the account-level services (the other sets `sharesAccountWith`). Other environments
 * are read defensively: a broken entry elsewhere cannot make this one fail or crash.
 */
export function environmentProblems(
  envName: string,
  config: Pick<BlueprintConfig, 'account' | 'region' | 'sharesAccountWith'> & { readonly production?: boolean },
  environments: Readonly<Record<string, unknown>>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const shares = config.sharesAccountWith;
  if (shares !== undefined) {
    const owner = Object.prototype.hasOwnProperty.call(environments, shares)
      ? placeOf(environments[shares])
      : undefined;
    if (!owner) {
      problems.push({
        path: ['sharesAccountWith'],
        message: `names no environment; known: ${Object.keys(environments).join(', ')}`,
      });
    } else if (owner.account !== config.account || owner.region !== config.region) {
      problems.push({
        path: ['sharesAccountWith'],
        message: `environment '${shares}' deploys to ${owner.account}/${owner.region}, not ${config.account}/${config.region}: there is nothing to share`,
      });
    } else if (owner.sharesAccountWith !== undefined) {
      problems.push({
        path: ['sharesAccountWith'],
        message: `environment '${shares}' shares with '${owner.sharesAccountWith}' itself: exactly one environment per account and region creates the account-level services`,
      });
    }
  }
  for (const [other, input] of Object.entries(environments)) {
    if (other === envName) continue;
    const place = placeOf(input);
    if (!place || place.account !== config.account) continue;
    // A production environment's account holds no other kind: a non-production environment's roles, deploys and
    // test data would sit beside PHI, under the same account-level services and administrators (164.308(a)(4)(ii)(A),
    // isolation of access; the config review of 2026-12-04 found prod accepted in dev's account, in any region).
    if (place.production !== undefined && config.production !== undefined && place.production !== config.production) {
      problems.push({
        path: ['account'],
        message: `environment '${other}' (production ${String(place.production)}) deploys to the same account: a production environment and a non-production one must be in separate accounts, so that nothing of the other reaches PHI; give one of them its own account`,
      });
      continue;
    }
    if (place.region !== config.region) {
      // Two regions of one account: each creates its detection services in its region and its replica region, and
      // the AWS Config service-linked role once per account; where they meet, the second deploy fails (the config
      // review of 2026-12-04: us-east-1 replicating to us-west-2 beside us-west-2 replicating to us-east-1 passed).
      const mine = detectionPlaces(config);
      const theirs = detectionPlaces(input);
      for (const k of REGIONAL_DETECTION) {
        const both = [...mine.regions[k]].filter((r) => theirs.regions[k].has(r));
        if (both.length > 0) {
          problems.push({
            path: ['detection', k],
            message: `environment '${other}' of the same account also creates ${DETECTION_NAMES[k]} in ${both.join(', ')} (each environment creates it in its region and its phiBucket.replicaRegion), and the second deploy fails: choose regions and replica regions that do not meet, or turn it off here and say so in detection.providedBy (e.g. 'environment ${other}')`,
          });
        }
      }
      if (mine.createsConfigRole && theirs.createsConfigRole) {
        problems.push({
          path: ['detection', 'configServiceLinkedRole'],
          message: `must be 'existing': environment '${other}' of the same account creates AWSServiceRoleForConfig (one per account), and a second create fails the deploy`,
        });
      }
      continue;
    }
    // One owns the services for the other, or both share with the same owner (a third environment in the account: the
    // newcomer review of 2026-12-04 found staging and qa, both sharing with dev, refused with advice that could not work).
    if (shares === other || place.sharesAccountWith === envName) continue;
    if (shares !== undefined && place.sharesAccountWith === shares) continue;
    problems.push({
      path: ['sharesAccountWith'],
      message: `environment '${other}' deploys to the same account ${config.account} and region ${config.region}: both would create ${ACCOUNT_LEVEL_SERVICES}, and the second deploy fails. Set sharesAccountWith: '${other}' here (or sharesAccountWith: '${envName}' in '${other}'), or deploy to another account or region`,
    });
  }
  return problems;
}

/**
 * The validated config of one environment of `environments`. An unknown name, an invalid config, or a clash
 * with another environment throws ConfigValidationError before any construct exists, so no template is written.
 */
export function loadConfig(envName: string, environments: Readonly<Record<string, unknown>>): BlueprintConfig {
  const input = Object.prototype.hasOwnProperty.call(environments, envName) ? environments[envName] : undefined;
  if (input === undefined) {
    throw new ConfigValidationError(envName, [
      `env = ${showValue(envName)}: unknown environment; known: ${Object.keys(environments).join(', ')} (cdk synth selects one with -c env=NAME, the commands with --env NAME; an environment in a JSON file: -c config=FILE, check-template and cost with --config FILE)`,
    ]);
  }
  const { config, problems } = parse(input);
  const declared = (input as { envName?: unknown } | null)?.envName;
  if (typeof declared === 'string' && declared !== envName) {
    problems.push(`envName = ${showValue(declared)}: must equal its key '${envName}' in the environments`);
  }
  // Problems between environments too, in the same message: read from the input where its own fields are broken
  // (the config review of 2026-12-04: an unknown sharesAccountWith was reported only after the other problems were
  // fixed).
  const place = config ?? placeOf(input);
  const between =
    place === undefined ? [] : environmentProblems(envName, place, environments).map((p) => problemLine(input, p));
  if (!config || problems.length > 0 || between.length > 0) {
    throw new ConfigValidationError(envName, [...problems, ...between]);
  }
  return config;
}

export { fieldName };
