import { Match, Template } from 'aws-cdk-lib/assertions';
import { SessionManagerPreferences } from '../../constructs/session-manager-preferences';
import { appTierFixture, retention } from '../support/app-tier-fixture';

describe('SessionManagerPreferences', () => {
  const { stack, key } = appTierFixture();
  new SessionManagerPreferences(stack, 'Prefs', { encryptionKey: key, retention });
  const template = Template.fromStack(stack);

  it('A4 the account preferences document ends idle sessions after 15 minutes and sessions after 60', () => {
    template.hasResourceProperties('AWS::SSM::Document', {
      Name: 'SSM-SessionManagerRunShell',
      DocumentType: 'Session',
      UpdateMethod: 'NewVersion',
      Content: Match.objectLike({
        schemaVersion: '1.0',
        sessionType: 'Standard_Stream',
        inputs: Match.objectLike({ idleSessionTimeout: '15', maxSessionDuration: '60' }),
      }),
    });
  });

  it('E2 U3 sessions are KMS-encrypted, transcripts go to an encrypted log group only; no S3, no run-as', () => {
    const [doc] = Object.values(template.findResources('AWS::SSM::Document'));
    const inputs = doc.Properties.Content.inputs;
    expect(inputs).toMatchObject({
      cloudWatchEncryptionEnabled: true,
      cloudWatchStreamingEnabled: true,
      s3BucketName: '',
      runAsEnabled: false,
    });
    expect(inputs.kmsKeyId).toEqual({ Ref: expect.stringMatching(/^Key/) });
    expect(inputs.cloudWatchLogGroupName).toEqual({ Ref: expect.stringMatching(/^PrefsLogs/) });
  });

  it('U4 the transcript log group masks PHI identifiers', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { DataProtectionPolicy: Match.anyValue() });
  });

  it('A4 refuses a maximum session shorter than the idle timeout', () => {
    const f = appTierFixture();
    expect(
      () =>
        new SessionManagerPreferences(f.stack, 'P', { encryptionKey: f.key, retention, maxSessionDurationMinutes: 10 }),
    ).toThrow(/maxSessionDurationMinutes = 10: must be a whole number from 15 to 1440/);
  });
});
