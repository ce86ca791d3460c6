/**
 * Which resources an AWS::Backup::BackupSelection covers, read from the templates the way AWS
 * Backup evaluates a selection (AWS Backup API, BackupSelection): `Resources` (ARNs, combined with
 * OR) filtered by `Conditions` (tag conditions, combined with AND), plus `ListOfTags` (tag
 * conditions, combined with OR), minus `NotResources`. Tag selection is matched against the tags
 * in the templates and only within the selection's own account and region (a plan backs up
 * resources of its region only). Only resource types AWS Backup supports can be covered.
 */
import { IndexedResource, TemplateIndex } from './template-index';

/** Resource types AWS Backup can protect that CloudFormation can declare. */
export const BACKUP_SUPPORTED_TYPES: readonly string[] = [
  'AWS::CloudFormation::Stack',
  'AWS::DocDB::DBCluster',
  'AWS::DynamoDB::Table',
  'AWS::EC2::Instance',
  'AWS::EC2::Volume',
  'AWS::EFS::FileSystem',
  'AWS::FSx::FileSystem',
  'AWS::Neptune::DBCluster',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::Redshift::Cluster',
  'AWS::S3::Bucket',
  'AWS::Timestream::Table',
];

/** ARN service segment (`arn:aws:<service>:...`) -> types it can designate, for wildcard ARNs. */
const ARN_SERVICE_TYPES: Readonly<Record<string, readonly string[]>> = {
  s3: ['AWS::S3::Bucket'],
  rds: ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster'],
  dynamodb: ['AWS::DynamoDB::Table'],
  elasticfilesystem: ['AWS::EFS::FileSystem'],
  ec2: ['AWS::EC2::Instance', 'AWS::EC2::Volume'],
  fsx: ['AWS::FSx::FileSystem'],
  redshift: ['AWS::Redshift::Cluster'],
  timestream: ['AWS::Timestream::Table'],
  cloudformation: ['AWS::CloudFormation::Stack'],
};

/** One selection covering a resource. */
export interface BackupAssignment {
  /** Stack path and logical id of the AWS::Backup::BackupSelection. */
  readonly selection: string;
  /** The plan's stack path and logical id, or the unresolved reference. */
  readonly plan: string;
  /** 'arn': named in Resources; 'tag': matched by ListOfTags or Conditions. */
  readonly via: 'arn' | 'tag';
  /** What matched, e.g. `ListOfTags Backup=phi`. */
  readonly detail: string;
  /** The plan's rules (backup rule ...: kept 35 days, ...). */
  readonly rules: readonly string[];
}

