/**
 * The rules of a config that span fields, and the rules AWS or a construct would enforce later (checked here
 * instead, naming the config field). Each rule declares the top-level fields it reads and runs only when those
 * parsed without an issue, so a rule never sees a value of the wrong shape (no input can crash validation),
 * while unrelated problems are still all reported at once.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { z } from 'zod';
import {
  GUARDDUTY_FARGATE_AGENT_ACCOUNTS,
  guardDutyAgentRepositoryArn,
} from '../../constructs/guard-duty-agent-repository';
import { FARGATE_MEMORY_BY_CPU, MAX_CAPACITY_FACTOR } from '../../constructs/phi-service';
import { buildDirectoryProblem } from './build-directory';
import { Ipv4Block, nonVpcRangeOf, overlaps, parseCidr } from './cidr';
import { NamingInput, PHYSICAL_NAME_RULES } from './names';
import { ConfigProblem } from './problems';
import { BlueprintConfig, blueprintConfigSchema, ServiceConfig } from './schema';

/** A field a rule reads: a top-level field, or a path below one ('network.phiVpcCidr'). */
export type ReadPath = keyof BlueprintConfig | `${keyof BlueprintConfig}.${string}`;

/** A cross-field rule: the fields it reads, and the problems it finds. */
export interface ConfigRule {
  /** What the rule checks, for readers of this file and of the README. */
  readonly name: string;
  /**
   * The fields it reads: it runs only when none of them (nor what holds them) has a problem of its own. The narrower,
   * the more problems one run reports: a rule reading all of `network` said nothing while `network.azCount` was
   * wrong (the newcomer review of 2026-12-03).
   */
  readonly reads: readonly ReadPath[];
  readonly check: (config: BlueprintConfig) => ConfigProblem[];
}

/**
 * The private ranges of RFC 1918, and RFC 6598's shared address space (which AWS accepts for a VPC): a VPC's range must
 * lie inside one (the config review of 2026-12-04 found public ranges accepted).
 */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((r) => parseCidr(r)!);
const isPrivateRange = (block: Ipv4Block): boolean =>
  PRIVATE_RANGES.some((r) => r.first <= block.first && block.last <= r.last);
/** A range some AWS services use inside a VPC; the Amazon VPC User Guide ("VPC CIDR blocks") says not to use it. */
const AWS_SERVICES_RANGE = '172.17.0.0/16';

/** Addresses of one /24 application subnet a task can use: 256 less the five AWS reserves in every subnet. */
const ADDRESSES_PER_APP_SUBNET = 256 - 5;
/**
 * Network interfaces of the blueprint's own Lambda functions in the application tier, per AZ (Lambda's VPC
 * interfaces are shared per subnet and security group: one each for the alert formatter, the database users, the
 * restore validation, the access-audit volume check and the findings age check).
 */
const LAMBDA_INTERFACES_PER_AZ = 5;

/** The longest first domain name (the common name) of an ACM certificate request. */
const ACM_FIRST_NAME_MAX = 64;

/** Words that stand for nobody in a "who provides it" field. */
const PLACEHOLDER = /^(?:n\/?a|none|no|nobody|null|nil|tbd|tba|todo|fixme|unknown|x+|-+|\.+|\?+|\*+)$/i;

/** Smallest VPC that fits three tiers of /24 subnets in three AZs. */
const MAX_VPC_PREFIX = 20;
const MIN_VPC_PREFIX = 16;

/** The partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  return 'aws';
}

const problem = (path: readonly PropertyKey[], message: string): ConfigProblem => ({ path, message });

/**
 * An IAM role ARN of the environment's partition and account as IAM accepts one: `role/`, an optional path of
 * segments each ending in `/`, then a name of 1-64 characters of [A-Za-z0-9+=,.@_-] (a trailing `/` leaves no name;
 * a 65-character name is no role: the config review of 2026-12-04).
 */
function roleArnPattern(c: Pick<BlueprintConfig, 'account' | 'region'>): RegExp {
  return new RegExp(
    `^arn:${partitionOf(c.region)}:iam::${c.account}:role/(?=.{1,576}$)(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$`,
  );
}

function duplicates<T>(values: readonly T[], key: (v: T) => string): [number, number][] {
  const first = new Map<string, number>();
  const out: [number, number][] = [];
  values.forEach((v, i) => {
    const k = key(v);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else out.push([seen, i]);
  });
  return out;
}

