/**
 * The project's copy of the AWS "HIPAA Eligible Services Reference", loaded once at module load.
 *
 * The lists live as dated text files in ./reference (see reference/README.md for how to refresh).
 * The code runs from source (tsx, jest) or from the app's bundle, whose files keep their own `__dirname`
 * (bin/run-app.js), so `__dirname` is this source folder.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

/** Date of the AWS page snapshot in ./reference; part of both file names. */
export const ELIGIBLE_LIST_DATE = '2025-04-16';

/** Folder holding the dated reference lists. */
export const REFERENCE_DIR = join(__dirname, 'reference');

/** Absolute path of the service display-name list. */
export const SERVICES_FILE = join(REFERENCE_DIR, `hipaa-eligible-services-${ELIGIBLE_LIST_DATE}.txt`);

/** Absolute path of the IAM action-prefix list. */
export const IAM_PREFIXES_FILE = join(REFERENCE_DIR, `hipaa-eligible-iam-prefixes-${ELIGIBLE_LIST_DATE}.txt`);

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * Splits a list line into its display name and its bracketed note, e.g.
 * `Amazon Aurora` -> { name: 'Amazon Aurora' } and
 * `AWS Fargate [ECS and EKS engines only]` -> { name: 'AWS Fargate', note: 'ECS and EKS engines only' }.
 * The note starts at the first `[` and runs to the end of the line (notes may nest brackets).
 */
export function parseServiceLine(line: string): { name: string; note?: string } {
  const open = line.indexOf('[');
  if (open < 0) return { name: line.trim() };
  const name = line.slice(0, open).trim();
  const note = line
    .slice(open + 1)
    .replace(/\]\s*$/, '')
    .trim();
  return { name, note };
}

function loadServices(): Map<string, string | undefined> {
  const services = new Map<string, string | undefined>();
  for (const line of readLines(SERVICES_FILE)) {
    const { name, note } = parseServiceLine(line);
    if (!name) throw new Error(`Malformed line in ${SERVICES_FILE}: "${line}"`);
    services.set(name, note);
  }
  return services;
}

function loadIamPrefixes(): Set<string> {
  const prefixes = new Set<string>();
  for (const line of readLines(IAM_PREFIXES_FILE)) {
    const match = /^([a-z0-9-]+):\*$/.exec(line);
    if (!match) throw new Error(`Malformed line in ${IAM_PREFIXES_FILE}: "${line}" (expected "prefix:*")`);
    prefixes.add(match[1]!);
  }
  return prefixes;
}

const services = loadServices();

/** Eligible service display names, bracketed notes stripped (e.g. 'Amazon EventBridge'). */
export const eligibleServiceNames: ReadonlySet<string> = new Set(services.keys());

/**
 * The bracketed note of each service that has one (limits such as engines or excluded features),
 * keyed by the stripped display name. Services without a note are absent.
 */
export const eligibleServiceNotes: ReadonlyMap<string, string> = new Map(
  [...services].filter((entry): entry is [string, string] => entry[1] !== undefined),
);

/** Eligible IAM action prefixes without the `:*` suffix (e.g. 'kms', 'cognito-idp'). */
export const eligibleIamPrefixes: ReadonlySet<string> = loadIamPrefixes();
