import { spawnSync } from 'child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { runCheckTemplate } from '../../lib/check-template-cli';
import { ASSEMBLY_RULES } from '../../lib/compliance/gate/assembly';
import { scriptCommandArgs } from '../support/app-node-options';
import { moveAlertRuleRouting, Templates } from '../compliance/probes/probe';
import { removeDeployableArtifacts } from '../../lib/synthesize';
import { cdkSynthDir } from '../support/synthesized';
import { scratchDir } from '../support/scratch';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const ROOT = join(__dirname, '..', '..');

/** `npm run check-template -- ARGS` in this process (what bin/check-template.ts runs): exit code, stdout then stderr. */
const run = (args: string[]): { status: number; out: string } => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = runCheckTemplate(args, { out: (l) => stdout.push(`${l}\n`), err: (l) => stderr.push(`${l}\n`) });
  return { status, out: `${stdout.join('')}${stderr.join('')}` };
};

/**
 * The real bin/check-template.ts in a process of its own (once: the process boundary, about 1 s of CPU), as
 * `npm run check-template` runs it (package.json's script: through bin/run-app.js, with the app's Node.js options).
 */
const runBin = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [...scriptCommandArgs('check-template'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

let assembly: string;
let scratch: string;

beforeAll(() => {
  // As `cdk synth -c env=prod` writes it (path metadata on), synthesized once per run by the globalSetup.
  // Read only: the tests that change it change a copy (mutated()).
  assembly = cdkSynthDir('prod');
  scratch = scratchDir('check-cli-scratch-');
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** The file name of the assembly's template whose file name starts with `prefix`. */
const templateFile = (prefix: string): string =>
  readdirSync(assembly).find((f) => f.startsWith(prefix) && f.endsWith('.template.json'))!;

/** `edit` applied to the assembly's template `file`, written to `dir`/`file`. */
function writeEdited(dir: string, file: string, edit: (t: Json) => void): void {
  const template = JSON.parse(readFileSync(join(assembly, file), 'utf8'));
  edit(template);
  writeFileSync(join(dir, file), JSON.stringify(template));
}

/** A copy of the assembly with `edit` applied to the template whose file name starts with `prefix`. */
function mutated(name: string, prefix: string, edit: (t: Json) => void): string {
  const dir = join(scratch, name);
  cpSync(assembly, dir, { recursive: true });
  writeEdited(dir, templateFile(prefix), edit);
  return dir;
}

/** Only the template whose file name starts with `prefix`, with `edit` applied, under its own name: its path. */
function mutatedTemplate(name: string, prefix: string, edit: (t: Json) => void): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  const file = templateFile(prefix);
  writeEdited(dir, file, edit);
  return join(dir, file);
}

describe('npm run check-template -- <cloud assembly directory>', () => {
  test('V2 the prod assembly is clean: every stack, the assembly rules, and every acknowledgement honoured is listed', () => {
    const { status, out } = run([assembly]);
    const stackCount = readdirSync(assembly).filter((f) => f.endsWith('.template.json')).length;
    expect(stackCount).toBeGreaterThanOrEqual(8);
    expect(out).toContain("Register: environment 'prod'");
    expect(out).toMatch(
      new RegExp(
        `assembly rules clean \\(${ASSEMBLY_RULES.length} rules, \\d+ evaluations over ${stackCount} stacks\\)`,
      ),
    );
    expect(out).toMatch(/: clean; (\d+) acknowledgement\(s\) honoured/);
    const honoured = Number(/clean; (\d+) acknowledgement/.exec(out)![1]);
    expect(out.match(/^ {2}acknowledged /gm)).toHaveLength(honoured);
    expect(out).toContain(
      "acknowledged AwsSolutions-VPC3 on PhiVpcDataAcl9A39E733 (Prod/Network/PhiVpc/DataAcl/Resource), register entry '*/Network/PhiVpc/DataAcl'",
    );
    expect(status).toBe(0);
  });

  test('E2 V2 a PHI bucket switched to SSE-S3 that suppresses its own findings is reported, with the safeguards named', () => {
    // The Data template alone (file mode): every line asserted is a finding of that template, reported by the same
    // checkTemplate as in assembly mode, whose own path the in-process tests check (the assembly rules add none here).
    const file = mutatedTemplate('sse-s3', 'ProdData', (t) => {
      const bucket = (Object.values(t.Resources) as Json[]).find(
        (r) => r.Metadata?.['HipaaBlueprint::PhiStore'] && r.Type === 'AWS::S3::Bucket',
      )!;
      bucket.Properties.BucketEncryption = {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      };
      bucket.Metadata.cdk_nag = {
        rules_to_suppress: [
          'HIPAA.Security-S3DefaultEncryptionKMS',
          'Blueprint-StoreCustomerManagedKey[SSEAlgorithm::AES256]',
        ].map((id) => ({ id, reason: 'fine' })),
      };
    });
    // Through the real bin: its arguments, its stdout and its exit code (the other tests call the same function).
    const { status, stdout, stderr } = runBin([file]);
    // The register of the environment the template names applies: the refusal below is the PHI store's, not "no register".
    expect(stdout).toContain("Register: environment 'prod'");
    expect(stdout).toContain('Blueprint-UnregisteredAcknowledgement[HIPAA.Security-S3DefaultEncryptionKMS]');
    expect(stdout).toContain('the resource is a PHI store, which no acknowledgement may cover');
    expect(stdout).toContain('HIPAA.Security-S3DefaultEncryptionKMS (error)');
    expect(stdout).toContain('Safeguard E2: The store of PHI or logs');
    expect(stderr).toBe('');
    expect(status).toBe(1);
  });

  test("E2 a stack's findings follow the line naming its template, before the next stack's line", () => {
    const dir = mutated('unencrypted-db', 'ProdData', (t) => {
      for (const r of Object.values(t.Resources) as Json[])
        if (r.Type === 'AWS::RDS::DBInstance') r.Properties.StorageEncrypted = false;
    });
    const { status, out } = run([dir]);
    const lines = out.split('\n');
    const data = lines.findIndex((l) => /^ProdData\w+\.template\.json \(hipaa-prod-data\): \d+ finding\(s\)/.test(l));
    const finding = lines.indexOf('  AwsSolutions-RDS2 (error)');
    const next = lines.findIndex((l, i) => i > data && /^\S/.test(l));
    expect(data).toBeGreaterThan(0);
    expect(finding).toBeGreaterThan(data);
    expect(finding).toBeLessThan(next);
    expect(status).toBe(1);
  });

  test('D2 a removal only the whole assembly shows (the GuardDuty detector) is reported by the assembly rules', () => {
    const dir = mutated('no-guardduty', 'ProdDetection', (t) => {
      const detectors = (Object.entries(t.Resources) as [string, Json][])
        .filter(([, r]) => r.Type === 'AWS::GuardDuty::Detector')
        .map(([id]) => id);
      expect(detectors).toHaveLength(1);
      for (const id of detectors) delete t.Resources[id];
      // As a consistent hand edit would: with what references it (the findings export's publishing destination).
      for (const [id, r] of Object.entries(t.Resources) as [string, Json][])
        if (detectors.some((d) => JSON.stringify(r.Properties ?? {}).includes(`{"Ref":"${d}"}`)))
          delete t.Resources[id];
    });
    const { status, out } = run([dir]);
    expect(out).toContain('Blueprint-DetectionServicesPresent[GuardDuty::absent]');
    expect(out).toContain('Safeguard D2');
    expect(status).toBe(1);
  });

  test("I1 D2 the copy failure and runtime coverage alert rules moved, each with a function to invoke, to the replica region's stack (which never sees those events): exit 1 naming both", () => {
    const dir = join(scratch, 'alert-rules-moved');
    cpSync(assembly, dir, { recursive: true });
    const files = { alerting: templateFile('ProdAlerting'), replicaDetection: templateFile('ProdReplicaDetection') };
    const templates = Object.fromEntries(
      Object.entries(files).map(([key, file]) => [key, JSON.parse(readFileSync(join(assembly, file), 'utf8'))]),
    ) as Templates;
    // As the probes move them (test/compliance/probes/probe.ts).
    moveAlertRuleRouting(templates, 'Copy Job State Change', 'replicaDetection');
    moveAlertRuleRouting(templates, 'GuardDuty Runtime Protection Unhealthy', 'replicaDetection');
    for (const [key, file] of Object.entries(files)) writeFileSync(join(dir, file), JSON.stringify(templates[key]));
    const { status, out } = run([dir]);
    for (const [id, events] of [
      ['BackupCopiedToLockedVault[CopyJobFailures::not-alerted]', 'Copy Job State Change'],
      ['ThreatProtectionPresent[GuardDuty::no-runtime-coverage-alert]', 'GuardDuty Runtime Protection Unhealthy'],
    ]) {
      expect(out).toContain(`Blueprint-${id}`);
      expect(out).toMatch(
        new RegExp(`No enabled EventBridge rule in us-east-1 \\(where the events happen\\)[^\\n]*'${events}'`),
      );
    }
    expect(status).toBe(1);
  });

  test('V2 D3 a manifest whose stack has no environment aws://ACCOUNT/REGION naming both (an environment-agnostic stack deploys wherever the credentials point) is refused: exit 2', () => {
    for (const [name, environment] of [
      ['absent', undefined],
      ['not-aws', 'somewhere'],
      ['agnostic', 'aws://unknown-account/unknown-region'],
      ['unknown-region', 'aws://222222222222/unknown-region'],
      ['unknown-account', 'aws://unknown-account/us-west-2'],
      ['capitals', 'aws://222222222222/US-WEST-2'],
      ['padded', 'aws://222222222222/us-west-2 '],
    ] as const) {
      const dir = join(scratch, `environment-${name}`);
      cpSync(assembly, dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
      expect(manifest.artifacts.ProdReplicaDetection5BE1F25A.environment).toBe('aws://222222222222/us-west-2');
      if (environment === undefined) delete manifest.artifacts.ProdReplicaDetection5BE1F25A.environment;
      else manifest.artifacts.ProdReplicaDetection5BE1F25A.environment = environment;
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      const { status, out } = run([dir]);
      expect({ name, status }).toEqual({ name, status: 2 });
      expect(out).toMatch(
        /the stack artifact ProdReplicaDetection5BE1F25A has the environment .*, not aws:\/\/ACCOUNT\/REGION with an account id and a region name/,
      );
      expect(out).not.toMatch(/\n\s+at /);
    }
  });

  test("V2 D3 the replica region's stack moved to another account in the manifest: exit 1 (StackEnvironmentsNamed)", () => {
    const dir = join(scratch, 'environment-other-account');
    cpSync(assembly, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
    const artifact = manifest.artifacts.ProdReplicaDetection5BE1F25A as Json;
    const original = (artifact.environment as string).split('/')[2]!;
    artifact.environment = 'aws://999999999999/us-west-2';
    // Its roles, template object and asset destinations as CDK names them for that account (the first account's
    // are refused: exit 2).
    artifact.properties = JSON.parse(JSON.stringify(artifact.properties).split(original).join('999999999999'));
    const assetsFile = join(dir, manifest.artifacts['ProdReplicaDetection5BE1F25A.assets'].properties.file as string);
    writeFileSync(assetsFile, readFileSync(assetsFile, 'utf8').split(original).join('999999999999'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const { status, out } = run([dir]);
    expect(out).toContain('Blueprint-StackEnvironmentsNamed[account::another]');
    expect(out).toContain('Stack hipaa-prod-replica-detection deploys to account 999999999999');
    expect(status).toBe(1);
  });

  test('an assembly whose gate failed (templates removed) has nothing to check: exit 2, saying so', () => {
    const dir = join(scratch, 'failed');
    cpSync(assembly, dir, { recursive: true });
    // What a failed gate removes (templates, asset manifests, assets), by the function the app runs.
    expect(removeDeployableArtifacts(dir).filter((f) => f.endsWith('.assets.json')).length).toBeGreaterThan(0);
    const { status, out } = run([dir]);
    expect(out).toMatch(
      /the manifest names 9 stack template\(s\) that are not there .*a synth whose gate failed removes its templates/,
    );
    expect(status).toBe(2);
  });

  test("V2 a manifest whose stack path is not the one its artifact id derives from, is not a string, or is another stack's is refused: exit 2", () => {
    const edits: Record<string, (artifacts: Json) => void> = {
      // The keys stack claiming the audit stack's path, whose register entries its resources could then use.
      moved: (a) => (a.ProdKeys76E19F6C.displayName = 'Prod/Audit'),
      object: (a) => (a.ProdKeys76E19F6C.displayName = { toString: 1 }),
      absent: (a) => delete a.ProdKeys76E19F6C.displayName,
    };
    for (const [name, edit] of Object.entries(edits)) {
      const dir = join(scratch, `manifest-${name}`);
      cpSync(assembly, dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
      expect(manifest.artifacts.ProdKeys76E19F6C.displayName).toBe('Prod/Keys');
      edit(manifest.artifacts);
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      const { status, out } = run([dir]);
      expect({ name, status }).toEqual({ name, status: 2 });
      expect(out).toMatch(
        /the stack artifact ProdKeys76E19F6C has the construct path \(displayName\) .*, which is not the path CDK derives that id from/,
      );
      expect(out).not.toMatch(/\n\s+at /); // no stack trace
    }
    // The same stack a second time, in a nested assembly listed after it: two stacks, one path.
    const dir = join(scratch, 'manifest-twice');
    cpSync(assembly, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
    const keys = manifest.artifacts.ProdKeys76E19F6C as Json;
    const file = keys.properties.templateFile as string;
    cpSync(join(dir, file), join(dir, 'twice', file), { recursive: true });
    // Without the asset manifest beside it: the copy names no template object (nor metadata file) of its own.
    const copied = { ...(keys.properties as Json) };
    delete copied.stackTemplateAssetObjectUrl;
    const noMetadataFile: Json = { ...keys, properties: copied };
    delete noMetadataFile.additionalMetadataFile;
    writeFileSync(
      join(dir, 'twice', 'manifest.json'),
      JSON.stringify({ version: manifest.version, artifacts: { ProdKeys76E19F6C: noMetadataFile } }),
    );
    manifest.artifacts['assembly-Twice'] = { type: 'cdk:cloud-assembly', properties: { directoryName: 'twice' } };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const twice = run([dir]);
    expect(twice.out).toMatch(/two stack artifacts have the construct path Prod\/Keys/);
    expect(twice.status).toBe(2);
  });

  test('V2 a manifest that deploys another template than the one checked (asset source, command, object, parameters) is refused: exit 2', () => {
    const edits: Record<string, (manifest: Json, assets: Json) => void> = {
      // cdk deploy uploads the template from the asset's source path and deploys that object.
      'source path': (_m, a) => {
        for (const f of Object.values(a.files) as Json[]) f.source.path = 'evil.template.json';
      },
      'source command': (_m, a) => {
        for (const f of Object.values(a.files) as Json[]) f.source.executable = ['sh', '-c', 'cat evil.template.json'];
      },
      'object no asset uploads': (m) =>
        (m.artifacts.ProdKeys76E19F6C.properties.stackTemplateAssetObjectUrl = 's3://another-bucket/template.json'),
      parameters: (m) => (m.artifacts.ProdKeys76E19F6C.properties.parameters = { BootstrapVersion: '/fork/role' }),
      'deploy role of another account': (m) =>
        (m.artifacts.ProdKeys76E19F6C.properties.assumeRoleArn =
          'arn:${AWS::Partition}:iam::999999999999:role/deployer'),
      'object in another bucket': (m) => {
        const url = m.artifacts.ProdKeys76E19F6C.properties.stackTemplateAssetObjectUrl as string;
        m.artifacts.ProdKeys76E19F6C.properties.stackTemplateAssetObjectUrl = url.replace(
          /^s3:\/\/[^/]+/,
          's3://another-bucket',
        );
      },
      'unreadable source uploading the object': (_m, a) => {
        const [, asset] = Object.entries(a.files as Json)[0]!;
        a.files.unreadable = { ...asset, source: { path: '/proc/self/mem', packaging: 'file' } };
      },
      // The asset manifest moved to a folder holding another file of the template's name: cdk-assets reads the source
      // path from the asset manifest's folder.
      'asset manifest in another folder': (m) => {
        const artifact = m.artifacts['ProdKeys76E19F6C.assets'];
        artifact.properties.file = `elsewhere/${artifact.properties.file as string}`;
      },
    };
    for (const [name, edit] of Object.entries(edits)) {
      const dir = join(scratch, `deployed-${name.replace(/ /g, '-')}`);
      cpSync(assembly, dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
      const assetsFile = join(dir, manifest.artifacts['ProdKeys76E19F6C.assets'].properties.file as string);
      const assets = JSON.parse(readFileSync(assetsFile, 'utf8')) as Json;
      edit(manifest, assets);
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      const movedTo = join(dir, manifest.artifacts['ProdKeys76E19F6C.assets'].properties.file as string);
      mkdirSync(join(movedTo, '..'), { recursive: true });
      writeFileSync(movedTo, JSON.stringify(assets));
      if (movedTo !== assetsFile) {
        writeFileSync(join(movedTo, '..', templateFile('ProdKeys')), '{"Resources":{}}');
      }
      const { status, out } = run([dir]);
      expect({ name, status }).toEqual({ name, status: 2 });
      expect(out).toMatch(
        /the stack artifact ProdKeys76E19F6C .*: what deploys is not the template checked here|cannot read an asset's source|the asset manifest artifact ProdKeys76E19F6C\.assets runs the command/,
      );
      expect(out).not.toMatch(/\n\s+at /);
    }
  });

  test('V2 what CDK writes passes the deployed-template check: a hand-edited entry uploading nothing, and two stacks with identical templates sharing one object', () => {
    const dir = join(scratch, 'deployed-shared-object');
    cpSync(assembly, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
    const assetsFile = join(dir, manifest.artifacts['ProdKeys76E19F6C.assets'].properties.file as string);
    const assets = JSON.parse(readFileSync(assetsFile, 'utf8')) as Json;
    const [key, asset] = Object.entries(assets.files as Json)[0]!;
    // Another file of the same bytes uploading the same object (two stacks' identical templates), and a null entry.
    cpSync(join(dir, templateFile('ProdKeys')), join(dir, 'Twin.template.json'));
    assets.files[`${key}-twin`] = { ...asset, source: { path: 'Twin.template.json', packaging: 'file' } };
    assets.files.bogus = null;
    writeFileSync(assetsFile, JSON.stringify(assets));
    const { status, out } = run([dir]);
    expect(out).not.toMatch(/what deploys is not the template checked here|\n\s+at /);
    expect(status).toBe(0);
  });

  test('a nested assembly that is its own parent or outside it (edited directoryName, a link to a parent folder) is refused: exit 2, no stack trace', () => {
    const withNested = (name: string, directoryName: unknown): string => {
      const dir = join(scratch, `nested-${name}`);
      cpSync(assembly, dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
      manifest.artifacts['assembly-Loop'] = { type: 'cdk:cloud-assembly', properties: { directoryName } };
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      return dir;
    };
    for (const [name, directoryName] of Object.entries({ self: '.', parent: '..', deeper: 'a/../..', none: 7 })) {
      const { status, out } = run([withNested(name, directoryName)]);
      expect({ name, status }).toEqual({ name, status: 2 });
      expect(out).toContain(`the nested assembly assembly-Loop has the directory ${JSON.stringify(directoryName)}`);
      expect(out).not.toMatch(/\n\s+at /);
    }
    // A folder name that is a link back to the assembly itself.
    const linked = withNested('link', 'loop');
    symlinkSync(linked, join(linked, 'loop'));
    const { status, out } = run([linked]);
    expect(out).toMatch(/a nested assembly that contains its own parent assembly/);
    expect(status).toBe(2);
  });

  test('bad options and unknown environments exit 2 with a message naming them', () => {
    expect(run(['--bogus', assembly])).toMatchObject({
      status: 2,
      out: expect.stringContaining('--bogus: unknown option'),
    });
    expect(run(['--env'])).toMatchObject({ status: 2, out: expect.stringContaining('--env: needs a value') });
    expect(run(['--env', 'qa', assembly])).toMatchObject({
      status: 2,
      out: expect.stringContaining("env = 'qa': unknown environment"),
    });
  });

  test('files are checked one by one, without the assembly rules, and the output says so', () => {
    const keys = readdirSync(assembly).find((f) => f.startsWith('ProdKeys') && f.endsWith('.template.json'))!;
    const { status, out } = run([join(assembly, keys)]);
    expect(out).toContain(`${keys}: clean`);
    expect(out).toContain(
      'Assembly rules (detection services, alarms, trail coverage, key domains, network) need every stack',
    );
    expect(status).toBe(0);
  });
});
