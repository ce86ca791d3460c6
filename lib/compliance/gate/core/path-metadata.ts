/**
 * Whether a template's `aws:cdk:path` metadata can be believed without the construct tree.
 *
 * check-template matches a resource's acknowledgements to register entries by construct path, and a template read
 * from files has no construct tree: only the resource's `aws:cdk:path` metadata, which a hand edit can change. A
 * resource could claim another resource's path, and with it that resource's register entries. But CDK derives a
 * resource's logical id from its construct path (aws-cdk-lib's makeUniqueId over the path below its stack: the
 * path's letters and digits, then a hash of the whole path), so a path is believed only when it derives the
 * resource's logical id, below the stack's own path. A resource that claims another's path would need that
 * resource's logical id too, which its template already holds (or which the other stack holds, and the stack's path
 * tells them apart).
 *
 * The blueprint gives no resource a logical id of its own (overrideLogicalId); such a resource's path would not be
 * believed, and its acknowledgements not honoured.
 */
import { dirname, join } from 'path';
import { metadataOf, TemplateJson } from './template-json';

type MakeUniqueId = (components: string[]) => string;
let makeUniqueId: MakeUniqueId | undefined;

/** aws-cdk-lib's makeUniqueId, with which a Stack allocates the logical ids of its resources. */
function cdkMakeUniqueId(): MakeUniqueId {
  if (makeUniqueId === undefined) {
    // Not in aws-cdk-lib's package exports: by file, under the core entry point.
    const file = join(dirname(require.resolve('aws-cdk-lib/core')), 'lib', 'private', 'uniqueid.js');
    const found = (require(file) as { makeUniqueId?: unknown }).makeUniqueId; // eslint-disable-line @typescript-eslint/no-require-imports
    if (typeof found !== 'function') {
      throw new Error(
        `aws-cdk-lib no longer has makeUniqueId in ${file}: lib/compliance/gate/core/path-metadata.ts must follow it`,
      );
    }
    makeUniqueId = found as MakeUniqueId;
  }
  return makeUniqueId;
}

/** The logical id CDK gives a resource at `path` in the stack at `stackPath`; undefined if not below it. */
export function logicalIdOfPath(path: string, stackPath: string): string | undefined {
  if (!path.startsWith(`${stackPath}/`)) return undefined;
  const components = path.slice(stackPath.length + 1).split('/');
  try {
    return cdkMakeUniqueId()(components);
  } catch {
    return undefined; // no components left, or a token in them: derives nothing
  }
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
    for (let i = 1; i < segments.length; i++) {
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
