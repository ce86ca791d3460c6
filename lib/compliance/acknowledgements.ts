import { CfnResource, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

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

/** Metadata key that marks a construct as a store of PHI; no acknowledgement may match it. */
export const PHI_STORE_METADATA = 'hipaa-blueprint:phi-store';

/** Marks a construct as a PHI store (database, PHI bucket, backup vault). */
export function markPhiStore(construct: IConstruct): void {
  construct.node.addMetadata(PHI_STORE_METADATA, true);
}

const ALL_PACKS = (rule: string): string[] => [`HIPAA.Security-${rule}`, `NIST.800.53.R5-${rule}`];

/** The register. Keep it short; every entry is read by a reviewer (README "Acknowledgements"). */
export const ACKNOWLEDGEMENTS: readonly Acknowledgement[] = [
  {
    ruleIds: ALL_PACKS('VPCNoUnrestrictedRouteToIGW'),
    path: '*/Network/*/Vpc/PublicSubnet*/DefaultRoute',
    reason:
      'The public tier exists only for the internet-facing load balancer, which needs a default route to the internet gateway. No task, database or endpoint runs in it, and no subnet assigns public IPs.',
    compensatingControl:
      'Application and data tiers have no route to the internet gateway (isolated unless config asks for NAT); the load balancer is TLS-only behind AWS WAF; flow logs record all traffic.',
  },
  {
    ruleIds: ['AwsSolutions-VPC3'],
    path: '*/Network/PhiVpc/DataAcl',
    reason:
      'AwsSolutions-VPC3 is a warning that a network ACL exists. Safeguard N2 requires this ACL: it keeps the data tier reachable only from the application tier on the database port.',
    compensatingControl:
      'Not a weakening: the ACL adds a stateless layer beneath the security groups that already reference each other; its entries are pinned by tests.',
  },
];

function globToRegExp(glob: string): RegExp {
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

function holdsPhiStore(construct: IConstruct): boolean {
  return construct.node.findAll().some((c) => c.node.metadata.some((m) => m.type === PHI_STORE_METADATA));
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
export function applyAcknowledgements(
  root: IConstruct,
  register: readonly Acknowledgement[] = ACKNOWLEDGEMENTS,
): AcknowledgementMatch[] {
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
    }
    return { entry, paths: matched.map((c) => c.node.path) };
  });
}
