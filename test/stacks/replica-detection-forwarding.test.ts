import { REPLICA_FORWARDED_WATCHES } from '../../constructs/tamper-watches';
import { validateConfig } from '../../lib/config';
import { replicaForwardRuleArns } from '../../lib/config/principals';
import { testConfig } from '../support/blueprint';
import { templateJson } from '../support/synthesized';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }; // eslint-disable-line @typescript-eslint/no-explicit-any

// The prod test environment (validateConfig(testConfig('prod'))) as the globalSetup synthesized it once per run.
const prod = validateConfig(testConfig('prod'));
const resources = templateJson('prod', 'ReplicaDetection').Resources as Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('ReplicaDetectionStack forwarding hardening (D2, D3)', () => {
  it('D2 D3 the dead-letter queue keeps its logical id, is retained and encrypted with the audit replica key', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues.map(([id]) => id)).toEqual(['FindingForwarderDeadLetterQueueE704E1EC']);
    const [, queue] = queues[0]!;
    expect(queue.DeletionPolicy).toBe('Retain');
    // The audit replica key of the PhiReplica stack (same region), imported through a cross-stack export.
    expect(JSON.stringify(queue.Properties.KmsMasterKeyId)).toMatch(/AuditReplicaKey/);
  });

  it('D2 D3 every forwarding rule has its fixed name, the retry policy and the dead-letter queue; the names are those the key admits', () => {
    const rules = ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(2 + REPLICA_FORWARDED_WATCHES.length + 1);
    for (const [, rule] of rules) {
      expect(rule.Properties.Targets[0].RetryPolicy).toEqual({
        MaximumRetryAttempts: 185,
        MaximumEventAgeInSeconds: 86400,
      });
      expect(rule.Properties.Targets[0].DeadLetterConfig).toEqual({
        Arn: { 'Fn::GetAtt': ['FindingForwarderDeadLetterQueueE704E1EC', 'Arn'] },
      });
    }
    const names = rules.map(([, r]) => r.Properties.Name as string).sort();
    expect(names).toEqual(
      replicaForwardRuleArns(prod)
        .map((arn) => arn.split('/')[1])
        .sort(),
    );
  });

  it('D2 D3 one FailedInvocations alarm per findings and tamper forwarding rule, and the queue depth alarm', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    const failed = alarms.filter(([, a]) => a.Properties.MetricName === 'FailedInvocations');
    expect(failed).toHaveLength(2 + REPLICA_FORWARDED_WATCHES.length);
    expect(alarms.filter(([, a]) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
  });
});
