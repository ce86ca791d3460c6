import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { PostDeployContext } from '../../../lib/deploy/post-deploy/context';
import { alertSubscriptionsStep } from '../../../lib/deploy/post-deploy/alert-subscriptions';
import { testConfig } from '../../support/blueprint';
import { fakeClients } from '../../support/deploy';

const sns = mockClient(SNSClient);
// Files share a process (jest-light-runner): leave the SDK clients unmocked for the next file.
afterAll(() => sns.restore());
beforeEach(() => sns.reset());

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:hipaa-prod-alerts';
const ctx = (topic: string | null = TOPIC): PostDeployContext => ({
  config: testConfig('prod'),
  clients: fakeClients(),
  output: (ref) => (ref.outputName === 'AlertTopicArn' && topic !== null ? topic : undefined),
});
const sub = (endpoint: string, arn: string) => ({
  Protocol: 'email',
  Endpoint: endpoint,
  SubscriptionArn: arn,
  TopicArn: TOPIC,
});

describe('post-deploy: alert subscriptions require authentication to unsubscribe (D3, U6)', () => {
  it('already done when every subscription was confirmed with authentication (pages followed)', async () => {
    sns
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC })
      .resolves({ Subscriptions: [sub('a@example.org', `${TOPIC}:1`)], NextToken: 'n' })
      .on(ListSubscriptionsByTopicCommand, { TopicArn: TOPIC, NextToken: 'n' })
      .resolves({ Subscriptions: [sub('b@example.org', `${TOPIC}:2`)] });
    sns.on(GetSubscriptionAttributesCommand).resolves({ Attributes: { ConfirmationWasAuthenticated: 'true' } });
    expect(await alertSubscriptionsStep.run(ctx())).toEqual({
      step: 'Alert subscriptions',
      status: 'already done',
      detail: '2 subscription(s), each confirmed with authentication to unsubscribe',
    });
    expect(sns.commandCalls(GetSubscriptionAttributesCommand)).toHaveLength(2);
  });

  it('pending confirmations and unauthenticated ones are pending, with the commands to run', async () => {
    sns.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [sub('a@example.org', 'PendingConfirmation'), sub('b@example.org', `${TOPIC}:2`)],
    });
    sns.on(GetSubscriptionAttributesCommand).resolves({ Attributes: { ConfirmationWasAuthenticated: 'false' } });
    const result = await alertSubscriptionsStep.run(ctx());
    expect(result.status).toBe('pending');
    expect(result.detail).toContain('waiting for confirmation: email a@example.org');
    expect(result.detail).toContain(
      `aws sns confirm-subscription --region us-east-1 --topic-arn ${TOPIC} --authenticate-on-unsubscribe true`,
    );
    expect(result.detail).toContain('confirmed without authentication (anyone with');
    expect(result.detail).toContain('email b@example.org');
    // Only the confirmed subscription's attributes are read (a pending one has no ARN).
    expect(sns.commandCalls(GetSubscriptionAttributesCommand).map((c) => c.args[0].input)).toEqual([
      { SubscriptionArn: `${TOPIC}:2` },
    ]);
  });

  it('a missing topic output or a topic without subscriptions fails, naming it', async () => {
    expect(await alertSubscriptionsStep.run(ctx(null))).toEqual({
      step: 'Alert subscriptions',
      status: 'failed',
      detail: 'the alerting stack has no AlertTopicArn output',
    });
    sns.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [] });
    expect((await alertSubscriptionsStep.run(ctx())).detail).toBe(`the alert topic ${TOPIC} has no subscription`);
  });
});
