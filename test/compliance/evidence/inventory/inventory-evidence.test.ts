import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { buildBlueprint } from '../../../../lib/blueprint-app';
import { AssetInventory } from '../../../../lib/compliance/evidence/inventory/asset-inventory';
import {
  INVENTORY_FILES,
  writeInventoryEvidence,
} from '../../../../lib/compliance/evidence/inventory/inventory-evidence';
import { MapEdge, NetworkMap } from '../../../../lib/compliance/evidence/inventory/network-map';
import { configHash, readGitCommit } from '../../../../lib/compliance/evidence/inventory/stamp';
import { projectRoot } from '../../../../lib/compliance/evidence/test-index';
import { loadConfig } from '../../../../lib/config';
import { scratchDir } from '../../../support/scratch';

// One synth of the whole dev blueprint through the evidence plugin, shared by every test below.
let outdir: string;
let inventory: AssetInventory;
let map: NetworkMap;
const config = loadConfig('dev');
const evidence = (f: string): string => readFileSync(join(outdir, 'compliance', f), 'utf8');

beforeAll(() => {
  outdir = scratchDir('inventory-');
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  buildBlueprint(app, config);
  app.synth();
  inventory = JSON.parse(evidence('inventory.json')) as AssetInventory;
  map = JSON.parse(evidence('network-map.json')) as NetworkMap;
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const node = (pred: (label: string) => boolean) => {
  const found = map.nodes.filter((n) => pred(n.label));
  expect(found.map((n) => n.label)).toHaveLength(1);
  return found[0]!;
};
const byLabel = (label: string) => node((l) => l === label);
const edge = (from: string, to: string, kind: MapEdge['kind']): MapEdge | undefined =>
  map.edges.find((e) => e.from === from && e.to === to && e.kind === kind);

describe('evidence written at synth', () => {
  test('V2 every synth writes inventory.json/.md and network-map.json/.mmd/.svg next to the control matrix', () => {
    for (const f of [...INVENTORY_FILES, 'control-matrix.json'])
      expect(existsSync(join(outdir, 'compliance', f))).toBe(true);
    expect(evidence('network-map.svg')).toMatch(/<svg [\s\S]*<\/svg>\s*$/);
    expect(evidence('network-map.mmd')).toMatch(/^---\ntitle: "Network and data-flow map: dev"\n---\n/);
  });

  test('V2 every output is stamped with environment, account, region, commit and config hash', () => {
    const stamp = {
      environment: 'dev',
      account: config.account,
      region: config.region,
      gitCommit: readGitCommit(projectRoot()),
      configHash: configHash(config),
    };
    expect(inventory.stamp).toEqual(stamp);
    expect(map.stamp).toEqual(stamp);
    const line = `environment dev, account ${config.account}, region ${config.region}, commit ${stamp.gitCommit}, config ${stamp.configHash}`;
    expect(evidence('network-map.mmd')).toContain(`%% ${line}`);
    expect(evidence('network-map.svg')).toContain(line.replace(/-/g, '&#45;')); // Graphviz writes '-' as &#45;
    expect(evidence('inventory.md')).toContain(
      `| dev | ${config.account} | ${config.region} | ${stamp.gitCommit} | ${stamp.configHash} |`,
    );
  });

  test('V2 the inventory has one row per resource of every template', () => {
    const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
    const resources = templates.flatMap((f) =>
      Object.values(
        (JSON.parse(readFileSync(join(outdir, f), 'utf8')) as { Resources: Record<string, { Type: string }> })
          .Resources,
      ),
    );
    expect(inventory.assets).toHaveLength(resources.filter((r) => r.Type !== 'AWS::CDK::Metadata').length);
    expect(inventory.summary.stacks.map((s) => s.stackName).sort()).toEqual(
      ['alerting', 'app', 'audit', 'data', 'detection', 'keys', 'network', 'phi-replica', 'replica-detection'].map(
        (s) => `hipaa-dev-${s}`,
      ),
    );
  });

  test('V2 every key reference of the blueprint resolves to its key and alias, across stacks and regions', () => {
    expect(inventory.summary.unresolvedKeys).toEqual([]);
    const phiBucket = inventory.assets.find((a) => a.constructPath === 'Dev/Data/PhiBucket/Bucket/Resource')!;
    expect(phiBucket.encryption.summary).toBe('KMSMasterKeyID: alias/hipaa-dev/phi (Dev/Keys PhiDataKeyE6603588)');
    const db = inventory.assets.find((a) => a.type === 'AWS::RDS::DBInstance')!;
    expect(db.backup.covered).toBe(true);
    expect(db.encryption.keys[0]!.key).toMatchObject({ kind: 'customer-managed', aliases: ['alias/hipaa-dev/phi'] });
    const phiKey = inventory.assets.find((a) => a.constructPath === 'Dev/Keys/PhiDataKey/Key/Resource')!;
    expect(phiKey.encryption).toEqual({
      status: 'key-itself',
      keys: [],
      summary: 'is a customer-managed key, alias alias/hipaa-dev/phi',
    });
    expect(evidence('inventory.md')).toMatch(
      /\| Dev\/Keys\/PhiDataKeyE6603588: is a customer-managed key, alias alias\/hipaa-dev\/phi \| .*Dev\/Data\/PhiBucketA8B3E43F \(AWS::S3::Bucket\)/,
    );
  });

  test('V2 the map has no unresolved reference for the blueprint', () => {
    expect(map.unresolved).toEqual([]);
    // The replica region's findings forwarded to the primary region's default bus: a known destination.
    expect(map.nodes.map((n) => n.label)).toContain('event bus default (us-east-1)');
  });
});

describe('network map of the blueprint', () => {
  test('V2 the PHI VPC holds its public, application and data tiers in that order, each with a subnet per AZ', () => {
    const phiVpc = map.groups.find((g) => g.kind === 'vpc' && g.phi)!;
    expect(phiVpc.label).toBe(`VPC PhiVpc/Vpc ${config.network.phiVpcCidr} (DataClassification=PHI)`);
    const tiers = map.groups.filter((g) => g.parent === phiVpc.id).sort((a, b) => a.order! - b.order!);
    expect(tiers.map((t) => t.label)).toEqual([
      'Public tier (Public)',
      'Application tier (Isolated)',
      'Data tier (Isolated)',
    ]);
    for (const t of tiers) {
      expect(
        map.nodes.filter((n) => n.group === t.id && n.kind === 'subnet').map((n) => n.label.split(', ')[1]),
      ).toEqual(['AZ 1', 'AZ 2']);
    }
    const nonPhi = map.groups.find((g) => g.kind === 'vpc' && !g.phi)!;
    expect(nonPhi.label).toBe(`VPC NonPhiVpc/Vpc ${config.network.nonPhiVpcCidr} (DataClassification=NonPHI)`);
  });

  test('V2 the request path: internet -> WAF -> load balancer -> listener -> target group -> service -> database and PHI bucket', () => {
    const internet = byLabel('Internet (clients)').id;
    const waf = node((l) => l.startsWith('WAF web ACL')).id;
    const lb = node((l) => l.startsWith('Load balancer')).id;
    const https = byLabel('Listener HTTPS :443').id;
    const tg = node((l) => l.startsWith('Target group')).id;
    const service = node((l) => l.startsWith('ECS service')).id;
    const db = node((l) => l.startsWith('RDS postgres')).id;
    const phiBucket = byLabel('S3 bucket PhiBucket/Bucket').id;
    expect(edge(internet, waf, 'request')?.label).toBe('HTTPS 443, HTTP 80');
    expect(edge(waf, lb, 'request')).toBeDefined();
    expect(edge(lb, https, 'request')).toBeDefined();
    expect(edge(https, tg, 'request')?.label).toBe('forward after Cognito sign-in');
    expect(edge(tg, service, 'request')?.label).toBe(`HTTPS :${config.services[0]!.containerPort}`);
    expect(edge(service, db, 'data-access')?.label).toBe(
      `network: tcp ${config.network.databasePort}\nIAM: rds-db:connect`,
    );
    expect(edge(service, phiBucket, 'data-access')?.label).toBe(
      'IAM: s3:GetObject, s3:GetObjectVersion, s3:ListBucket +1',
    );
    // Placement: the load balancer in the public tier, the service in the application tier, the database in the data tier.
    const tierOf = (id: string) => map.groups.find((g) => g.id === map.nodes.find((n) => n.id === id)!.group)!.label;
    expect([tierOf(lb), tierOf(service), tierOf(db)]).toEqual([
      'Public tier (Public)',
      'Application tier (Isolated)',
      'Data tier (Isolated)',
    ]);
  });

  test('V2 the data-tier network ACL and the security group edges carry their ports', () => {
    const acl = node((l) => l.startsWith('Network ACL'));
    expect(map.groups.find((g) => g.id === acl.group)?.label).toBe('Data tier (Isolated)');
    expect(acl.detail).toContain(`in #100 allow tcp ${config.network.databasePort} from 10.10.2.0/24`);
    const lbSg = byLabel('Security group LoadBalancer/SecurityGroup').id;
    const anyIpv4 = byLabel('any IPv4 address (0.0.0.0/0)').id;
    expect(edge(anyIpv4, lbSg, 'network-rule')?.label).toBe('tcp 443');
    expect(
      edge(
        byLabel('Security group AppSecurityGroup').id,
        byLabel('Security group DatabaseSecurityGroup').id,
        'network-rule',
      )?.detail,
    ).toEqual([
      expect.stringMatching(/^Dev\/Data\/AppSecurityGroupto.* \(egress\)$/),
      expect.stringMatching(/^Dev\/Data\/DatabaseSecurityGroupfrom.* \(ingress\)$/),
    ]);
  });

  test('V2 replication, log and alert flows are drawn', () => {
    const phiBucket = byLabel('S3 bucket PhiBucket/Bucket').id;
    const replica = byLabel('S3 bucket PhiReplicaBucket/Bucket').id;
    expect(edge(phiBucket, replica, 'replication')?.label).toBe(`replication to ${config.phiBucket.replicaRegion}`);
    expect(edge(replica, phiBucket, 'replication')?.label).toBe(`replication to ${config.region}`);
    // Log flows.
    const flowLogs = map.nodes.filter((n) => n.label === 'Flow log (ALL)');
    expect(
      flowLogs.map((f) => map.edges.filter((e) => e.from === f.id && e.kind === 'log').map((e) => e.label)),
    ).toEqual([['flow records'], ['flow records']]);
    const trail = node((l) => l.startsWith('CloudTrail')).id;
    expect(edge(trail, byLabel('S3 bucket AuditArchive/Bucket').id, 'log')?.label).toBe('log files');
    expect(edge(trail, byLabel('Log group Trail/LogGroup').id, 'log')?.label).toBe('events');
    expect(edge(phiBucket, trail, 'audit')?.label).toBe('S3 data events');
    const lb = node((l) => l.startsWith('Load balancer')).id;
    expect(map.edges.filter((e) => e.from === lb && e.kind === 'log').map((e) => e.label)).toEqual(['access logs']);
    expect(map.edges.filter((e) => e.from === phiBucket && e.kind === 'log').map((e) => e.label)).toEqual([
      'server access logs',
    ]);
    const db = node((l) => l.startsWith('RDS postgres')).id;
    expect(edge(db, byLabel('Log group /aws/rds/instance/hipaa-dev-phi-db/postgresql').id, 'log')).toBeDefined();
    // Alert flows: trail metric filters -> alarms -> formatter -> topic -> e-mail; finding rules -> formatter.
    const formatter = byLabel('Lambda AlertPipeline/Formatter').id;
    const topic = byLabel('SNS topic AlertPipeline/Topic').id;
    const trailAlarms = byLabel('CloudWatch alarms (17)');
    expect(trailAlarms.detail.join(', ')).toContain('RootAccountUsage');
    expect(edge(byLabel('Log group Trail/LogGroup').id, trailAlarms.id, 'alert')?.label).toBe('metric filters');
    expect(edge(trailAlarms.id, formatter, 'alert')?.label).toBe('alarm action');
    expect(edge(byLabel('EventBridge rules (4)').id, formatter, 'alert')?.label).toBe('matching events');
    expect(edge(formatter, topic, 'alert')?.label).toBe('IAM: sns:Publish');
    expect(edge(topic, byLabel('email subscribers (1)').id, 'alert')?.label).toBe('notifies');
    // Backup: the database and the PHI bucket into the vault.
    const vault = byLabel('Backup vault Backup/Vault').id;
    expect(edge(db, vault, 'backup')?.label).toBe('backup (by ARN, by tag)');
    expect(edge(phiBucket, vault, 'backup')?.label).toBe('backup (by ARN, by tag)');
  });

  test('V2 I1 D2 backup copies, findings exports, Firehose deliveries and malware scans are drawn', () => {
    const labelOf = (id: string) => map.nodes.find((n) => n.id === id)?.label;
    const flows = (kind: MapEdge['kind'], label: RegExp) =>
      map.edges
        .filter((e) => e.kind === kind && label.test(e.label))
        .map((e) => `${labelOf(e.from)} -> ${labelOf(e.to)}`);
    // Every rule of the PHI backup plan copies from the PHI vault to the replica region's vault.
    const copies = flows('backup', /^copy to /);
    expect(copies.length).toBeGreaterThanOrEqual(2);
    for (const c of copies) expect(c).toMatch(/^Backup vault Backup\/Vault -> Backup vault .*-phi-vault-replica$/);
    expect(flows('log', /^findings export$/)).toEqual([
      'GuardDuty::Detector GuardDuty/Detector -> S3 bucket FindingsArchive/Bucket',
    ]);
    expect(flows('log', /^records$/).sort()).toEqual([
      'KinesisFirehose::DeliveryStream AccessAudit/ApiStream -> S3 bucket AccessAudit/Bucket',
      'KinesisFirehose::DeliveryStream FindingsArchive/ForwardedGuardDutyStream -> S3 bucket FindingsArchive/Bucket',
      'KinesisFirehose::DeliveryStream FindingsArchive/Stream -> S3 bucket FindingsArchive/Bucket',
    ]);
    expect(flows('audit', /^scans uploads$/)).toEqual([
      'GuardDuty::MalwareProtectionPlan MalwareProtection/Plan -> S3 bucket PhiBucket/Bucket',
    ]);
  });
});

describe('the SVG renderer failing', () => {
  test('V2 leaves the other files written and names the renderer', () => {
    const dir = scratchDir('inventory-svg-fail-');
    try {
      const app = new App();
      new Stack(app, 'Empty');
      mkdirSync(join(dir, 'compliance'));
      expect(() =>
        writeInventoryEvidence({
          outDir: join(dir, 'compliance'),
          stacks: [{ stackPath: 'Empty', templateFile: 'Empty.template.json', template: { Resources: {} } }],
          context: { stackTemplates: [], appConstruct: app },
          checkout: dir,
          svg: { script: join(dir, 'missing.mjs') },
        }),
      ).toThrow(`network-map.svg: the Graphviz renderer ${join(dir, 'missing.mjs')}`);
      expect(readdirSync(join(dir, 'compliance')).sort()).toEqual([
        'inventory.json',
        'inventory.md',
        'network-map.json',
        'network-map.mmd',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
