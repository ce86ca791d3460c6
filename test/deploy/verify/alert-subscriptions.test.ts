import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { verifyAlertSubscriptions } from '../../../lib/deploy/verify/alert-subscriptions';
import { testConfig } from '../../support/blueprint';
import { deployedStack, deployedState } from '../../support/deploy';
import { verifyContext } from '../../support/fake-aws';

const sns = mockClient(SNSClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => sns.restore());
beforeEach(() => sns.reset());

const config = testConfig('prod');
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:hipaa-prod-alerts';
const alerting = deployedState(
  deployedStack('hipaa-prod-alerting', 'us-east-1', [], { outputs: { AlertTopicArn: TOPIC } }),
);
const sub = (endpoint: string, arn: string) => ({ Protocol: 'email', Endpoint: endpoint, SubscriptionArn: arn });

describe('verify D3: alert subscriptions', () => {
  it('PASS for an authenticated subscription, WARN for an unauthenticated or pending one', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [
        sub('a@example.org', `${TOPIC}:1`),
        sub('b@example.org', `${TOPIC}:2`),
        sub('c@example.org', 'PendingConfirmation'),
      ],
    });
    sns
      .on(GetSubscriptionAttributesCommand, { SubscriptionArn: `${TOPIC}:1` })
      .resolves({ Attributes: { ConfirmationWasAuthenticated: 'true' } })
      .on(GetSubscriptionAttributesCommand, { SubscriptionArn: `${TOPIC}:2` })
      .resolves({ Attributes: { ConfirmationWasAuthenticated: 'false' } });
    const rows = await verifyAlertSubscriptions(verifyContext(config, alerting));
    expect(rows.map((r) => [r.safeguard, r.status, r.detail.split(':')[0]])).toEqual([
      ['D3', 'PASS', 'email a@example.org'],
      ['D3', 'WARN', 'email b@example.org'],
      ['D3', 'WARN', 'email c@example.org'],
    ]);
  });

  it('FAIL when no subscription is confirmed (alerts reach nobody) or the topic output is missing', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [sub('c@example.org', 'PendingConfirmation')] });
    const [row] = await verifyAlertSubscriptions(verifyContext(config, alerting));
    expect(row).toMatchObject({ safeguard: 'D3', status: 'FAIL' });
    expect(row!.detail).toContain('alerts reach nobody (1 pending)');
    const [missing] = await verifyAlertSubscriptions(verifyContext(config, deployedState()));
    expect(missing).toMatchObject({ status: 'FAIL', detail: 'the alerting stack has no AlertTopicArn output' });
  });
});
