import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';

/** One subscription of the alert topic as the deploy and verify commands judge it (D3, U6). */
export interface AlertSubscription {
  readonly protocol: string;
  readonly endpoint: string;
  /** undefined while the subscription waits for its confirmation. */
  readonly subscriptionArn?: string;
  /** 'pending', or whether the confirmation was authenticated (only then does unsubscribing need AWS credentials). */
  readonly state: 'pending' | 'authenticated' | 'unauthenticated';
}

/** What SNS returns in place of an ARN for a subscription that is not confirmed yet. */
const PENDING = 'PendingConfirmation';

/**
 * The alert topic's subscriptions and whether each was confirmed with authentication (SNS subscription attribute
 * ConfirmationWasAuthenticated): an unauthenticated e-mail subscription is removed by anyone (or any mail link
 * scanner) following the unsubscribe link of an alert.
 */
export async function readAlertSubscriptions(sns: SNSClient, topicArn: string): Promise<AlertSubscription[]> {
  const out: AlertSubscription[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    for (const s of page.Subscriptions ?? []) {
      const protocol = s.Protocol ?? 'unknown';
      const endpoint = s.Endpoint ?? 'unknown';
      if (s.SubscriptionArn === undefined || s.SubscriptionArn === PENDING) {
        out.push({ protocol, endpoint, state: 'pending' });
        continue;
      }
      const attributes = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }));
      const authenticated = attributes.Attributes?.ConfirmationWasAuthenticated === 'true';
      out.push({
        protocol,
        endpoint,
        subscriptionArn: s.SubscriptionArn,
        state: authenticated ? 'authenticated' : 'unauthenticated',
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return out;
}

/** The command that confirms a subscription with authentication (the token is in the confirmation link). */
export function authenticatedConfirmCommand(region: string, topicArn: string): string {
  return `aws sns confirm-subscription --region ${region} --topic-arn ${topicArn} --authenticate-on-unsubscribe true --token <token of the confirmation link>`;
}
