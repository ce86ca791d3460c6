/**
 * Whether a template's `aws:cdk:path` metadata can be believed without the construct tree.
 *
 * check-template matches a resource's acknowledgements to register entries by construct path, and a template read
 * from files has no construct tree: only the resource's `aws:cdk:path` metadata, which a hand edit can change. A
 * resource could claim another resource's path, and with it that resource's register entries. But CDK derives a
 * resource's logical id from its construct path (aws-cdk-lib's makeUniqueId over the path below its stack: the
 * path's letters and digits, then a hash of the whole path), so a path is believed only when it derives the
 * resource's logical id, below the stack's own path (the manifest's, which must derive the stack's artifact id:
 * assembly-loader.ts). A resource that claims another's path would need that resource's logical id too, which its
 * template already holds. What this cannot stop (README, check-template): a resource renamed to the logical id of a path
 * no resource has, chosen to match a register entry's glob; and in a single template file, the stack path itself.
 *
 * The blueprint gives no resource a logical id of its own (overrideLogicalId); such a resource's path would not be
 * believed, and its acknowledgements not honoured.
 */
import { awsCdkLibFile } from './aws-cdk-lib-file';
import { metadataOf, TemplateJson } from './template-json';

/** A function of aws-cdk-lib's core/lib/private (not in its package exports: loaded by file, under core). */
function cdkPrivate<F>(module: string, name: string): F {
  const file = awsCdkLibFile('core', 'lib', 'private', `${module}.js`);
  const found = (require(file) as Record<string, unknown>)[name]; // eslint-disable-line @typescript-eslint/no-require-imports
  if (typeof found !== 'function') {
    throw new Error(
      `aws-cdk-lib no longer has ${name} in ${file}: lib/compliance/gate/core/path-metadata.ts must follow it`,
    );
  }
  return found as F;
}

type MakeUniqueId = (components: string[]) => string;
type MakeUniqueResourceName = (components: string[], options: { maxLength: number }) => string;
let makeUniqueId: MakeUniqueId | undefined;
let makeUniqueResourceName: MakeUniqueResourceName | undefined;

/** Stack paths deeper than this (stages in stages) are not looked for in a single template (stackPathOf). */
const MAX_STACK_DEPTH = 8;

/** The logical id CDK gives a resource at `path` in the stack at `stackPath`; undefined if not below it. */
export function logicalIdOfPath(path: string, stackPath: string): string | undefined {
  if (typeof path !== 'string' || typeof stackPath !== 'string' || !path.startsWith(`${stackPath}/`)) return undefined;
  const components = path.slice(stackPath.length + 1).split('/');
  const uniqueId = (makeUniqueId ??= cdkPrivate<MakeUniqueId>('uniqueid', 'makeUniqueId'));
  try {
    return uniqueId(components);
  } catch {
    return undefined; // no components left, or a token in them: derives nothing
  }
}

/**
 * The artifact id CDK gives the stack at `stackPath` in its cloud assembly's manifest (Stack.artifactId: the path's
 * one component, or aws-cdk-lib's makeUniqueResourceName over its components; then every character other than
 * letters, digits, `_`, `-` and `.` replaced by `_`).
 */
export function stackArtifactIdOfPath(stackPath: string): string {
  const components = stackPath.split('/');
  let id: string;
  if (components.length === 1 && stackPath.length <= 128) {
    id = stackPath;
  } else {
    const uniqueName = (makeUniqueResourceName ??= cdkPrivate<MakeUniqueResourceName>(
      'unique-resource-name',
      'makeUniqueResourceName',
    ));
    id = uniqueName(components, { maxLength: 128 });
  }
  return id.replace(/[^A-Za-z0-9_\-.]/g, '_');
}

/**
 * The stack path the resources of `template` were synthesized under, as their path metadata shows: the prefix below
 * which the most of them derive their logical ids. Undefined when no resource's path derives its logical id.
 */
export function stackPathOf(template: TemplateJson): string | undefined {
  const votes = new Map<string, number>();
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const path = metadataOf(resource, 'aws:cdk:path');
    if (typeof path !== 'string') continue;
    const segments = path.split('/');
    for (let i = 1; i < Math.min(segments.length, MAX_STACK_DEPTH + 1); i++) {
      const prefix = segments.slice(0, i).join('/');
      if (logicalIdOfPath(path, prefix) === logicalId) votes.set(prefix, (votes.get(prefix) ?? 0) + 1);
    }
  }
  let best: string | undefined;
  for (const [prefix, n] of votes) if (best === undefined || n > votes.get(best)!) best = prefix;
  return best;
}

/** True when `path` is the construct path the resource `logicalId` of the stack at `stackPath` can have. */
export function pathDerivesLogicalId(path: string, logicalId: string, stackPath: string | undefined): boolean {
  return stackPath !== undefined && logicalIdOfPath(path, stackPath) === logicalId;
}
