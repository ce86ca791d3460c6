/**
 * Jest setupFilesAfterEnv: keeps test files that share a process from leaking state into each other.
 *
 * jest-light-runner runs many test files in one Node.js process (one per worker, or Jest's own under `-w 1`), with
 * one module registry: what a file changes in process-wide state is still changed when the next file runs. Jest's
 * default runner gave each file its own copy of process.env and its own modules; this runner does not. This module
 * runs once per process (jest-light-runner loads setupFilesAfterEnv once) and hooks each test file's start and end:
 *  - at the end of a file (after its afterAll hooks) it looks for what the file left changed: environment variables
 *    (names only, never values), process.env replaced by another object, AWS SDK v3 client classes still mocked by
 *    aws-sdk-client-mock, https.globalAgent options, the console, stdout/stderr writers, timers and
 *    process.exitCode. It restores all of it (and every jest.spyOn spy), then FAILS the file naming each leak, so a
 *    leak is fixed in the file that made it, not found later as a puzzling failure in whichever file runs next;
 *  - at the start of a file it restores the same state silently (a file that crashed before its end cannot be
 *    failed again, and must not change the next file's world);
 *  - at both it drops aws-cdk-lib's reference tokens of the files before from its token registry
 *    (releaseConstructTokens): aws-cdk-lib keeps every token in one registry per process, which grew all run long
 *    (about 430 MB of heap per worker by the end, marked by every garbage collection; 360-390 MB with the release).
 *    Jest's default runner dropped the registry with each file's own global object. The construct trees themselves
 *    stay reachable (aws-cdk-lib's static CfnReference table, the lazy logical-id tokens): only the registry's
 *    reference entries go;
 *  - at a file's end it removes the temporary folders the file made: with test/support/scratch.ts, and the assemblies
 *    of Apps given no outdir (aws-cdk-lib makes a cdk.outXXXXXX folder in the OS temp folder for each, and registers
 *    their removal for the process's exit, which did not remove them here: about 580 stayed after each run); a folder
 *    that cannot be removed fails the file, naming it. At a file's start it removes what a file that crashed left.
 * The hooks ride on jest-light-runner 0.7.13 (pinned): its worker calls expect.setState({ snapshotState, testPath })
 * before loading each file and snapshotState.save() after the file's last hook. test/support/file-isolation.test.ts
 * checks that the hooks run for a file and that each kind of leak is detected and restored.
 */
import * as https from 'https';
import { relative } from 'path';
import { Reference } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { removeScratchDirs } from './scratch';

/** The process.env object Node.js gave the process (a test may assign another object to process.env). */
const ENV = process.env;

/** A function a test might replace by assignment (jest.spyOn spies are restored by jest.restoreAllMocks). */
interface Watched {
  readonly label: string;
  readonly owner: Record<string, unknown>;
  readonly key: string;
  readonly original: unknown;
}

function watched(label: string, owner: object, key: string): Watched {
  const o = owner as Record<string, unknown>;
  return { label, owner: o, key, original: o[key] };
}

/** Process-wide state as it was before any test file ran (after setupFiles, e.g. test/support/cdk-context.js). */
const BASELINE = {
  env: { ...process.env },
  agentOptions: { ...https.globalAgent.options } as Record<string, unknown>,
  exitCode: process.exitCode,
  globals: [
    watched('console.log', console, 'log'),
    watched('console.info', console, 'info'),
    watched('console.warn', console, 'warn'),
    watched('console.error', console, 'error'),
    watched('console.debug', console, 'debug'),
    watched('process.stdout.write', process.stdout, 'write'),
    watched('process.stderr.write', process.stderr, 'write'),
    watched('setTimeout', globalThis, 'setTimeout'),
    watched('setInterval', globalThis, 'setInterval'),
    watched('setImmediate', globalThis, 'setImmediate'),
    watched('Date', globalThis, 'Date'),
  ],
};

