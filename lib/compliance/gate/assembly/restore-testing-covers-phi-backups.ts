import { asList, AssemblyStack, isObject, JsonResource, resolveValue, resourcesOf } from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';
import { BackedUpPhiStore, backedUpPhiStores, referencedIds, RESTORE_TEST_TYPES } from './backup-facts';

const NAME = 'RestoreTestingCoversPhiBackups';

/** Names of the restore testing plans of a template that would run: a schedule and at least one vault to pick from. */
function runnablePlans(stack: AssemblyStack): Map<string, string> {
  const plans = new Map<string, string>();
  for (const [id, plan] of resourcesOf(stack.template, 'AWS::Backup::RestoreTestingPlan')) {
    const p = plan.Properties ?? {};
    const selection = p.RecoveryPointSelection;
    const vaults = isObject(selection) ? asList(selection.IncludeVaults) : [];
    if (typeof p.ScheduleExpression !== 'string' || vaults.length === 0) continue;
    if (typeof p.RestoreTestingPlanName === 'string') plans.set(p.RestoreTestingPlanName, id);
    plans.set(id, id);
  }
  return plans;
}

/** The selection's RestoreMetadataOverrides with lower-cased keys (AWS Backup reads them case-insensitively). */
function overridesOf(selection: JsonResource): Record<string, unknown> {
  const o = selection.Properties?.RestoreMetadataOverrides;
  return isObject(o) ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v])) : {};
}

/** `stackName/logicalId` of the resource a value resolves to (in any stack), or undefined. */
function resourceKey(value: unknown, stack: AssemblyStack, stacks: readonly AssemblyStack[]): string | undefined {
  const r = resolveValue(value, stack, stacks);
  return r.kind === 'resource' ? `${r.target.stack.stackName}/${r.target.logicalId}` : undefined;
}

/** The subnets (as JSON, sorted) of a DB subnet group of `stack` a value references; undefined when it names none. */
function subnetsOfGroup(value: unknown, stack: AssemblyStack): string | undefined {
  const ids = typeof value === 'string' ? [value] : referencedIds(value);
  for (const id of ids) {
    const byName = resourcesOf(stack.template, 'AWS::RDS::DBSubnetGroup').find(
      ([logicalId, g]) => logicalId === id || g.Properties?.DBSubnetGroupName === id,
    );
    if (byName)
      return JSON.stringify(
        asList(byName[1].Properties?.SubnetIds)
          .map((v) => JSON.stringify(v))
          .sort(),
      );
  }
  return undefined;
}

/** Whether a security group of `stack` admits any inbound traffic (inline rules or separate ingress resources). */
function admitsIngress(stack: AssemblyStack, groupId: string): boolean {
  const group = stack.template.Resources[groupId];
  if (asList(group?.Properties?.SecurityGroupIngress).length > 0) return true;
  return resourcesOf(stack.template, 'AWS::EC2::SecurityGroupIngress').some(([, i]) =>
    referencedIds(i.Properties?.GroupId).includes(groupId),
  );
}

/**
 * Why the restore test of `store` would not keep its safeguards (empty when it does). A database restores into the
 * store's own subnets (the data tier: `dbsubnetgroupname` naming a subnet group with the same subnets as the store's),
 * into security groups of the stack without ingress only (`vpcsecuritygroupids`), and an RDS instance not publicly
 * accessible (`publiclyaccessible` false); a bucket restores its objects with SSE-KMS under the store's own key
 * (`encryptiontype` SSE-KMS, `kmskey` resolving to the bucket's key). Without these AWS Backup infers defaults: the
 * default VPC, its default security group, SSE-S3.
 */
