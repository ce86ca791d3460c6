import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { holdsPhiStore } from '../../../constructs/core';
import { guardRulesFor } from './guard-rules';

/**
 * One reviewed acknowledgement of cdk-nag findings. Acknowledging is a decision, not a fix: each
 * entry names the compensating control, sits on the narrowest construct, and never on a PHI store.
 */
export interface Acknowledgement {
  /** Rule ids, exactly as reported (with `[finding]` suffixes where the rule reports them). */
  readonly ruleIds: readonly string[];
  /**
   * Construct path glob below the app: `*` matches within one path segment, `**` across segments.
   * Matches the construct the finding is reported on, or one of its ancestors.
   */
  readonly path: string;
  /** Why the finding does not apply or cannot be fixed. */
  readonly reason: string;
  /** The control that carries the safeguard instead. */
  readonly compensatingControl: string;
}

/** A construct path glob as a regular expression: `*` within one path segment, `**` across segments. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

/**
 * Writes the Guard rule names the entry decides (guardRulesFor) into `Metadata.guard.SuppressedRules` of every
 * CloudFormation resource at or below `construct` (merged with what is there). The caller has refused PHI stores.
 */
function writeGuardSuppressions(construct: IConstruct, guardRules: readonly string[]): void {
  if (guardRules.length === 0) return;
  for (const c of construct.node.findAll()) {
    if (!CfnResource.isCfnResource(c)) continue;
    const existing = (c.getMetadata('guard') as { SuppressedRules?: string[] } | undefined)?.SuppressedRules ?? [];
    c.addMetadata('guard', { SuppressedRules: [...new Set([...existing, ...guardRules])].sort() });
  }
}

/** Result of applying the register: which constructs each entry matched. */
export interface AcknowledgementMatch {
  readonly entry: Acknowledgement;
  readonly paths: readonly string[];
}

/**
 * Applies the register to the construct tree: acknowledges each entry's rules on every construct
 * whose path matches. Throws if an entry would cover a PHI store or a whole stack.
 */
export function applyAcknowledgements(root: IConstruct, register: readonly Acknowledgement[]): AcknowledgementMatch[] {
  const all = root.node.findAll();
  return register.map((entry) => {
    const pattern = globToRegExp(entry.path);
    const matched = all.filter((c) => c.node.path !== '' && pattern.test(c.node.path));
    for (const c of matched) {
      if (holdsPhiStore(c)) {
        throw new Error(
          `Acknowledgement register: '${entry.path}' matches ${c.node.path}, which holds a PHI store; fix the finding instead`,
        );
      }
      if (!CfnResource.isCfnResource(c) && c.node.findAll().filter(CfnResource.isCfnResource).length > 25) {
        throw new Error(
          `Acknowledgement register: '${entry.path}' matches ${c.node.path}, too broad (over 25 resources); narrow it`,
        );
      }
      for (const id of entry.ruleIds) {
        Validations.of(c).acknowledge({
          id,
          reason: `${entry.reason} Compensating control: ${entry.compensatingControl}`,
        });
      }
      writeGuardSuppressions(c, guardRulesFor(entry.ruleIds));
    }
    return { entry, paths: matched.map((c) => c.node.path) };
  });
}