/** Keys whose values differ between `now` and `before` (compared by identity), sorted. */
export function changedKeys(now: object, before: object): string[] {
  const a = now as Record<string, unknown>;
  const b = before as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/** A loaded AWS SDK v3 client class whose prototype carries its own `send` (aws-sdk-client-mock's mockClient). */
interface MockedClient {
  readonly name: string;
  readonly proto: { send?: { restore?: () => void } };
}

const SDK_CLIENT_MODULE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-cjs[\\/]index\.js$/;

/**
 * The client classes (`*Client` functions) a loaded SDK client module exports, read once per module: a client module
 * exports each of its hundreds of commands and types through a getter, and reading them on every call took seconds
 * per test run. A module's exports do not change once it has loaded.
 */
const clientClassesOf = new WeakMap<object, ReadonlyArray<{ name: string; value: { prototype?: unknown } }>>();

function clientClasses(
  exports: Record<string, unknown>,
): ReadonlyArray<{ name: string; value: { prototype?: unknown } }> {
  let classes = clientClassesOf.get(exports);
  if (classes === undefined) {
    classes = Object.keys(exports)
      .filter((name) => name.endsWith('Client'))
      .map((name) => ({ name, value: exports[name] }))
      .filter((c): c is { name: string; value: { prototype?: unknown } } => typeof c.value === 'function');
    clientClassesOf.set(exports, classes);
  }
  return classes;
}

/** Loaded AWS SDK v3 client classes whose `send` is replaced on their prototype (mockClient(Class)). */
export function mockedClientClasses(): MockedClient[] {
  const found: MockedClient[] = [];
  // for...in and a substring test before the pattern: this runs three times per test file over thousands of loaded
  // modules (Object.entries and the pattern on each took about a second per test run).
  for (const file in require.cache) {
    if (!file.includes('client-') || !SDK_CLIENT_MODULE.test(file)) continue;
    const mod = require.cache[file];
    if (!mod?.exports) continue;
    for (const { name, value } of clientClasses(mod.exports as Record<string, unknown>)) {
      // A client class inherits send from @smithy/smithy-client's Client (also exported, as __Client): an own send
      // over an inherited one is a stub put there.
      const proto = value.prototype as MockedClient['proto'] | undefined;
      const parent = proto && (Object.getPrototypeOf(proto) as MockedClient['proto'] | null);
      if (proto && parent?.send && Object.prototype.hasOwnProperty.call(proto, 'send')) found.push({ name, proto });
    }
  }
  return found;
}

/** What differs from the baseline now: one line per leak, naming it (never an environment variable's value). */
export function leaks(): string[] {
  const found: string[] = [];
  if (process.env !== ENV) found.push('process.env was replaced by another object');
  const env = changedKeys(process.env, BASELINE.env);
  if (env.length > 0) found.push(`environment variables changed: ${env.join(', ')}`);
  for (const { name } of mockedClientClasses()) found.push(`${name}.prototype.send is still mocked (call .restore())`);
  const agent = changedKeys(https.globalAgent.options, BASELINE.agentOptions);
  if (agent.length > 0) found.push(`https.globalAgent.options changed: ${agent.join(', ')}`);
  for (const g of BASELINE.globals) if (g.owner[g.key] !== g.original) found.push(`${g.label} was replaced`);
  if (process.exitCode !== BASELINE.exitCode) found.push(`process.exitCode was set to ${process.exitCode}`);
  return found;
}

/** Puts every watched piece of state back as it was before any file ran, and restores every jest.spyOn spy. */
export function restore(): void {
  jest.restoreAllMocks();
  process.env = ENV;
  for (const k of Object.keys(ENV)) if (!(k in BASELINE.env)) delete ENV[k];
  Object.assign(ENV, BASELINE.env);
  for (const { proto } of mockedClientClasses()) {
    if (typeof proto.send?.restore === 'function') proto.send.restore();
    else delete proto.send;
  }
  const options = https.globalAgent.options as Record<string, unknown>;
  for (const k of Object.keys(options)) if (!(k in BASELINE.agentOptions)) delete options[k];
  Object.assign(options, BASELINE.agentOptions);
  for (const g of BASELINE.globals) g.owner[g.key] = g.original;
  process.exitCode = BASELINE.exitCode;
}

/** aws-cdk-lib's token registry (core/lib/private/token-map.ts: one per process, on the global object). */
interface TokenRegistry {
  stringTokenMap: Map<string, unknown>;
  numberTokenMap: Map<number, unknown>;
}

/** A map of the registry that lists the keys of the reference tokens put in it (releasing them then scans no map). */
class ReferenceTrackingMap<K> extends Map<K, unknown> {
  public readonly references: K[] = [];
  public override set(key: K, value: unknown): this {
    if (Reference.isReference(value)) this.references.push(key);
    return super.set(key, value);
  }
}

function tracking<K>(map: Map<K, unknown>): ReferenceTrackingMap<K> {
  if (map instanceof ReferenceTrackingMap) return map as ReferenceTrackingMap<K>;
  // Not through Map's constructor: it calls set() before the subclass's fields exist.
  const tracked = new ReferenceTrackingMap<K>();
  for (const [key, value] of map) tracked.set(key, value);
  return tracked;
}

/**
 * Forgets the reference tokens (Ref, Fn::GetAtt and pseudo parameters of a construct: aws-cdk-lib's Reference) that
 * aws-cdk-lib's token registry holds; returns how many. Called between files only: a token of an earlier file's
 * construct has nothing left to resolve in a later file (one still used there fails loudly, as an unrecognized token).
 * Other tokens stay: some are made once, when a module loads (Aws.REGION, a lazy value), and serve every later file.
 * The registry's maps are replaced, once, by maps that list the reference tokens put in them: scanning the whole
 * registry twice per file took over a second per run.
 */
export function releaseConstructTokens(): number {
  const registry = (globalThis as { __cdkTokenMap?: TokenRegistry }).__cdkTokenMap;
  if (registry === undefined) return 0;
  const strings = (registry.stringTokenMap = tracking(registry.stringTokenMap));
  const numbers = (registry.numberTokenMap = tracking(registry.numberTokenMap));
  let released = 0;
  for (const map of [strings, numbers] as ReferenceTrackingMap<unknown>[]) {
    for (const key of map.references.splice(0)) if (map.delete(key)) released++;
  }
  return released;
}

/**
 * Removes the temporary folders made since the last call (see the header); returns what could not be removed, each
 * with the error (a failure never stops the hook: the snapshot state is still saved, the next file still starts).
 */
function removeTemporaryFolders(): string[] {
  const failed = [...removeScratchDirs().failed];
  try {
    CloudAssembly.cleanupTemporaryDirectories();
  } catch (e) {
    failed.push(`an assembly of an App given no outdir: ${(e as Error).message}`);
  }
  return failed;
}

/** The test file whose start the hook saw last. */
let currentFile: string | undefined;

/** The file the hooks are guarding now (test/support/file-isolation.test.ts checks that they run). */
export function guardedFile(): string | undefined {
  return currentFile;
}

/** What jest-light-runner passes expect.setState once per file, before loading it. */
interface FileState {
  readonly testPath: string;
  readonly snapshotState: { save: (...args: unknown[]) => unknown };
}

function isFileState(state: object): state is FileState {
  const s = state as Partial<FileState>;
  return typeof s.testPath === 'string' && typeof s.snapshotState?.save === 'function';
}

/** Installs the per-file hooks on jest-light-runner's expect (see the header). */
function install(): void {
  const setState = expect.setState.bind(expect);
  expect.setState = (state: object): void => {
    if (isFileState(state)) {
      restore();
      releaseConstructTokens();
      // What a file that crashed before its end left (its failure is that file's; this one starts regardless).
      removeTemporaryFolders();
      currentFile = state.testPath;
      const file = relative(process.cwd(), state.testPath);
      const snapshotState = state.snapshotState;
      const save = snapshotState.save.bind(snapshotState);
      snapshotState.save = (...args: unknown[]): unknown => {
        const found = leaks();
        restore();
        releaseConstructTokens();
        for (const failure of removeTemporaryFolders()) found.push(`a temporary folder not removed: ${failure}`);
        const status = save(...args);
        if (found.length > 0) {
          throw new Error(
            `${file} left process-wide state changed for the next test file in this process (jest-light-runner ` +
              `runs files in one process; restore it in afterAll or afterEach):\n  - ${found.join('\n  - ')}`,
          );
        }
        return status;
      };
    }
    setState(state);
  };
}

install();