/** The name a construct id is built from (AppStack: `<PascalName>Service`). */
export function pascalCase(name: string): string {
  return name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/**
 * Whether glob `a` matches every string glob `b` matches (`*` any run, `?` one character, as ALB path and
 * host conditions use them): a sound check, used to find routes a higher-priority route shadows.
 */
export function globCovers(a: string, b: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (i === a.length) result = j === b.length;
    else if (a[i] === '*') result = go(i + 1, j) || (j < b.length && go(i, j + 1));
    else if (j === b.length) result = false;
    else if (b[j] === '*') result = false;
    else if (a[i] === '?') result = go(i + 1, j + 1);
    else result = a[i] === b[j] && b[j] !== '?' && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

/** Whether a certificate for `certName` (exact, or `*.zone` for one label) covers host `host`. */
export function certificateCovers(certName: string, host: string): boolean {
  if (certName === host) return true;
  if (certName.startsWith('*.')) {
    const zone = certName.slice(2);
    const wildcardHost = host.startsWith('*.') ? host.slice(2) : host;
    return host.startsWith('*.')
      ? wildcardHost === zone
      : host.endsWith(`.${zone}`) && !host.slice(0, -zone.length - 1).includes('.');
  }
  return false;
}

/** Interface endpoints the deployed stacks call when the application tier has no internet route. */
export function requiredEndpoints(
  config: Pick<BlueprintConfig, 'services' | 'ecsExec'> & { readonly detection: { readonly securityHub: boolean } },
): Record<string, string> {
  const needs: Record<string, string> = {
    sns: 'the alert formatter publishes every security alert through it (D3)',
    backup: 'the restore validation reads each restore test job and records its validation result (I1)',
    rds: "the restore validation inspects each restored test database's configuration (I1)",
  };
  // Every in-VPC function that publishes metrics: the restore validation always, the others with what they watch.
  const publishers = ['the restore validation (I1)'];
  if (config.services.length > 0) publishers.push('the access-audit volume check (U5, D1)');
  if (config.detection.securityHub) publishers.push('the critical findings age check (V2, D2)');
  if (config.services.length > 0) {
    needs['ecr.api'] = 'the services pull their images (with the S3 gateway endpoint)';
    needs['ecr.dkr'] = 'the services pull their images (with the S3 gateway endpoint)';
    needs.logs = "the services' awslogs driver ships container logs (U3)";
    needs.secretsmanager = 'the database users provisioner reads the master secret at deploy time';
    needs.ssm = 'the services read their configuration from Parameter Store when their tasks start';
    needs['kinesis-firehose'] = 'the services append their access-audit events to their Firehose streams (U5)';
    needs.athena = 'the access-audit volume check queries the events through the access-audit workgroup (U5, D1)';
  }
  needs.monitoring = `${publishers.join(', ')} publish their results to CloudWatch`;
  if (config.detection.securityHub) {
    needs.securityhub = 'the critical findings age check reads the Security Hub findings (V2, D2)';
  }
  if (config.ecsExec) {
    needs.ssmmessages = 'ECS Exec sessions (ecsExec)';
    needs.kms = 'ECS Exec session encryption (ecsExec)';
  }
  return needs;
}

/**
 * The regions aws-cdk-lib knows (its region facts): a region name of the right shape that is none of them (us-east-7)
 * was refused only later, by a message about a construct's ARN (the newcomer review of 2026-12-03).
 */
function unknownRegionProblems(c: BlueprintConfig): ConfigProblem[] {
  const known = new Set(RegionInfo.regions.map((r) => r.name));
  const rule =
    'is not an AWS region aws-cdk-lib knows (a region newer than the installed aws-cdk-lib needs a newer one)';
  return [
    ...(known.has(c.region) ? [] : [problem(['region'], rule)]),
    ...c.allowedRegions.flatMap((r, i) => (known.has(r) ? [] : [problem(['allowedRegions', i], rule)])),
    ...(known.has(c.phiBucket.replicaRegion) ? [] : [problem(['phiBucket', 'replicaRegion'], rule)]),
  ];
}

export const CONFIG_RULES: readonly ConfigRule[] = [
  {
    name: 'regions aws-cdk-lib knows',
    reads: ['region', 'allowedRegions', 'phiBucket.replicaRegion'],
    check: unknownRegionProblems,
  },
  {
    name: 'region and allowedRegions',
    reads: ['region', 'allowedRegions'],
    check: (c) => [
      ...(c.allowedRegions.includes(c.region)
        ? []
        : [problem(['region'], `must be one of allowedRegions (${c.allowedRegions.join(', ')})`)]),
      ...duplicates(c.allowedRegions, (r) => r).map(([a, b]) =>
        problem(['allowedRegions', b], `must be unique; allowedRegions[${a}] is the same region`),
      ),
      ...c.allowedRegions
        .map((r, i) => [r, i] as const)
        .filter(([r]) => partitionOf(r) !== partitionOf(c.region))
        .map(([r, i]) =>
          problem(
            ['allowedRegions', i],
            `is in partition ${partitionOf(r)}; region ${c.region} is in ${partitionOf(c.region)}`,
          ),
        ),
    ],
  },
  {
    name: 'replica region',
    reads: ['region', 'allowedRegions', 'phiBucket'],
    check: (c) => {
      const replica = c.phiBucket.replicaRegion;
      if (replica === c.region)
        return [problem(['phiBucket', 'replicaRegion'], `must differ from region ${c.region} (cross-region copy, I1)`)];
      if (!c.allowedRegions.includes(replica)) {
        return [
          problem(['phiBucket', 'replicaRegion'], `must be one of allowedRegions (${c.allowedRegions.join(', ')})`),
        ];
      }
      return [];
    },
  },
  {
    name: 'VPC ranges',
    reads: ['network.phiVpcCidr', 'network.nonPhiVpcCidr'],
    check: (c) => {
      const out: ConfigProblem[] = [];
      const blocks = (['phiVpcCidr', 'nonPhiVpcCidr'] as const).map((field) => {
        const block = parseCidr(c.network[field]);
        if (!block) {
          out.push(
            problem(
              ['network', field],
              'must be a valid IPv4 CIDR with an aligned network address and no leading zeros, e.g. 10.10.0.0/16',
            ),
          );
          return undefined;
        }
        const reserved = nonVpcRangeOf(block);
        if (reserved !== undefined) {
          out.push(
            problem(
              ['network', field],
              `overlaps ${reserved}, which no VPC can use; use a private range (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)`,
            ),
          );
        } else if (!isPrivateRange(block)) {
          out.push(
            problem(
              ['network', field],
              'must be inside a private range (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16; or RFC 6598 shared space, 100.64.0.0/10): public addresses in a VPC shadow the internet hosts that own them, and AWS recommends private ranges',
            ),
          );
        } else if (overlaps(block, parseCidr(AWS_SERVICES_RANGE)!)) {
          out.push(
            problem(
              ['network', field],
              `overlaps ${AWS_SERVICES_RANGE}, which some AWS services use inside a VPC (the Amazon VPC User Guide says not to use it); choose another private range`,
            ),
          );
        }
        if (block.prefix < MIN_VPC_PREFIX || block.prefix > MAX_VPC_PREFIX) {
          out.push(
            problem(
              ['network', field],
              `prefix must be /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} (room for three tiers of /24 subnets)`,
            ),
          );
        }
        return block;
      });
      if (blocks[0] && blocks[1] && overlaps(blocks[0], blocks[1])) {
        out.push(
          problem(
            ['network', 'nonPhiVpcCidr'],
            `overlaps network.phiVpcCidr ${c.network.phiVpcCidr}; PHI and non-PHI VPCs must not share addresses`,
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'interface endpoints the stacks need',
    reads: ['network', 'services', 'ecsExec', 'detection'],
    check: (c) => {
      const endpoints = c.network.interfaceEndpoints;
      const out = duplicates(endpoints, (e) => e).map(([a, b]) =>
        problem(
          ['network', 'interfaceEndpoints', b],
          `must be unique; network.interfaceEndpoints[${a}] is the same endpoint`,
        ),
      );
      if (c.network.internetEgress === 'none') {
        for (const [name, why] of Object.entries(requiredEndpoints(c))) {
          if (!endpoints.includes(name)) {
            out.push(
              problem(
                ['network', 'interfaceEndpoints'],
                `must include '${name}': ${why}; the application tier has no internet route (internetEgress 'none')`,
              ),
            );
          }
        }
      }
      return out;
    },
  },
  {
    name: 'production: COMPLIANCE lock',
    reads: ['production', 'retention'],
    check: (c) =>
      c.production && c.retention.auditLockMode !== 'COMPLIANCE'
        ? [problem(['retention', 'auditLockMode'], 'must be COMPLIANCE in a production environment (safeguard U2)')]
        : [],
  },
  {
    name: 'production: a domain',
    reads: ['production', 'domain'],
    check: (c) =>
      c.production && !c.domain
        ? [problem(['domain'], 'is required in production: the load balancer needs a certificate (safeguard E3)')]
        : [],
  },
  {
    // In every environment: the gate's packs refuse a single-AZ database (HIPAA.Security-RDSMultiAZSupport,
    // NIST.800.53.R5-RDSMultiAZSupport, AwsSolutions-RDS3), and a PHI store's finding is never acknowledged; false
    // passed validation and failed synth with three findings on construct paths (the newcomer review of 2026-12-04).
    name: 'Multi-AZ database',
    reads: ['production', 'database'],
    check: (c) =>
      !c.database.multiAz
        ? [
            problem(
              ['database', 'multiAz'],
              c.production
                ? 'must be true in a production environment (safeguard I3)'
                : "must be true: the compliance gate requires a Multi-AZ PHI database in every environment (HIPAA.Security-RDSMultiAZSupport, NIST.800.53.R5-RDSMultiAZSupport, AwsSolutions-RDS3), and a PHI store's finding is never acknowledged (safeguard I3)",
            ),
          ]
        : [],
  },
  {
    name: 'interface endpoints in at most every AZ; in every AZ in production',
    reads: ['production', 'network'],
    check: (c) => {
      const n = c.network.interfaceEndpointAzCount;
      if (n === undefined) return [];
      if (n > c.network.azCount) {
        return [
          problem(
            ['network', 'interfaceEndpointAzCount'],
            `must be at most network.azCount (${c.network.azCount}): an endpoint has one network interface per AZ of the VPC`,
          ),
        ];
      }
      return c.production && n !== c.network.azCount
        ? [
            problem(
              ['network', 'interfaceEndpointAzCount'],
              `must be network.azCount (${c.network.azCount}) in a production environment: a task must keep its AWS endpoints when another AZ fails (safeguard I3)`,
            ),
          ]
        : [];
    },
  },
  {
    name: 'production: break-glass users',
    reads: ['production', 'breakGlassPrincipalArns'],
    check: (c) =>
      c.production && c.breakGlassPrincipalArns.length === 0
        ? [problem(['breakGlassPrincipalArns'], 'must name at least one IAM user in production (safeguard A5)')]
        : [],
  },
  {
    name: 'alert e-mails unique',
    reads: ['alertEmails'],
    check: (c) =>
      duplicates(c.alertEmails, (e) => e.toLowerCase()).map(([a, b]) =>
        problem(['alertEmails', b], `must be unique; alertEmails[${a}] is the same address`),
      ),
  },
  {
    name: 'detection switched off: who provides it',
    reads: ['detection'],
    check: (c) => {
      const d = c.detection;
      const off = [
        ...(['config', 'guardDuty', 'securityHub', 'macie', 'inspector'] as const).filter((k) => !d[k]),
        ...(d.findingsArchive === false ? (['findingsArchive'] as const) : []),
        ...(d.malwareProtection === false ? (['malwareProtection'] as const) : []),
      ];
      if (off.length > 0 && d.providedBy === undefined) {
        return [
          problem(
            ['detection', 'providedBy'],
            `is required when ${off.map((k) => `detection.${k}`).join(', ')} ${off.length === 1 ? 'is' : 'are'} false: name who provides ${off.length === 1 ? 'it' : 'them'} (the evidence records it, D2)`,
          ),
        ];
      }
      // A placeholder names nobody: the evidence would say the services are provided by 'n/a' (the config review of
      // 2026-12-04 found a production environment with every detection service off accepted that way).
      return d.providedBy !== undefined && PLACEHOLDER.test(d.providedBy.trim())
        ? [
            problem(
              ['detection', 'providedBy'],
              'is a placeholder: name who provides the detection services switched off here (an account, an organization administrator, another environment)',
            ),
          ]
        : [];
    },
  },
  {
    name: 'GuardDuty runtime monitoring: agent repository of the region',
    reads: ['detection', 'region'],
    check: (c) =>
      c.detection.guardDuty && guardDutyAgentRepositoryArn(c.region, partitionOf(c.region)) === undefined
        ? [
            problem(
              ['region'],
              `must be a region whose GuardDuty Fargate agent repository is known when detection.guardDuty is true (runtime monitoring pulls its sidecar from there; D2): one of ${Object.keys(GUARDDUTY_FARGATE_AGENT_ACCOUNTS).join(', ')}, or add the region to constructs/guard-duty-agent-repository.ts from the GuardDuty User Guide`,
            ),
          ]
        : [],
  },
  {
    // AWS Backup copies an RDS snapshot to another account or to another region in one copy action, not both (AWS
    // Backup Developer Guide, feature availability by resource; re:Post "troubleshoot cross-account copy").
    name: 'isolated copy vault of another account: same region',
    reads: ['backup', 'account', 'region'],
    check: (c) => {
      const arn = c.backup.isolatedCopyVaultArn;
      const m = arn === undefined ? null : /^arn:[^:]+:backup:([^:]+):(\d{12}):backup-vault:/.exec(arn);
      if (!m || m[2] === c.account || m[1] === c.region) return [];
      return [
        problem(
          ['backup', 'isolatedCopyVaultArn'],
          `must be in region ${c.region} when it belongs to another account (${m[2]}): AWS Backup cannot copy the database snapshots to another account and another region in one copy action (the replica region copy already covers the region)`,
        ),
      ];
    },
  },
  {
    // The shape alone let a vault of another partition, of a region outside allowedRegions, or of no region at all
    // through (the config review of 2026-12-04): every PHI recovery point is copied there.
    name: 'isolated copy vault: a region this organisation allows PHI in, of this partition',
    reads: ['backup', 'region', 'allowedRegions'],
    check: (c) => {
      const arn = c.backup.isolatedCopyVaultArn;
      const m = arn === undefined ? null : /^arn:([^:]+):backup:([^:]+):/.exec(arn);
      if (!m) return [];
      const [, partition, region] = m as unknown as [string, string, string];
      const known = new Set(RegionInfo.regions.map((r) => r.name));
      const out: ConfigProblem[] = [];
      if (partition !== partitionOf(c.region)) {
        out.push(
          problem(
            ['backup', 'isolatedCopyVaultArn'],
            `must be in partition ${partitionOf(c.region)} (region ${c.region}'s), not ${partition}: AWS Backup copies within a partition`,
          ),
        );
      }
      if (!known.has(region)) {
        out.push(
          problem(
            ['backup', 'isolatedCopyVaultArn'],
            `names region ${region}, which is not an AWS region aws-cdk-lib knows`,
          ),
        );
      } else if (!c.allowedRegions.includes(region)) {
        out.push(
          problem(
            ['backup', 'isolatedCopyVaultArn'],
            `is in region ${region}, not one of allowedRegions (${c.allowedRegions.join(', ')}): every PHI recovery point is copied there`,
          ),
        );
      }
      return out;
    },
  },
  {
    // The URL's shape alone let port 99999, a host of empty or dash-edged labels, and an IP address through (the
    // config review of 2026-12-04): SNS delivers to a public DNS name, and an IP literal names no certificate.
    name: 'alert HTTPS endpoint: a public host name and a port',
    reads: ['alertHttpsEndpoint'],
    check: (c) => {
      const url = c.alertHttpsEndpoint;
      if (url === undefined) return [];
      const m = /^https:\/\/([^/:?#]+)(?::(\d{1,5}))?/i.exec(url);
      if (!m) return [];
      const out: ConfigProblem[] = [];
      const host = m[1]!.toLowerCase();
      const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
      const labels = host.split('.');
      if (/^[\d.]+$/.test(host)) {
        out.push(
          problem(
            ['alertHttpsEndpoint'],
            `has host ${host}, an IP address: must be a DNS name (SNS verifies the endpoint's certificate against it)`,
          ),
        );
      } else if (
        host.length > 253 ||
        labels.length < 2 ||
        !labels.every((l) => label.test(l)) ||
        /^\d+$/.test(labels.at(-1)!)
      ) {
        out.push(
          problem(
            ['alertHttpsEndpoint'],
            `has host ${host}: must be a DNS name of at least two labels, each 1-63 letters, digits or inner dashes`,
          ),
        );
      }
      if (m[2] !== undefined && !(Number(m[2]) >= 1 && Number(m[2]) <= 65535)) {
        out.push(problem(['alertHttpsEndpoint'], `has port ${m[2]}: must be from 1 to 65535`));
      }
      return out;
    },
  },
  {
    // An environment named for production that is not one gets governance-mode vault locks and a relaxed gate (the
    // config review of 2026-12-04 found envName 'prod' with production: false accepted).
    name: 'an environment named for production is production',
    reads: ['envName', 'production'],
    check: (c) =>
      /^(?:prod|prd|production|live)\d*$/.test(c.envName) && !c.production
        ? [
            problem(
              ['production'],
              `must be true for environment '${c.envName}': its name says production (production: false relaxes the vault locks and the gate's production checks); rename the environment if it holds no production data`,
            ),
          ]
        : [],
  },
  {
    // Each task has its own network interface in the application tier (awsvpc). A fully scaled-out service (its
    // desiredCount times MAX_CAPACITY_FACTOR) in a rolling deployment (maxHealthyPercent 200) runs twice that; with
    // the interface endpoints and the functions there, it must fit in the tier's /24 subnets (the config review of
    // 2026-12-04: more tasks than addresses were accepted, and would fail to place at scale or deploy time).
    name: 'application tier addresses',
    reads: ['services', 'network.azCount', 'network.interfaceEndpoints'],
    check: (c) => {
      const tasks = c.services.reduce((n, s) => n + s.desiredCount * MAX_CAPACITY_FACTOR * 2, 0);
      const az = c.network.azCount;
      const fixed = (c.network.interfaceEndpoints.length + LAMBDA_INTERFACES_PER_AZ) * az;
      const available = ADDRESSES_PER_APP_SUBNET * az;
      if (tasks + fixed <= available) return [];
      // Named on the largest service's desiredCount: the field to lower.
      const largest = c.services.reduce(
        (best, sv, i) => (sv.desiredCount > c.services[best]!.desiredCount ? i : best),
        0,
      );
      return [
        problem(
          ['services', largest, 'desiredCount'],
          `with every service, need ${tasks} task addresses at most (the desiredCounts times ${MAX_CAPACITY_FACTOR} at full scale, twice during a deployment) beside ${fixed} for interface endpoints and functions, but the application tier has ${available} (${az} /24 subnets of ${ADDRESSES_PER_APP_SUBNET}): lower desiredCount or raise network.azCount`,
        ),
      ];
    },
  },
  {
    name: 'account services shared with another environment',
    reads: ['sharesAccountWith', 'envName', 'detection'],
    check: (c) => {
      if (c.sharesAccountWith === undefined) return [];
      if (c.sharesAccountWith === c.envName)
        return [problem(['sharesAccountWith'], 'must name another environment, not this one')];
      return (['config', 'guardDuty', 'securityHub', 'macie'] as const)
        .filter((k) => c.detection[k])
        .map((k) =>
          problem(
            ['detection', k],
            `must be false: environment '${c.sharesAccountWith}' creates it in this account and region (sharesAccountWith); a second one fails the deploy`,
          ),
        );
    },
  },
  {
    name: 'domain and certificate',
    reads: ['domain', 'account', 'region'],
    check: (c) => {
      const d = c.domain;
      if (!d) return [];
      const out: ConfigProblem[] = [];
      if (d.certificateArn !== undefined) {
        const arn = new RegExp(`^arn:${partitionOf(c.region)}:acm:${c.region}:${c.account}:certificate/[0-9a-f-]{36}$`);
        if (!arn.test(d.certificateArn)) {
          out.push(
            problem(
              ['domain', 'certificateArn'],
              `must be an ACM certificate ARN in partition ${partitionOf(c.region)}, region ${c.region}, account ${c.account}`,
            ),
          );
        }
        if (d.hostedZoneId !== undefined || d.hostedZoneName !== undefined) {
          out.push(
            problem(
              ['domain', 'hostedZoneId'],
              'must be absent with certificateArn: the certificate is imported, not issued in a zone',
            ),
          );
        }
      } else if (d.hostedZoneId === undefined || d.hostedZoneName === undefined) {
        out.push(
          problem(
            ['domain', 'hostedZoneId'],
            'with no certificateArn, hostedZoneId and hostedZoneName are needed to DNS-validate a new certificate',
          ),
        );
      } else if (d.name !== d.hostedZoneName && !d.name.endsWith(`.${d.hostedZoneName}`)) {
        out.push(
          problem(
            ['domain', 'hostedZoneName'],
            `must be ${d.name} or a parent of it: the certificate for domain.name is validated in this zone`,
          ),
        );
      }
      // The blueprint requests the certificate with domain.name as its first name (the subject's common name), which
      // ACM allows up to 64 characters (the config review of 2026-12-04: a longer name failed inside the construct).
      if (d.certificateArn === undefined && d.name.length > ACM_FIRST_NAME_MAX) {
        out.push(
          problem(
            ['domain', 'name'],
            `is ${d.name.length} characters: a certificate the blueprint requests names it first, which ACM allows up to ${ACM_FIRST_NAME_MAX}; use a shorter name or give certificateArn of a certificate that covers it`,
          ),
        );
      }
      return out;
    },
  },
  {
    name: 'key administrators',
    reads: ['keyAdminRoleArns', 'account', 'region'],
    check: (c) => {
      const arns = c.keyAdminRoleArns ?? [];
      const re = roleArnPattern(c);
      return [
        ...arns
          .map((arn, i) => [arn, i] as const)
          .filter(([arn]) => !re.test(arn))
          .map(([, i]) =>
            problem(
              ['keyAdminRoleArns', i],
              `must be an IAM role ARN in partition ${partitionOf(c.region)}, account ${c.account} (a role name of 1-64 characters after an optional path)`,
            ),
          ),
        ...duplicates(arns, (a) => a).map(([a, b]) =>
          problem(['keyAdminRoleArns', b], `must be unique; keyAdminRoleArns[${a}] is the same role`),
        ),
      ];
    },
  },
  {
    name: 'named key users',
    reads: ['databaseAdminRoleArns', 'auditReaderRoleArns', 'keyAdminRoleArns', 'account', 'region'],
    check: (c) => {
      const re = roleArnPattern(c);
      const admins = new Set(c.keyAdminRoleArns ?? []);
      return (['databaseAdminRoleArns', 'auditReaderRoleArns'] as const).flatMap((field) => {
        const arns = c[field] ?? [];
        return [
          ...arns.flatMap((arn, i) => [
            ...(re.test(arn)
              ? []
              : [
                  problem(
                    [field, i],
                    `must be an IAM role ARN in partition ${partitionOf(c.region)}, account ${c.account} (exact, no wildcards; a role name of 1-64 characters after an optional path)`,
                  ),
                ]),
            ...(admins.has(arn)
              ? [
                  problem(
                    [field, i],
                    'is also in keyAdminRoleArns: key administrators may not use the keys (E1 separates administration from use)',
                  ),
                ]
              : []),
          ]),
          ...duplicates(arns, (a) => a).map(([a, b]) =>
            problem([field, b], `must be unique; ${field}[${a}] is the same role`),
          ),
        ];
      });
    },
  },
  {
    name: 'break-glass users',
    reads: ['breakGlassPrincipalArns', 'region'],
    check: (c) => {
      const arns = c.breakGlassPrincipalArns;
      const re = new RegExp(`^arn:${partitionOf(c.region)}:iam::\\d{12}:user/[\\w+=,.@/-]{1,512}$`);
      return [
        ...arns
          .map((arn, i) => [arn, i] as const)
          .filter(([arn]) => !re.test(arn))
          .map(([, i]) =>
            problem(
              ['breakGlassPrincipalArns', i],
              `must be an IAM user ARN in partition ${partitionOf(c.region)} (arn:${partitionOf(c.region)}:iam::<account>:user/<name>) with hardware MFA; federated role sessions carry no MFA context and cannot assume the break-glass role`,
            ),
          ),
        ...duplicates(arns, (a) => a).map(([a, b]) =>
          problem(['breakGlassPrincipalArns', b], `must be unique; breakGlassPrincipalArns[${a}] is the same user`),
        ),
      ];
    },
  },
  {
    name: 'database engine',
    reads: ['database'],
    check: (c) =>
      c.database.engine === 'aurora-postgresql'
        ? [
            problem(
              ['database', 'engine'],
              "not available yet: cdk-nag RDSInBackupPlan flags Aurora member instances (cdklabs/cdk-nag#1627) and no acknowledgement may sit on a PHI store; use 'postgresql'",
            ),
          ]
        : [],
  },
  {
    name: 'vault lock within the daily retention',
    reads: ['backup.vaultMinRetentionDays', 'backup.dailyRetentionDays'],
    check: (c) =>
      c.backup.vaultMinRetentionDays > c.backup.dailyRetentionDays
        ? [
            problem(
              ['backup', 'vaultMinRetentionDays'],
              `must be at most backup.dailyRetentionDays (${c.backup.dailyRetentionDays}): a lock longer than a rule's retention fails that rule's jobs`,
            ),
          ]
        : [],
  },
  {
    name: 'services',
    reads: ['services', 'production'],
    check: (c) => servicesProblems(c.services, c.production),
  },
  {
    name: 'service images: a tag of its repository, or a directory with a Dockerfile',
    reads: ['services'],
    check: (c) => c.services.flatMap((s, i) => serviceImageProblems(s, i)),
  },
  {
    name: 'host routes covered by the certificate',
    reads: ['services', 'domain'],
    check: (c) =>
      c.services.flatMap((s, i) => {
        const host = s.routing.hostHeader;
        if (host === undefined) return [];
        if (!c.domain)
          return [
            problem(
              ['services', i, 'routing', 'hostHeader'],
              'needs domain: the HTTPS listener serves only names its certificate covers',
            ),
          ];
        return certificateCovers(c.domain.name, host)
          ? []
          : [
              problem(
                ['services', i, 'routing', 'hostHeader'],
                `is not covered by the certificate for domain.name ${c.domain.name}: browsers would refuse the TLS connection`,
              ),
            ];
      }),
  },
  {
    name: 'physical names AWS accepts',
    reads: ['appName', 'envName', 'account', 'region', 'phiBucket', 'services'],
    check: (c) => {
      const input: NamingInput & { services: readonly { name: string }[] } = c;
      const out: ConfigProblem[] = [];
      for (const rule of PHYSICAL_NAME_RULES) {
        for (const name of rule.names(input)) {
          const why = rule.problem(name);
          if (why)
            out.push(
              problem(
                ['appName'],
                `with envName '${c.envName}' gives the ${rule.what} '${name}', which AWS refuses: ${why}`,
              ),
            );
        }
      }
      return out;
    },
  },
];

/** Exactly one image source per service; a build directory must exist and hold a Dockerfile (file system read). */
function serviceImageProblems(s: ServiceConfig, i: number): ConfigProblem[] {
  const at = (...rest: PropertyKey[]): PropertyKey[] => ['services', i, ...rest];
  if (s.imageTag === undefined && s.buildDirectory === undefined) {
    return [
      problem(
        at('imageTag'),
        'is required unless buildDirectory is set: give the tag to run from the service repository, or a buildDirectory with a Dockerfile',
      ),
    ];
  }
  if (s.buildDirectory === undefined) return [];
  const out: ConfigProblem[] = [];
  if (s.imageTag !== undefined) {
    out.push(
      problem(
        at('imageTag'),
        'must be absent with buildDirectory: the image is built from the directory (give one of imageTag and buildDirectory)',
      ),
    );
  }
  if (s.awaitingFirstImage !== undefined) {
    out.push(
      problem(
        at('awaitingFirstImage'),
        'must be absent with buildDirectory: the deploy builds and pushes the image itself, so there is no image to wait for',
      ),
    );
  }
  const why = buildDirectoryProblem(s.buildDirectory);
  if (why !== undefined) out.push(problem(at('buildDirectory'), why));
  return out;
}

/** The rules of the services list (uniqueness, sizes, routing, production counts). */
function servicesProblems(services: readonly ServiceConfig[], production: boolean): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const at = (i: number, ...rest: PropertyKey[]): PropertyKey[] => ['services', i, ...rest];
  for (const [a, b] of duplicates(services, (s) => s.name))
    out.push(problem(at(b, 'name'), `must be unique; services[${a}] has the same name`));
  for (const [a, b] of duplicates(services, (s) => pascalCase(s.name))) {
    if (services[a]!.name !== services[b]!.name) {
      out.push(
        problem(
          at(b, 'name'),
          `collides with services[${a}].name '${services[a]!.name}': both give the construct id '${pascalCase(services[b]!.name)}'`,
        ),
      );
    }
  }
  for (const [a, b] of duplicates(services, (s) => String(s.routing.priority))) {
    out.push(problem(at(b, 'routing', 'priority'), `must be unique; services[${a}] has the same priority`));
  }
  services.forEach((s, i) => {
    const memories = FARGATE_MEMORY_BY_CPU[s.cpu];
    if (memories && !memories.includes(s.memoryMiB)) {
      out.push(
        problem(
          at(i, 'memoryMiB'),
          `is not a valid Fargate memory size for cpu ${s.cpu}: ${memories[0]}-${memories[memories.length - 1]} in steps of ${memories.length > 1 ? memories[1]! - memories[0]! : 0}`,
        ),
      );
    }
    if (production && s.desiredCount < 2) {
      out.push(
        problem(
          at(i, 'desiredCount'),
          'must be at least 2 in a production environment: tasks spread over AZs (safeguard I3)',
        ),
      );
    }
    if (s.routing.pathPattern === undefined && s.routing.hostHeader === undefined) {
      out.push(problem(at(i, 'routing'), 'must set pathPattern or hostHeader (or both)'));
    }
  });
  // A route is shadowed when a route of lower priority number (evaluated first) matches every request it matches.
  const byPriority = services.map((s, i) => ({ s, i })).sort((x, y) => x.s.routing.priority - y.s.routing.priority);
  byPriority.forEach(({ s, i }, k) => {
    for (const { s: earlier, i: j } of byPriority.slice(0, k)) {
      const e = earlier.routing;
      const r = s.routing;
      if (e.priority === r.priority) continue;
      if (e.pathPattern === undefined && e.hostHeader === undefined) continue;
      const pathCovered =
        e.pathPattern === undefined || (r.pathPattern !== undefined && globCovers(e.pathPattern, r.pathPattern));
      const hostCovered =
        e.hostHeader === undefined || (r.hostHeader !== undefined && globCovers(e.hostHeader, r.hostHeader));
      if (pathCovered && hostCovered) {
        out.push(
          problem(
            at(i, 'routing'),
            `is shadowed by services[${j}] '${earlier.name}' (priority ${e.priority} is evaluated first and matches every request this route matches): its requests would never reach '${s.name}'`,
          ),
        );
        break;
      }
    }
  });
  return out;
}

/** Whether a problem at `path` concerns the field `read`: at it, inside it, or at what holds it. */
const concerns = (read: ReadPath, path: readonly PropertyKey[]): boolean =>
  read.split('.').every((part, i) => i >= path.length || String(path[i]) === part);

const blocks = (rule: ConfigRule) => (payload: z.core.ParsePayload) =>
  !payload.issues.some(
    (issue) => issue.code !== 'unrecognized_keys' && rule.reads.some((read) => concerns(read, issue.path ?? [])),
  );

/** The schema with every cross-field rule attached (each runs only when the fields it reads parsed). */
export const validatedConfigSchema = CONFIG_RULES.reduce<z.ZodType<BlueprintConfig>>(
  (schema, rule) =>
    schema.superRefine(
      (config, ctx) => {
        for (const p of rule.check(config)) ctx.addIssue({ code: 'custom', path: [...p.path], message: p.message });
      },
      { when: blocks(rule) },
    ) as z.ZodType<BlueprintConfig>,
  blueprintConfigSchema as z.ZodType<BlueprintConfig>,
);
