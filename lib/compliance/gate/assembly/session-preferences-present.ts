import { SESSION_MANAGER_PREFERENCES_DOCUMENT } from '../../../../constructs/session-manager-preferences';
import { assemblyResources, AssemblyStack, isIntrinsic } from '../core/template-json';
import { sessionDocumentContent } from '../rules/session-manager-logging';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'SessionPreferencesPresent';

/**
 * U3 E2: when config says the environment owns its account's Session Manager preferences (config.sharesAccountWith
 * absent), the assembly holds them: a Session document named SSM-SessionManagerRunShell, the one name Session Manager
 * reads its preferences from, of sessionType Standard_Stream (SessionManagerLogging judges its logging), in a stack of
 * the environment's own region: Session Manager reads preferences per account and region, so the document moved to the
 * replica's region leaves every session in the environment's region unrecorded. Renamed, removed, moved, or of another
 * session type, the account's defaults apply: no transcript of any session (the attacker reviews of the next two
 * sittings: each passed). A document whose name only deploy resolves is not it; a stack whose region is unknown (a
 * template checked alone, without its manifest) is taken to be in the environment's region. Without config, or for an
 * environment sharing another's account, nothing is required.
 */
function check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
  const region = context.sessionPreferencesRegion;
  if (region === undefined || stacks.length === 0) return { findings: [], evaluated: 0 };
  const documents = assemblyResources(stacks, 'AWS::SSM::Document');
  const named = documents.filter(
    (d) => d.resource.Properties?.Name === SESSION_MANAGER_PREFERENCES_DOCUMENT && !isIntrinsic(d.resource.Properties),
  );
  const findings: AssemblyFinding[] = [];
  const inRegion = named.filter((d) => d.stack.region === undefined || d.stack.region === region);
  for (const d of named.filter((n) => !inRegion.includes(n))) {
    findings.push(
      finding(
        NAME,
        `${d.logicalId}::other-region`,
        d.stack,
        d.logicalId,
        `Document ${d.logicalId} (${d.stack.stackName}) deploys to ${d.stack.region}, not the environment's region ${region}: Session Manager reads preferences per account and region, so sessions in ${region} would follow the account's defaults, which record nothing (U3)`,
      ),
    );
  }
  if (inRegion.length === 0) {
    findings.push(
      finding(
        NAME,
        'absent',
        stacks[0]!,
        undefined,
        `No Session document named ${SESSION_MANAGER_PREFERENCES_DOCUMENT} in a stack of ${region}: config says this environment owns its account's Session Manager preferences (config.sharesAccountWith absent), and without that document Session Manager applies its defaults, which record no session (U3)`,
      ),
    );
  }
  for (const d of named) {
    const p = d.resource.Properties ?? {};
    const content = sessionDocumentContent(p.Content);
    if (p.DocumentType !== 'Session' || content === undefined || content.sessionType !== 'Standard_Stream') {
      findings.push(
        finding(
          NAME,
          `${d.logicalId}::not-standard-stream-preferences`,
          d.stack,
          d.logicalId,
          `Document ${d.logicalId} (${d.stack.stackName}) is named ${SESSION_MANAGER_PREFERENCES_DOCUMENT} but is not a Session document of sessionType Standard_Stream (or its content cannot be read whole): Session Manager reads no logging preferences from it (U3)`,
        ),
      );
    }
  }
  return { findings, evaluated: 1 + named.length };
}

export const SessionPreferencesPresent: AssemblyRule = {
  name: NAME,
  info: `With config, an environment that owns its account's Session Manager preferences has no Session document named ${SESSION_MANAGER_PREFERENCES_DOCUMENT} of sessionType Standard_Stream in a stack of its own region (renamed, removed, moved to another region, or of another type: the account's defaults record no session).`,
  explanation:
    'Audit controls (164.312(b)): Session Manager reads its account-wide preferences, transcript logging included, from that one document; without it every operator session goes unrecorded.',
  safeguards: ['U3', 'E2'],
  hipaaSections: ['164.312(b)', '164.312(a)(2)(iv)'],
  presence: true,
  check,
};
