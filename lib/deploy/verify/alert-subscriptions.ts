import { readAlertSubscriptions } from '../core/alert-subscriptions';
import { OUTPUTS } from '../core/stacks';
import { outputOf, VerifyCheck, VerifyRow } from './context';

/**
 * D3: every subscription of the alert topic is confirmed, with authentication to unsubscribe. FAIL when the topic
 * has none confirmed (alerts reach nobody); WARN for a pending or unauthenticated subscription.
 */
export const verifyAlertSubscriptions: VerifyCheck = async (ctx) => {
  const check = 'alert subscriptions';
  const topicArn = outputOf(ctx, OUTPUTS.alertTopicArn);
  if (topicArn === undefined) {
    return [{ safeguard: 'D3', check, status: 'FAIL', detail: 'the alerting stack has no AlertTopicArn output' }];
  }
  const subscriptions = await readAlertSubscriptions(ctx.clients.sns(ctx.config.region), topicArn);
  const confirmed = subscriptions.filter((s) => s.state !== 'pending');
  if (confirmed.length === 0) {
    return [
      {
        safeguard: 'D3',
        check,
        status: 'FAIL',
        detail: `no confirmed subscription on ${topicArn}: alerts reach nobody (${subscriptions.length} pending)`,
      },
    ];
  }
  return subscriptions.map((s): VerifyRow => ({
    safeguard: 'D3',
    check,
    status: s.state === 'authenticated' ? 'PASS' : 'WARN',
    detail: `${s.protocol} ${s.endpoint}: ${
      s.state === 'authenticated'
        ? 'confirmed; unsubscribing needs AWS credentials'
        : s.state === 'pending'
          ? 'waiting for confirmation (see the deploy summary: confirm with authentication)'
          : 'confirmed without authentication: anyone with an alert unsubscribe link can remove it'
    }`,
  }));
};
