import { cfnAbsent, isIntrinsic, isObject, Json } from './template-json';

/** One lifecycle rule that may be enabled, with the name a finding shows (its Id, else its position). */
export interface LifecycleRule {
  readonly name: string;
  readonly rule: Json;
  /** Whether its Status is the literal 'Enabled' (a Status only deploy resolves may be enabled, but is not counted). */
  readonly enabled: boolean;
}

/** A bucket's `LifecycleConfiguration` as a rule reads it. */
export interface LifecycleReading {
  /** The rules that may be enabled: every rule whose Status is not the literal 'Disabled'. */
  readonly rules: readonly LifecycleRule[];
  /** Findings for what only deploy resolves (the configuration, its rule list or a rule given by an intrinsic). */
  readonly unresolved: readonly string[];
  /** Whether the template lists its rules (or has none): false when the list only deploy resolves. */
  readonly listed: boolean;
}

/**
 * Reads a bucket's lifecycle as written (an L1 CfnBucket, a raw resource, property overrides, a template checked by
 * hand): the rules that may be enabled, and what only deploy resolves (fail closed: such a rule may expire anything).
 */
export function readLifecycle(lifecycle: unknown): LifecycleReading {
  const list = isObject(lifecycle) && !isIntrinsic(lifecycle) ? lifecycle.Rules : lifecycle;
  const unresolved: string[] = [];
  const rules: LifecycleRule[] = [];
  if (!cfnAbsent(list) && !Array.isArray(list)) {
    unresolved.push(
      `${isIntrinsic(lifecycle) ? 'LifecycleConfiguration' : 'LifecycleConfiguration.Rules'}::only-deploy-resolves`,
    );
  }
  for (const [i, rule] of (Array.isArray(list) ? list : []).entries()) {
    if (cfnAbsent(rule)) continue;
    if (!isObject(rule) || isIntrinsic(rule)) {
      unresolved.push(`Rule[${i}]::only-deploy-resolves`);
      continue;
    }
    if (rule.Status === 'Disabled') continue;
    rules.push({ name: typeof rule.Id === 'string' ? rule.Id : String(i), rule, enabled: rule.Status === 'Enabled' });
  }
  return { rules, unresolved, listed: Array.isArray(list) || cfnAbsent(list) };
}

/**
 * The noncurrent version expirations of one rule, by the property that sets each: both spellings may be set, and S3
 * gets whichever CloudFormation sends, so a rule judges each (the shortest wins). A `NoncurrentVersionExpiration`
 * given as an intrinsic is returned as it is (only deploy resolves it).
 */
export function noncurrentExpirations(rule: Json): Array<[string, unknown]> {
  const version = rule.NoncurrentVersionExpiration;
  const noncurrent =
    isObject(version) && !isIntrinsic(version) ? version.NoncurrentDays : cfnAbsent(version) ? undefined : version;
  return (
    [
      ['NoncurrentVersionExpiration', noncurrent],
      ['NoncurrentVersionExpirationInDays', rule.NoncurrentVersionExpirationInDays],
    ] as Array<[string, unknown]>
  ).filter(([, days]) => !cfnAbsent(days));
}
