/**
 * Alert formatter: turns an EventBridge event (CloudWatch alarm, GuardDuty, Security Hub, Macie,
 * Inspector or anything else), or the payload of a CloudWatch alarm's Lambda action, into a short SNS
 * notification that carries metadata only, never PHI.
 *
 * - Pure and total: `formatAlert` never throws. Anything it cannot read (null, arrays, wrong types,
 *   circular or huge input) becomes an "Unparseable event" alert.
 * - Allow-list, not deny-list: only named metadata fields are read, and each value must pass a
 *   validator (ARN, 12-digit account, region, ISO time, short identifier, enum). A value that fails
 *   becomes a placeholder and its field NAME (never its value) goes into `dropped`.
 * - Free text (alarm reasons, finding titles/descriptions/remediation/notes), S3 object keys,
 *   Macie classification details and query strings are never read into the message; when present
 *   they are listed in `dropped` so operators know to open the console link.
 * - S3 object ARNs are cut down to the bucket (or access point) ARN: object keys can hold PHI.
 * - The input is only walked along fixed paths, never serialised or enumerated.
 */

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL' | 'UNKNOWN';
export type AlertKind =
  | 'cloudwatch-alarm'
  | 'guardduty'
  | 'securityhub'
  | 'macie'
  | 'inspector'
  | 'malware-scan'
  | 'runtime-coverage'
  | 'tamper'
  | 'backup-copy'
  | 'heartbeat'
  | 'generic'
  | 'unparseable';

/** Detail-type of the CloudTrail management events the tamper rules route here (U6). */
export const CLOUDTRAIL_API_CALL = 'AWS API Call via CloudTrail';
/** The scheduled alert-path heartbeat (constructs/tamper-watches.ts HEARTBEAT_EVENT): logged, never published. */
export const HEARTBEAT_EVENT = { source: 'hipaa-blueprint.alert-path', detailType: 'Alert Path Heartbeat' } as const;

/**
 * Request parameters that name the resource of a watched action (names, ids and ARNs only). Every other request
 * parameter, and the response, is never read: a policy document, tags or a description could carry anything.
 */
export const TAMPER_RESOURCE_PARAMETERS: readonly string[] = [
  'name',
  'trailName',
  'bucketName',
  'keyId',
  'aliasName',
  'detectorId',
  'filterName',
  'ipSetId',
  'functionName',
  'topicArn',
  'subscriptionArn',
  'logGroupName',
  'filterName',
  'alarmName',
  'rule',
  'dBInstanceIdentifier',
  'dBSnapshotIdentifier',
  'sourceDBSnapshotIdentifier',
  'targetDBSnapshotIdentifier',
  'dBParameterGroupName',
  'exportTaskIdentifier',
  'backupPlanId',
  'backupVaultName',
  'recoveryPointArn',
  'configRuleName',
  'configurationRecorderName',
  'deliveryChannelName',
  'conformancePackName',
  'roleName',
  'jobId',
  'id',
].filter((p, i, all) => all.indexOf(p) === i);

export interface FormattedAlert {
  readonly kind: AlertKind;
  readonly severity: Severity;
  /** At most 100 printable ASCII characters (SNS email subject rules). */
  readonly subject: string;
  /** At most 4096 characters, printable ASCII and newlines; its last line lists `dropped`. */
  readonly message: string;
  /** Names of the fields left out or replaced by a placeholder; never their values. */
  readonly dropped: string[];
}

export const LIMITS = {
  subject: 100,
  message: 4096,
  droppedLine: 1024,
  findings: 10,
  resources: 20,
  resourcesPerFinding: 5,
  identifier: 256,
  arn: 1024,
} as const;

export const INVALID = '<invalid>';
export const MISSING = '<missing>';

// ---------------------------------------------------------------------------------------------
// Validators: return the (normalised) value when it is allowed, undefined otherwise.
// Lengths are checked before any regex, so huge strings cost nothing.
// ---------------------------------------------------------------------------------------------

type Validator = (s: string) => string | undefined;

const matching =
  (re: RegExp, max: number): Validator =>
  (s) =>
    s.length <= max && re.test(s) ? s : undefined;

const REGION_RE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const ARN_RE = /^arn:aws(-[a-z]+)*:[a-z0-9-]{1,63}:([a-z]{2}(-gov)?-[a-z]+-\d)?:(\d{12}|aws)?:[A-Za-z0-9._:/+=@-]+$/;
const ISO_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export const validAccount = matching(/^\d{12}$/, 12);
export const validRegion = matching(REGION_RE, 32);
export const validIdentifier = matching(/^[A-Za-z0-9._:/+=@-]+$/, LIMITS.identifier);
/** GuardDuty finding types may end in "!DNS" etc. */
const validFindingType = matching(/^[A-Za-z0-9._:/+=@!-]+$/, LIMITS.identifier);
/** Short human-readable labels with spaces (EventBridge detail-type, Security Hub ProductName). */
const validLabel = matching(/^[A-Za-z0-9][A-Za-z0-9 ._()-]*$/, 64);

