import { isPhiStoreIn } from '../core/phi-shapes';
import { clusterMembership } from '../core/rds-cluster-member';
import { stringForms, UNKNOWN_PART } from '../core/string-forms';
import {
  assemblyResources,
  AssemblyStack,
  cfnAlternatives,
  cfnListForms,
  inStackEnvironment,
  sameEnvironment,
} from '../core/template-json';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'RdsExportLogGroupsPresent';
const LOG_GROUP = 'AWS::Logs::LogGroup';
/** What RDS exports to, by database type: `/aws/rds/<kind>/<identifier>/<log type>`, and the identifier's property. */
const DATABASES: ReadonlyArray<{ type: string; kind: string; identifier: string }> = [
  { type: 'AWS::RDS::DBInstance', kind: 'instance', identifier: 'DBInstanceIdentifier' },
  { type: 'AWS::RDS::DBCluster', kind: 'cluster', identifier: 'DBClusterIdentifier' },
];

/**
 * The strings `value` (of `stack`) surely is, every one of them: each form with the stack's account, region and
 * partition written in; undefined when a form holds a part only deploy knows or the value is too large to read.
 */
function surelyOneOf(value: unknown, stack: AssemblyStack): string[] | undefined {
  const out: string[] = [];
  for (const alternative of cfnAlternatives(value)) {
    if (alternative === undefined) return undefined;
    const { forms, complete } = stringForms(alternative, stack.template);
    if (
      !complete ||
      forms.some((f) => f.includes(UNKNOWN_PART) || /<AWS::[A-Za-z]+>/.test(inStackEnvironment(f, stack)))
    )
      return undefined;
    out.push(...forms.map((f) => inStackEnvironment(f, stack)));
  }
  return [...new Set(out)];
}

/** The log types a database exports, each surely known; undefined when a list or an entry only deploy resolves. */
function exportsOf(value: unknown, stack: AssemblyStack): string[] | undefined {
  const lists = cfnListForms(value);
  if (lists === undefined) return undefined;
  const types = new Set<string>();
  for (const entry of lists.flat()) {
    const forms = surelyOneOf(entry, stack);
    if (forms === undefined) return undefined;
    for (const f of forms) types.add(f);
  }
  return [...types];
}

/**
 * U3 E2 U4: every log group a PHI database exports to exists in the assembly, in the database's account and region,
 * named exactly as RDS names it: `/aws/rds/instance/<DBInstanceIdentifier>/<log type>` (an instance) or
 * `/aws/rds/cluster/<DBClusterIdentifier>/<log type>` (a cluster), for every log type of EnableCloudwatchLogsExports,
 * the identifier in lower case (RDS stores it so). RDS creates a missing group itself: without the PHI key, without
 * retention, without the data protection policy; the log group rules (LogGroupSixYearRetention,
 * StoreCustomerManagedKey, PhiLogGroupDataProtection, PhiStoreKeyDomain) judge only groups the templates hold. Names
 * are compared in every string form (core/string-forms) of the identifier, the export list and the log group's name:
 * a group counts only when every form of its name is the expected one. An identifier absent (CloudFormation generates
 * one) or only deploy resolves, or an export list only deploy resolves, is a finding. An Aurora cluster's member
 * instance exports nothing of its own (its cluster does, and is judged).
 */
export const RdsExportLogGroupsPresent: AssemblyRule = {
  name: NAME,
  info: 'A PHI database exports logs (EnableCloudwatchLogsExports) to a log group the assembly does not hold in its account and region (/aws/rds/instance/<DBInstanceIdentifier>/<log type>, /aws/rds/cluster/<DBClusterIdentifier>/<log type>), or its identifier or export list is not stated by the template: RDS would create the group itself, unencrypted by the PHI key, never expiring and unmasked.',
  explanation:
    "The database's logs may carry PHI and are audit evidence: they go only into log groups under the PHI key (164.312(a)(2)(iv)), kept six years (164.312(b), 164.316(b)(2)(i)) and masking identifiers (164.502(b) minimum necessary), which the gate can judge only when the template creates them under the names RDS writes to.",
  safeguards: ['U3', 'E2', 'U4'],
  hipaaSections: ['164.312(b)', '164.316(b)(2)(i)', '164.312(a)(2)(iv)'],
  check(stacks: readonly AssemblyStack[], _context: AssemblyContext): AssemblyEvaluation {
    const findings: AssemblyFinding[] = [];
    let evaluated = 0;
    const logGroups = assemblyResources(stacks, LOG_GROUP);
    for (const { type, kind, identifier } of DATABASES) {
      for (const { stack, logicalId, resource } of assemblyResources(stacks, type)) {
        if (!isPhiStoreIn(stack.template, logicalId)) continue;
        if (kind === 'instance' && clusterMembership(stack.template, resource).kind === 'cluster') continue;
        const p = resource.Properties ?? {};
        if (cfnAlternatives(p.EnableCloudwatchLogsExports).every((v) => v === undefined)) continue;
        evaluated++;
        const add = (id: string, description: string): void => {
          findings.push(finding(NAME, id, stack, logicalId, description));
        };
        const types = exportsOf(p.EnableCloudwatchLogsExports, stack);
        if (types === undefined) {
          add(
            'EnableCloudwatchLogsExports::unresolved',
            `PHI database ${logicalId} exports log types only deploy resolves: the log groups RDS writes to cannot be matched (U3, E2, U4)`,
          );
          continue;
        }
        const ids = surelyOneOf(p[identifier], stack);
        if (ids === undefined) {
          add(
            `${identifier}::${p[identifier] === undefined ? 'generated' : 'unresolved'}`,
            `PHI database ${logicalId} exports logs but its ${identifier} is not stated by the template: the log groups RDS writes to cannot be created before it (U3, E2, U4)`,
          );
          continue;
        }
        const candidates = logGroups
          .filter((g) => sameEnvironment(g.stack, stack.account, stack.region))
          .map((g) => surelyOneOf(g.resource.Properties?.LogGroupName, g.stack))
          .filter((names): names is string[] => names !== undefined && names.length === 1)
          .map((names) => names[0]!);
        for (const logType of types) {
          const missing = ids
            .map((id) => `/aws/rds/${kind}/${id.toLowerCase()}/${logType}`)
            .filter((name) => !candidates.includes(name));
          if (missing.length > 0) {
            add(
              `${logType}::no-log-group`,
              `PHI database ${logicalId} exports '${logType}' to ${missing.join(', ')}, which no log group of the assembly in its account and region is named: RDS would create it without the PHI key, retention or masking (U3, E2, U4)`,
            );
          }
        }
      }
    }
    return { findings, evaluated };
  },
};