function overrideProblems(
  store: BackedUpPhiStore,
  selection: JsonResource,
  stacks: readonly AssemblyStack[],
): string[] {
  const o = overridesOf(selection);
  const { stack, resource } = store;
  const out: string[] = [];
  if (resource.Type === 'AWS::S3::Bucket') {
    if (String(o.encryptiontype ?? '').toUpperCase() !== 'SSE-KMS') {
      out.push(
        `encryptiontype = ${JSON.stringify(o.encryptiontype)}: must be SSE-KMS (else the restored objects get SSE-S3)`,
      );
    }
    const rules = asList(
      isObject(resource.Properties?.BucketEncryption)
        ? resource.Properties?.BucketEncryption.ServerSideEncryptionConfiguration
        : undefined,
    );
    const bucketKey = rules
      .map((r) => (isObject(r) && isObject(r.ServerSideEncryptionByDefault) ? r.ServerSideEncryptionByDefault : {}))
      .map((d) => resourceKey(d.KMSMasterKeyID, stack, stacks))
      .find((k) => k !== undefined);
    const restoreKey = resourceKey(o.kmskey, stack, stacks);
    if (restoreKey === undefined || restoreKey !== bucketKey) {
      out.push(
        `kmskey resolves to ${restoreKey ?? JSON.stringify(o.kmskey)}: must be the bucket's own key (${bucketKey ?? 'unresolved'})`,
      );
    }
    return out;
  }
  const storeGroup = resource.Properties?.DBSubnetGroupName;
  const restoreSubnets = subnetsOfGroup(o.dbsubnetgroupname, stack);
  const storeSubnets = subnetsOfGroup(storeGroup, stack);
  if (restoreSubnets === undefined || restoreSubnets !== storeSubnets) {
    out.push(
      `dbsubnetgroupname = ${JSON.stringify(o.dbsubnetgroupname)}: must name a DB subnet group of the stack with the database's own subnets (else the copy lands in the default VPC)`,
    );
  }
  const groups = referencedIds(o.vpcsecuritygroupids);
  const literal = typeof o.vpcsecuritygroupids === 'string';
  if (groups.length === 0 || literal) {
    out.push(
      `vpcsecuritygroupids = ${JSON.stringify(o.vpcsecuritygroupids)}: must reference security groups of the stack (else the copy gets the VPC's default security group)`,
    );
  } else {
    const open = groups.filter(
      (g) => stack.template.Resources[g]?.Type !== 'AWS::EC2::SecurityGroup' || admitsIngress(stack, g),
    );
    if (open.length > 0) {
      out.push(
        `vpcsecuritygroupids names ${open.join(', ')}: a restore test copy's security groups admit no inbound traffic`,
      );
    }
  }
  if (resource.Type === 'AWS::RDS::DBInstance' && String(o.publiclyaccessible ?? '').toLowerCase() !== 'false') {
    out.push(`publiclyaccessible = ${JSON.stringify(o.publiclyaccessible)}: must be false`);
  }
  return out;
}

/**
 * I1: every PHI store the backups name (the database, the PHI bucket) is restored on a schedule: an AWS Backup restore
 * testing selection of the same stack names it by ARN, with the restore testing type of the store (RDS, Aurora, S3),
 * in a restore testing plan that has a schedule and a vault to pick recovery points from. Without it nothing shows
 * that a recovery point restores (the proposed 164.308(a)(7) rule: restore within 72 hours, tested). The selection's
 * restore metadata overrides keep the copy's safeguards (overrideProblems): a database into its own data-tier subnets,
 * security groups without ingress, not public; a bucket's objects under its own key.
 */
export const RestoreTestingCoversPhiBackups: AssemblyRule = {
  name: NAME,
  presence: true,
  info: 'A PHI store the AWS Backup selections back up has no restore test (no restore testing selection names it with its type in a scheduled restore testing plan), or its restore test would not keep its safeguards (restore metadata overrides).',
  explanation:
    'Contingency plans are tested (164.308(a)(7)(ii)(D)): a backup that was never restored is a hope, not a control; AWS Backup restore testing restores the latest recovery point on a schedule and records the result.',
  safeguards: ['I1'],
  hipaaSections: ['164.308(a)(7)(ii)(B)', '164.308(a)(7)(ii)(D)'],
  check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    const stores = backedUpPhiStores(stacks, context.phiBucketNames ?? []);
    for (const store of stores) {
      const type = RESTORE_TEST_TYPES[store.resource.Type]!;
      const plans = runnablePlans(store.stack);
      const selections = resourcesOf(store.stack.template, 'AWS::Backup::RestoreTestingSelection').filter(([, s]) =>
        referencedIds(s.Properties?.ProtectedResourceArns).includes(store.logicalId),
      );
      const tested = selections.filter(([, s]) => {
        const p = s.Properties ?? {};
        const planName = p.RestoreTestingPlanName;
        const plan =
          typeof planName === 'string' ? plans.get(planName) : referencedIds(planName).find((id) => plans.has(id));
        return p.ProtectedResourceType === type && plan !== undefined;
      });
      if (tested.length > 0) {
        for (const [selectionId, selection] of tested) {
          const problems = overrideProblems(store, selection, stacks);
          if (problems.length === 0) continue;
          findings.push(
            finding(
              NAME,
              `${selectionId}::restore-overrides`,
              store.stack,
              selectionId,
              `The restore test ${selectionId} of ${store.logicalId} (${store.stack.stackName}) would not keep its safeguards: ${problems.join('; ')} (I1)`,
            ),
          );
        }
        continue;
      }
      const why =
        selections.length === 0
          ? 'no restore testing selection names it'
          : `no restore testing selection of type ${type} in a scheduled restore testing plan with a vault names it`;
      findings.push(
        finding(
          NAME,
          `${store.logicalId}::no-restore-test`,
          store.stack,
          store.logicalId,
          `${store.resource.Type} ${store.logicalId} (${store.stack.stackName}) is backed up by ${store.selectionId} but never restored: ${why} (I1)`,
        ),
      );
    }
    return { findings, evaluated: stores.length };
  },
};