const validTime: Validator = (s) => {
  if (s.length > 40 || !ISO_TIME_RE.test(s)) return undefined;
  const date = new Date(s);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

const oneOf =
  (...allowed: string[]): Validator =>
  (s) => {
    const upper = s.length <= 32 ? s.toUpperCase() : '';
    return allowed.includes(upper) ? upper : undefined;
  };

const validAlarmState = oneOf('OK', 'ALARM', 'INSUFFICIENT_DATA');
const validSeverityLabel = oneOf('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL');
const validCompliance = oneOf('PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE');

/** GuardDuty bands: 1.0-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-8.9 HIGH, 9.0-10.0 CRITICAL. */
export function guardDutySeverity(value: unknown): Severity | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 10) return undefined;
  if (value >= 9) return 'CRITICAL';
  if (value >= 7) return 'HIGH';
  if (value >= 4) return 'MEDIUM';
  return 'LOW';
}

const SEVERITY_RANK: Record<Severity, number> = {
  UNKNOWN: 0,
  INFORMATIONAL: 1,
  LOW: 2,
  MEDIUM: 3,
  HIGH: 4,
  CRITICAL: 5,
};

const isSeverity = (s: string): s is Severity => Object.prototype.hasOwnProperty.call(SEVERITY_RANK, s);

// ---------------------------------------------------------------------------------------------
// Safe reading of unknown input.
// ---------------------------------------------------------------------------------------------

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows a fixed path of own properties; anything else yields undefined. */
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current) || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Reads validated values and records the names of fields that are dropped. */
class Reader {
  readonly dropped = new Set<string>();

  drop(field: string): void {
    this.dropped.add(field);
  }

  /** Records `field` as dropped when it is present (used for free-text fields, never read). */
  dropIfPresent(value: unknown, field: string): void {
    if (value !== undefined && value !== null) this.drop(field);
  }

  text(value: unknown, field: string, valid: Validator): string {
    if (value === undefined || value === null) {
      this.drop(field);
      return MISSING;
    }
    const ok = typeof value === 'string' ? valid(value) : undefined;
    if (ok === undefined) {
      this.drop(field);
      return INVALID;
    }
    return ok;
  }

  /** Like `text`, but absence is fine (returns undefined, records nothing). */
  optionalText(value: unknown, field: string, valid: Validator): string | undefined {
    return value === undefined || value === null ? undefined : this.text(value, field, valid);
  }

