import { CfnDeletionPolicy, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnKey, CfnReplicaKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance, NagRuleResult, NagRules } from 'cdk-nag/lib/nag-rules';
import { cfnBoolean, cfnNumber } from '../core/template-json';
import { actionMatches, PolicyStatementJson, readPolicyDocument } from './policy-statements';

/** The longest a key's material may stay in use before KMS rotates it: a year, KMS's default. */
export const MAX_ROTATION_PERIOD_DAYS = 365;

/**
 * Every key-scoped KMS action that gives cryptographic use of a key, or creates a grant (a grant is
 * use: its holder can decrypt). kms:GenerateRandom is not key-scoped and cannot be granted by a key policy.
 */
export const KMS_USE_ACTIONS: readonly string[] = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:Sign',
  'kms:Verify',
  'kms:CreateGrant',
  'kms:DeriveSharedSecret',
];

/** The use actions an Action entry allows (a non-string, e.g. an unresolved token, counts as all of them). */
export function useActionsAllowedBy(action: unknown): string[] {
  return KMS_USE_ACTIONS.filter((use) => actionMatches(action, use));
}

/**
 * A key's policy as both key policy rules read it: its readable statements, and the findings of a policy that is
 * absent (KMS's default gives the whole account kms:* unconditioned) or not readable whole (it may give anyone
 * anything).
 */
export function keyPolicyOf(key: CfnKey | CfnReplicaKey): { statements: PolicyStatementJson[]; findings: string[] } {
  const keyPolicy = Stack.of(key).resolve(key.keyPolicy) as unknown;
  const policy = readPolicyDocument(keyPolicy);
  if (keyPolicy === undefined) return { statements: [], findings: ['KeyPolicy::absent'] };
  return {
    statements: policy.statements,
    findings: policy.unreadable === undefined ? [] : [`KeyPolicy::${policy.unreadable}`],
  };
}

/** The principal kinds a key policy statement names: '*' (anyone), AWS (accounts, roles, users), or services. */
interface PrincipalKinds {
  readonly anyone: boolean;
  readonly aws: boolean;
  readonly service: boolean;
}

function principalKinds(principal: unknown): PrincipalKinds {
  if (principal === '*') return { anyone: true, aws: true, service: false };
  if (typeof principal !== 'object' || principal === null) return { anyone: true, aws: true, service: false };
  const entries = principal as Record<string, unknown>;
  const aws = ([] as unknown[]).concat(entries.AWS ?? []);
  const others = Object.keys(entries).filter((k) => k !== 'AWS' && k !== 'Service');
  return {
    anyone: aws.includes('*'),
    // Federated, CanonicalUser and anything unknown are held to the rules of AWS principals.
    aws: aws.length > 0 || others.length > 0,
    service: entries.Service !== undefined,
  };
}

/**
 * The condition keys (lower case) a statement requires to be present and to match. IfExists operators
 * (true when the key is absent), negated operators (StringNotEquals and the like: true for everything
 * else) and ForAllValues (true when the key is absent) scope nothing; `Null: false` requires presence.
 */
function scopingKeys(condition: Record<string, unknown>): Set<string> {
  const keys = new Set<string>();
  for (const [operator, block] of Object.entries(condition)) {
    if (typeof block !== 'object' || block === null) continue;
    const op = operator.toLowerCase();
    if (op.endsWith('ifexists') || op.includes('not') || op.startsWith('forallvalues:')) continue;
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      if (op === 'null' && ![value].flat().every((v) => String(v) === 'false')) continue;
      keys.add(key.toLowerCase());
    }
  }
  return keys;
}

const isEncryptionContextKey = (key: string): boolean => key.startsWith('kms:encryptioncontext');

/**
 * Why a use statement is not scoped (empty when it is). AWS principals: kms:ViaService, aws:PrincipalArn
 * or an encryption-context key (kms:CallerAccount alone is not enough: every principal of the account
 * has it). Service principals: aws:SourceAccount, aws:SourceArn or an encryption-context key. Principal
 * '*' must also be held to an account (kms:CallerAccount or aws:PrincipalAccount).
 */
function scopeProblems(kinds: PrincipalKinds, keys: Set<string>): string[] {
  const problems: string[] = [];
  const has = (...names: string[]): boolean => names.some((n) => keys.has(n));
  const encryptionContext = [...keys].some(isEncryptionContextKey);
  if (kinds.anyone && !has('kms:calleraccount', 'aws:principalaccount')) problems.push('any-principal-without-account');
  if (kinds.aws && !(has('kms:viaservice', 'aws:principalarn') || encryptionContext)) problems.push('use-not-scoped');
  else if (kinds.service && !(has('aws:sourceaccount', 'aws:sourcearn') || encryptionContext))
    problems.push('use-not-scoped');
  return problems;
}

