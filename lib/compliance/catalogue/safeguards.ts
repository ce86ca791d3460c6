/**
 * The safeguard catalogue (transcribed from SAFEGUARDS.md), the HIPAA Security Rule sections it
 * serves, the sections the blueprint does not carry (and who does), and the typed table that says
 * which CloudFormation resources implement which safeguard. Evidence (resource metadata, control
 * matrix) is derived from this file; nothing in the evidence writers names a stack or a resource.
 */
import { CfnResource } from 'aws-cdk-lib';
import { HIPAA_MIN_RETENTION_DAYS } from '../../../constructs/core/retention';
import {
  cfnAbsent,
  cfnBoolean,
  cfnListAlways,
  cfnNumber,
  cfnSwitchStaysOn,
  eventRuleEnabled,
} from '../gate/core/template-json';
import { templateResource } from '../gate/rules/template-properties';
import { isSafeguardId as isId, SafeguardId, SESSION_LIMIT_MINUTES, sortSafeguards } from '../../../constructs/core';

export type { SafeguardId };

/** One safeguard of the blueprint. */
export interface Safeguard {
  readonly id: SafeguardId;
  /** Short title for reports. */
  readonly title: string;
  /** Category heading in SAFEGUARDS.md. */
  readonly category: string;
  /** HIPAA Security Rule sections the safeguard serves (the category's, plus any the line names). */
  readonly hipaaSections: readonly string[];
}

const ENCRYPTION = ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'];
const ACCESS = ['164.312(a)(1)', '164.312(d)', '164.308(a)(4)'];
const AUDIT = ['164.312(b)', '164.308(a)(1)(ii)(D)', '164.316(b)(2)(i)'];
const INTEGRITY = ['164.312(c)(1)', '164.308(a)(7)'];
const NETWORK = ['164.312(e)(1)', '164.308(a)(3)'];
const DETECTION = ['164.308(a)(1)(ii)(D)', '164.308(a)(6)'];
const EVIDENCE = ['164.308(b)', '164.316'];

const s = (id: SafeguardId, category: string, sections: string[], title: string): Safeguard => ({
  id,
  title,
  category,
  hipaaSections: sections,
});

/** The catalogue, in SAFEGUARDS.md order. */
export const SAFEGUARDS: readonly Safeguard[] = [
  s('E1', 'Encryption', ENCRYPTION, 'Customer-managed KMS keys per data domain, rotated, retained'),
  s('E2', 'Encryption', ENCRYPTION, 'Every PHI or log store encrypted with a customer-managed key'),
  s('E3', 'Encryption', ENCRYPTION, 'TLS 1.2 or higher in transit everywhere'),
  s('A1', 'Access control', ACCESS, 'Unique user identification: no IAM users or access keys'),
  s('A2', 'Access control', ACCESS, 'MFA for every human who can reach PHI'),
  s('A3', 'Access control', ACCESS, 'Least privilege: one role per workload, scoped grants'),
  s(
    'A4',
    'Access control',
    [...ACCESS, '164.312(a)(2)(iii)'],
    `Automatic logoff after ${SESSION_LIMIT_MINUTES} minutes`,
  ),
  s('A5', 'Access control', [...ACCESS, '164.312(a)(2)(ii)'], 'Emergency access: MFA-only break-glass role, alerted'),
  s('U1', 'Audit controls', AUDIT, 'CloudTrail: multi-region, validated, KMS, to CloudWatch Logs, S3 data events'),
  s('U2', 'Audit controls', AUDIT, 'Audit archive: S3 Object Lock COMPLIANCE, at least 2192 days'),
  s('U3', 'Audit controls', AUDIT, 'Every log retained at least 2192 days'),
  s('U4', 'Audit controls', AUDIT, 'No PHI in logs: data protection policies, metadata-only alerts'),
  s('U5', 'Audit controls', AUDIT, 'Application access audit: who, what, when, from where, append-only, six years'),
  s('U6', 'Audit controls', AUDIT, 'Tamper evidence: changes to audit, keys, detection and alerting raise alerts'),
  s('I1', 'Integrity and availability', INTEGRITY, 'AWS Backup plan, encrypted and locked vault'),
  s('I2', 'Integrity and availability', INTEGRITY, 'Nothing stateful is lost: Retain/Snapshot, protection'),
  s('I3', 'Integrity and availability', INTEGRITY, 'Multi-AZ database and service in production'),
  s('N1', 'Network segmentation', NETWORK, 'Separate PHI and non-PHI VPCs, no route between them'),
  s('N2', 'Network segmentation', NETWORK, 'PHI VPC tiers, referencing security groups, data-tier ACL'),
  s('N3', 'Network segmentation', NETWORK, 'VPC endpoints; internet egress only on request'),
  s('N4', 'Network segmentation', NETWORK, 'VPC flow logs for all traffic, default security group closed'),
  s('D1', 'Detection and response', DETECTION, 'Real-time alarms with actions on security events'),
  s('D2', 'Detection and response', DETECTION, 'GuardDuty, Security Hub, Macie, Inspector, AWS Config'),
  s('D3', 'Detection and response', DETECTION, 'Alerts through a KMS-encrypted topic, metadata only'),
  s('V1', 'Eligibility and evidence', EVIDENCE, 'Only HIPAA-eligible services; SCP emitted'),
  s('V2', 'Eligibility and evidence', EVIDENCE, 'Evidence for reviewers written at every synth'),
  s('V3', 'Eligibility and evidence', EVIDENCE, 'Shared responsibility is explicit'),
];

