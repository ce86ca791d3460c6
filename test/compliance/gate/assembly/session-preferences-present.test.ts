import { ASSEMBLY_RULES } from '../../../../lib/compliance/gate/assembly';
import { SessionPreferencesPresent } from '../../../../lib/compliance/gate/assembly/session-preferences-present';
import { asAssembly, fixtureTemplates, Mutable } from './assembly-fixture';

/** Session Manager's preferences as constructs/session-manager-preferences.ts writes them (logging judged elsewhere). */
const preferences = (): Mutable => ({
  Type: 'AWS::SSM::Document',
  Properties: {
    Name: 'SSM-SessionManagerRunShell',
    DocumentType: 'Session',
    DocumentFormat: 'JSON',
    Content: { schemaVersion: '1.0', sessionType: 'Standard_Stream', inputs: { cloudWatchStreamingEnabled: true } },
  },
});

function findings(mutate: (r: Mutable) => void = () => undefined, owns: boolean | null = true): string[] {
  const t = fixtureTemplates();
  t.data.Resources.SessionManager = preferences();
  mutate(t.data.Resources);
  return SessionPreferencesPresent.check(asAssembly(t), owns === null ? {} : { ownsSessionPreferences: owns })
    .findings.map(
      (f) => `${f.ruleId.slice('Blueprint-SessionPreferencesPresent'.length)} ${f.logicalId ?? '(template)'}`,
    )
    .sort();
}

describe('SessionPreferencesPresent', () => {
  test('U3 is a presence assembly rule', () => {
    expect(ASSEMBLY_RULES).toContain(SessionPreferencesPresent);
    expect(SessionPreferencesPresent.presence).toBe(true);
  });

  test("U3 the blueprint's preferences pass; an environment sharing another's account, or no config, needs none", () => {
    expect(findings()).toEqual([]);
    expect(findings((r) => delete r.SessionManager, false)).toEqual([]);
    expect(findings((r) => delete r.SessionManager, null)).toEqual([]);
    // As the same JSON in a string.
    expect(
      findings((r) => (r.SessionManager.Properties.Content = JSON.stringify(preferences().Properties.Content))),
    ).toEqual([]);
  });

  test.each<[string, (r: Mutable) => void, string[]]>([
    // The attacker review of the next sitting: Session Manager reads that one name; each of these passed.
    ['the document removed', (r) => delete r.SessionManager, ['[absent] (template)']],
    ['the document renamed', (r) => (r.SessionManager.Properties.Name = 'app-session-prefs'), ['[absent] (template)']],
    ['its name removed', (r) => delete r.SessionManager.Properties.Name, ['[absent] (template)']],
    [
      'its name chosen by a condition',
      (r) => (r.SessionManager.Properties.Name = { 'Fn::If': ['C', 'x', 'y'] }),
      ['[absent] (template)'],
    ],
    [
      'its session type changed to Port',
      (r) => (r.SessionManager.Properties.Content.sessionType = 'Port'),
      ['[SessionManager::not-standard-stream-preferences] SessionManager'],
    ],
    [
      'a Command document of that name',
      (r) => (r.SessionManager.Properties.DocumentType = 'Command'),
      ['[SessionManager::not-standard-stream-preferences] SessionManager'],
    ],
    [
      'its content not readable whole (YAML)',
      (r) => (r.SessionManager.Properties.Content = 'sessionType: Standard_Stream\n'),
      ['[SessionManager::not-standard-stream-preferences] SessionManager'],
    ],
  ])('U3 %s is a finding', (_name, mutate, expected) => {
    expect(findings(mutate)).toEqual(expected);
  });
});