/** Backup coverage of one resource. */
export interface BackupCoverage {
  /** AWS Backup supports the type. */
  readonly supported: boolean;
  readonly covered: boolean;
  readonly assignments: readonly BackupAssignment[];
  /** What a reviewer should know, e.g. a tag that matches a selection of another region. */
  readonly notes: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** `*` matches any run of characters; everything else is literal. */
function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

type Matcher = { matches: (r: IndexedResource) => boolean; detail: string };

/** Resources a Resources / NotResources entry designates. */
function arnMatcher(index: TemplateIndex, entry: unknown, selection: IndexedResource): Matcher {
  const refs = index.targets(entry, selection.stack);
  const text = index.flatten(entry, selection.stack) ?? JSON.stringify(entry);
  if (refs.length > 0) {
    return { matches: (r) => refs.includes(r), detail: `Resources ${refs.map((t) => t.logicalId).join(', ')}` };
  }
  if (text === '*') return { matches: (r) => BACKUP_SUPPORTED_TYPES.includes(r.type), detail: 'Resources *' };
  const arn = /^arn:[^:]*:([^:]+):([^:]*):([^:]*):(.*)$/.exec(text);
  if (!arn) return { matches: () => false, detail: `Resources ${text} (not an ARN)` };
  const [, service, region, account, rest] = arn as unknown as [string, string, string, string, string];
  const types = ARN_SERVICE_TYPES[service] ?? [];
  if (service === 's3') {
    const name = glob(rest.replace(/\/.*$/, ''));
    return {
      matches: (r) => {
        const n = r.type === 'AWS::S3::Bucket' ? index.flatten(r.properties.BucketName, r.stack) : undefined;
        return n !== undefined && name.test(n);
      },
      detail: `Resources ${text}`,
    };
  }
  // Wildcard ARNs of other services: matched by type, region and account only (names of such
  // resources are often generated at deploy time and cannot be read from the template).
  if (!rest.includes('*')) return { matches: () => false, detail: `Resources ${text} (literal ARN, not matched)` };
  const inScope = (v: string | undefined, p: string): boolean => v === undefined || glob(p).test(v);
  return {
    matches: (r) => types.includes(r.type) && inScope(r.stack.region, region) && inScope(r.stack.account, account),
    detail: `Resources ${text}`,
  };
}

type TagTest = { key: string; value: string; op: string };

function tagTests(index: TemplateIndex, selection: IndexedResource, conditions: unknown): TagTest[] {
  const out: TagTest[] = [];
  for (const [op, entries] of Object.entries(obj(conditions))) {
    for (const e of list(entries).map(obj)) {
      const key = index.flatten(e.ConditionKey, selection.stack);
      const value = index.flatten(e.ConditionValue, selection.stack);
      if (key !== undefined && value !== undefined) out.push({ key: key.replace(/^aws:ResourceTag\//, ''), value, op });
    }
  }
  return out;
}

function tagHolds(t: TagTest, tags: Readonly<Record<string, string>>): boolean {
  const v = tags[t.key];
  switch (t.op) {
    case 'StringEquals':
    case 'STRINGEQUALS':
      return v === t.value;
    case 'StringNotEquals':
      return v !== t.value;
    case 'StringLike':
      return v !== undefined && glob(t.value).test(v);
    case 'StringNotLike':
      return v === undefined || !glob(t.value).test(v);
    default:
      return false;
  }
}

const sameScope = (a: IndexedResource, b: IndexedResource): boolean =>
  (a.stack.region === undefined || b.stack.region === undefined || a.stack.region === b.stack.region) &&
  (a.stack.account === undefined || b.stack.account === undefined || a.stack.account === b.stack.account);

/** Coverage of every resource of the index, by resource key. */
export function backupCoverage(index: TemplateIndex): Map<string, BackupCoverage> {
  const assignments = new Map<string, BackupAssignment[]>();
  const notes = new Map<string, string[]>();
  const add = <T>(m: Map<string, T[]>, k: string, v: T): void => {
    m.set(k, [...(m.get(k) ?? []), v]);
  };

  for (const sel of index.ofType('AWS::Backup::BackupSelection')) {
    const s = obj(sel.properties.BackupSelection);
    const planRef = index.resolveOne(sel.properties.BackupPlanId, sel.stack);
    const plan = planRef?.kind === 'resource' ? planRef.target : undefined;
    const planText =
      plan !== undefined
        ? `${plan.stack.stackPath}/${plan.logicalId}`
        : planRef?.kind === 'unresolved'
          ? `unresolved: ${planRef.text} (${planRef.reason})`
          : 'unresolved: BackupPlanId';
    const rules = plan ? planRuleSummaries(index, plan) : [];
    const base = { selection: `${sel.stack.stackPath}/${sel.logicalId}`, plan: planText, rules };
    const candidates = index.resources().filter((r) => BACKUP_SUPPORTED_TYPES.includes(r.type));

    const conditions = tagTests(index, sel, s.Conditions);
    const byConditions = (r: IndexedResource): boolean => conditions.every((t) => tagHolds(t, index.tagsOf(r)));
    const excluded = list(s.NotResources).map((e) => arnMatcher(index, e, sel));
    const isExcluded = (r: IndexedResource): boolean => excluded.some((m) => m.matches(r));

    const arnMatchers = list(s.Resources).map((e) => arnMatcher(index, e, sel));
    if (arnMatchers.length === 0 && conditions.length > 0) {
      arnMatchers.push({ matches: () => true, detail: 'Conditions only (all supported resources)' });
    }
    for (const r of candidates) {
      if (isExcluded(r)) continue;
      const m = arnMatchers.find((x) => x.matches(r));
      if (!m || !byConditions(r)) continue;
      const detail = conditions.length
        ? `${m.detail} AND Conditions ${conditions.map(describeTest).join(' AND ')}`
        : m.detail;
      if (sameScope(r, sel)) {
        add(assignments, r.key, { ...base, via: m.detail.startsWith('Conditions only') ? 'tag' : 'arn', detail });
      } else {
        add(
          notes,
          r.key,
          `${base.selection} names it (${detail}) but is in ${scopeOf(sel)}, the resource in ${scopeOf(r)}: not covered`,
        );
      }
    }

    for (const t of list(s.ListOfTags).map(obj)) {
      const test = tagTests(index, sel, { [String(t.ConditionType ?? 'STRINGEQUALS')]: [t] })[0];
      if (!test) continue;
      for (const r of candidates) {
        if (isExcluded(r) || !tagHolds(test, index.tagsOf(r))) continue;
        const detail = `ListOfTags ${describeTest(test)}`;
        if (sameScope(r, sel)) add(assignments, r.key, { ...base, via: 'tag', detail });
        else
          add(
            notes,
            r.key,
            `tag ${test.key}=${test.value} matches ${base.selection} in ${scopeOf(sel)}, but the resource is in ${scopeOf(r)}: not covered by it`,
          );
      }
    }
  }

  const out = new Map<string, BackupCoverage>();
  for (const r of index.resources()) {
    const a = assignments.get(r.key) ?? [];
    out.set(r.key, {
      supported: BACKUP_SUPPORTED_TYPES.includes(r.type),
      covered: a.length > 0,
      assignments: a,
      notes: notes.get(r.key) ?? [],
    });
  }
  return out;
}

function describeTest(t: TagTest): string {
  const op =
    { StringEquals: '=', STRINGEQUALS: '=', StringNotEquals: '!=', StringLike: '~', StringNotLike: '!~' }[t.op] ??
    ` ${t.op} `;
  return `${t.key}${op}${t.value}`;
}

function scopeOf(r: IndexedResource): string {
  return `${r.stack.account ?? 'unknown account'}/${r.stack.region ?? 'unknown region'}`;
}

function planRuleSummaries(index: TemplateIndex, plan: IndexedResource): string[] {
  return list(obj(plan.properties.BackupPlan).BackupPlanRule)
    .map(obj)
    .map((rule) => {
      const life = obj(rule.Lifecycle);
      const vault = index.resolveOne(rule.TargetBackupVault, plan.stack);
      const to = vault?.kind === 'resource' ? ` to ${vault.target.logicalId}` : '';
      return `${String(rule.RuleName ?? '?')}: ${life.DeleteAfterDays !== undefined ? `${String(life.DeleteAfterDays)} days` : 'indefinitely'}${to}`;
    });
}