/** Looks up a safeguard; throws naming the id when it is not in the catalogue. */
export function safeguard(id: string): Safeguard {
  const found = SAFEGUARDS.find((g) => g.id === id);
  if (!found)
    throw new Error(`Unknown safeguard id '${id}': not in SAFEGUARDS (lib/compliance/evidence/safeguards.ts)`);
  return found;
}

/** True when `id` names a safeguard of the catalogue (the floor's id list, constructs/core). */
export function isSafeguardId(id: string): id is SafeguardId {
  return isId(id);
}

/** HIPAA sections cited by `ids`, de-duplicated, in catalogue order. */
export function sectionsOf(ids: readonly string[]): string[] {
  return [...new Set(ids.flatMap((id) => safeguard(id).hipaaSections))];
}

/** Titles of the HIPAA Security Rule sections named in reports (45 CFR Part 164). */
export const HIPAA_SECTION_TITLES: Readonly<Record<string, string>> = {
  '164.308(a)(1)(ii)(A)': 'Risk analysis',
  '164.308(a)(1)(ii)(B)': 'Risk management',
  '164.308(a)(1)(ii)(C)': 'Sanction policy',
  '164.308(a)(1)(ii)(D)': 'Information system activity review',
  '164.308(a)(2)': 'Assigned security responsibility',
  '164.308(a)(3)': 'Workforce security',
  '164.308(a)(4)': 'Information access management',
  '164.308(a)(5)': 'Security awareness and training',
  '164.308(a)(6)': 'Security incident procedures',
  '164.308(a)(7)': 'Contingency plan',
  '164.308(a)(7)(ii)(D)': 'Testing and revision procedures',
  '164.308(a)(8)': 'Evaluation',
  '164.308(b)': 'Business associate contracts',
  '164.308(b)(1)': 'Business associate contracts',
  '164.310': 'Physical safeguards',
  '164.312(a)(1)': 'Access control',
  '164.312(a)(2)(i)': 'Unique user identification',
  '164.312(a)(2)(ii)': 'Emergency access procedure',
  '164.312(a)(2)(iii)': 'Automatic logoff',
  '164.312(a)(2)(iv)': 'Encryption and decryption',
  '164.312(b)': 'Audit controls',
  '164.312(c)(1)': 'Integrity',
  '164.312(c)(2)': 'Mechanism to authenticate ePHI',
  '164.312(d)': 'Person or entity authentication',
  '164.312(e)(1)': 'Transmission security',
  '164.312(e)(2)(i)': 'Integrity controls (transmission)',
  '164.312(e)(2)(ii)': 'Encryption (transmission)',
  '164.314(a)': 'Business associate contracts or other arrangements',
  '164.316': 'Policies, procedures and documentation',
  '164.316(b)(2)(i)': 'Documentation time limit (six years)',
};

/** Who carries a HIPAA Security Rule requirement the blueprint does not implement in code. */
export type ResponsibleParty = 'AWS' | 'Customer' | 'Customer (blueprint supports)';

