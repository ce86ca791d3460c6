/**
 * CfnInclude of a template held in memory, without CfnInclude's file read and YAML parse.
 *
 * CfnInclude takes only a file path, and reads every file with its YAML parser (yaml-cfn), also a JSON one. In a
 * CPU profile of the probe set's 300 template checks that parse took 2.8 s of 26 s, with the garbage collection after
 * it more; without it (and without the scratch file) the probe loop went from 22.7 s to 15.8 s. JSON is YAML whose
 * strings are all quoted, so for JSON text the YAML parser returns what JSON.parse returns; the one difference found is
 * depth: the YAML parser overflows the stack on values nested several hundred levels deep (such a template was refused
 * as unreadable; now the rules read it, and beyond a few thousand levels the checker's own walk refuses it). Here
 * CfnInclude reads `JSON.parse(JSON.stringify(template))`: the same object it would read back from the template
 * written as a JSON file, and a copy of its own, as from a file.
 *
 * How: for the duration of the CfnInclude constructor, aws-cdk-lib's `cloudformation-include/lib/file-utils`
 * `readYamlSync` (the one function CfnInclude reads its template with) answers for one made-up path with that
 * object, and for any other path as before. If aws-cdk-lib stops reading through it, the include fails with an
 * error saying so (no file is read); test/compliance/gate/include-template.test.ts pins that the result equals
 * CfnInclude's own reading of the same template written to a file.
 *
 * Also for the duration of the constructor: CfnInclude finds each resource's L1 class with `require(module)` (for
 * example `require('aws-cdk-lib/aws-s3')`), once per resource. Node.js keeps a required module, but it resolves the
 * name again on every call from a module that did not load it first, and resolving a subpath of aws-cdk-lib walks its
 * package exports (about 50 us): 2.4 s of the test suite's template checks. Those resolutions are kept for the one
 * constructor call (resolveOnce), so each module name is resolved once per template.
 *
 * And for the duration of the constructor: for the CloudFormation types aws-cdk-lib generates two L1 classes of (the
 * EKS and Kinesis Analytics V2 types), CfnInclude builds the class cdk-nag's rules test (nag-tested-l1.ts), not the
 * one its own table names, which no cdk-nag rule sees. If CfnInclude stops asking its table, the include fails with an
 * error saying so rather than build a resource the packs would pass unseen.
 */
import Module from 'module';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Construct } from 'constructs';
import { awsCdkLibFile } from './aws-cdk-lib-file';
import { l1ClassNamed, nagTestedClass, nagTestedClassName } from './nag-tested-l1';

export interface FileUtils {
  readYamlSync(path: string): unknown;
}

/** A file of aws-cdk-lib's cloudformation-include/lib (not in its package exports). */
const cfnIncludeLibFile = (name: string): string => awsCdkLibFile('cloudformation-include', 'lib', name);

let fileUtils: FileUtils | undefined;

/** aws-cdk-lib's cloudformation-include/lib/file-utils module (the instance CfnInclude itself requires). */
export function cfnIncludeFileUtils(): FileUtils {
  if (fileUtils === undefined) {
    // Not in aws-cdk-lib's package exports: by file, next to the cloudformation-include entry point.
    const file = cfnIncludeLibFile('file-utils.js');
    fileUtils = require(file) as FileUtils; // eslint-disable-line @typescript-eslint/no-require-imports
  }
  return fileUtils;
}

/** aws-cdk-lib's cloudformation-include/lib/cfn-type-to-l1-mapping module: the L1 class CfnInclude builds, by type. */
interface L1Mapping {
  lookup(cfnType: string): string | undefined;
}

let l1Mapping: L1Mapping | undefined;

/** The cfn-type-to-l1-mapping module (the instance CfnInclude itself requires). */
function cfnIncludeL1Mapping(): L1Mapping {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  l1Mapping ??= require(cfnIncludeLibFile('cfn-type-to-l1-mapping.js')) as L1Mapping;
  return l1Mapping;
}

/** The class CfnInclude builds for each type asked (includedClass), or null for a type it builds no L1 class of. */
const includedClasses = new Map<string, (abstract new (...args: never[]) => unknown) | null>();

/**
 * The L1 class the template checker's include builds for `cfnType`: the class cdk-nag's rules test where aws-cdk-lib
 * generates two (nag-tested-l1.ts), otherwise the one CfnInclude's own table names (`aws-cdk-lib/aws-s3.CfnBucket`);
 * undefined for a type CfnInclude builds no L1 class of (it makes a plain CfnResource). Each type's module loads at its
 * first call; the answer is kept.
 */
