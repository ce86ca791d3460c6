import { CfnDocument } from 'aws-cdk-lib/aws-ssm';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { RetentionPolicy, SESSION_LIMIT_MINUTES, tagSafeguards } from './core';
import { PhiLogGroup } from './phi-log-group';

/** Props of SessionManagerPreferences. */
export interface SessionManagerPreferencesProps {
  /** Operations key: encrypts session data (KMS end to end) and the session log group. */
  readonly encryptionKey: IKey;
  /** The blueprint's retention policy (session logs, U3). */
  readonly retention: RetentionPolicy;
  /**
   * Minutes a session may last at all, 1 to 1440.
   * @default 60
   */
  readonly maxSessionDurationMinutes?: number;
}

/** The document name Session Manager reads its account-wide preferences from (fixed by AWS). */
export const SESSION_MANAGER_PREFERENCES_DOCUMENT = 'SSM-SessionManagerRunShell';
/** Safeguard A4: an idle operator session ends after the session limit (constructs/core/session-limit.ts). */
export const SESSION_IDLE_TIMEOUT_MINUTES = SESSION_LIMIT_MINUTES;

/**
 * Session Manager preferences of the account and region (safeguards A4, E2, E3, U3): the
 * `SSM-SessionManagerRunShell` Session document. Idle sessions end after 15 minutes, sessions after
 * `maxSessionDurationMinutes`; session data is encrypted with the operations key (on top of TLS);
 * session transcripts stream to a KMS-encrypted, six-year log group that masks PHI identifiers (U4) (cloudWatchEncryptionEnabled:
 * Session Manager refuses to log to an unencrypted group); no S3 transcripts; no run-as user (the
 * session runs as the default ssm-user, never a chosen OS account).
 *
 * Deploy note: the console creates this same document the first time someone opens Session Manager
 * preferences. If it already exists in the account and region, the stack fails to create it
 * ("Document with same name SSM-SessionManagerRunShell already exists"). Either delete it first
 * (`aws ssm delete-document --name SSM-SessionManagerRunShell`; preferences revert to defaults until
 * the stack recreates it) or import it into the stack (`cdk import`).
 */
export class SessionManagerPreferences extends Construct {
  public readonly document: CfnDocument;
  /** Session transcripts: encrypted, six years, PHI identifiers masked (PhiLogGroup, U4). */
  public readonly logGroup: PhiLogGroup;

  constructor(scope: Construct, id: string, props: SessionManagerPreferencesProps) {
    super(scope, id);
    const maxMinutes = props.maxSessionDurationMinutes ?? 60;
    if (!Number.isInteger(maxMinutes) || maxMinutes < SESSION_IDLE_TIMEOUT_MINUTES || maxMinutes > 1440) {
      throw new Error(
        `SessionManagerPreferences ${this.node.path}: maxSessionDurationMinutes = ${maxMinutes}: must be a whole number from ${SESSION_IDLE_TIMEOUT_MINUTES} to 1440`,
      );
    }
    this.logGroup = new PhiLogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
    });

    this.document = new CfnDocument(this, 'Resource', {
      name: SESSION_MANAGER_PREFERENCES_DOCUMENT,
      documentType: 'Session',
      documentFormat: 'JSON',
      // The name is fixed: a content change must update the document, never replace it.
      updateMethod: 'NewVersion',
      content: {
        schemaVersion: '1.0',
        description: 'Session Manager preferences (HIPAA blueprint, safeguard A4)',
        sessionType: 'Standard_Stream',
        inputs: {
          // Safeguards: nothing here comes from props except the log group and the key.
          idleSessionTimeout: String(SESSION_IDLE_TIMEOUT_MINUTES),
          maxSessionDuration: String(maxMinutes),
          kmsKeyId: props.encryptionKey.keyId,
          cloudWatchLogGroupName: this.logGroup.logGroup.logGroupName,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          s3BucketName: '',
          s3KeyPrefix: '',
          s3EncryptionEnabled: true,
          runAsEnabled: false,
          runAsDefaultUser: '',
          shellProfile: { windows: '', linux: '' },
        },
      },
    });
    tagSafeguards(this, ['A4', 'E2', 'U3', 'U4']);
  }
}
