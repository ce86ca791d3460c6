import { authenticatedConfirmCommand, readAlertSubscriptions } from '../core/alert-subscriptions';
import { OUTPUTS } from '../core/stacks';
import { PostDeployStep } from './context';

const STEP = 'Alert subscriptions';

/**
 * Unsubscribing from the alert topic needs authentication (D3, U6). CloudFormation cannot ask for it
 * (AWS::SNS::Subscription has no such property for e-mail) and the deploy command cannot do it alone: SNS sets
 * ConfirmationWasAuthenticated only when ConfirmSubscription is called with AuthenticateOnUnsubscribe and the
 * token SNS mails to the endpoint. So this step reads every subscription after each deploy and, until each is
 * confirmed with authentication, reports 'pending' with the exact command to run instead of clicking the link.
 */
export const alertSubscriptionsStep: PostDeployStep = {
  name: STEP,
  run: async (ctx) => {
    const { config } = ctx;
    const topicArn = ctx.output(OUTPUTS.alertTopicArn);
    if (topicArn === undefined) {
      return { step: STEP, status: 'failed', detail: 'the alerting stack has no AlertTopicArn output' };
    }
    const subscriptions = await readAlertSubscriptions(ctx.clients.sns(config.region), topicArn);
    if (subscriptions.length === 0) {
      return { step: STEP, status: 'failed', detail: `the alert topic ${topicArn} has no subscription` };
    }
    const pending = subscriptions.filter((s) => s.state === 'pending');
    const weak = subscriptions.filter((s) => s.state === 'unauthenticated');
    if (pending.length === 0 && weak.length === 0) {
      return {
        step: STEP,
        status: 'already done',
        detail: `${subscriptions.length} subscription(s), each confirmed with authentication to unsubscribe`,
      };
    }
    const parts: string[] = [];
    if (pending.length > 0) {
      parts.push(
        `waiting for confirmation: ${pending.map((s) => `${s.protocol} ${s.endpoint}`).join(', ')}; do not click the confirmation link, run ${authenticatedConfirmCommand(config.region, topicArn)}`,
      );
    }
    if (weak.length > 0) {
      parts.push(
        `confirmed without authentication (anyone with an alert's unsubscribe link can remove them): ${weak
          .map((s) => `${s.protocol} ${s.endpoint}`)
          .join(
            ', ',
          )}; subscribe each endpoint again (aws sns subscribe --region ${config.region} --topic-arn ${topicArn} --protocol <protocol> --notification-endpoint <endpoint>), confirm it with the command above, then remove the old subscription (aws sns unsubscribe --subscription-arn <arn>)`,
      );
    }
    return { step: STEP, status: 'pending', detail: parts.join('. ') };
  },
};