/** A requirement outside the blueprint's code, and who carries it (safeguard V3). */
export interface ExternalResponsibility {
  readonly section: string;
  readonly requirement: string;
  readonly carriedBy: ResponsibleParty;
  readonly note: string;
}

/** The sections the blueprint does NOT cover in code, and who does. */
export const EXTERNAL_RESPONSIBILITIES: readonly ExternalResponsibility[] = [
  {
    section: '164.310',
    requirement: 'Physical safeguards: facility access, workstation use and security, device and media controls',
    carriedBy: 'AWS',
    note: 'AWS data centres (AWS BAA, SOC 2 / ISO 27001 reports in AWS Artifact); workstations remain the customer’s.',
  },
  {
    section: '164.308(b)',
    requirement: 'Business associate agreement with AWS and with every other business associate',
    carriedBy: 'Customer',
    note: 'Accept the AWS BAA in AWS Artifact for every account that holds PHI before deploying.',
  },
  {
    section: '164.308(a)(1)(ii)(A)',
    requirement: 'Risk analysis',
    carriedBy: 'Customer (blueprint supports)',
    note: 'The control matrix and acknowledgement register are inputs; the analysis itself is the customer’s.',
  },
  {
    section: '164.308(a)(1)(ii)(B)',
    requirement: 'Risk management',
    carriedBy: 'Customer',
    note: 'Decide and track the measures that reduce the risks found by the analysis.',
  },
  {
    section: '164.308(a)(1)(ii)(C)',
    requirement: 'Sanction policy',
    carriedBy: 'Customer',
    note: 'Workforce sanctions for policy violations.',
  },
  {
    section: '164.308(a)(2)',
    requirement: 'Assigned security responsibility',
    carriedBy: 'Customer',
    note: 'Name the security official.',
  },
  {
    section: '164.308(a)(5)',
    requirement: 'Security awareness and training',
    carriedBy: 'Customer',
    note: 'Workforce training, password management, log-in monitoring procedures.',
  },
  {
    section: '164.308(a)(6)',
    requirement: 'Security incident procedures (response and reporting)',
    carriedBy: 'Customer (blueprint supports)',
    note: 'The blueprint detects and alerts (D1-D3); the response procedure and breach notification are the customer’s.',
  },
  {
    section: '164.308(a)(7)(ii)(D)',
    requirement: 'Contingency plan testing and revision',
    carriedBy: 'Customer (blueprint supports)',
    note: 'Backups exist (I1); restore drills, disaster recovery and emergency mode operation plans are the customer’s.',
  },
  {
    section: '164.308(a)(8)',
    requirement: 'Periodic technical and non-technical evaluation',
    carriedBy: 'Customer',
    note: 'Re-run the synth evidence and review it on a schedule and after changes.',
  },
  {
    section: '164.316',
    requirement: 'Written policies and procedures, kept six years',
    carriedBy: 'Customer (blueprint supports)',
    note: 'The generated evidence is documentation; the organization’s written policies are the customer’s.',
  },
];

/**
 * One row of the resource table: resources of `type` (or every type, `'*'`) for which `when`
 * holds implement `safeguards`. Rows accumulate: a resource gets the union of every matching row.
 * A row whose safeguard depends on a property (encryption, TLS, retention, an action...) MUST have
 * a `when` that checks that property: the type alone is never evidence that a property is set.
 */
export interface ResourceSafeguardRule {
  /** CloudFormation resource type, or '*' for a row that only tests `when`. */
  readonly type: string;
  readonly safeguards: readonly SafeguardId[];
  /**
   * Optional predicate on the L1 resource and the resource as the template has it (`rendered()`: its Properties,
   * DeletionPolicy and the rest, overrides applied; computed on first use); the row applies only when it returns true.
   */
  readonly when?: (resource: CfnResource, rendered: () => RenderedResource) => boolean;
  /** Why the row exists, for readers of this table (what `when` checks, if there is one). */
  readonly because: string;
  /**
   * True when `when` selects the resources the safeguard is about (the Object Lock archive among
   * buckets, application log groups with a data protection policy) instead of checking a property
   * every resource of the type should have: the others are not listed as "property not met".
   * @default false
   */
  readonly selective?: boolean;
}

/** DeletionPolicy Retain or Snapshot, as the template has it (an override of the policy is seen). */
const retained = (_r: CfnResource, rendered: () => RenderedResource): boolean =>
  rendered().DeletionPolicy === 'Retain' || rendered().DeletionPolicy === 'Snapshot';