export function includedClass(cfnType: string): (abstract new (...args: never[]) => unknown) | undefined {
  let cls = includedClasses.get(cfnType);
  if (cls === undefined) {
    const listed: unknown = cfnIncludeL1Mapping().lookup(cfnType);
    const name = nagTestedClassName(cfnType) ?? (typeof listed === 'string' ? listed : undefined);
    cls = name === undefined ? null : l1ClassNamed(name);
    includedClasses.set(cfnType, cls);
  }
  return cls ?? undefined;
}

/** Node.js's (undocumented, widely wrapped: tsx wraps it too) resolver of `require` calls. */
interface ModuleResolver {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
}

/**
 * Runs `fn` with the `require` calls of the module `file` resolved once per request name (the first answer is kept
 * until `fn` returns). Requests with resolution options, and from other modules, resolve as before. (Node.js itself
 * skips the resolver for a request whose first `require` from that folder loaded the module: such requests are not
 * resolved at all, with or without this.) Exported for its test.
 */
export function resolveOnce<T>(file: string, fn: () => T): T {
  const resolver = Module as unknown as ModuleResolver;
  const original = resolver._resolveFilename;
  const resolved = new Map<string, string>();
  resolver._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    if (options !== undefined || isMain || (parent as { filename?: unknown } | undefined)?.filename !== file) {
      return original.call(this, request, parent, isMain, options);
    }
    let filename = resolved.get(request);
    if (filename === undefined) {
      filename = original.call(this, request, parent, isMain, options);
      resolved.set(request, filename);
    }
    return filename;
  };
  try {
    return fn();
  } finally {
    resolver._resolveFilename = original;
  }
}

/** The file of aws-cdk-lib's CfnInclude module: its `require` calls find each resource's L1 class. */
let cfnIncludeFile: string | undefined;

/** The template's resources whose Type is a string, by logical id (the include has refused any other shape). */
function resourcesOf(template: unknown): Record<string, { Type: string }> {
  const resources = (template as { Resources?: unknown } | null)?.Resources;
  if (resources === null || typeof resources !== 'object') return {};
  return Object.fromEntries(
    Object.entries(resources as Record<string, unknown>).filter(
      (e): e is [string, { Type: string }] => typeof (e[1] as { Type?: unknown } | null)?.Type === 'string',
    ),
  );
}

/** The path CfnInclude is given: no file has it (a path no file system holds: it contains a NUL character). */
const IN_MEMORY = '\u0000in-memory-template.json';

/**
 * `new CfnInclude(scope, id, { templateFile })` for a file holding `JSON.stringify(template)`, without the file.
 * @throws Error from CfnInclude for a template it cannot include; Error when aws-cdk-lib no longer reads the template
 *   through file-utils.readYamlSync.
 */
export function includeTemplate(scope: Construct, id: string, template: unknown): CfnInclude {
  const text = JSON.stringify(template);
  const utils = cfnIncludeFileUtils();
  const original = utils.readYamlSync;
  let read = false;
  utils.readYamlSync = (path: string): unknown => {
    if (path !== IN_MEMORY) return original(path);
    read = true;
    return JSON.parse(text) as unknown;
  };
  // The class cdk-nag's rules test, for the types aws-cdk-lib generates two classes of (nag-tested-l1.ts).
  const mapping = cfnIncludeL1Mapping();
  const lookup = mapping.lookup;
  mapping.lookup = (cfnType: string): string | undefined => nagTestedClassName(cfnType) ?? lookup(cfnType);
  try {
    cfnIncludeFile ??= cfnIncludeLibFile('cfn-include.js');
    const included = resolveOnce(cfnIncludeFile, () => new CfnInclude(scope, id, { templateFile: IN_MEMORY }));
    if (!read) throw new Error('CfnInclude did not read the template through file-utils.readYamlSync');
    for (const [logicalId, resource] of Object.entries(resourcesOf(template))) {
      const tested = nagTestedClass(resource.Type);
      if (tested !== undefined && !(included.getResource(logicalId) instanceof tested)) {
        throw new Error(
          `includeTemplate: aws-cdk-lib's CfnInclude built ${logicalId} (${resource.Type}) with another class than ${nagTestedClassName(resource.Type)}, the one cdk-nag's rules test; lib/compliance/gate/core/include-template.ts must follow it`,
        );
      }
    }
    return included;
  } catch (e) {
    if (read) throw e;
    throw new Error(
      `includeTemplate: aws-cdk-lib's CfnInclude no longer reads its template through cloudformation-include/lib/file-utils readYamlSync (${(e as Error).message}); lib/compliance/gate/core/include-template.ts must follow it`,
      { cause: e },
    );
  } finally {
    utils.readYamlSync = original;
    mapping.lookup = lookup;
  }
}
