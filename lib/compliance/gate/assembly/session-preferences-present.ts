import { SESSION_MANAGER_PREFERENCES_DOCUMENT } from '../../../../constructs/session-manager-preferences';
import { assemblyResources, AssemblyStack, isIntrinsic } from '../core/template-json';
import { sessionDocumentContent } from '../rules/session-manager-logging';
import { AssemblyContext, AssemblyEvaluation, AssemblyFinding, AssemblyRule, finding } from './assembly-rule';

const NAME = 'SessionPreferencesPresent';

/**
 * U3 E2: when config says the environment owns its account's Session Manager preferences (config.sharesAccountWith
 * absent), the assembly holds them: a Session document named SSM-SessionManagerRunShell, the one name Session Manager
 * reads its preferences from, of sessionType Standard_Stream (SessionManagerLogging judges its logging). Renamed,
 * removed, or of another session type, the account's defaults apply: no transcript of any session (the attacker
 * review of the next sitting: each passed). A document whose name only deploy resolves is not it. Without config
 * (a template checked alone), or for an environment sharing another's account, nothing is required.
 */
function check(stacks: readonly AssemblyStack[], context: AssemblyContext): AssemblyEvaluation {
  if (context.ownsSessionPreferences !== true || stacks.length === 0) return { findings: [], evaluated: 0 };
  const documents = assemblyResources(stacks, 'AWS::SSM::Document');
  const named = documents.filter(
    (d) => d.resource.Properties?.Name === SESSION_MANAGER_PREFERENCES_DOCUMENT && !isIntrinsic(d.resource.Properties),
  );
  const findings: AssemblyFinding[] = [];
  if (named.length === 0) {
    findings.push(
      finding(
        NAME,
        'absent',
        stacks[0]!,
        undefined,
        `No Session document named ${SESSION_MANAGER_PREFERENCES_DOCUMENT} in the assembly: config says this environment owns its account's Session Manager preferences (config.sharesAccountWith absent), and without that document Session Manager applies its defaults, which record no session (U3)`,
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
  info: `With config, an environment that owns its account's Session Manager preferences has no Session document named ${SESSION_MANAGER_PREFERENCES_DOCUMENT} of sessionType Standard_Stream (renamed, removed, or of another type: the account's defaults record no session).`,
  explanation:
    'Audit controls (164.312(b)): Session Manager reads its account-wide preferences, transcript logging included, from that one document; without it every operator session goes unrecorded.',
  safeguards: ['U3', 'E2'],
  hipaaSections: ['164.312(b)', '164.312(a)(2)(iv)'],
  presence: true,
  check,
};
