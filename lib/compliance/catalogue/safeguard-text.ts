/**
 * Each safeguard in the project's own words (from SAFEGUARDS.md as the shared source) and where it lives: the
 * one place a newcomer should open first (the definition), then the other places that carry it. The generated
 * SAFEGUARDS.md (npm run docs) adds the gate rules (from PROJECT_RULES) and the tests (from the Jest-written test
 * index). Every path here must exist (test/compliance/catalogue/safeguards-doc.test.ts).
 */
import { SafeguardId } from '../../../constructs/core';

/** What a safeguard requires, where it is defined, and whether the gate enforces it yet. */
export interface SafeguardText {
  readonly requirement: string;
  /** The one place that defines it (path, optionally `#Symbol`). */
  readonly definedIn: string;
  /** Other places that carry it. */
  readonly alsoIn: readonly string[];
  /**
   * Set while the safeguard is not (fully) built: what is missing, for reviewers.
   * @default - built
   */
  readonly gap?: string;
}

export const SAFEGUARD_TEXT: Readonly<Record<SafeguardId, SafeguardText>> = {
  E1: {
    requirement:
      'Customer-managed KMS keys, one per data domain (PHI data, audit logs, backups, operational logs/secrets), rotation on, 30-day deletion window, key policy separating key administrators from key users, retained.',
    definedIn: 'constructs/managed-key.ts#ManagedKey',
    alsoIn: ['constructs/key-usage.ts#KEY_DOMAINS', 'lib/stacks/keys-stack.ts'],
  },
  E2: {
    requirement:
      'Every store of PHI or logs is encrypted with a customer-managed key: S3 (SSE-KMS with bucket keys), RDS storage, Performance Insights, Secrets Manager, CloudWatch Logs, SNS, SQS, EBS default, backups, CloudTrail. The only exception is a store AWS cannot deliver into with SSE-KMS (ALB access logs): SSE-S3, acknowledged.',
    definedIn: 'constructs/bucket-safeguards.ts#bucketSafeguards',
    alsoIn: [
      'constructs/encrypted-log-group.ts',
      'constructs/phi-database.ts',
      'constructs/phi-bucket.ts',
      'constructs/phi-backup.ts',
      'constructs/alert-pipeline.ts',
      'constructs/image-repository.ts',
    ],
  },
  E3: {
    requirement:
      'TLS 1.2 or higher in transit everywhere: ALB listeners use a TLS 1.3/1.2 policy from an allow-list, port 80 only redirects, S3 bucket policies deny non-TLS and TLS < 1.2, RDS forces TLS, load balancer to task traffic is HTTPS (end to end), service endpoints are private.',
    definedIn: 'constructs/core/tls-policies.ts#ALLOWED_TLS_POLICIES',
    alsoIn: [
      'constructs/secure-load-balancer.ts',
      'constructs/bucket-safeguards.ts',
      'constructs/phi-database.ts#PHI_DATABASE_PARAMETERS',
      'constructs/phi-service.ts',
    ],
  },
  A1: {
    requirement:
      'Unique user identification: no shared credentials, no IAM users or access keys created by the blueprint.',
    definedIn: 'lib/compliance/gate/rules/no-iam-users-or-access-keys.ts',
    alsoIn: ['constructs/app-user-pool.ts'],
  },
  A2: {
    requirement:
      'Multi-factor authentication for every human who can reach PHI: application users (Cognito user pool with MFA required) and AWS operators (roles assumable only with aws:MultiFactorAuthPresent).',
    definedIn: 'constructs/app-user-pool.ts#AppUserPool',
    alsoIn: ['constructs/break-glass-role.ts', 'lib/compliance/gate/rules/human-roles-require-mfa.ts'],
  },
  A3: {
    requirement:
      'Least privilege: one role per workload, scoped grants, no wildcard admin, no AWS-managed admin policies, permission boundaries on roles the workload can create.',
    definedIn: 'constructs/phi-service.ts#PhiService',
    alsoIn: ['constructs/managed-policy-grantee.ts', 'lib/stacks/data-stack.ts', 'lib/compliance/register/entries.ts'],
  },
  A4: {
    requirement:
      'Automatic logoff (164.312(a)(2)(iii)): application sessions end after 15 minutes (ALB authentication session timeout, token validity), operator role sessions at the shortest AWS allows, Session Manager idle timeout 15 min.',
    definedIn: 'constructs/core/session-limit.ts#SESSION_LIMIT_MINUTES',
    alsoIn: [
      'constructs/secure-load-balancer.ts',
      'constructs/app-user-pool.ts',
      'constructs/session-manager-preferences.ts',
      'lib/config/schema.ts',
    ],
  },
  A5: {
    requirement:
      'Emergency access procedure (164.312(a)(2)(ii)): a break-glass role, MFA-only, whose every use raises an alert.',
    definedIn: 'constructs/break-glass-role.ts#BreakGlassRole',
    alsoIn: ['constructs/security-alarms.ts (its alarm, from BreakGlassRole.usageFilter)', 'lib/stacks/audit-stack.ts'],
  },
  U1: {
    requirement:
      'CloudTrail: multi-region, global service events, log file validation, KMS, delivered to CloudWatch Logs, S3 data events (read and write) for every PHI bucket.',
    definedIn: 'constructs/audit-trail.ts#AuditTrail',
    alsoIn: ['lib/config/names.ts#phiBucketNames', 'lib/stacks/audit-stack.ts'],
  },
  U2: {
    requirement:
      'Audit archive: S3 Object Lock in COMPLIANCE mode with a default retention of at least 2192 days (six years), versioned, KMS, TLS-only, no delete, lifecycle to colder storage; GOVERNANCE mode only in a non-production environment that says so explicitly.',
    definedIn: 'constructs/audit-archive-bucket.ts#AuditArchiveBucket',
    alsoIn: ['lib/compliance/gate/rules/audit-bucket-object-lock.ts'],
  },
  U3: {
    requirement:
      'Every log (CloudTrail, VPC flow logs, ALB and S3 access logs, RDS logs, container logs, Lambda logs, WAF) is retained at least 2192 days, in one typed retention policy that config cannot lower.',
    definedIn: 'constructs/core/retention.ts#HIPAA_MIN_RETENTION_DAYS',
    alsoIn: ['constructs/encrypted-log-group.ts', 'constructs/access-log-bucket.ts', 'constructs/bucket-safeguards.ts'],
  },
  U4: {
    requirement:
      'No PHI in logs: CloudWatch Logs data protection policies mask health and identity identifiers on application log groups; alert and error messages carry identifiers of resources, never record contents.',
    definedIn: 'constructs/phi-log-group.ts#PhiLogGroup',
    alsoIn: ['lambda/alert-formatter/format.ts', 'services/sample-api/src/request-log.ts'],
  },
  U5: {
    requirement:
      'Application access audit: every access to PHI through a service is recorded as who (stable user id), what (record id, action, outcome), when and from where, in an append-only store the service cannot read, alter or delete, kept at least 2192 days; a service that cannot record an access refuses it.',
    definedIn: 'constructs/access-audit-channel.ts#AccessAuditChannel',
    alsoIn: [
      'constructs/access-audit-append-policy.ts',
      'lib/compliance/gate/assembly/access-audit-channel-present.ts',
      'services/sample-api/src/access-audit/access-audit-event.ts',
      'services/sample-api/src/access-audit/access-audit-writer.ts',
      'services/sample-api/src/request-handler.ts',
    ],
  },
  U6: {
    requirement:
      'Tamper evidence: every change to the audit trail, the audit archive, keys, detection services and the alert path raises an alert that does not depend on a single component.',
    definedIn: 'constructs/tamper-watches.ts#TAMPER_WATCHES',
    alsoIn: [
      'constructs/tamper-detection.ts',
      'lambda/alert-formatter/format.ts',
      'lib/compliance/gate/assembly/tamper-detection-present.ts',
      'constructs/security-metric-filters.ts',
      'constructs/security-alarms.ts',
    ],
  },
  I1: {
    requirement:
      'Backups: AWS Backup plan covering RDS, S3 and other stores, vault encrypted with the backup key, vault lock, retention per config (at least 35 days of point-in-time recovery for RDS).',
    definedIn: 'constructs/phi-backup.ts#PhiBackup',
    alsoIn: [
      'constructs/core/backup-floors.ts',
      'constructs/phi-bucket-replication.ts',
      'constructs/phi-database.ts',
      'constructs/phi-restore-testing.ts',
      'constructs/phi-restore-validation.ts',
      'lambda/restore-validation/validate.ts',
      'lib/compliance/gate/assembly/restore-tests-validated.ts',
    ],
  },
  I2: {
    requirement:
      'Nothing stateful is lost: DeletionPolicy and UpdateReplacePolicy Retain (or Snapshot for databases), deletion protection, versioning, termination protection on stateful stacks; logical IDs of stateful resources are pinned by tests.',
    definedIn: 'constructs/bucket-safeguards.ts#retainOnReplace',
    alsoIn: ['constructs/managed-key.ts', 'constructs/phi-database.ts', 'lib/hipaa-stage.ts'],
  },
  I3: {
    requirement: 'Multi-AZ for the database and the service in production.',
    definedIn: 'lib/config/rules.ts#CONFIG_RULES',
    alsoIn: ['constructs/phi-database.ts', 'constructs/phi-service.ts'],
  },
  N1: {
    requirement: 'Separate PHI and non-PHI VPCs, no route between them unless config adds one explicitly.',
    definedIn: 'lib/stacks/network-stack.ts#NetworkStack',
    alsoIn: ['constructs/segmented-vpc.ts'],
  },
  N2: {
    requirement:
      'PHI VPC tiers: public (load balancer only, no auto-assigned public IPs), application (tasks), data (database, no route to the internet); security groups reference each other; network ACLs limit the data tier to the application tier on the database port.',
    definedIn: 'constructs/segmented-vpc.ts#SegmentedVpc',
    alsoIn: ['lib/stacks/data-stack.ts'],
  },
  N3: {
    requirement:
      'VPC endpoints for the AWS services the workload uses; egress to the internet only if config asks for it.',
    definedIn: 'constructs/interface-endpoint-services.ts#INTERFACE_ENDPOINT_SERVICES',
    alsoIn: ['constructs/segmented-vpc.ts', 'lib/config/rules.ts#requiredEndpoints'],
  },
  N4: {
    requirement: 'VPC flow logs for all traffic, default security group closed.',
    definedIn: 'constructs/segmented-vpc.ts#SegmentedVpc',
    alsoIn: [],
  },
  D1: {
    requirement:
      'Real-time alarms, each with an action and able to fire (statistic, period, threshold, datapoints to alarm and missing-data treatment as the gate requires): root use, unauthorized API calls, console sign-in without MFA, IAM policy changes, CloudTrail or Config changes, KMS key disable or deletion, S3 policy changes, security group, NACL, route and VPC changes, break-glass use, anomalous PHI object access volume.',
    definedIn: 'constructs/security-alarms.ts#SecurityAlarms',
    alsoIn: [
      'constructs/security-metric-filters.ts',
      'constructs/break-glass-role.ts',
      'lib/compliance/gate/assembly/security-alarms-present.ts',
      'lib/compliance/gate/assembly/alarm-facts.ts',
    ],
  },
  D2: {
    requirement:
      'GuardDuty (with S3 and RDS protection, and runtime monitoring of the Fargate tasks whose agent every task execution role and ECR endpoint may pull, unhealthy coverage alerting), Malware Protection for S3 on the PHI bucket (its own switch; objects found malicious unreadable, non-clean scan results alerting without the object key), Security Hub, Macie on PHI buckets, Inspector for container images, AWS Config recording with the HIPAA Security conformance rules; each can be switched off by config where the account already has it (Control Tower, existing recorder) without breaking deploy.',
    definedIn: 'lib/stacks/detection-stack.ts#DetectionStack',
    alsoIn: [
      'constructs/guard-duty-detector.ts',
      'constructs/guard-duty-agent-repository.ts',
      'constructs/phi-malware-protection.ts',
      'constructs/security-hub.ts',
      'constructs/macie-discovery.ts',
      'constructs/config-recorder.ts',
      'constructs/hipaa-config-rule-set.ts',
      'lib/stacks/replica-detection-stack.ts',
      'constructs/findings-archive.ts',
      'constructs/guard-duty-findings-export.ts',
      'constructs/critical-findings-age-check.ts',
    ],
    gap: 'The six-year findings archive holds every finding of both regions except those GuardDuty archived or suppressed in the primary region (its publishing destination does not export them): Security Hub findings and the replica region GuardDuty findings arrive through EventBridge (forwarded across regions, each hop retried for a day into an alarmed dead-letter queue: in the replica region under the audit replica key, its FailedInvocations and depth alarms forwarded to the primary region alert pipeline) and Firehose, with delivery error logs; a finding that reaches a dead-letter queue stays there 14 days and must be redriven by hand. Whether EventBridge applies a RetryPolicy to an event bus target (CloudFormation accepts it, the CDK target omits it) is to be confirmed on a deploy; the value set is the EventBridge default either way. The archive replicates into the locked audit replica of the replica region; replication metrics and alarms on its failed operations and on its latency (stall) watch that copy (ReplicationMonitored).',
  },
  D3: {
    requirement:
      'Alerts reach people through a KMS-encrypted SNS topic via a formatter that strips anything but metadata; the alert path is watched by alarms that can fire (heartbeat, throttling).',
    definedIn: 'constructs/alert-pipeline.ts#AlertPipeline',
    alsoIn: [
      'lambda/alert-formatter/format.ts',
      'constructs/finding-forwarder.ts',
      'lib/compliance/gate/assembly/alarm-facts.ts',
    ],
  },
  V1: {
    requirement:
      'Only HIPAA-eligible services (AWS BAA): every resource type in every template belongs to an eligible service; a non-eligible one fails synth. The matching service control policy is emitted for the organization.',
    definedIn: 'lib/compliance/gate/eligibility/eligibility-rule.ts',
    alsoIn: ['lib/compliance/gate/eligibility/resource-service-map.ts', 'lib/compliance/gate/eligibility/scp.ts'],
  },
  V2: {
    requirement:
      'Evidence for reviewers, written at every synth: a control matrix (HIPAA section -> safeguard -> resources -> rules checked -> tests), the register of acknowledged findings with reasons, and resource metadata naming the safeguards each resource implements.',
    definedIn: 'lib/compliance/evidence-plugin.ts#SafeguardEvidencePlugin',
    alsoIn: [
      'lib/compliance/evidence/control-matrix.ts',
      'lib/compliance/register/entries.ts',
      'lib/compliance/evidence/inventory/',
    ],
  },
  V3: {
    requirement:
      'Shared responsibility is explicit: the README says which safeguards AWS carries (physical, 164.310), which the blueprint carries, and which remain the customer’s (BAA, training, risk analysis, incident response).',
    definedIn: 'README.md (Shared responsibility)',
    alsoIn: ['lib/compliance/catalogue/safeguards.ts#EXTERNAL_RESPONSIBILITIES'],
  },
};