/**
 * E1: customer-managed keys rotate (at least yearly: RotationPeriodInDays absent or at most 365), wait 30 days before deletion, are retained, and the key policy
 * never gives cryptographic use to a principal without a scoping condition (administration is
 * separate from use: unconditioned statements may carry administrative actions only). A use or grant
 * statement must name how it is scoped: through a service (kms:ViaService), to a principal
 * (aws:PrincipalArn), to a data context (kms:EncryptionContext*), or, for service principals, to this
 * account's resources (aws:SourceAccount, aws:SourceArn); a condition that scopes nothing (e.g. only
 * aws:SecureTransport) is a finding, and so is Principal '*' not held to an account. Wildcards are
 * expanded (`kms:Create*` includes kms:CreateGrant, `kms:*crypt*` Decrypt); Allow with NotAction is a finding.
 * Keys are single-Region: MultiRegion true (or a value only deploy resolves) is a finding, and so is every
 * AWS::KMS::ReplicaKey (the attacker review of 2026-12-04 made the PHI key multi-Region and replicated it with a policy
 * no rule read); a replica's pending window, retention and key policy are judged as a key's.
 */
export function KmsKeySafeguards(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnKey) && !(node instanceof CfnReplicaKey)) return NagRuleCompliance.NOT_APPLICABLE;
  const findings: string[] = [];
  if (node instanceof CfnKey) {
    if (NagRules.resolveIfPrimitive(node, node.enableKeyRotation) !== true) findings.push('EnableKeyRotation::false');
    // Rotation at least yearly: absent is KMS's default, 365 days; a longer period (up to 2560) or a value only deploy
    // resolves keeps one key material for years.
    const period = Stack.of(node).resolve(node.rotationPeriodInDays) as unknown;
    if (period !== undefined && !((cfnNumber(period) ?? Infinity) <= MAX_ROTATION_PERIOD_DAYS)) {
      findings.push(`RotationPeriodInDays::${typeof period === 'object' ? 'unresolved' : String(period)}`);
    }
    // A multi-Region primary key can be replicated (kms:ReplicateKey) into any Region, by an API call outside every
    // template, as a replica key with a key policy of its own that no rule judges: the same key material decrypts the
    // data there. The blueprint's keys are single-Region (the replica region has keys of its own).
    const multiRegion = Stack.of(node).resolve(node.multiRegion) as unknown;
    if (multiRegion !== undefined && cfnBoolean(multiRegion) !== false) findings.push('MultiRegion::true');
  } else {
    // A replica shares its key material with a multi-Region primary of another Region, whose key policy this template
    // does not hold: data encrypted here decrypts there (and its policy is judged below, as any key's).
    findings.push('ReplicaKey::multi-Region');
  }
  const window = NagRules.resolveIfPrimitive(node, node.pendingWindowInDays) as unknown;
  if (window !== 30) findings.push(`PendingWindowInDays::${String(window)}`);
  if (node.cfnOptions.deletionPolicy !== CfnDeletionPolicy.RETAIN) findings.push('DeletionPolicy::not-Retain');
  if (node.cfnOptions.updateReplacePolicy !== CfnDeletionPolicy.RETAIN)
    findings.push('UpdateReplacePolicy::not-Retain');

  const policy = keyPolicyOf(node);
  findings.push(...policy.findings);
  for (const [i, statement] of (policy.statements as Array<Record<string, unknown>>).entries()) {
    if (statement.Effect !== 'Allow') continue;
    // NotAction allows everything not listed, including actions KMS adds later.
    if (statement.NotAction !== undefined) {
      findings.push(`KeyPolicy::Statement${i}-not-action`);
      continue;
    }
    const actions = ([] as unknown[]).concat(statement.Action ?? []);
    if (!actions.some((a) => useActionsAllowedBy(a).length > 0)) continue;
    const condition = statement.Condition as Record<string, unknown> | undefined;
    if (condition === undefined || Object.keys(condition).length === 0) {
      findings.push(`KeyPolicy::Statement${i}-use-without-condition`);
      continue;
    }
    // NotPrincipal with Allow is "everyone but": held to the rules of Principal '*'.
    const principal = statement.NotPrincipal !== undefined ? '*' : statement.Principal;
    for (const problem of scopeProblems(principalKinds(principal), scopingKeys(condition))) {
      findings.push(`KeyPolicy::Statement${i}-${problem}`);
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
