import { Aws, Stack } from 'aws-cdk-lib';
import { IRole, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ACCESS_AUDIT_APPEND_ACTIONS, ACCESS_AUDIT_APPEND_KEY_ACTIONS } from './access-audit-channel';
import { tagSafeguards } from './core';

/** Props of an AccessAuditAppendPolicy. */
export interface AccessAuditAppendPolicyProps {
  /** The service's task role. */
  readonly role: IRole;
  /** Name of the service's access-audit stream (AccessAuditChannel, in the audit stack): named, no cross-stack export. */
  readonly streamName: string;
  /** The audit key the stream is encrypted with (Firehose requires GenerateDataKey and Decrypt of PutRecord callers). */
  readonly streamKey: IKey;
}

const STREAM = /^[a-zA-Z0-9_.-]{1,64}$/;

/**
 * U5 A3: a service's append-only right on its access-audit stream, in one customer-managed policy on its task role:
 * firehose:PutRecord and PutRecordBatch on that one stream, and the audit key's GenerateDataKey and Decrypt only
 * through Firehose (kms:ViaService), which Firehose requires of callers of a stream encrypted with a customer-managed
 * key. No describe, update, delete or tag of the stream; nothing on the access-audit bucket.
 */
export class AccessAuditAppendPolicy extends Construct {
  public readonly policy: ManagedPolicy;
  /** ARN of the stream the role may append to. */
  public readonly streamArn: string;

  constructor(scope: Construct, id: string, props: AccessAuditAppendPolicyProps) {
    super(scope, id);
    if (!STREAM.test(props.streamName)) {
      throw new Error(
        `AccessAuditAppendPolicy ${this.node.path}: streamName = '${props.streamName}': must be 1-64 of [a-zA-Z0-9_.-]`,
      );
    }
    const { account, region } = Stack.of(this);
    this.streamArn = `arn:${Aws.PARTITION}:firehose:${region}:${account}:deliverystream/${props.streamName}`;
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: `Append-only access-audit events to ${props.streamName} (U5): no read, change or delete`,
      roles: [props.role],
      statements: [
        new PolicyStatement({
          sid: 'AppendAccessAuditEvents',
          actions: [...ACCESS_AUDIT_APPEND_ACTIONS],
          resources: [this.streamArn],
        }),
        new PolicyStatement({
          sid: 'StreamKeyThroughFirehose',
          actions: [...ACCESS_AUDIT_APPEND_KEY_ACTIONS],
          resources: [props.streamKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `firehose.${region}.amazonaws.com` } },
        }),
      ],
    });
    tagSafeguards(this, ['U5', 'A3']);
  }
}
