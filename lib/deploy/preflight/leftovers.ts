import { derivesFromStackId } from '../../../constructs/core/stack-create-id';
import { AssemblyStack, resourcesOf } from '../core/assembly';
import { isDeployed } from '../core/deployed-state';
import { error, Finding, warning } from '../core/finding';
import { PreflightCheck } from './context';
import { LEFTOVER_CHECKERS, NAME_PROPERTIES, UNCHECKED_NOTES } from './leftover-checkers';

const CHECK = 'leftovers';

/** Deletion policies that keep a resource when its stack's create rolls back or the stack is deleted. */
const KEPT_ON_DELETE = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

/** Stack statuses in which the stack's retained resources are orphans the next create collides with. */
const RECREATED = new Set(['ROLLBACK_COMPLETE', 'DELETE_COMPLETE', 'REVIEW_IN_PROGRESS']);

/** A physically named resource that outlives its stack. */
export interface NamedRetainedResource {
  readonly stackName: string;
  /** The CDK CLI's id of the stack (`Prod/Data`), which `cdk import` takes. */
  readonly cdkId: string;
  readonly region: string;
  readonly logicalId: string;
  readonly type: string;
  /**
   * The literal name.
   * @default - the template computes it (an intrinsic function): not checked
   */
  readonly name?: string;
}

/**
 * The resources of a stack that a failed or deleted create can leave behind under a name the next create
 * asks for again: an explicit physical name and a deletion policy that keeps them (Retain,
 * RetainExceptOnCreate; Snapshot, which a database's deletion protection turns into a kept instance). A name
 * derived from `AWS::StackId` (stackCreateId: the WAF log group, the backup vault) is new at every creation,
 * so it cannot collide and is not listed.
 */
export function namedRetainedResources(stack: AssemblyStack): NamedRetainedResource[] {
  const out: NamedRetainedResource[] = [];
  for (const [logicalId, r] of resourcesOf(stack)) {
    const prop = NAME_PROPERTIES[r.Type];
    if (!prop || !KEPT_ON_DELETE.has(r.DeletionPolicy ?? '') || r.Properties?.[prop] === undefined) continue;
    const value = r.Properties[prop];
    if (derivesFromStackId(value)) continue;
    out.push({
      stackName: stack.stackName,
      cdkId: stack.displayName,
      region: stack.region,
      logicalId,
      type: r.Type,
      name: typeof value === 'string' ? value : undefined,
    });
  }
  return out;
}

/** namedRetainedResources of every stack that will be created (absent, ROLLBACK_COMPLETE, DELETE_COMPLETE). */
export const checkLeftovers: PreflightCheck = async (ctx) => {
  const candidates: NamedRetainedResource[] = [];
  for (const stack of ctx.assembly.stacks) {
    const deployed = ctx.deployed.get(stack.stackName);
    if (isDeployed(deployed) && !RECREATED.has(deployed.status)) continue;
    candidates.push(...namedRetainedResources(stack));
  }
  const findings: Finding[] = [];
  const unchecked: string[] = [];
  for (const c of candidates) {
    const checker = LEFTOVER_CHECKERS[c.type];
    if (!checker || c.name === undefined) {
      const why =
        c.name === undefined ? 'name computed at deploy time' : (UNCHECKED_NOTES[c.type] ?? 'no checker for this type');
      unchecked.push(`${c.type} ${c.name ?? c.logicalId} of ${c.stackName} (${why})`);
      continue;
    }
    const status = await checker(ctx.clients, c.region, c.name);
    if (status === 'absent') continue;
    if (status === 'exists-elsewhere') {
      findings.push(
        error(
          CHECK,
          `${c.type} name '${c.name}' (${c.logicalId} of ${c.stackName}) is taken, and this account cannot read it ` +
            '(another account owns the bucket name, or its policy denies you): S3 names are global, so the create would ' +
            'fail; if it is yours, import or delete it as below, otherwise change appName or envName',
        ),
      );
      continue;
    }
    findings.push(
      error(
        CHECK,
        `${c.type} '${c.name}' (${c.logicalId} of ${c.stackName}, ${c.region}) already exists, left by an earlier ` +
          `failed or deleted deploy (its deletion policy keeps it), so creating the stack fails. Import it: ` +
          `\`npx cdk import -c env=${ctx.config.envName} ${c.cdkId}\` (CDK asks for its name; then deploy again); or, ` +
          'only if it holds nothing to keep (never PHI, audit or backup data within retention), delete it',
      ),
    );
  }
  if (unchecked.length > 0) {
    findings.push(
      warning(
        CHECK,
        `not checked (a leftover of an earlier attempt would fail the create; check by hand): ${unchecked.join('; ')}`,
      ),
    );
  }
  return findings;
};
