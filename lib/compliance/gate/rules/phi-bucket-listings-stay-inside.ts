import { CfnResource } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { isPhiStoreIn } from '../core/phi-shapes';
import { isObject } from '../core/template-json';
import { entries } from './policy-statements';
import { viewOf } from './template-view';

/** Notification configurations that send each event (bucket, object key, size, requester) to a destination. */
const DESTINATIONS = ['QueueConfigurations', 'TopicConfigurations', 'LambdaConfigurations'];
/** Configurations that publish the bucket's key listing: S3 Metadata journal and inventory tables. */
const METADATA_TABLES = ['MetadataConfiguration', 'MetadataTableConfiguration'];

/**
 * E1 A3 I1 D2: a PHI bucket (marked, or named like one) keeps the list of its objects inside and its events on
 * EventBridge. Its template configures no inventory (a daily list of every key, size and encryption, delivered to any
 * bucket, another account's included), no event notification to a queue, topic or function (each event names the
 * object's key; the queue may be another account's), and no S3 Metadata tables (the keys again, queryable); and its
 * EventBridge notifications are on, as a literal `true`: AWS Backup's continuous backup of S3 and GuardDuty Malware
 * Protection see new objects only through them. The bucket policy denies changing inventory to all but the deployment
 * role (PhiBucketPrincipalAllowList); this rule judges what the deployment itself would set.
 */
export function PhiBucketListingsStayInside(node: CfnResource): NagRuleResult {
  if (!(node instanceof CfnBucket)) return NagRuleCompliance.NOT_APPLICABLE;
  const view = viewOf(node);
  if (!isPhiStoreIn(view.stack.template, view.logicalId)) return NagRuleCompliance.NOT_APPLICABLE;
  const props = view.resource.Properties ?? {};
  const findings: string[] = [];
  // An empty list configures nothing; anything else (a list, an intrinsic) may.
  if (entries(props.InventoryConfigurations).length > 0) findings.push('Inventory::configured');
  const notifications = isObject(props.NotificationConfiguration) ? props.NotificationConfiguration : {};
  for (const key of DESTINATIONS) {
    if (notifications[key] !== undefined) findings.push(`Notifications::${key}`);
  }
  const eventBridge = isObject(notifications.EventBridgeConfiguration) ? notifications.EventBridgeConfiguration : {};
  if (eventBridge.EventBridgeEnabled !== true && eventBridge.EventBridgeEnabled !== 'true') {
    findings.push('Notifications::eventbridge-off');
  }
  for (const key of METADATA_TABLES) {
    if (props[key] !== undefined) findings.push(`Metadata::${key}`);
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}