/** Marks a row whose predicate selects the resources the safeguard is about (see `selective`). */
const SELECTIVE = true;

const row = (
  type: string,
  safeguards: SafeguardId[],
  because: string,
  when?: (r: CfnResource, rendered: () => RenderedResource) => boolean,
  selective?: boolean,
): ResourceSafeguardRule => ({
  type,
  safeguards,
  because,
  ...(when ? { when } : {}),
  ...(selective ? { selective } : {}),
});

type Props = Record<string, unknown>;
/** A CloudFormation resource as the template has it: its Properties (`{}` when it has none), DeletionPolicy, ... */
export interface RenderedResource {
  readonly Properties: Props;
  readonly DeletionPolicy?: unknown;
  readonly [key: string]: unknown;
}
/** A predicate on the resource's Properties as they will be in the template (overrides applied). */
const onProps =
  (test: (p: Props) => boolean) =>
  (_r: CfnResource, rendered: () => RenderedResource): boolean =>
    test(rendered().Properties);
const obj = (v: unknown): Props => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Props) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
// {"Ref": "AWS::NoValue"} is absent to CloudFormation.
const set = (v: unknown): boolean => !cfnAbsent(v) && v !== null && v !== '';
// Values as CloudFormation reads them ("true", "2192"); one only deploy resolves claims nothing.
const isTrue = (v: unknown): boolean => cfnBoolean(v) === true;
const isFalseOrAbsent = (v: unknown): boolean => cfnAbsent(v) || cfnBoolean(v) === false;
const atLeast = (v: unknown, n: number): boolean => (cfnNumber(v) ?? -Infinity) >= n;

/** S3 default encryption is SSE-KMS (or DSSE-KMS) with an explicit (customer-managed) key. */
const bucketSseKms = onProps((p) =>
  list(obj(p.BucketEncryption).ServerSideEncryptionConfiguration).some((c) => {
    const d = obj(obj(c).ServerSideEncryptionByDefault);
    return (d.SSEAlgorithm === 'aws:kms' || d.SSEAlgorithm === 'aws:kms:dsse') && set(d.KMSMasterKeyID);
  }),
);

const denyStatements = (p: Props): Props[] =>
  list(obj(p.PolicyDocument).Statement)
    .map(obj)
    .filter((st) => st.Effect === 'Deny');
/** The bucket policy denies requests without TLS and requests with TLS < 1.2. */
const bucketPolicyTls = onProps((p) => {
  const deny = denyStatements(p);
  const insecure = deny.some((st) => String(obj(obj(st.Condition).Bool)['aws:SecureTransport']) === 'false');
  const old = deny.some((st) => Number(obj(obj(st.Condition).NumericLessThan)['s3:TlsVersion']) >= 1.2);
  return insecure && old;
});

/** rds.force_ssl = 1 (PostgreSQL) or require_secure_transport ON (MySQL). */
const forcesTls = onProps((p) => {
  const params = obj(p.Parameters);
  const pg = params['rds.force_ssl'];
  const my = params['require_secure_transport'];
  return pg === '1' || pg === 1 || my === 'ON' || my === '1' || my === 1;
});

/** Policy statements that allow every action ('*'). */
const allowsEverything = (document: unknown): boolean =>
  list(obj(document).Statement)
    .map(obj)
    .some((st) => st.Effect === 'Allow' && list(st.Action).some((a) => a === '*'));

/** AWS managed policies that grant administration (by name in the ARN). */
export const ADMIN_MANAGED_POLICY = /:iam::aws:policy\/(?:.*Administrator\w*|PowerUserAccess|IAMFullAccess)\b/;

/** No AWS managed admin policy and no inline statement allowing '*' actions. */
const leastPrivilegeRole = onProps(
  (p) =>
    !list(p.ManagedPolicyArns).some((arn) => ADMIN_MANAGED_POLICY.test(JSON.stringify(arn))) &&
    !list(p.Policies).some((pol) => allowsEverything(obj(pol).PolicyDocument)),
);
const scopedPolicy = onProps((p) => !allowsEverything(p.PolicyDocument));

