import { BlueprintConfig } from './blueprint-config';
import { overlaps, parseCidr } from './cidr';
import { INTERFACE_ENDPOINT_SERVICES } from '../../constructs/interface-endpoint-services';
import { dataConfigProblems } from './data-config';
import { retentionProblems } from '../../constructs/core/retention';
import { appSessionConfigProblems } from './session-config';
import { serviceConfigProblems } from './service-config';

/** Raised when a config breaks a rule; lists every problem, each naming field, value and rule. */
export class ConfigValidationError extends Error {
  constructor(
    public readonly envName: string,
    public readonly problems: readonly string[],
  ) {
    super(
      `Invalid blueprint configuration for environment '${envName}' (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FQDN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** Smallest VPC that fits three tiers of /24 subnets in three AZs. */
const MAX_VPC_PREFIX = 20;
const MIN_VPC_PREFIX = 16;

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}

/** Every problem with the config (empty when valid). Pure: reads nothing but its argument. */
export function configProblems(config: BlueprintConfig): string[] {
  const problems: string[] = [];
  const add = (field: string, value: unknown, rule: string): void => {
    problems.push(`${field} = ${show(value)}: ${rule}`);
  };

  if (!/^[a-z][a-z0-9-]{1,11}$/.test(config.appName ?? '')) {
    add('appName', config.appName, 'must be 2-12 lower-case letters, digits or dashes, starting with a letter');
  }
  if (!/^[a-z][a-z0-9]{1,9}$/.test(config.envName ?? '')) {
    add('envName', config.envName, 'must be 2-10 lower-case letters or digits, starting with a letter');
  }
  if (!/^\d{12}$/.test(config.account ?? '')) {
    add('account', config.account, 'must be a 12-digit AWS account id');
  }
  const allowed = config.allowedRegions ?? [];
  if (allowed.length === 0) add('allowedRegions', allowed, 'must list at least one region');
  for (const [i, r] of allowed.entries()) {
    if (!REGION.test(r)) add(`allowedRegions[${i}]`, r, 'is not a region name such as us-east-1');
  }
  if (!REGION.test(config.region ?? '')) {
    add('region', config.region, 'is not a region name such as us-east-1');
  } else if (!allowed.includes(config.region)) {
    add('region', config.region, `must be one of allowedRegions (${allowed.join(', ') || 'none'})`);
  }

  const net = config.network;
  const blocks = (['phiVpcCidr', 'nonPhiVpcCidr'] as const).map((field) => {
    const value = net?.[field];
    const block = typeof value === 'string' ? parseCidr(value) : undefined;
    if (!block) {
      add(`network.${field}`, value, 'must be a valid IPv4 CIDR with an aligned network address, e.g. 10.10.0.0/16');
      return undefined;
    }
    if (block.prefix < MIN_VPC_PREFIX || block.prefix > MAX_VPC_PREFIX) {
      add(
        `network.${field}`,
        value,
        `prefix must be /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} (room for three tiers of /24 subnets)`,
      );
    }
    return block;
  });
  if (blocks[0] && blocks[1] && overlaps(blocks[0], blocks[1])) {
    add(
      'network.nonPhiVpcCidr',
      net.nonPhiVpcCidr,
      `overlaps network.phiVpcCidr ${net.phiVpcCidr}; PHI and non-PHI VPCs must not share addresses`,
    );
  }
  if (!Number.isInteger(net?.azCount) || net.azCount < 2 || net.azCount > 3) {
    add('network.azCount', net?.azCount, 'must be an integer from 2 to 3 (Multi-AZ, HIPAA 164.308(a)(7))');
  }
  if (net?.internetEgress !== 'none' && net?.internetEgress !== 'nat') {
    add('network.internetEgress', net?.internetEgress, "must be 'none' or 'nat'");
  }
  if (!Number.isInteger(net?.databasePort) || net.databasePort < 1 || net.databasePort > 65535) {
    add('network.databasePort', net?.databasePort, 'must be a port number from 1 to 65535');
  }
  for (const [i, name] of (net?.interfaceEndpoints ?? []).entries()) {
    if (!(name in INTERFACE_ENDPOINT_SERVICES)) {
      add(
        `network.interfaceEndpoints[${i}]`,
        name,
        `unknown endpoint; known: ${Object.keys(INTERFACE_ENDPOINT_SERVICES).join(', ')}`,
      );
    }
  }

  problems.push(...retentionProblems(config.retention ?? ({} as never)));
  if (config.production && config.retention?.auditLockMode !== 'COMPLIANCE') {
    add(
      'retention.auditLockMode',
      config.retention?.auditLockMode,
      'must be COMPLIANCE in a production environment (safeguard U2)',
    );
  }

  const emails = config.alertEmails ?? [];
  if (emails.length === 0)
    add('alertEmails', emails, 'must list at least one address that receives security alerts (safeguard D3)');
  for (const [i, e] of emails.entries()) {
    if (!EMAIL.test(e)) add(`alertEmails[${i}]`, e, 'is not an e-mail address');
  }

  const detection = config.detection as unknown;
  if (typeof detection !== 'object' || detection === null || Array.isArray(detection)) {
    add('detection', detection, 'must be an object with boolean config, guardDuty, securityHub, macie, inspector (D2)');
  } else {
    for (const field of ['config', 'guardDuty', 'securityHub', 'macie', 'inspector'] as const) {
      const value = (detection as Record<string, unknown>)[field];
      if (typeof value !== 'boolean') add(`detection.${field}`, value, 'must be true or false (safeguard D2)');
    }
    const slr = (detection as Record<string, unknown>).configServiceLinkedRole;
    if (slr !== 'create' && slr !== 'existing') {
      add(
        'detection.configServiceLinkedRole',
        slr,
        "must be 'create' (a fresh account) or 'existing' (AWSServiceRoleForConfig already exists: one per account)",
      );
    }
  }

  const domain = config.domain;
  if (config.production && !domain) {
    add('domain', domain, 'is required in production: the load balancer needs a certificate (safeguard E3)');
  }
  if (domain) {
    if (!FQDN.test(domain.name ?? ''))
      add('domain.name', domain.name, 'must be a lower-case fully qualified domain name');
    if (domain.certificateArn !== undefined) {
      const arn = new RegExp(`^arn:aws[a-z-]*:acm:${config.region}:${config.account}:certificate/[0-9a-f-]{36}$`);
      if (!arn.test(domain.certificateArn)) {
        add(
          'domain.certificateArn',
          domain.certificateArn,
          `must be an ACM certificate ARN in ${config.region}, account ${config.account}`,
        );
      }
    } else if (!domain.hostedZoneId || !domain.hostedZoneName) {
      add(
        'domain.hostedZoneId',
        domain.hostedZoneId,
        'with no certificateArn, hostedZoneId and hostedZoneName are needed to DNS-validate a new certificate',
      );
    }
  }

  for (const [i, arn] of (config.keyAdminRoleArns ?? []).entries()) {
    if (!new RegExp(`^arn:aws[a-z-]*:iam::${config.account}:role/[\\w+=,.@/-]+$`).test(arn)) {
      add(`keyAdminRoleArns[${i}]`, arn, `must be an IAM role ARN in account ${config.account}`);
    }
  }
  const breakGlass = (config.breakGlassPrincipalArns as readonly string[] | undefined) ?? [];
  if (config.production && breakGlass.length === 0) {
    add('breakGlassPrincipalArns', breakGlass, 'must name at least one IAM user in production (safeguard A5)');
  }
  for (const [i, arn] of breakGlass.entries()) {
    // The same rule as BreakGlassRole (constructs/break-glass-role.ts BREAK_GLASS_USER_ARN).
    if (!/^arn:aws[a-z-]*:iam::\d{12}:user\/[\w+=,.@/-]{1,512}$/.test(arn)) {
      add(
        `breakGlassPrincipalArns[${i}]`,
        arn,
        'must be an IAM user ARN in any account (arn:aws:iam::<account>:user/<name>) with hardware MFA; federated role sessions carry no MFA context and cannot assume the break-glass role',
      );
    }
  }
  problems.push(...dataConfigProblems(config));
  problems.push(...serviceConfigProblems(config));
  problems.push(...appSessionConfigProblems(config.app));
  return problems;
}

/** Throws ConfigValidationError listing every problem; returns the config unchanged when valid. */
export function validateConfig(config: BlueprintConfig): BlueprintConfig {
  const problems = configProblems(config);
  if (problems.length > 0) throw new ConfigValidationError(config.envName ?? '(unnamed)', problems);
  return config;
}