  /**
   * An ARN without query string / fragment, with S3 object keys cut off; undefined (and `field`
   * dropped) when it is not an ARN.
   */
  arn(value: unknown, field: string): string | undefined {
    if (typeof value !== 'string' || value.length > LIMITS.arn * 2) {
      this.drop(field);
      return undefined;
    }
    let arn = value;
    const cut = arn.search(/[?#]/);
    if (cut >= 0) {
      arn = arn.slice(0, cut);
      this.drop(`${field}.query`);
    }
    if (arn.length > LIMITS.arn || !ARN_RE.test(arn)) {
      this.drop(field);
      return undefined;
    }
    const [, , service, region, account] = arn.split(':');
    const prefix = arn.split(':', 5).join(':') + ':';
    const resource = arn.slice(prefix.length);
    let kept = resource;
    if (service === 's3' && region === '' && account === '') {
      kept = resource.split('/')[0] ?? ''; // arn:aws:s3:::bucket/key -> bucket
    } else if (service?.startsWith('s3')) {
      const objectAt = resource.indexOf('/object/'); // access point / outposts object ARNs
      if (objectAt >= 0) kept = resource.slice(0, objectAt);
    }
    if (kept !== resource) this.drop(`${field}.objectKey`);
    return kept === '' ? undefined : prefix + kept;
  }

  /** Up to `limit` ARNs from an array; the rest are counted. */
  arns(value: unknown, field: string, limit: number): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.drop(field);
      return [];
    }
    const out: string[] = [];
    for (let i = 0; i < value.length && i < limit; i++) {
      const arn = this.arn(value[i], `${field}[]`);
      if (arn !== undefined && !out.includes(arn)) out.push(arn);
    }
    if (value.length > limit) this.drop(`${field}[] (${value.length - limit} more)`);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Decide: one parser per source, all producing the same Alert shape.
// ---------------------------------------------------------------------------------------------

interface Alert {
  kind: AlertKind;
  what: string;
  severity: Severity;
  account: string;
  region: string;
  time: string;
  eventId: string;
  resources: string[];
  consoleUrl: string;
  details: string[];
}

type Envelope = Omit<Alert, 'kind' | 'what' | 'severity' | 'consoleUrl' | 'details'>;

function readEnvelope(event: Rec, r: Reader): Envelope {
  return {
    account: r.text(event.account, 'account', validAccount),
    region: r.text(event.region, 'region', validRegion),
    time: r.text(event.time, 'time', validTime),
    eventId: r.text(event.id, 'id', validIdentifier),
    resources: r.arns(event.resources, 'resources', LIMITS.resources),
  };
}

function consoleBase(region: string): string | undefined {
  if (validRegion(region) === undefined) return undefined;
  if (region.startsWith('us-gov-')) return 'https://console.amazonaws-us-gov.com';
  if (region.startsWith('cn-')) return 'https://console.amazonaws.cn';
  return `https://${region}.console.aws.amazon.com`;
}

function consoleUrl(region: string, service: string, fragment: string): string {
  const base = consoleBase(region);
  return base === undefined ? 'unavailable (invalid region)' : `${base}/${service}/home?region=${region}#${fragment}`;
}

const usable = (s: string): boolean => s !== INVALID && s !== MISSING;

const ALARM_SEVERITY: Record<string, Severity | undefined> = {
  ALARM: 'HIGH',
  INSUFFICIENT_DATA: 'MEDIUM',
  OK: 'INFORMATIONAL',
};

function cloudWatchAlarm(event: Rec, r: Reader): Alert {
  const env = readEnvelope(event, r);
  const detail = event.detail;
  const name = r.text(at(detail, 'alarmName'), 'detail.alarmName', validIdentifier);
  const state = r.text(at(detail, 'state', 'value'), 'detail.state.value', validAlarmState);
  const previous = r.text(at(detail, 'previousState', 'value'), 'detail.previousState.value', validAlarmState);
  r.dropIfPresent(at(detail, 'state', 'reason'), 'detail.state.reason');
  r.dropIfPresent(at(detail, 'state', 'reasonData'), 'detail.state.reasonData');
  r.dropIfPresent(at(detail, 'previousState', 'reason'), 'detail.previousState.reason');
  r.dropIfPresent(at(detail, 'previousState', 'reasonData'), 'detail.previousState.reasonData');
  r.dropIfPresent(at(detail, 'configuration', 'description'), 'detail.configuration.description');
  const severity = ALARM_SEVERITY[state] ?? 'UNKNOWN';
  return {
    ...env,
    kind: 'cloudwatch-alarm',
    what: `CloudWatch alarm ${name} ${previous} -> ${state}`,
    severity,
    consoleUrl: consoleUrl(env.region, 'cloudwatch', `alarmsV2:alarm/${usable(name) ? encodeURIComponent(name) : ''}`),
    details: [`Alarm: ${name}`, `State: ${previous} -> ${state}`],
  };
}

/** Alarm-action payloads write offsets without a colon (`+0000`); normalise, then validate as usual. */
const validAlarmActionTime: Validator = (s) =>
  s.length > 40 ? undefined : validTime(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));

/**
 * A CloudWatch alarm invoking the function directly (Lambda alarm action). Its payload is not an
 * EventBridge event: `accountId`, `alarmArn` and `alarmData` instead of `account`, `resources`,
 * `detail`, and no event id. Same allow-list as `cloudWatchAlarm`: reasons and descriptions dropped.
 */
function cloudWatchAlarmAction(event: Rec, r: Reader): Alert {
  const data = event.alarmData;
  const account = r.text(event.accountId, 'accountId', validAccount);
  const region = r.text(event.region, 'region', validRegion);
  const time = r.text(event.time, 'time', validAlarmActionTime);
  const alarmArn = r.arn(event.alarmArn, 'alarmArn');
  const name = r.text(at(data, 'alarmName'), 'alarmData.alarmName', validIdentifier);
  const state = r.text(at(data, 'state', 'value'), 'alarmData.state.value', validAlarmState);
  const previous = r.text(at(data, 'previousState', 'value'), 'alarmData.previousState.value', validAlarmState);
  r.dropIfPresent(at(data, 'state', 'reason'), 'alarmData.state.reason');
  r.dropIfPresent(at(data, 'state', 'reasonData'), 'alarmData.state.reasonData');
  r.dropIfPresent(at(data, 'previousState', 'reason'), 'alarmData.previousState.reason');
  r.dropIfPresent(at(data, 'previousState', 'reasonData'), 'alarmData.previousState.reasonData');
  r.dropIfPresent(at(data, 'configuration', 'description'), 'alarmData.configuration.description');
  return {
    account,
    region,
    time,
    eventId: 'none (alarm action)',
    resources: alarmArn === undefined ? [] : [alarmArn],
    kind: 'cloudwatch-alarm',
    what: `CloudWatch alarm ${name} ${previous} -> ${state}`,
    severity: ALARM_SEVERITY[state] ?? 'UNKNOWN',
    consoleUrl: consoleUrl(region, 'cloudwatch', `alarmsV2:alarm/${usable(name) ? encodeURIComponent(name) : ''}`),
    details: [`Alarm: ${name}`, `State: ${previous} -> ${state}`],
  };
}

/** For findings, the affected account/region live in `detail`; fall back to the envelope. */
function findingLocation(detail: unknown, env: Envelope, r: Reader): { account: string; region: string } {
  const account = r.optionalText(at(detail, 'accountId'), 'detail.accountId', validAccount) ?? env.account;
  const region = r.optionalText(at(detail, 'region'), 'detail.region', validRegion) ?? env.region;
  return { account, region };
}

function guardDutyFinding(event: Rec, r: Reader): Alert {
  const env = readEnvelope(event, r);
  const detail = event.detail;
  const { account, region } = findingLocation(detail, env, r);
  const type = r.text(at(detail, 'type'), 'detail.type', validFindingType);
  const id = r.text(at(detail, 'id'), 'detail.id', validIdentifier);
  const resourceType = r.text(at(detail, 'resource', 'resourceType'), 'detail.resource.resourceType', validIdentifier);
  let severity = guardDutySeverity(at(detail, 'severity'));
  if (severity === undefined) {
    r.drop('detail.severity');
    severity = 'UNKNOWN';
  }
  const findingArn = at(detail, 'arn') === undefined ? undefined : r.arn(at(detail, 'arn'), 'detail.arn');
  r.dropIfPresent(at(detail, 'title'), 'detail.title');
  r.dropIfPresent(at(detail, 'description'), 'detail.description');
  r.dropIfPresent(at(detail, 'service'), 'detail.service');
  return {
    ...env,
    account,
    region,
    resources: findingArn === undefined ? env.resources : [findingArn, ...env.resources],
    kind: 'guardduty',
    what: `GuardDuty finding ${type}`,
    severity,
    consoleUrl: consoleUrl(
      region,
      'guardduty',
      `/findings?macros=current&fId=${usable(id) ? encodeURIComponent(id) : ''}`,
    ),
    details: [`Finding type: ${type}`, `Finding id: ${id}`, `Resource type: ${resourceType}`],
  };
}

function securityHubFindings(event: Rec, r: Reader): Alert {
  const env = readEnvelope(event, r);
  const findings = at(event.detail, 'findings');
  const list: unknown[] = Array.isArray(findings) ? findings : [];
  if (!Array.isArray(findings)) r.drop('detail.findings');
  const resources = [...env.resources];
  const details: string[] = [`Findings: ${list.length}`];
  let severity: Severity = 'UNKNOWN';
  for (let i = 0; i < list.length && i < LIMITS.findings; i++) {
    const f = list[i];
    const field = 'detail.findings[]';
    const label = r.text(at(f, 'Severity', 'Label'), `${field}.Severity.Label`, validSeverityLabel);
    if (isSeverity(label) && SEVERITY_RANK[label] > SEVERITY_RANK[severity]) severity = label;
    const generator = r.text(at(f, 'GeneratorId'), `${field}.GeneratorId`, validIdentifier);
    const product =
      r.optionalText(at(f, 'ProductName'), `${field}.ProductName`, validLabel) ??
      r.arn(at(f, 'ProductArn'), `${field}.ProductArn`) ??
      INVALID;
    const compliance =
      r.optionalText(at(f, 'Compliance', 'Status'), `${field}.Compliance.Status`, validCompliance) ?? 'n/a';
    const account = r.text(at(f, 'AwsAccountId'), `${field}.AwsAccountId`, validAccount);
    const region = r.text(at(f, 'Region'), `${field}.Region`, validRegion);
    const findingResources = at(f, 'Resources');
    const resourceList: unknown[] = Array.isArray(findingResources) ? findingResources : [];
    if (!Array.isArray(findingResources)) r.drop(`${field}.Resources`);
    const parts: string[] = [];
    for (let j = 0; j < resourceList.length && j < LIMITS.resourcesPerFinding; j++) {
      const type = r.text(at(resourceList[j], 'Type'), `${field}.Resources[].Type`, validIdentifier);
      const arn = r.arn(at(resourceList[j], 'Id'), `${field}.Resources[].Id`) ?? INVALID;
      parts.push(`${type} ${arn}`);
      if (arn !== INVALID && !resources.includes(arn) && resources.length < LIMITS.resources) resources.push(arn);
    }
    if (resourceList.length > LIMITS.resourcesPerFinding)
      r.drop(`${field}.Resources[] (beyond ${LIMITS.resourcesPerFinding})`);
    for (const freeText of ['Title', 'Description', 'Remediation', 'Note', 'ProductFields', 'UserDefinedFields']) {
      r.dropIfPresent(at(f, freeText), `${field}.${freeText}`);
    }
    details.push(
      `#${i + 1} [${label}] ${generator} | product: ${product} | compliance: ${compliance} | ` +
        `account: ${account} | region: ${region} | resources: ${parts.length > 0 ? parts.join(', ') : 'none'}`,
    );
  }
  if (list.length > LIMITS.findings) {
    details.push(`(${list.length - LIMITS.findings} more findings omitted)`);
    r.drop(`detail.findings[] (${list.length - LIMITS.findings} more)`);
  }
  return {
    ...env,
    resources,
    kind: 'securityhub',
    what: `Security Hub: ${list.length} finding(s)`,
    severity,
    consoleUrl: consoleUrl(env.region, 'securityhub', '/findings'),
    details,
  };
}

function macieFinding(event: Rec, r: Reader): Alert {
  const env = readEnvelope(event, r);
  const detail = event.detail;
  const { account, region } = findingLocation(detail, env, r);
  const type = r.text(at(detail, 'type'), 'detail.type', validFindingType);
  const id = r.text(at(detail, 'id'), 'detail.id', validIdentifier);
  const label = r.text(at(detail, 'severity', 'description'), 'detail.severity.description', validSeverityLabel);
  const bucketArn = r.arn(at(detail, 'resourcesAffected', 's3Bucket', 'arn'), 'detail.resourcesAffected.s3Bucket.arn');
  // Never read: object keys/paths, classification results (sensitive data occurrences), actors.
  r.dropIfPresent(at(detail, 'resourcesAffected', 's3Object'), 'detail.resourcesAffected.s3Object');
  r.dropIfPresent(at(detail, 'classificationDetails'), 'detail.classificationDetails');
  r.dropIfPresent(at(detail, 'policyDetails'), 'detail.policyDetails');
  r.dropIfPresent(at(detail, 'title'), 'detail.title');
  r.dropIfPresent(at(detail, 'description'), 'detail.description');
  const resources =
    bucketArn === undefined || env.resources.includes(bucketArn) ? env.resources : [bucketArn, ...env.resources];
  return {
    ...env,
    account,
    region,
    resources,
    kind: 'macie',
    what: `Macie finding ${type}`,
    severity: isSeverity(label) ? label : 'UNKNOWN',
    consoleUrl: consoleUrl(
      region,
      'macie',
      `findings?macros=current&itemId=${usable(id) ? encodeURIComponent(id) : ''}`,
    ),
    details: [`Finding type: ${type}`, `Finding id: ${id}`, `Bucket: ${bucketArn ?? INVALID}`],
  };
}

/** Inspector severities; UNTRIAGED (no vendor score yet) is reported as UNKNOWN. */
const validInspectorSeverity = oneOf('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'UNTRIAGED');

function inspectorFinding(event: Rec, r: Reader): Alert {
  const env = readEnvelope(event, r);
  const detail = event.detail;
  const account = r.optionalText(at(detail, 'awsAccountId'), 'detail.awsAccountId', validAccount) ?? env.account;
  const type = r.text(at(detail, 'type'), 'detail.type', validFindingType);
  const label = r.text(at(detail, 'severity'), 'detail.severity', validInspectorSeverity);
  const status = r.optionalText(at(detail, 'status'), 'detail.status', validIdentifier) ?? 'n/a';
  const vulnerability =
    r.optionalText(
      at(detail, 'packageVulnerabilityDetails', 'vulnerabilityId'),
      'detail.packageVulnerabilityDetails.vulnerabilityId',
      validIdentifier,
    ) ?? 'n/a';
  const findingArn =
    at(detail, 'findingArn') === undefined ? undefined : r.arn(at(detail, 'findingArn'), 'detail.findingArn');
  const affected = at(detail, 'resources');
  const affectedList: unknown[] = Array.isArray(affected) ? affected : [];
  if (affected !== undefined && !Array.isArray(affected)) r.drop('detail.resources');
  const resources = findingArn === undefined ? [...env.resources] : [findingArn, ...env.resources];
  const parts: string[] = [];
  for (let i = 0; i < affectedList.length && i < LIMITS.resourcesPerFinding; i++) {
    const resourceType = r.text(at(affectedList[i], 'type'), 'detail.resources[].type', validIdentifier);
    const arn = r.arn(at(affectedList[i], 'id'), 'detail.resources[].id') ?? INVALID;
    parts.push(`${resourceType} ${arn}`);
    if (arn !== INVALID && !resources.includes(arn) && resources.length < LIMITS.resources) resources.push(arn);
  }
  // Never read: titles, descriptions, remediation text, package paths, code snippets, network paths.
  for (const freeText of [
    'title',
    'description',
    'remediation',
    'codeVulnerabilityDetails',
    'networkReachabilityDetails',
  ]) {
    r.dropIfPresent(at(detail, freeText), `detail.${freeText}`);
  }
  r.dropIfPresent(
    at(detail, 'packageVulnerabilityDetails', 'vulnerablePackages'),
    'detail.packageVulnerabilityDetails.vulnerablePackages',
  );
  return {
    ...env,
    account,
    resources,
    kind: 'inspector',
    what: `Inspector finding ${type} ${vulnerability}`,
    severity: isSeverity(label) ? label : 'UNKNOWN',
    consoleUrl: consoleUrl(env.region, 'inspector', 'v2/findings'),
    details: [
      `Finding type: ${type}`,
      `Vulnerability: ${vulnerability}`,
      `Status: ${status}`,
      `Resources: ${parts.length > 0 ? parts.join(', ') : 'none'}`,
    ],
  };
}

/** The AWS Backup copy job states the alert pipeline routes here (constructs/alert-pipeline.ts BackupCopyJobFailures). */
const validCopyJobState = oneOf('FAILED', 'PARTIAL', 'COMPLETED', 'RUNNING', 'CREATED');

/**
 * An AWS Backup copy job that did not complete (I1, I2: a recovery point that did not reach the replica region's or
 * the isolated vault): the job id, its state, the resource type and the destination vault. The status message is free
 * text and is not copied (the console shows it).
 */
function backupCopyJob(event: Rec, r: Reader): Alert {
  const env = readEnvelope(event, r);
  const detail = event.detail;
  const jobId = r.text(at(detail, 'copyJobId'), 'detail.copyJobId', validIdentifier);
  const state = r.text(at(detail, 'state'), 'detail.state', validCopyJobState);
  const resourceType = r.text(at(detail, 'resourceType'), 'detail.resourceType', validIdentifier);
  const destination = r.arn(at(detail, 'destinationBackupVaultArn'), 'detail.destinationBackupVaultArn') ?? INVALID;
  r.dropIfPresent(at(detail, 'statusMessage'), 'detail.statusMessage');
  return {
    ...env,
    kind: 'backup-copy',
    what: `AWS Backup copy job ${state}: a ${resourceType} recovery point did not reach ${destination}`,
    severity: 'HIGH',
    consoleUrl: consoleUrl(env.region, 'backup', '/jobs/copy'),
    details: [
      `Copy job: ${jobId}`,
      `State: ${state}`,
      `Resource type: ${resourceType}`,
      `Destination vault: ${destination}`,
    ],
  };
}

/** Detail-types of GuardDuty Malware Protection for S3 and runtime monitoring the formatter parses (D2). */
export const MALWARE_SCAN_RESULT = 'GuardDuty Malware Protection Object Scan Result';
export const MALWARE_POST_SCAN_ACTION_FAILED = 'GuardDuty Malware Protection Post Scan Action Failed';
export const RUNTIME_UNHEALTHY = 'GuardDuty Runtime Protection Unhealthy';

const validBucketName = matching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 63);
const validScanResult = oneOf('NO_THREATS_FOUND', 'THREATS_FOUND', 'UNSUPPORTED', 'ACCESS_DENIED', 'FAILED');
const validScanStatus = oneOf('COMPLETED', 'SKIPPED', 'FAILED');
/** S3 version ids: URL-safe characters only. */
const validVersionId = matching(/^[A-Za-z0-9._+=-]+$/, 1024);
const MAX_THREAT_NAMES = 3;

/**
 * A Malware Protection for S3 object scan result or post-scan action failure (D2): bucket, version id, scan status,
 * result and up to three threat names. The object key is NEVER read (keys may hold PHI: a patient name in a file
 * name); it is recorded as dropped, and the responder finds the object by bucket and version id. The eTag, the
 * scanned file paths inside an archive and any other detail are not read either.
 */
function malwareScanEvent(event: Rec, detailType: string, r: Reader): Alert {
  const env = readEnvelope(event, r);
  const detail = event.detail;
  const object = at(detail, 's3ObjectDetails');
  const bucket = r.text(at(object, 'bucketName'), 'detail.s3ObjectDetails.bucketName', validBucketName);
  const version = r.optionalText(at(object, 'versionId'), 'detail.s3ObjectDetails.versionId', validVersionId);
  r.dropIfPresent(at(object, 'objectKey'), 'detail.s3ObjectDetails.objectKey');
  r.dropIfPresent(at(object, 'eTag'), 'detail.s3ObjectDetails.eTag');
  const failed = detailType === MALWARE_POST_SCAN_ACTION_FAILED;
  const status = failed ? undefined : r.text(at(detail, 'scanStatus'), 'detail.scanStatus', validScanStatus);
  const result = failed
    ? undefined
    : r.text(
        at(detail, 'scanResultDetails', 'scanResultStatus'),
        'detail.scanResultDetails.scanResultStatus',
        validScanResult,
      );
  const threats = at(detail, 'scanResultDetails', 'threats');
  const names: string[] = [];
  if (Array.isArray(threats)) {
    for (const threat of threats.slice(0, MAX_THREAT_NAMES)) {
      const name = r.optionalText(at(threat, 'name'), 'detail.scanResultDetails.threats[].name', validLabel);
      if (name !== undefined && name !== INVALID && !names.includes(name)) names.push(name);
      r.dropIfPresent(at(threat, 'filePaths'), 'detail.scanResultDetails.threats[].filePaths');
    }
    if (threats.length > MAX_THREAT_NAMES)
      r.drop(`detail.scanResultDetails.threats[] (${threats.length - MAX_THREAT_NAMES} more)`);
  } else if (threats !== undefined && threats !== null) {
    r.drop('detail.scanResultDetails.threats');
  }
  const what = failed
    ? `Malware scan post-scan action failed (object not tagged: no quarantine) in bucket ${bucket}`
    : `Malware scan ${result} in bucket ${bucket}`;
  return {
    ...env,
    kind: 'malware-scan',
    what,
    severity: failed || result === 'THREATS_FOUND' ? 'HIGH' : 'MEDIUM',
    consoleUrl: consoleUrl(env.region, 'guardduty', '/malware-protection-plans'),
    details: [
      `Bucket: ${bucket}`,
      `Object version: ${version ?? MISSING}`,
      'Object key: not shown (may hold PHI); find the object by bucket and version id',
      ...(failed ? [] : [`Scan status: ${status}`, `Scan result: ${result}`]),
      ...(names.length > 0 ? [`Threats: ${names.join(', ')}`] : []),
    ],
  };
}

/**
 * A GuardDuty runtime coverage change to unhealthy (D2): the resource type, the ECS cluster, the statuses. The issue
 * text is free text and is not read (see the GuardDuty console's runtime coverage tab).
 */
function runtimeCoverage(event: Rec, r: Reader): Alert {
  const env = readEnvelope(event, r);
  const detail = event.detail;
  const account =
    r.optionalText(at(detail, 'resourceAccountId'), 'detail.resourceAccountId', validAccount) ?? env.account;
  const type = r.text(
    at(detail, 'resourceDetails', 'resourceType'),
    'detail.resourceDetails.resourceType',
    validIdentifier,
  );
  const cluster = r.optionalText(
    at(detail, 'resourceDetails', 'ecsClusterDetails', 'clusterName'),
    'detail.resourceDetails.ecsClusterDetails.clusterName',
    validIdentifier,
  );
  const current = r.optionalText(at(detail, 'currentStatus'), 'detail.currentStatus', validIdentifier);
  const previous = r.optionalText(at(detail, 'previousStatus'), 'detail.previousStatus', validIdentifier);
  r.dropIfPresent(at(detail, 'issue'), 'detail.issue');
  return {
    ...env,
    account,
    kind: 'runtime-coverage',
    what: `GuardDuty runtime monitoring unhealthy for ${type}${cluster !== undefined ? ` cluster ${cluster}` : ''}`,
    severity: 'HIGH',
    consoleUrl: consoleUrl(env.region, 'guardduty', '/runtime-monitoring'),
    details: [
      `Resource type: ${type}`,
      `ECS cluster: ${cluster ?? MISSING}`,
      `Status: ${previous ?? MISSING} -> ${current ?? MISSING}`,
      'Issue: see the runtime coverage tab of the GuardDuty console',
    ],
  };
}

function genericEvent(event: Rec, source: string, detailType: string, r: Reader): Alert {
  const env = readEnvelope(event, r);
  r.dropIfPresent(event.detail, 'detail');
  return {
    ...env,
    kind: 'generic',
    what: `Event ${source} / ${detailType}`,
    severity: 'UNKNOWN',
    consoleUrl: consoleUrl(env.region, 'events', '/'),
    details: [`Source: ${source}`, `Detail type: ${detailType}`],
  };
}

/**
 * A watched CloudTrail management event (tamper rules, U6): who (identity type and ARN), what (event source and
 * name, outcome) and on which resource (the CloudTrail resource ARNs and TAMPER_RESOURCE_PARAMETERS). The request
 * parameters besides those, the response and any additional event data are never read.
 */
function tamperEvent(event: Rec, r: Reader): Alert {
  const env = readEnvelope(event, r);
  const detail = event.detail;
  const eventSource = r.text(at(detail, 'eventSource'), 'detail.eventSource', validIdentifier);
  const eventName = r.text(at(detail, 'eventName'), 'detail.eventName', validIdentifier);
  const actorType = r.text(at(detail, 'userIdentity', 'type'), 'detail.userIdentity.type', validIdentifier);
  const actorArn =
    at(detail, 'userIdentity', 'arn') === undefined
      ? r.optionalText(at(detail, 'userIdentity', 'invokedBy'), 'detail.userIdentity.invokedBy', validIdentifier)
      : r.arn(at(detail, 'userIdentity', 'arn'), 'detail.userIdentity.arn');
  const region = r.optionalText(at(detail, 'awsRegion'), 'detail.awsRegion', validRegion) ?? env.region;
  const cloudTrailId = r.optionalText(at(detail, 'eventID'), 'detail.eventID', validIdentifier);
  const errorCode = r.optionalText(at(detail, 'errorCode'), 'detail.errorCode', validIdentifier);
  r.dropIfPresent(at(detail, 'errorMessage'), 'detail.errorMessage');
  r.dropIfPresent(at(detail, 'responseElements'), 'detail.responseElements');
  r.dropIfPresent(at(detail, 'additionalEventData'), 'detail.additionalEventData');

  const listed = at(detail, 'resources');
  const resourceArns = Array.isArray(listed)
    ? r.arns(
        listed.slice(0, LIMITS.resources).map((x) => at(x, 'ARN')),
        'detail.resources[].ARN',
        LIMITS.resources,
      )
    : [];
  const parameters = at(detail, 'requestParameters');
  const named: string[] = [];
  if (isRecord(parameters)) {
    for (const key of Object.keys(parameters)) {
      if (!TAMPER_RESOURCE_PARAMETERS.includes(key)) {
        r.drop(`detail.requestParameters.${/^[A-Za-z0-9_]{1,64}$/.test(key) ? key : '<other>'}`);
      }
    }
    for (const key of TAMPER_RESOURCE_PARAMETERS) {
      const value = r.optionalText(at(parameters, key), `detail.requestParameters.${key}`, validIdentifier);
      if (value !== undefined && usable(value)) named.push(`${key}=${value}`);
    }
  } else {
    r.dropIfPresent(parameters, 'detail.requestParameters');
  }
  const actor = `${actorType} ${actorArn ?? MISSING}`;
  return {
    ...env,
    region,
    resources: [...env.resources, ...resourceArns.filter((a) => !env.resources.includes(a))],
    kind: 'tamper',
    what: `Tamper: ${eventName} (${eventSource}) by ${actorType}${errorCode === undefined ? '' : ` [${errorCode}]`}`,
    severity: 'HIGH',
    consoleUrl: consoleUrl(
      region,
      'cloudtrailv2',
      `/events${cloudTrailId && usable(cloudTrailId) ? `/${cloudTrailId}` : ''}`,
    ),
    details: [
      `Action: ${eventSource} ${eventName}`,
      `Outcome: ${errorCode === undefined ? 'succeeded' : `failed (${errorCode})`}`,
      `Actor: ${actor}`,
      `Resource parameters: ${named.length > 0 ? named.join(', ') : 'none'}`,
      `CloudTrail event id: ${cloudTrailId ?? MISSING}`,
    ],
  };
}

/** The scheduled heartbeat: proves the rule -> formatter path; the handler logs it and publishes nothing. */
function heartbeat(event: Rec, r: Reader): Alert {
  const env = readEnvelope(event, r);
  return {
    ...env,
    kind: 'heartbeat',
    what: 'Alert path heartbeat',
    severity: 'INFORMATIONAL',
    consoleUrl: consoleUrl(env.region, 'cloudwatch', 'alarmsV2:'),
    details: [],
  };
}

function unparseable(): Alert {
  return {
    kind: 'unparseable',
    what: 'Unparseable event',
    severity: 'UNKNOWN',
    account: INVALID,
    region: INVALID,
    time: INVALID,
    eventId: INVALID,
    resources: [],
    consoleUrl: 'unavailable',
    details: ['The event could not be parsed; see the alert formatter function logs and the source console.'],
  };
}

function decide(event: unknown, r: Reader): Alert {
  if (!isRecord(event)) {
    r.drop('event');
    return unparseable();
  }
  const source = typeof event.source === 'string' ? validIdentifier(event.source) : undefined;
  const hasOwn = (key: string): boolean => Object.prototype.hasOwnProperty.call(event, key);
  if (source === 'aws.cloudwatch' && !hasOwn('detail-type') && hasOwn('alarmData')) {
    return cloudWatchAlarmAction(event, r);
  }
  const detailType = typeof event['detail-type'] === 'string' ? validLabel(event['detail-type']) : undefined;
  if (source === undefined || detailType === undefined) {
    r.drop(source === undefined ? 'source' : 'detail-type');
    return unparseable();
  }
  if (source === 'aws.cloudwatch' && detailType === 'CloudWatch Alarm State Change') return cloudWatchAlarm(event, r);
  if (source === 'aws.guardduty' && detailType === 'GuardDuty Finding') return guardDutyFinding(event, r);
  if (source === 'aws.securityhub' && detailType === 'Security Hub Findings - Imported')
    return securityHubFindings(event, r);
  if (source === 'aws.macie' && detailType === 'Macie Finding') return macieFinding(event, r);
  if (source === 'aws.inspector2' && detailType === 'Inspector2 Finding') return inspectorFinding(event, r);
  if (
    source === 'aws.guardduty' &&
    (detailType === MALWARE_SCAN_RESULT || detailType === MALWARE_POST_SCAN_ACTION_FAILED)
  )
    return malwareScanEvent(event, detailType, r);
  if (source === 'aws.guardduty' && detailType === RUNTIME_UNHEALTHY) return runtimeCoverage(event, r);
  if (detailType === CLOUDTRAIL_API_CALL) return tamperEvent(event, r);
  if (source === 'aws.backup' && detailType === 'Copy Job State Change') return backupCopyJob(event, r);
  if (source === HEARTBEAT_EVENT.source && detailType === HEARTBEAT_EVENT.detailType) return heartbeat(event, r);
  return genericEvent(event, source, detailType, r);
}

// ---------------------------------------------------------------------------------------------
// Render: subject and message, with hard caps.
// ---------------------------------------------------------------------------------------------

const printable = (s: string): string => s.replace(/[^\x20-\x7e\n]/g, '?');

function droppedLine(dropped: string[]): string {
  const head = 'Dropped (field names only; details in the console): ';
  if (dropped.length === 0) return `${head}none`;
  const shown: string[] = [];
  let length = head.length;
  for (const name of dropped) {
    if (length + name.length + 2 > LIMITS.droppedLine - 20) break;
    shown.push(name);
    length += name.length + 2;
  }
  const more = dropped.length - shown.length;
  return `${head}${shown.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`;
}

function render(alert: Alert, r: Reader): FormattedAlert {
  const subject = printable(`[${alert.severity}] ${alert.what} | ${alert.account} ${alert.region}`)
    .replace(/\n/g, ' ')
    .slice(0, LIMITS.subject);
  const body = [
    `What: ${alert.what}`,
    `Severity: ${alert.severity}`,
    `Account: ${alert.account}`,
    `Region: ${alert.region}`,
    `Time: ${alert.time}`,
    `Event id: ${alert.eventId}`,
    `Resources:${alert.resources.length === 0 ? ' none' : ''}`,
    ...alert.resources.map((arn) => `  - ${arn}`),
    `Console: ${alert.consoleUrl}`,
    ...alert.details,
  ];
  let text = printable(body.join('\n'));
  if (text.length + 1 + droppedLine([...r.dropped]).length > LIMITS.message) {
    r.drop('message (truncated)');
    const marker = '\n[truncated]';
    const budget = LIMITS.message - 1 - droppedLine([...r.dropped]).length - marker.length;
    const cut = text.lastIndexOf('\n', budget);
    text = text.slice(0, cut > 0 ? cut : budget) + marker;
  }
  const dropped = [...r.dropped];
  return { kind: alert.kind, severity: alert.severity, subject, message: `${text}\n${droppedLine(dropped)}`, dropped };
}

/** Formats any input into a PHI-free alert. Never throws. */
export function formatAlert(event: unknown): FormattedAlert {
  const reader = new Reader();
  let alert: Alert;
  try {
    alert = decide(event, reader);
  } catch {
    // e.g. a throwing getter or Proxy trap: report only that the event could not be read.
    reader.dropped.clear();
    reader.drop('event');
    alert = unparseable();
  }
  return render(alert, reader);
}