/** An HTTPS/TLS listener with a security policy, or an HTTP listener whose default actions only redirect to HTTPS. */
const tlsListener = onProps((p) => {
  if (p.Protocol === 'HTTPS' || p.Protocol === 'TLS') return set(p.SslPolicy);
  const actions = list(p.DefaultActions).map(obj);
  return (
    actions.length > 0 && actions.every((a) => a.Type === 'redirect' && obj(a.RedirectConfig).Protocol === 'HTTPS')
  );
});

/** Resource type (plus predicate) -> safeguards. Extend it when a stack adds a new kind of resource. */
export const RESOURCE_SAFEGUARDS: readonly ResourceSafeguardRule[] = [
  // Encryption
  row(
    'AWS::KMS::Key',
    ['E1'],
    'customer-managed key with rotation on',
    onProps((p) => isTrue(p.EnableKeyRotation)),
  ),
  row('AWS::KMS::Alias', ['E1'], 'names a key domain'),
  row('AWS::S3::Bucket', ['E2'], 'SSE-KMS with a customer-managed key', bucketSseKms),
  row('AWS::S3::BucketPolicy', ['E3'], 'denies non-TLS and TLS < 1.2', bucketPolicyTls),
  row(
    'AWS::RDS::DBInstance',
    ['E2'],
    'storage encrypted with a customer-managed key',
    onProps((p) => isTrue(p.StorageEncrypted) && set(p.KmsKeyId)),
  ),
  row(
    'AWS::RDS::DBInstance',
    ['I3'],
    'Multi-AZ',
    onProps((p) => isTrue(p.MultiAZ)),
  ),
  row(
    'AWS::RDS::DBCluster',
    ['E2'],
    'storage encrypted with a customer-managed key',
    onProps((p) => isTrue(p.StorageEncrypted) && set(p.KmsKeyId)),
  ),
  row('AWS::RDS::DBParameterGroup', ['E3'], 'rds.force_ssl = 1 / require_secure_transport ON', forcesTls),
  row('AWS::RDS::DBClusterParameterGroup', ['E3'], 'rds.force_ssl = 1 / require_secure_transport ON', forcesTls),
  row(
    'AWS::SecretsManager::Secret',
    ['E2'],
    'KMS key set',
    onProps((p) => set(p.KmsKeyId)),
  ),
  row(
    'AWS::SNS::Topic',
    ['E2'],
    'KMS key set',
    onProps((p) => set(p.KmsMasterKeyId)),
  ),
  row(
    'AWS::SQS::Queue',
    ['E2'],
    'KMS key set',
    onProps((p) => set(p.KmsMasterKeyId)),
  ),
  row(
    'AWS::DynamoDB::Table',
    ['E2'],
    'SSE with a customer-managed key',
    onProps((p) => isTrue(obj(p.SSESpecification).SSEEnabled) && set(obj(p.SSESpecification).KMSMasterKeyId)),
  ),
  row(
    'AWS::EFS::FileSystem',
    ['E2'],
    'encrypted with a customer-managed key',
    onProps((p) => isTrue(p.Encrypted) && set(p.KmsKeyId)),
  ),
  row('AWS::ElasticLoadBalancingV2::Listener', ['E3'], 'TLS policy, or port 80 that only redirects', tlsListener),
  row('AWS::ElasticLoadBalancingV2::LoadBalancer', ['N2'], 'front door in the public tier'),
  row(
    'AWS::ElasticLoadBalancingV2::TargetGroup',
    ['E3'],
    'HTTPS to the tasks (traffic and health check)',
    onProps(
      (p) => p.Protocol === 'HTTPS' && (p.HealthCheckProtocol === undefined || p.HealthCheckProtocol === 'HTTPS'),
    ),
  ),
  row('AWS::CertificateManager::Certificate', ['E3'], 'TLS certificate'),
  // Access control
  row('AWS::IAM::Role', ['A3'], 'no AWS managed admin policy, no inline Allow of every action', leastPrivilegeRole),
  row('AWS::IAM::Policy', ['A3'], 'no Allow of every action', scopedPolicy),
  row('AWS::IAM::ManagedPolicy', ['A3'], 'no Allow of every action', scopedPolicy),
  row('AWS::Cognito::UserPool', ['A1'], 'application users have their own identities'),
  row(
    'AWS::Cognito::UserPool',
    ['A2'],
    'MFA required',
    onProps((p) => p.MfaConfiguration === 'ON'),
  ),
  row(
    'AWS::Cognito::UserPoolClient',
    ['A4'],
    `access and ID tokens valid at most ${SESSION_LIMIT_MINUTES} minutes`,
    onProps((p) => {
      const units = obj(p.TokenValidityUnits);
      const minutes = (v: unknown, unit: unknown): number =>
        typeof v !== 'number' ? Infinity : unit === 'minutes' ? v : unit === 'seconds' ? v / 60 : v * 60;
      return (
        minutes(p.AccessTokenValidity, units.AccessToken) <= SESSION_LIMIT_MINUTES &&
        minutes(p.IdTokenValidity, units.IdToken) <= SESSION_LIMIT_MINUTES
      );
    }),
  ),
  // Audit
  row(
    'AWS::CloudTrail::Trail',
    ['U1'],
    'multi-region, global service events, log file validation',
    onProps(
      (p) => isTrue(p.IsMultiRegionTrail) && isTrue(p.IncludeGlobalServiceEvents) && isTrue(p.EnableLogFileValidation),
    ),
  ),
  row(
    'AWS::CloudTrail::Trail',
    ['E2'],
    'KMS key set',
    onProps((p) => set(p.KMSKeyId)),
  ),
  row(
    'AWS::Logs::LogGroup',
    ['U3'],
    `retained at least ${HIPAA_MIN_RETENTION_DAYS} days`,
    onProps((p) => atLeast(p.RetentionInDays, HIPAA_MIN_RETENTION_DAYS)),
  ),
  row(
    'AWS::Logs::LogGroup',
    ['E2'],
    'KMS key set',
    onProps((p) => set(p.KmsKeyId)),
  ),
  row(
    'AWS::Logs::LogGroup',
    ['U4'],
    'data protection policy masks identifiers (application log groups)',
    onProps((p) => set(p.DataProtectionPolicy)),
    SELECTIVE,
  ),
  row(
    'AWS::S3::Bucket',
    ['U2'],
    'Object Lock audit archive',
    onProps((p) => isTrue(p.ObjectLockEnabled) || set(p.ObjectLockConfiguration)),
    SELECTIVE,
  ),
  // Integrity and availability
  row('AWS::Backup::BackupPlan', ['I1'], 'backup plan'),
  row('AWS::Backup::BackupSelection', ['I1'], 'what the plan covers'),
  row('AWS::Backup::BackupVault', ['I1'], 'backup vault'),
  row(
    'AWS::Backup::RestoreTestingPlan',
    ['I1'],
    'scheduled restore test',
    onProps((p) => set(p.ScheduleExpression)),
  ),
  row('AWS::Backup::RestoreTestingSelection', ['I1'], 'what the restore test restores'),
  row(
    'AWS::Backup::BackupVault',
    ['E2'],
    'KMS key set',
    onProps((p) => set(p.EncryptionKeyArn)),
  ),
  row('*', ['I2'], 'DeletionPolicy Retain or Snapshot', retained),
  // Network
  row('AWS::EC2::VPC', ['N1'], 'PHI / non-PHI VPC'),
  row(
    'AWS::EC2::Subnet',
    ['N2'],
    'tiered subnet, no auto-assigned public IPs',
    onProps((p) => isFalseOrAbsent(p.MapPublicIpOnLaunch)),
  ),
  row('AWS::EC2::RouteTable', ['N1', 'N2'], 'tier routing'),
  row(
    'AWS::EC2::Route',
    ['N1', 'N2'],
    'tier routing, no peering or transit route',
    onProps((p) => !set(p.VpcPeeringConnectionId) && !set(p.TransitGatewayId)),
  ),
  row('AWS::EC2::SecurityGroup', ['N2'], 'tier security group'),
  row(
    'AWS::EC2::SecurityGroupIngress',
    ['N2'],
    'ingress from another security group',
    onProps((p) => set(p.SourceSecurityGroupId) || set(p.SourcePrefixListId)),
  ),
  row(
    'AWS::EC2::SecurityGroupEgress',
    ['N2'],
    'egress to another security group',
    onProps((p) => set(p.DestinationSecurityGroupId) || set(p.DestinationPrefixListId)),
  ),
  row('AWS::EC2::NetworkAcl', ['N2'], 'data-tier ACL'),
  row('AWS::EC2::NetworkAclEntry', ['N2'], 'data-tier ACL entry'),
  row('AWS::EC2::SubnetNetworkAclAssociation', ['N2'], 'ACL on the data tier'),
  row('AWS::EC2::VPCEndpoint', ['N3', 'E3'], 'private service endpoint'),
  row(
    'AWS::EC2::FlowLog',
    ['N4'],
    'flow log of all traffic',
    onProps((p) => p.TrafficType === 'ALL'),
  ),
  row('Custom::VpcRestrictDefaultSG', ['N4'], 'default security group closed'),
  // Detection and response
  row(
    'AWS::CloudWatch::Alarm',
    ['D1'],
    'alarm with an action',
    // An action that is AWS::NoValue, or that a condition may remove, is no action.
    onProps(
      (p) => cfnListAlways(p.AlarmActions, (actions) => actions.length > 0) && cfnSwitchStaysOn(p.ActionsEnabled),
    ),
  ),
  row('AWS::Logs::MetricFilter', ['D1'], 'security metric filter'),
  row(
    'AWS::Events::Rule',
    ['D1', 'D3'],
    'enabled event routing to a target',
    // Enabled whatever deploy resolves (a State only deploy resolves may be DISABLED), with a target that surely exists.
    onProps((p) => cfnListAlways(p.Targets, (targets) => targets.length > 0) && eventRuleEnabled(p.State)),
  ),
  row(
    'AWS::GuardDuty::Detector',
    ['D2'],
    'GuardDuty enabled',
    onProps((p) => isTrue(p.Enable)),
  ),
  row('AWS::SecurityHub::Hub', ['D2'], 'Security Hub'),
  row(
    'AWS::Macie::Session',
    ['D2'],
    'Macie',
    onProps((p) => p.Status === undefined || p.Status === 'ENABLED'),
  ),
  row('AWS::Macie::ClassificationJob', ['D2'], 'Macie on PHI buckets'),
  row('AWS::InspectorV2::Filter', ['D2'], 'Inspector'),
  row(
    'AWS::ECR::RegistryScanningConfiguration',
    ['D2'],
    'ECR enhanced scanning (Inspector)',
    onProps((p) => p.ScanType === 'ENHANCED'),
  ),
  row('AWS::GuardDuty::MalwareProtectionPlan', ['D2'], 'malware scan of PHI bucket uploads'),
  row('AWS::GuardDuty::PublishingDestination', ['D2'], 'GuardDuty findings exported to the six-year findings archive'),
  row('AWS::Config::ConfigurationRecorder', ['D2'], 'AWS Config recorder'),
  row('AWS::Config::DeliveryChannel', ['D2'], 'AWS Config delivery'),
  row('AWS::Config::ConfigRule', ['D2'], 'HIPAA Security conformance rule'),
  row('AWS::Config::ConformancePack', ['D2'], 'HIPAA Security conformance pack'),
  // Eligibility
  row('AWS::Organizations::Policy', ['V1'], 'eligibility SCP'),
];

