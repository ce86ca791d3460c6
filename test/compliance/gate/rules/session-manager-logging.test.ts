import { findingsOf, KEY_ARN, RETAIN, template } from './rule-fixtures';

/** Session Manager's preferences as constructs/session-manager-preferences.ts writes them, with `inputs` changed. */
const INPUTS = {
  idleSessionTimeout: '15',
  maxSessionDuration: '60',
  kmsKeyId: KEY_ARN,
  cloudWatchLogGroupName: { Ref: 'Logs' },
  cloudWatchEncryptionEnabled: true,
  cloudWatchStreamingEnabled: true,
  s3BucketName: '',
  s3KeyPrefix: '',
  s3EncryptionEnabled: true,
  runAsEnabled: false,
  runAsDefaultUser: '',
};
const preferences = (inputs: Record<string, unknown> = {}, content?: unknown) => ({
  // A condition only deploy resolves, for the values that use one.
  Conditions: { C: { 'Fn::Equals': ['on', 'off'] } },
  ...template({
    Logs: {
      Type: 'AWS::Logs::LogGroup',
      ...RETAIN,
      Properties: { KmsKeyId: KEY_ARN, RetentionInDays: 2192 },
    },
    Prefs: {
      Type: 'AWS::SSM::Document',
      Properties: {
        DocumentType: 'Session',
        DocumentFormat: 'JSON',
        Name: 'SSM-SessionManagerRunShell',
        Content: content ?? { schemaVersion: '1.0', sessionType: 'Standard_Stream', inputs: { ...INPUTS, ...inputs } },
      },
    },
  }),
});

describe('SessionManagerLogging', () => {
  test("U3 E2 the blueprint's preferences pass, as an object or as the same JSON in a string; other documents are not judged", () => {
    expect(findingsOf('SessionManagerLogging', preferences())).toEqual([]);
    const json = JSON.stringify({ schemaVersion: '1.0', sessionType: 'Standard_Stream', inputs: INPUTS });
    expect(findingsOf('SessionManagerLogging', preferences({}, json))).toEqual([]);
    // A port-forwarding session document carries no logging preferences; a Command document is not a session.
    const port = { schemaVersion: '1.0', sessionType: 'Port', properties: { portNumber: '5432' } };
    expect(findingsOf('SessionManagerLogging', preferences({}, port))).toEqual([]);
    const t = preferences();
    (t.Resources.Prefs as { Properties: Record<string, unknown> }).Properties.DocumentType = 'Command';
    expect(findingsOf('SessionManagerLogging', t)).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string[]]>([
    // The attacker review of 2026-12-03: preferences with logging off passed.
    ['streaming off', { cloudWatchStreamingEnabled: false }, ['[cloudWatchStreamingEnabled::off] Prefs']],
    [
      'streaming "false" as a string',
      { cloudWatchStreamingEnabled: 'false' },
      ['[cloudWatchStreamingEnabled::off] Prefs'],
    ],
    [
      'no log group',
      { cloudWatchLogGroupName: '' },
      ['[cloudWatchLogGroupName::not-a-log-group-of-the-template] Prefs'],
    ],
    [
      'a log group named by a literal (one nobody keeps)',
      { cloudWatchLogGroupName: 'scratch' },
      ['[cloudWatchLogGroupName::not-a-log-group-of-the-template] Prefs'],
    ],
    [
      'an unencrypted log group allowed',
      { cloudWatchEncryptionEnabled: false },
      ['[cloudWatchEncryptionEnabled::off] Prefs'],
    ],
    ['no key for session data', { kmsKeyId: '' }, ['[kmsKeyId::none] Prefs']],
    [
      'sessions as an OS account the document chooses',
      { runAsEnabled: true, runAsDefaultUser: 'root' },
      ['[runAsEnabled::on] Prefs'],
    ],
    [
      'streaming chosen by a condition',
      { cloudWatchStreamingEnabled: { 'Fn::If': ['C', true, false] } },
      ['[cloudWatchStreamingEnabled::off] Prefs'],
    ],
  ])('U3 E2 %s is a finding', (_name, inputs, expected) => {
    expect(findingsOf('SessionManagerLogging', preferences(inputs))).toEqual(expected);
  });

  test('U3 E2 content that cannot be read whole is a finding: YAML, a key twice, an intrinsic, no inputs', () => {
    const cases: [unknown, string][] = [
      [
        'schemaVersion: "1.0"\nsessionType: Standard_Stream\ninputs:\n  cloudWatchStreamingEnabled: false\n',
        'Content::unreadable',
      ],
      [
        `{"sessionType": "Standard_Stream", "inputs": ${JSON.stringify(INPUTS).replace('{', '{"cloudWatchStreamingEnabled": false,')}}`,
        'Content::unreadable',
      ],
      [{ 'Fn::Sub': JSON.stringify({ sessionType: 'Standard_Stream', inputs: INPUTS }) }, 'Content::unreadable'],
      [{ schemaVersion: '1.0', sessionType: 'Standard_Stream' }, 'inputs::absent'],
    ];
    for (const [content, id] of cases) {
      expect(findingsOf('SessionManagerLogging', preferences({}, content))).toEqual([`[${id}] Prefs`]);
    }
  });
});
