/**
 * Config mistakes a fork can make, each refused before any construct exists: the exact fields named (no more,
 * no less), one message in the promised form, exit code 1, and nothing written to the output directory.
 */
import { readdirSync, rmSync } from 'fs';
import { App } from 'aws-cdk-lib';
import { ENVIRONMENTS, validateConfig } from '../../lib/config';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { scratchDir } from '../support/scratch';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Case = readonly [name: string, base: 'dev' | 'prod', mutate: (c: Json) => unknown, fields: readonly string[]];

const clone = (env: 'dev' | 'prod'): Json => JSON.parse(JSON.stringify(ENVIRONMENTS[env]));
const service = (c: Json, overrides: Json = {}): Json => ({ ...c.services[0], ...overrides });
const LONG = 'x'.repeat(10000);
const HOSTILE = "it's\n${process.exit(1)}\u0000\u202e";

const CASES: readonly Case[] = [
  // Misspelt and unknown keys: refused, with the nearest known key suggested.
  ['typo in production', 'prod', (c) => ((c.producton = true), delete c.production), ['producton', 'production']],
  [
    'misspelt optional field of a service',
    'dev',
    (c) => (c.services[0].awaitingFirstImages = true),
    ['services[0].awaitingFirstImages'],
  ],
  [
    'misspelt keyAdminRoleArns',
    'dev',
    (c) => (c.keyAdminRoleArn = ['arn:aws:iam::111111111111:role/Admin']),
    ['keyAdminRoleArn'],
  ],
  [
    'misspelt interfaceEndpoints',
    'dev',
    (c) => ((c.network.interfaceEndpoint = c.network.interfaceEndpoints), delete c.network.interfaceEndpoints),
    ['network.interfaceEndpoint', 'network.interfaceEndpoints'],
  ],
  [
    'wrong case guardduty',
    'dev',
    (c) => ((c.detection.guardduty = true), delete c.detection.guardDuty),
    ['detection.guardduty', 'detection.guardDuty'],
  ],
  [
    'multiAZ for multiAz',
    'dev',
    (c) => ((c.database.multiAZ = true), delete c.database.multiAz),
    ['database.multiAZ', 'database.multiAz'],
  ],
  ['unknown retention key', 'dev', (c) => (c.retention.logRetention = 2192), ['retention.logRetention']],
  ['unknown app key', 'dev', (c) => (c.app.sessionTimeout = 15), ['app.sessionTimeout']],
  [
    'unknown domain key',
    'dev',
    (c) => (c.domain = { name: 'app.example.org', certArn: 'x' }),
    ['domain.certArn', 'domain.hostedZoneId'],
  ],
  ['unknown routing key', 'dev', (c) => (c.services[0].routing.path = '/x'), ['services[0].routing.path']],
  ['unknown top-level key', 'dev', (c) => (c.foo = 1), ['foo']],
  ['unknown phiBucket key', 'dev', (c) => (c.phiBucket.replica = 'us-west-2'), ['phiBucket.replica']],
  ['unknown backup key', 'dev', (c) => (c.backup.daily = 35), ['backup.daily']],
  ['unknown detection key', 'dev', (c) => (c.detection.inspectr = true), ['detection.inspectr']],
  ['unknown network key', 'dev', (c) => (c.network.natGateways = 1), ['network.natGateways']],
  // Wrong types, null and missing sections.
  ["production: 'false' (a string is truthy)", 'prod', (c) => (c.production = 'false'), ['production']],
  ['numeric account id', 'dev', (c) => (c.account = 111111111111), ['account']],
  ['allowedRegions null', 'dev', (c) => (c.allowedRegions = null), ['allowedRegions']],
  ['allowedRegions missing', 'dev', (c) => delete c.allowedRegions, ['allowedRegions']],
  ['allowedRegions a string', 'dev', (c) => (c.allowedRegions = 'us-east-1'), ['allowedRegions']],
  ['services a string', 'dev', (c) => (c.services = 'api'), ['services']],
  ['a null service entry', 'dev', (c) => (c.services = [null]), ['services[0]']],
  ['a service entry that is a string', 'dev', (c) => (c.services = ['api']), ['services[0]']],
  ['alertEmails a string', 'dev', (c) => (c.alertEmails = 'security@example.org'), ['alertEmails']],
  ['network null', 'dev', (c) => (c.network = null), ['network']],
  ['network missing', 'dev', (c) => delete c.network, ['network']],
  ["azCount '2'", 'dev', (c) => (c.network.azCount = '2'), ['network.azCount']],
  ['fractional port', 'dev', (c) => (c.network.databasePort = 5433.5), ['network.databasePort']],
  ['retention missing', 'dev', (c) => delete c.retention, ['retention']],
  ['detection null', 'dev', (c) => (c.detection = null), ['detection']],
  ["detection.macie 'yes'", 'dev', (c) => (c.detection.macie = 'yes'), ['detection.macie']],
  ['multiAz 1', 'dev', (c) => (c.database.multiAz = 1), ['database.multiAz']],
  ["ecsExec 'no'", 'dev', (c) => (c.ecsExec = 'no'), ['ecsExec']],
  ["cpu '512'", 'dev', (c) => (c.services[0].cpu = '512'), ['services[0].cpu']],
  ['routing null', 'dev', (c) => (c.services[0].routing = null), ['services[0].routing']],
  ['breakGlassPrincipalArns missing', 'dev', (c) => delete c.breakGlassPrincipalArns, ['breakGlassPrincipalArns']],
  [
    'keyAdminRoleArns a string',
    'dev',
    (c) => (c.keyAdminRoleArns = 'arn:aws:iam::111111111111:role/A'),
    ['keyAdminRoleArns'],
  ],
  ['app missing', 'dev', (c) => delete c.app, ['app']],
  ['owner a number', 'dev', (c) => (c.owner = 42), ['owner']],
  ['envName missing', 'dev', (c) => delete c.envName, ['envName']],
  [
    'awaitingFirstImage a string',
    'dev',
    (c) => (c.services[0].awaitingFirstImage = 'yes'),
    ['services[0].awaitingFirstImage'],
  ],
  ['NaN port', 'dev', (c) => (c.network.databasePort = Number.NaN), ['network.databasePort']],
  // Bounds.
  ['database port below 1150', 'dev', (c) => (c.network.databasePort = 1000), ['network.databasePort']],
  ['the PostgreSQL default port', 'dev', (c) => (c.network.databasePort = 5432), ['network.databasePort']],
  ['port above 65535', 'dev', (c) => (c.network.databasePort = 70000), ['network.databasePort']],
  ['one AZ', 'dev', (c) => (c.network.azCount = 1), ['network.azCount']],
  ['four AZs', 'dev', (c) => (c.network.azCount = 4), ['network.azCount']],
  ['one year of logs', 'dev', (c) => (c.retention.logRetentionDays = 365), ['retention.logRetentionDays']],
  [
    'a retention CloudWatch does not accept',
    'dev',
    (c) => (c.retention.logRetentionDays = 2200),
    ['retention.logRetentionDays'],
  ],
  [
    'audit retention under six years',
    'dev',
    (c) => (c.retention.auditRetentionDays = 2000),
    ['retention.auditRetentionDays'],
  ],
  [
    'Object Lock over 100 years',
    'dev',
    (c) => (c.retention.auditRetentionDays = 40000),
    ['retention.auditRetentionDays'],
  ],
  ['a 100,000 GiB database', 'dev', (c) => (c.database.allocatedStorageGiB = 100000), ['database.allocatedStorageGiB']],
  ['a 5 GiB database', 'dev', (c) => (c.database.allocatedStorageGiB = 5), ['database.allocatedStorageGiB']],
  ['7 days of PITR', 'dev', (c) => (c.database.backupRetentionDays = 7), ['database.backupRetentionDays']],
  ['60 days of PITR', 'dev', (c) => (c.database.backupRetentionDays = 60), ['database.backupRetentionDays']],
  [
    '30-day noncurrent versions',
    'dev',
    (c) => (c.phiBucket.noncurrentVersionExpirationDays = 30),
    ['phiBucket.noncurrentVersionExpirationDays'],
  ],
  ['100-day monthly backups', 'dev', (c) => (c.backup.monthlyRetentionDays = 100), ['backup.monthlyRetentionDays']],
  [
    'vault lock longer than the daily rule',
    'dev',
    (c) => (c.backup.vaultMinRetentionDays = 40),
    ['backup.vaultMinRetentionDays'],
  ],
  ['36 days of continuous backups', 'dev', (c) => (c.backup.dailyRetentionDays = 36), ['backup.dailyRetentionDays']],
  [
    'an isolated copy vault that is not a backup vault ARN',
    'prod',
    (c) => (c.backup.isolatedCopyVaultArn = 'arn:aws:s3:::airgap-vault'),
    ['backup.isolatedCopyVaultArn'],
  ],
  [
    'an isolated copy vault of another account in another region (one copy action cannot do both for RDS)',
    'prod',
    (c) => (c.backup.isolatedCopyVaultArn = 'arn:aws:backup:us-east-2:333333333333:backup-vault:phi-airgap'),
    ['backup.isolatedCopyVaultArn'],
  ],
  // The config review of 2026-12-04: these three were accepted (the ARN's shape alone was checked).
  [
    'an isolated copy vault in a region outside allowedRegions',
    'prod',
    (c) => (c.backup.isolatedCopyVaultArn = 'arn:aws:backup:eu-west-1:222222222222:backup-vault:phi-airgap'),
    ['backup.isolatedCopyVaultArn'],
  ],
  [
    'an isolated copy vault of another partition',
    'prod',
    (c) => (c.backup.isolatedCopyVaultArn = 'arn:aws-us-gov:backup:us-gov-west-1:222222222222:backup-vault:phi-airgap'),
    ['backup.isolatedCopyVaultArn'],
  ],
  [
    'an isolated copy vault of a region that does not exist',
    'prod',
    (c) => (c.backup.isolatedCopyVaultArn = 'arn:aws:backup:us-east-9:222222222222:backup-vault:phi-airgap'),
    ['backup.isolatedCopyVaultArn'],
  ],
  [
    'a zero-hour recovery time objective',
    'dev',
    (c) => (c.backup.recoveryTimeObjectiveHours = 0),
    ['backup.recoveryTimeObjectiveHours'],
  ],
  [
    'a recovery time objective over 72 hours',
    'prod',
    (c) => (c.backup.recoveryTimeObjectiveHours = 73),
    ['backup.recoveryTimeObjectiveHours'],
  ],
  [
    'a fractional recovery time objective',
    'prod',
    (c) => (c.backup.recoveryTimeObjectiveHours = 24.5),
    ['backup.recoveryTimeObjectiveHours'],
  ],
  [
    'a recovery time objective as text',
    'dev',
    (c) => (c.backup.recoveryTimeObjectiveHours = '24'),
    ['backup.recoveryTimeObjectiveHours'],
  ],
  [
    'no backup endpoint for the restore validation',
    'prod',
    (c) => (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'backup')),
    ['network.interfaceEndpoints'],
  ],
  [
    'no rds endpoint for the inspection of restored test databases',
    'prod',
    (c) => (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'rds')),
    ['network.interfaceEndpoints'],
  ],
  ['an hour-long session', 'dev', (c) => (c.app.sessionTimeoutMinutes = 60), ['app.sessionTimeoutMinutes']],
  ['a zero-minute session', 'dev', (c) => (c.app.sessionTimeoutMinutes = 0), ['app.sessionTimeoutMinutes']],
  [
    'a zero access volume threshold',
    'dev',
    (c) => (c.app.accessVolumeThresholdPerHour = 0),
    ['app.accessVolumeThresholdPerHour'],
  ],
  [
    'a fractional access volume threshold',
    'dev',
    (c) => (c.app.accessVolumeThresholdPerHour = 2.5),
    ['app.accessVolumeThresholdPerHour'],
  ],
  [
    'an access volume threshold above the maximum',
    'dev',
    (c) => (c.app.accessVolumeThresholdPerHour = 1_000_001),
    ['app.accessVolumeThresholdPerHour'],
  ],
  [
    'an access volume threshold as text',
    'dev',
    (c) => (c.app.accessVolumeThresholdPerHour = '500'),
    ['app.accessVolumeThresholdPerHour'],
  ],
  [
    'a zero-day critical finding age',
    'dev',
    (c) => (c.detection.criticalFindingMaxAgeDays = 0),
    ['detection.criticalFindingMaxAgeDays'],
  ],
  [
    'a fractional critical finding age',
    'dev',
    (c) => (c.detection.criticalFindingMaxAgeDays = 7.5),
    ['detection.criticalFindingMaxAgeDays'],
  ],
  [
    'a critical finding age beyond the findings retention',
    'prod',
    (c) => (c.detection.criticalFindingMaxAgeDays = 91),
    ['detection.criticalFindingMaxAgeDays'],
  ],
  [
    'a critical finding age as text',
    'dev',
    (c) => (c.detection.criticalFindingMaxAgeDays = '30'),
    ['detection.criticalFindingMaxAgeDays'],
  ],
  [
    'Security Hub on without its endpoint and no internet egress',
    'dev',
    (c) => {
      c.network.internetEgress = 'none';
      c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'securityhub');
    },
    ['network.interfaceEndpoints'],
  ],
  ['zero tasks', 'dev', (c) => (c.services[0].desiredCount = 0), ['services[0].desiredCount']],
  ['a thousand tasks', 'dev', (c) => (c.services[0].desiredCount = 1000), ['services[0].desiredCount']],
  ['container port 443', 'dev', (c) => (c.services[0].containerPort = 443), ['services[0].containerPort']],
  ['container port 70000', 'dev', (c) => (c.services[0].containerPort = 70000), ['services[0].containerPort']],
  ['cpu 300', 'dev', (c) => (c.services[0].cpu = 300), ['services[0].cpu']],
  [
    'memory too large for its cpu',
    'dev',
    (c) => ((c.services[0].cpu = 256), (c.services[0].memoryMiB = 4096)),
    ['services[0].memoryMiB'],
  ],
  ['priority 0', 'dev', (c) => (c.services[0].routing.priority = 0), ['services[0].routing.priority']],
  ['priority 60000', 'dev', (c) => (c.services[0].routing.priority = 60000), ['services[0].routing.priority']],
  [
    '21 alert addresses',
    'dev',
    (c) => (c.alertEmails = Array.from({ length: 21 }, (_, i) => `a${i}@example.org`)),
    ['alertEmails'],
  ],
  // Names and hostile strings.
  ["appName with '--'", 'dev', (c) => (c.appName = 'my--app'), ['appName']],
  ['appName with a trailing dash', 'dev', (c) => (c.appName = 'myapp-'), ['appName']],
  ["appName with 'aws'", 'dev', (c) => (c.appName = 'awsapp'), ['appName']],
  ['appName upper case', 'dev', (c) => (c.appName = 'Hipaa'), ['appName']],
  ['appName of one letter', 'dev', (c) => (c.appName = 'h'), ['appName']],
  ['appName of 10,000 characters', 'dev', (c) => (c.appName = LONG), ['appName']],
  ['appName with unicode', 'dev', (c) => (c.appName = 'appé'), ['appName']],
  ["appName whose bucket name S3 reserves ('sthree-')", 'dev', (c) => (c.appName = 'sthree'), ['appName']],
  ["appName whose bucket name S3 reserves ('amzn-s3-demo-')", 'dev', (c) => (c.appName = 'amzn-s3-demo'), ['appName']],
  ['envName upper case', 'dev', (c) => (c.envName = 'Dev'), ['envName']],
  ['envName with a dash', 'dev', (c) => (c.envName = 'pre-prod'), ['envName']],
  ['empty owner', 'dev', (c) => (c.owner = ''), ['owner']],
  ['300-character owner', 'dev', (c) => (c.owner = 'o'.repeat(300)), ['owner']],
  ['owner with a newline, a quote and ${}', 'dev', (c) => (c.owner = HOSTILE), ['owner']],
  ['owner with markup', 'dev', (c) => (c.owner = '<script>alert(1)</script>'), ['owner']],
  ['service name with an underscore', 'dev', (c) => (c.services[0].name = 'Api_Service'), ['services[0].name']],
  ["service named 'postgres'", 'dev', (c) => (c.services[0].name = 'postgres'), ['services[0].name']],
  [
    "service named 'dbadmin' (the database's master user)",
    'dev',
    (c) => (c.services[0].name = 'dbadmin'),
    ['services[0].name'],
  ],
  ["service named 'rds-proxy'", 'dev', (c) => (c.services[0].name = 'rds-proxy'), ['services[0].name']],
  ["image tag 'latest'", 'dev', (c) => (c.services[0].imageTag = 'latest'), ['services[0].imageTag']],
  ['image tag with a space', 'dev', (c) => (c.services[0].imageTag = 'v1 beta'), ['services[0].imageTag']],
  ['image tag of 10,000 characters', 'dev', (c) => (c.services[0].imageTag = LONG), ['services[0].imageTag']],
  // Where the image comes from: a tag of the service's repository, or a directory with a Dockerfile.
  ['both an image tag and a build directory', 'dev', (c) => (c.services[0].imageTag = 'v1'), ['services[0].imageTag']],
  [
    'neither an image tag nor a build directory',
    'dev',
    (c) => delete c.services[0].buildDirectory,
    ['services[0].imageTag'],
  ],
  [
    'a build directory next to the tag and awaitingFirstImage of prod',
    'prod',
    (c) => (c.services[0].buildDirectory = 'services/sample-api'),
    ['services[0].imageTag', 'services[0].awaitingFirstImage'],
  ],
  [
    'awaitingFirstImage false with a build directory',
    'dev',
    (c) => (c.services[0].awaitingFirstImage = false),
    ['services[0].awaitingFirstImage'],
  ],
  [
    'a build directory that does not exist',
    'dev',
    (c) => (c.services[0].buildDirectory = 'services/no-such-service'),
    ['services[0].buildDirectory'],
  ],
  [
    'a build directory without a Dockerfile',
    'dev',
    (c) => (c.services[0].buildDirectory = 'services'),
    ['services[0].buildDirectory'],
  ],
  [
    'a build directory that is a file',
    'dev',
    (c) => (c.services[0].buildDirectory = 'services/sample-api/Dockerfile'),
    ['services[0].buildDirectory'],
  ],
  [
    'a build directory outside the repository',
    'dev',
    (c) => (c.services[0].buildDirectory = '../sample-api'),
    ['services[0].buildDirectory'],
  ],
  [
    'an absolute build directory',
    'dev',
    (c) => (c.services[0].buildDirectory = '/etc'),
    ['services[0].buildDirectory'],
  ],
  [
    'a build directory that is a number',
    'dev',
    (c) => (c.services[0].buildDirectory = 7),
    ['services[0].buildDirectory'],
  ],
  ['a hostile build directory', 'dev', (c) => (c.services[0].buildDirectory = HOSTILE), ['services[0].buildDirectory']],
  [
    'no ssm endpoint for the services to read their configuration',
    'dev',
    (c) => (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'ssm')),
    ['network.interfaceEndpoints'],
  ],
  [
    'interface endpoints in more AZs than the VPC has',
    'dev',
    (c) => (c.network.interfaceEndpointAzCount = 3),
    ['network.interfaceEndpointAzCount'],
  ],
  [
    'interface endpoints in zero AZs',
    'dev',
    (c) => (c.network.interfaceEndpointAzCount = 0),
    ['network.interfaceEndpointAzCount'],
  ],
  [
    'interface endpoint AZ count as a string',
    'dev',
    (c) => (c.network.interfaceEndpointAzCount = '1'),
    ['network.interfaceEndpointAzCount'],
  ],
  [
    'production endpoints in fewer AZs than the VPC',
    'prod',
    (c) => (c.network.interfaceEndpointAzCount = 1),
    ['network.interfaceEndpointAzCount'],
  ],
  [
    "path pattern without '/'",
    'dev',
    (c) => (c.services[0].routing.pathPattern = 'api/*'),
    ['services[0].routing.pathPattern'],
  ],
  [
    'host header with spaces',
    'dev',
    (c) => (c.services[0].routing.hostHeader = 'Not A Host'),
    ['services[0].routing.hostHeader'],
  ],
  ['alert address without @', 'dev', (c) => (c.alertEmails = ['not-an-address']), ['alertEmails[0]']],
  [
    'alert address with doubled dots',
    'dev',
    (c) => (c.alertEmails = ['security..alerts@example.org']),
    ['alertEmails[0]'],
  ],
  ['alert address with a leading dot', 'dev', (c) => (c.alertEmails = ['.security@example.org']), ['alertEmails[0]']],
  [
    'alert endpoint over plain HTTP',
    'dev',
    (c) => (c.alertHttpsEndpoint = 'http://pager.example.org/hook'),
    ['alertHttpsEndpoint'],
  ],
  [
    'alert endpoint with credentials',
    'dev',
    (c) => (c.alertHttpsEndpoint = 'https://user:pw@pager.example.org/'),
    ['alertHttpsEndpoint'],
  ],
  ['alert endpoint not a string', 'dev', (c) => (c.alertHttpsEndpoint = 443), ['alertHttpsEndpoint']],
  // The config review of 2026-12-04: a port beyond 65535, an empty label and an IP address were accepted.
  [
    'alert endpoint on port 99999',
    'dev',
    (c) => (c.alertHttpsEndpoint = 'https://pager.example.org:99999/hook'),
    ['alertHttpsEndpoint'],
  ],
  [
    'alert endpoint with an empty host label',
    'dev',
    (c) => (c.alertHttpsEndpoint = 'https://pager..example.org/hook'),
    ['alertHttpsEndpoint'],
  ],
  [
    'alert endpoint at an IP address',
    'dev',
    (c) => (c.alertHttpsEndpoint = 'https://10.0.0.1/hook'),
    ['alertHttpsEndpoint'],
  ],
  [
    'alert endpoint on a single-label host',
    'dev',
    (c) => (c.alertHttpsEndpoint = 'https://pager/hook'),
    ['alertHttpsEndpoint'],
  ],
  [
    'alert address with a newline',
    'dev',
    (c) => (c.alertEmails = ['a@example.org\nBcc: x@evil.example']),
    ['alertEmails[0]'],
  ],
  ['no alert address', 'dev', (c) => (c.alertEmails = []), ['alertEmails']],
  [
    'the same alert address twice',
    'dev',
    (c) => (c.alertEmails = ['a@example.org', 'A@Example.org']),
    ['alertEmails[1]'],
  ],
  // Where it deploys.
  ['region outside allowedRegions', 'dev', (c) => (c.region = 'eu-west-1'), ['region']],
  ['not a region name', 'dev', (c) => (c.region = 'useast1'), ['region']],
  [
    'the same allowed region twice',
    'dev',
    (c) => (c.allowedRegions = ['us-east-1', 'us-west-2', 'us-east-1']),
    ['allowedRegions[2]'],
  ],
  [
    'regions of two partitions',
    'dev',
    (c) => (c.allowedRegions = ['us-east-1', 'us-west-2', 'cn-north-1']),
    ['allowedRegions[2]'],
  ],
  ['replica region = region', 'dev', (c) => (c.phiBucket.replicaRegion = 'us-east-1'), ['phiBucket.replicaRegion']],
  ['replica region not allowed', 'dev', (c) => (c.phiBucket.replicaRegion = 'eu-west-1'), ['phiBucket.replicaRegion']],
  ['account of 5 digits', 'dev', (c) => (c.account = '12345'), ['account']],
  ['overlapping VPCs', 'dev', (c) => (c.network.nonPhiVpcCidr = '10.10.128.0/17'), ['network.nonPhiVpcCidr']],
  ['not a CIDR', 'dev', (c) => (c.network.nonPhiVpcCidr = '300.1.0.0/16'), ['network.nonPhiVpcCidr']],
  ['misaligned CIDR', 'dev', (c) => (c.network.phiVpcCidr = '10.10.0.1/16'), ['network.phiVpcCidr']],
  // The newcomer review of 2026-12-03: these were accepted (the leading zero reached a security group as written).
  ['a CIDR with a leading zero', 'dev', (c) => (c.network.phiVpcCidr = '010.10.0.0/16'), ['network.phiVpcCidr']],
  ['a loopback VPC', 'dev', (c) => (c.network.phiVpcCidr = '127.0.0.0/16'), ['network.phiVpcCidr']],
  // The config review of 2026-12-04: public ranges and the range some AWS services use were accepted.
  ['a public-range VPC', 'dev', (c) => (c.network.phiVpcCidr = '52.0.0.0/16'), ['network.phiVpcCidr']],
  [
    'a VPC across a private range and a public one',
    'dev',
    (c) => (c.network.nonPhiVpcCidr = '172.32.0.0/16'),
    ['network.nonPhiVpcCidr'],
  ],
  [
    "a VPC on 172.17.0.0/16 (AWS services' range)",
    'dev',
    (c) => (c.network.phiVpcCidr = '172.17.0.0/16'),
    ['network.phiVpcCidr'],
  ],
  // The newcomer review of 2026-12-03: accepted, then refused at synth by CloudFormation's validation (E3025).
  [
    'a size the family does not have',
    'dev',
    (c) => (c.database.instanceClass = 'r6g.micro'),
    ['database.instanceClass'],
  ],
  // The newcomer review of 2026-12-03: refused later, by a message about a construct's ARN.
  [
    'a region aws-cdk-lib does not know, allowed too',
    'dev',
    (c) => {
      c.region = 'us-east-7';
      c.allowedRegions = [...c.allowedRegions, 'us-east-7'];
    },
    ['allowedRegions[2]', 'region'],
  ],
  [
    'a replica region aws-cdk-lib does not know',
    'dev',
    (c) => (c.phiBucket.replicaRegion = 'eu-west-9'),
    ['phiBucket.replicaRegion'],
  ],
  // All problems at once: a wrong field next to one a cross-field rule reads no longer hides that rule's problem
  // (the newcomer review of 2026-12-03).
  [
    'the AZ count as a string, and a /33 VPC',
    'dev',
    (c) => {
      (c.network as { azCount: unknown }).azCount = '3';
      c.network.phiVpcCidr = '10.10.0.0/33';
    },
    ['network.azCount', 'network.phiVpcCidr'],
  ],
  [
    'monthly backups kept 364 days, and a vault lock longer than the daily retention',
    'dev',
    (c) => {
      c.backup.monthlyRetentionDays = 364;
      c.backup.vaultMinRetentionDays = c.backup.dailyRetentionDays + 1;
    },
    ['backup.monthlyRetentionDays', 'backup.vaultMinRetentionDays'],
  ],
  ['a multicast VPC', 'dev', (c) => (c.network.nonPhiVpcCidr = '224.0.0.0/16'), ['network.nonPhiVpcCidr']],
  ['a link-local VPC', 'dev', (c) => (c.network.nonPhiVpcCidr = '169.254.0.0/16'), ['network.nonPhiVpcCidr']],
  ['a /24 VPC', 'dev', (c) => (c.network.phiVpcCidr = '10.10.0.0/24'), ['network.phiVpcCidr']],
  [
    'non-PHI public subnets as a string',
    'dev',
    (c) => (c.network.nonPhiPublicSubnets = 'yes'),
    ['network.nonPhiPublicSubnets'],
  ],
  [
    'unknown interface endpoint',
    'dev',
    (c) => c.network.interfaceEndpoints.push('ec2'),
    [`network.interfaceEndpoints[${ENVIRONMENTS.dev!.network.interfaceEndpoints.length}]`],
  ],
  [
    'no SNS endpoint: no alert would ever be delivered',
    'dev',
    (c) => (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'sns')),
    ['network.interfaceEndpoints'],
  ],
  [
    'the same endpoint twice',
    'dev',
    (c) => c.network.interfaceEndpoints.push('sns'),
    [`network.interfaceEndpoints[${ENVIRONMENTS.dev!.network.interfaceEndpoints.length}]`],
  ],
  [
    'no kinesis-firehose endpoint while services run (their access-audit events, U5)',
    'dev',
    (c) =>
      (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'kinesis-firehose')),
    ['network.interfaceEndpoints'],
  ],
  [
    'no athena endpoint while services run (the access-audit volume check, U5 D1)',
    'dev',
    (c) => (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'athena')),
    ['network.interfaceEndpoints'],
  ],
  [
    'no monitoring endpoint while services run (the volume check publishes its aggregates)',
    'dev',
    (c) => (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'monitoring')),
    ['network.interfaceEndpoints'],
  ],
  [
    'no ECR endpoint while services run',
    'dev',
    (c) => (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'ecr.api')),
    ['network.interfaceEndpoints'],
  ],
  [
    'ECS Exec without the ssmmessages endpoint',
    'dev',
    (c) => (
      (c.ecsExec = true),
      (c.network.interfaceEndpoints = c.network.interfaceEndpoints.filter((e: string) => e !== 'ssmmessages'))
    ),
    ['network.interfaceEndpoints'],
  ],
  ["internetEgress 'open'", 'dev', (c) => (c.network.internetEgress = 'open'), ['network.internetEgress']],
  // Production.
  [
    'GOVERNANCE lock in production',
    'prod',
    (c) => (c.retention.auditLockMode = 'GOVERNANCE'),
    ['retention.auditLockMode'],
  ],
  ['production without a domain', 'prod', (c) => delete c.domain, ['domain']],
  ['single-AZ database in production', 'prod', (c) => (c.database.multiAz = false), ['database.multiAz']],
  // The gate refuses it in dev too (the newcomer review of 2026-12-04: accepted here, then three findings at synth).
  ['single-AZ database in dev', 'dev', (c) => (c.database.multiAz = false), ['database.multiAz']],
  ['one task in production', 'prod', (c) => (c.services[0].desiredCount = 1), ['services[0].desiredCount']],
  [
    'production without break-glass users',
    'prod',
    (c) => (c.breakGlassPrincipalArns = []),
    ['breakGlassPrincipalArns'],
  ],
  ["lock mode 'NONE'", 'dev', (c) => (c.retention.auditLockMode = 'NONE'), ['retention.auditLockMode']],
  // Domain, certificate and ARNs.
  [
    'certificate of another account',
    'prod',
    (c) => (c.domain.certificateArn = c.domain.certificateArn.replace('222222222222', '999999999999')),
    ['domain.certificateArn'],
  ],
  [
    'certificate of another partition',
    'prod',
    (c) => (c.domain.certificateArn = c.domain.certificateArn.replace('arn:aws:', 'arn:aws-cn:')),
    ['domain.certificateArn'],
  ],
  [
    'certificate ARN that is not one',
    'prod',
    (c) => (c.domain.certificateArn = 'not-an-arn'),
    ['domain.certificateArn'],
  ],
  ['upper-case domain', 'prod', (c) => (c.domain.name = 'App.Example.org'), ['domain.name']],
  [
    'hosted zone id without its name',
    'dev',
    (c) => (c.domain = { name: 'app.example.org', hostedZoneId: 'Z0123456789ABC' }),
    ['domain.hostedZoneId'],
  ],
  [
    'hosted zone that does not hold the domain',
    'dev',
    (c) => (c.domain = { name: 'app.example.org', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' }),
    ['domain.hostedZoneName'],
  ],
  [
    'certificate and hosted zone both',
    'prod',
    (c) => ((c.domain.hostedZoneId = 'Z0123456789ABC'), (c.domain.hostedZoneName = 'example.org')),
    ['domain.hostedZoneId'],
  ],
  [
    'malformed hosted zone id',
    'dev',
    (c) => (c.domain = { name: 'app.example.org', hostedZoneId: 'zone-1', hostedZoneName: 'example.org' }),
    ['domain.hostedZoneId'],
  ],
  [
    'host route the certificate does not cover',
    'prod',
    (c) => (c.services[0].routing = { hostHeader: 'api.example.com', priority: 100 }),
    ['services[0].routing.hostHeader'],
  ],
  [
    'host route without a domain',
    'dev',
    (c) => (c.services[0].routing = { hostHeader: 'api.example.org', priority: 100 }),
    ['services[0].routing.hostHeader'],
  ],
  [
    'key admin of another account',
    'dev',
    (c) => (c.keyAdminRoleArns = ['arn:aws:iam::999999999999:role/Admin']),
    ['keyAdminRoleArns[0]'],
  ],
  [
    'key admin of another partition',
    'dev',
    (c) => (c.keyAdminRoleArns = ['arn:aws-cn:iam::111111111111:role/Admin']),
    ['keyAdminRoleArns[0]'],
  ],
  [
    'the same key admin twice',
    'dev',
    (c) => (c.keyAdminRoleArns = ['arn:aws:iam::111111111111:role/A', 'arn:aws:iam::111111111111:role/A']),
    ['keyAdminRoleArns[1]'],
  ],
  [
    'a key admin role name of 65 characters (IAM allows 64)',
    'dev',
    (c) => (c.keyAdminRoleArns = [`arn:aws:iam::111111111111:role/${'a'.repeat(65)}`]),
    ['keyAdminRoleArns[0]'],
  ],
  [
    'a key admin role ARN ending in a slash (a path, no name)',
    'dev',
    (c) => (c.keyAdminRoleArns = ['arn:aws:iam::111111111111:role/admins/']),
    ['keyAdminRoleArns[0]'],
  ],
  [
    'a database admin role name of 65 characters',
    'dev',
    (c) => (c.databaseAdminRoleArns = [`arn:aws:iam::111111111111:role/ops/${'d'.repeat(65)}`]),
    ['databaseAdminRoleArns[0]'],
  ],
  [
    'a key admin user instead of a role',
    'dev',
    (c) => (c.keyAdminRoleArns = ['arn:aws:iam::111111111111:user/admin']),
    ['keyAdminRoleArns[0]'],
  ],
  [
    'database administrator of another account',
    'dev',
    (c) => (c.databaseAdminRoleArns = ['arn:aws:iam::999999999999:role/Dba']),
    ['databaseAdminRoleArns[0]'],
  ],
  [
    'the same database administrator twice',
    'dev',
    (c) => (c.databaseAdminRoleArns = ['arn:aws:iam::111111111111:role/Dba', 'arn:aws:iam::111111111111:role/Dba']),
    ['databaseAdminRoleArns[1]'],
  ],
  [
    'a database administrator that is also a key administrator (E1)',
    'dev',
    (c) => (
      (c.keyAdminRoleArns = ['arn:aws:iam::111111111111:role/Admin']),
      (c.databaseAdminRoleArns = ['arn:aws:iam::111111111111:role/Admin'])
    ),
    ['databaseAdminRoleArns[0]'],
  ],
  [
    'an audit reader pattern instead of a role',
    'dev',
    (c) => (c.auditReaderRoleArns = ['arn:aws:iam::111111111111:role/*']),
    ['auditReaderRoleArns[0]'],
  ],
  [
    'an audit reader that is also a key administrator (E1)',
    'prod',
    (c) => (
      (c.keyAdminRoleArns = ['arn:aws:iam::222222222222:role/Admin']),
      (c.auditReaderRoleArns = ['arn:aws:iam::222222222222:role/Admin'])
    ),
    ['auditReaderRoleArns[0]'],
  ],
  [
    'auditReaderRoleArns a string',
    'dev',
    (c) => (c.auditReaderRoleArns = 'arn:aws:iam::111111111111:role/A'),
    ['auditReaderRoleArns'],
  ],
  [
    'break-glass role instead of a user',
    'dev',
    (c) => (c.breakGlassPrincipalArns = ['arn:aws:iam::333333333333:role/BreakGlass']),
    ['breakGlassPrincipalArns[0]'],
  ],
  [
    'the same break-glass user twice',
    'prod',
    (c) => c.breakGlassPrincipalArns.push(c.breakGlassPrincipalArns[0]),
    ['breakGlassPrincipalArns[1]'],
  ],
  [
    'break-glass user of another partition',
    'dev',
    (c) => (c.breakGlassPrincipalArns = ['arn:aws-us-gov:iam::333333333333:user/bg']),
    ['breakGlassPrincipalArns[0]'],
  ],
  // Services.
  [
    'two services with one name',
    'dev',
    (c) => c.services.push(service(c, { routing: { pathPattern: '/x/*', priority: 5 } })),
    ['services[1].name'],
  ],
  [
    'names that collide once PascalCased',
    'dev',
    (c) =>
      c.services.push(
        service(c, { name: 'api1', routing: { pathPattern: '/a/*', priority: 1 } }),
        service(c, { name: 'api-1', routing: { pathPattern: '/b/*', priority: 2 } }),
      ),
    ['services[2].name'],
  ],
  [
    'two services with one priority',
    'dev',
    (c) => c.services.push(service(c, { name: 'web', routing: { pathPattern: '/web/*', priority: 100 } })),
    ['services[1].routing.priority'],
  ],
  [
    'a route shadowed by another',
    'dev',
    (c) => c.services.push(service(c, { name: 'admin', routing: { pathPattern: '/admin/*', priority: 200 } })),
    ['services[1].routing'],
  ],
  [
    'a route with neither path nor host',
    'dev',
    (c) => (c.services[0].routing = { priority: 100 }),
    ['services[0].routing'],
  ],
  // Detection and account-level services.
  [
    'a detection service off without saying who provides it',
    'dev',
    (c) => (c.detection.guardDuty = false),
    ['detection.providedBy'],
  ],
  [
    'the findings archive off without saying who archives findings',
    'prod',
    (c) => (c.detection.findingsArchive = false),
    ['detection.providedBy'],
  ],
  ['findingsArchive as a string', 'dev', (c) => (c.detection.findingsArchive = 'yes'), ['detection.findingsArchive']],
  // The config review of 2026-12-04: every detection service off in prod with providedBy 'n/a' was accepted.
  [
    'every detection service off in prod, provided by a placeholder',
    'prod',
    (c) =>
      (c.detection = {
        ...c.detection,
        config: false,
        guardDuty: false,
        securityHub: false,
        macie: false,
        inspector: false,
        providedBy: 'n/a',
      }),
    ['detection.providedBy'],
  ],
  [
    'detection provided by TBD',
    'dev',
    (c) => ((c.detection.macie = false), (c.detection.providedBy = ' TBD ')),
    ['detection.providedBy'],
  ],
  ["an environment named 'prod' that is not production", 'prod', (c) => (c.production = false), ['production']],
  [
    "an environment named 'prod2' that is not production",
    'dev',
    (c) => (c.envName = 'prod2'),
    // envName too: the harness loads it under the key 'dev'.
    ['envName', 'production'],
  ],
  [
    'malware protection off without saying who scans the PHI bucket',
    'prod',
    (c) => (c.detection.malwareProtection = false),
    ['detection.providedBy'],
  ],
  [
    'malwareProtection as a string',
    'dev',
    (c) => (c.detection.malwareProtection = 'yes'),
    ['detection.malwareProtection'],
  ],
  [
    'GuardDuty on in a region whose GuardDuty Fargate agent repository is not known',
    'dev',
    (c) => ((c.region = 'ap-southeast-7'), (c.allowedRegions = ['ap-southeast-7', 'us-west-2'])),
    ['region'],
  ],
  [
    "configServiceLinkedRole 'maybe'",
    'dev',
    (c) => (c.detection.configServiceLinkedRole = 'maybe'),
    ['detection.configServiceLinkedRole'],
  ],
  ['Aurora until cdk-nag#1627', 'dev', (c) => (c.database.engine = 'aurora-postgresql'), ['database.engine']],
  ['an engine the blueprint does not build', 'dev', (c) => (c.database.engine = 'mysql'), ['database.engine']],
  ["instance class with 'db.'", 'dev', (c) => (c.database.instanceClass = 'db.r6g.large'), ['database.instanceClass']],
  // The config review of 2026-12-04: more tasks than the application tier has addresses were accepted.
  [
    'more tasks at full scale in a deployment than the application tier has addresses',
    'dev',
    (c) => (c.services[0].desiredCount = 100),
    ['services[0].desiredCount'],
  ],
  [
    'a 70-character domain name for a certificate the blueprint requests (ACM allows 64)',
    'prod',
    (c) =>
      (c.domain = {
        name: `${'a'.repeat(58)}.example.org`,
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        hostedZoneName: 'example.org',
      }),
    ['domain.name'],
  ],
  ['sharing the account with itself', 'dev', (c) => (c.sharesAccountWith = 'dev'), ['sharesAccountWith']],
  [
    'sharing the account but creating GuardDuty too',
    'dev',
    (c) => ((c.sharesAccountWith = 'prod'), (c.detection.guardDuty = true)),
    // And, in the same message, that prod deploys to another account and region: nothing to share.
    ['detection.config', 'detection.guardDuty', 'detection.securityHub', 'detection.macie', 'sharesAccountWith'],
  ],
  // Not a config at all.
  ['null', 'dev', () => null, ['(config)']],
  ['a list', 'dev', () => [], ['(config)']],
  ['a string', 'dev', () => 'dev', ['(config)']],
];

/** Fields named by the message, e.g. 'services[0].cpu' from '  - services[0].cpu = ...'. */
function fieldsOf(message: string): string[] {
  return [...new Set(message.split('\n').flatMap((line) => /^ {2}- (\S+) = /.exec(line)?.[1] ?? []))].sort();
}

describe('every invalid configuration is refused, naming the field, before anything is written', () => {
  test('the suite holds at least 100 configurations', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
  });

  test.each(CASES.map((c) => [c[0], c] as const))('%s', (_name, [, base, mutate, fields]) => {
    const input = clone(base);
    const replaced = mutate(input);
    const config = ['null', 'a list', 'a string'].includes(_name) ? replaced : input;
    const envName = base;
    const outdir = scratchDir('invalid-config-');
    const errors: string[] = [];
    let code: number;
    let written: string[];
    try {
      code = synthesizeEnvironment(new App({ outdir }), {
        envName,
        environments: { [envName]: config },
        log: { error: (m) => errors.push(m) },
      });
      written = readdirSync(outdir);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
    expect(code).toBe(1);
    expect(errors).toHaveLength(1);
    const message = errors[0]!;
    expect(message).toMatch(
      new RegExp(`^Invalid blueprint configuration for environment '${envName}' \\(\\d+ problems?\\):\\n`),
    );
    expect(fieldsOf(message)).toEqual([...fields].sort());
    for (const line of message.split('\n').slice(1)) {
      // One line per problem, `field = value: rule`; values are escaped and cut, so no line breaks or control characters leak.
      expect(line).toMatch(/^ {2}- \S+ = .+: .+$/);
      expect(line.length).toBeLessThan(600);
      // eslint-disable-next-line no-control-regex
      expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
    }
    expect(written).toEqual([]);
  });
});

describe('messages that say what to write instead', () => {
  test("a size its family lacks names the family's sizes (t4g.nano was told the family list, which names t4g)", () => {
    const input = clone('dev');
    input.database.instanceClass = 't4g.nano';
    expect(() => validateConfig(input)).toThrow(
      /database\.instanceClass = 't4g\.nano': is not an RDS instance class CloudFormation accepts: t4g comes in micro, small, medium, large, xlarge, 2xlarge/,
    );
  });
});