/**
 * Safeguard -> resource types that have a (non-selective) row for it. A resource of such a type that does not
 * carry the safeguard matched the type but not the property (the matrix lists it for reviewers).
 */
export function typesClaimingSafeguard(id: SafeguardId): string[] {
  return [
    ...new Set(
      RESOURCE_SAFEGUARDS.filter((r) => r.type !== '*' && !r.selective && r.safeguards.includes(id)).map((r) => r.type),
    ),
  ];
}

/**
 * Safeguards the table assigns to `resource` (before explicit tags), sorted in catalogue order. `rendered` is the
 * resource as the template has it, when the caller has it (the template being rendered); otherwise it is read or
 * rendered (templateResource) once, if a row needs it.
 */
export function safeguardsForResource(resource: CfnResource, rendered?: RenderedResource): SafeguardId[] {
  let entry = rendered;
  const read = (): RenderedResource => (entry ??= templateResource(resource));
  const ids = new Set<SafeguardId>();
  for (const r of RESOURCE_SAFEGUARDS) {
    if (r.type !== '*' && r.type !== resource.cfnResourceType) continue;
    if (r.when && !r.when(resource, read)) continue;
    r.safeguards.forEach((id) => ids.add(id));
  }
  return sortSafeguards([...ids]);
}

export { sortSafeguards };
