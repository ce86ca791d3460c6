/**
 * The stamp every inventory and map output carries: which environment, account and region it
 * describes, which commit it was synthesized from and which configuration (by hash). There is no
 * timestamp on purpose: synth is deterministic, so the same commit and config give the same bytes.
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync, statSync } from 'fs';
import { dirname, join, resolve } from 'path';

/** Written on every output. */
export interface EvidenceStamp {
  /** Environment name (config envName), e.g. 'dev'. */
  readonly environment: string;
  /** The environment's AWS account id. */
  readonly account: string;
  /** The environment's primary region. */
  readonly region: string;
  /** Commit the app was synthesized from, or 'unknown' outside a git checkout. */
  readonly gitCommit: string;
  /** `sha256:<hex>` of the canonical JSON of the validated config, or 'unknown' without one. */
  readonly configHash: string;
}

/** Value of a stamp field that could not be determined. */
export const UNKNOWN = 'unknown';

/**
 * JSON with object keys sorted at every level, no whitespace: two configs that are equal as data
 * give the same string whatever the order their keys were written in. Array order is kept (it is
 * meaningful). Undefined object members are left out, as JSON.stringify does.
 * @throws Error naming the path of a value JSON cannot represent (function, symbol, bigint, NaN, Infinity).
 */
export function canonicalJson(value: unknown, path = 'config'): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new Error(`${path} = ${value}: not representable in JSON (finite numbers only)`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => (v === undefined ? 'null' : canonicalJson(v, `${path}[${i}]`))).join(',')}]`;
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new Error(`${path} is a ${typeof value}: not representable in JSON (config must be plain data)`);
  }
}

/** `sha256:<hex>` of canonicalJson(config). */
export function configHash(config: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(config)).digest('hex')}`;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function readTrimmed(file: string): string | undefined {
  return existsSync(file) && statSync(file).isFile() ? readFileSync(file, 'utf8').trim() : undefined;
}

/** The git directory of the checkout containing `start` (a `.git` folder, or the one a `.git` file names). */
function gitDirAbove(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) {
      if (statSync(dotGit).isDirectory()) return dotGit;
      // A worktree or submodule: the file says `gitdir: <path>`.
      const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      return m ? resolve(dir, m[1]!.trim()) : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The commit checked out at `start` (or a folder above it), read from `.git` without running git:
 * HEAD, then the branch it names as a loose ref (in the worktree's git dir or the common dir) or in
 * packed-refs. Returns 'unknown' outside a checkout or when anything cannot be read; never throws,
 * so synth never fails because of it.
 */
export function readGitCommit(start: string): string {
  try {
    const gitDir = gitDirAbove(start);
    if (!gitDir) return UNKNOWN;
    const commonRel = readTrimmed(join(gitDir, 'commondir'));
    const commonDir = commonRel ? resolve(gitDir, commonRel) : gitDir;
    const head = readTrimmed(join(gitDir, 'HEAD'));
    if (!head) return UNKNOWN;
    if (OBJECT_ID.test(head)) return head;
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref || ref.split('/').includes('..')) return UNKNOWN;
    for (const dir of [gitDir, commonDir]) {
      const loose = readTrimmed(join(dir, ref));
      if (loose && OBJECT_ID.test(loose)) return loose;
    }
    const packed = readTrimmed(join(commonDir, 'packed-refs')) ?? '';
    for (const line of packed.split('\n')) {
      const [id, name] = line.trim().split(/\s+/);
      if (name === ref && id && OBJECT_ID.test(id)) return id;
    }
    return UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

/** What the evidence plugin knows about the environment when it stamps the outputs. */
export interface StampInput {
  /**
   * The validated config. Its envName, account and region name the environment; its hash is the stamp's configHash.
   * @default - environment and configHash 'unknown'; account and region from the stacks
   */
  readonly config?: { readonly envName: string; readonly account: string; readonly region: string };
  /** Accounts and regions of the synthesized stacks (used when there is no config). */
  readonly stacks: readonly { readonly account?: string; readonly region?: string }[];
  /** The commit (readGitCommit). */
  readonly gitCommit: string;
}

function single(values: readonly (string | undefined)[]): string {
  const known = [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  if (known.length === 0) return UNKNOWN;
  return known.length === 1 ? known[0]! : `multiple: ${known.join(', ')}`;
}

/** Builds the stamp. Pure. */
export function buildStamp(input: StampInput): EvidenceStamp {
  const { config } = input;
  return {
    environment: config?.envName ?? UNKNOWN,
    account: config?.account ?? single(input.stacks.map((s) => s.account)),
    region: config?.region ?? single(input.stacks.map((s) => s.region)),
    gitCommit: input.gitCommit,
    configHash: config ? configHash(config) : UNKNOWN,
  };
}

/** One line naming the stamp, for headers. */
export function stampLine(s: EvidenceStamp): string {
  return `environment ${s.environment}, account ${s.account}, region ${s.region}, commit ${s.gitCommit}, config ${s.configHash}`;
}
