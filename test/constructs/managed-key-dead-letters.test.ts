/**
 * ManagedKey deadLetterRuleArns (D2 E1): EventBridge may use the key for the dead-letter queues of the named rules
 * only; a wildcard or a non-rule ARN is refused naming the field, the value and the rule.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { KEY_DOMAINS } from '../../constructs/key-usage';
import { ManagedKey } from '../../constructs/managed-key';
import { keyPrincipals } from '../../lib/config';
import { testConfig } from '../support/blueprint';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const RULE = 'arn:aws:events:us-east-1:123456789012:rule/app-prod-findings-archive-securityhub';
const ADMIN = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1';

function policyOf(deadLetterRuleArns?: readonly string[]): Json[] {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  new ManagedKey(stack, 'AuditKey', {
    alias: 'app-prod/audit',
    description: 'audit',
    usage: KEY_DOMAINS.audit.usage,
    administratorArns: [ADMIN],
    users: { s3: [], firehose: [] },
    ...(deadLetterRuleArns !== undefined ? { deadLetterRuleArns } : {}),
  });
  const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key')) as Json[];
  return key.Properties.KeyPolicy.Statement;
}

describe('ManagedKey deadLetterRuleArns', () => {
  test('D2 E1 EventBridge may encrypt dead letters for the named rules only (aws:SourceArn, this account)', () => {
    expect(policyOf([RULE]).find((s) => s.Sid === 'EventBridgeDeadLettersOfNamedRules')).toEqual({
      Sid: 'EventBridgeDeadLettersOfNamedRules',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnEquals: { 'aws:SourceArn': [RULE] } },
    });
  });

  test('D2 E1 without rules, EventBridge has no statement on the audit key', () => {
    expect(JSON.stringify(policyOf())).not.toContain('events.amazonaws.com');
    expect(JSON.stringify(policyOf([]))).not.toContain('events.amazonaws.com');
  });

  test('D2 E1 a wildcard or a non-rule ARN is refused', () => {
    expect(() => policyOf(['arn:aws:events:us-east-1:123456789012:rule/*'])).toThrow(
      "ManagedKey S/AuditKey: deadLetterRuleArns = 'arn:aws:events:us-east-1:123456789012:rule/*': must be an exact EventBridge rule ARN (arn:<partition>:events:<region>:<account>:rule/<name>, no wildcards)",
    );
    expect(() => policyOf(['arn:aws:sqs:us-east-1:123456789012:queue'])).toThrow(/deadLetterRuleArns = 'arn:aws:sqs/);
  });

  test('D2 principals: the audit key names the archive rules (the GuardDuty one only with GuardDuty on), no other key does', () => {
    const config = testConfig('prod');
    expect(keyPrincipals(config, 'audit').deadLetterRuleArns).toEqual([
      'arn:aws:events:us-east-1:123456789012:rule/hipaa-prod-findings-archive-securityhub',
      'arn:aws:events:us-east-1:123456789012:rule/hipaa-prod-findings-archive-guardduty-forwarded',
    ]);
    // The audit replica key admits the replica region's forwarding rules (test/config/principals-replica-forwarding.test.ts).
    for (const domain of ['phi', 'backup', 'operations'] as const) {
      expect(keyPrincipals(config, domain).deadLetterRuleArns).toBeUndefined();
    }
    const noGuardDuty = { ...config, detection: { ...config.detection, guardDuty: false } };
    expect(keyPrincipals(noGuardDuty, 'audit').deadLetterRuleArns).toEqual([
      'arn:aws:events:us-east-1:123456789012:rule/hipaa-prod-findings-archive-securityhub',
    ]);
    const noArchive = { ...config, detection: { ...config.detection, findingsArchive: false } };
    expect(keyPrincipals(noArchive, 'audit').deadLetterRuleArns).toBeUndefined();
  });
});
