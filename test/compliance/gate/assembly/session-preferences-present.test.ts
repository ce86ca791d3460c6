import { ASSEMBLY_RULES } from '../../../../lib/compliance/gate/assembly';
import { SessionPreferencesPresent } from '../../../../lib/compliance/gate/assembly/session-preferences-present';
import { asAssembly, fixtureTemplates, Mutable, PRIMARY_REGION } from './assembly-fixture';

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

/** The findings with the environment owning the preferences of `region` (null: sharing an account, or no config). */
function findings(
  mutate: (r: Mutable, t: Record<string, Mutable>) => void = () => undefined,
  region: string | null = PRIMARY_REGION,
): string[] {
  const t = fixtureTemplates();
  t.data.Resources.SessionManager = preferences();
  mutate(t.data.Resources, t);
  return SessionPreferencesPresent.check(asAssembly(t), region === null ? {} : { sessionPreferencesRegion: region })
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
    expect(findings((r) => delete r.SessionManager, null)).toEqual([]);
    // As the same JSON in a string.
    expect(
      findings((r) => (r.SessionManager.Properties.Content = JSON.stringify(preferences().Properties.Content))),
    ).toEqual([]);
  });

  test('U3 a stack whose region is unknown (a template checked alone) is taken to be in the environment region', () => {
    const t = fixtureTemplates();
    t.data.Resources.SessionManager = preferences();
    const stacks = asAssembly(t).map(({ region: _region, ...s }) => s);
    expect(SessionPreferencesPresent.check(stacks, { sessionPreferencesRegion: PRIMARY_REGION }).findings).toEqual([]);
  });

  test.each<[string, (r: Mutable, t: Record<string, Mutable>) => void, string[]]>([
    // The attacker review of 2026-12-03: Session Manager reads preferences per region; the replica region's passed.
    [
      'the document moved to a stack in the replica region',
      (r, t) => {
        t.replicaSession = { Resources: { SessionManager: r.SessionManager } };
        delete r.SessionManager;
      },
      ['[SessionManager::other-region] SessionManager', '[absent] (template)'],
    ],
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
