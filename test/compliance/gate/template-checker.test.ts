import { readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { runCheckTemplate } from '../../../lib/check-template-cli';
import { applyCompliance } from '../../../lib/compliance/apply-compliance';
import { environmentRegister } from '../../../lib/compliance/gate/environment-register';
import {
  logicalIdOfPath,
  pathDerivesLogicalId,
  stackArtifactIdOfPath,
  stackPathOf,
} from '../../../lib/compliance/gate/core/path-metadata';
import { TemplateJson } from '../../../lib/compliance/gate/core/template-json';
import { loadAssembly } from '../../../lib/compliance/gate/assembly-loader';
import {
  assertCloudFormationTemplate,
  checkAssembly,
  checkAssemblyRules,
  CheckOptions,
  checkTemplate,
  rewriteStackOutputReferences,
  TemplateInputError,
} from '../../../lib/compliance/gate/template-checker';
import { cdkSynthDir } from '../../support/synthesized';
import { scratchDir } from '../../support/scratch';

type Tpl = { Resources: Record<string, Record<string, unknown>> };

let templates: { file: string; path: string; template: Tpl }[];

beforeAll(() => {
  // Both environments as `cdk synth -c env=NAME` writes them (path metadata on: the checker matches
  // acknowledgements to the register by construct path), synthesized once per run by the globalSetup (read only).
  // Stack names carry the environment: Dev*, Prod*.
  templates = (['dev', 'prod'] as const)
    .flatMap((env) => {
      const dir = cdkSynthDir(env);
      return readdirSync(dir)
        .filter((f) => f.endsWith('.template.json'))
        .map((file) => ({ file, path: join(dir, file) }));
    })
    .sort((a, b) => a.file.localeCompare(b.file))
    .map(({ file, path }) => ({ file, path, template: JSON.parse(readFileSync(path, 'utf8')) as Tpl }));
});

/** The register of the template's environment (its Metadata.HipaaBlueprint names it), as the CLI applies it. */
const optionsFor = (template: unknown): CheckOptions => {
  const env = environmentRegister([template as TemplateJson]);
  return { register: env?.register, phiBucketNames: env?.phiBucketNames };
};

const checkedFiles = new Map<string, ReturnType<typeof checkTemplate>>();
/**
 * checkTemplate of a synthesized template with its environment's register, as the CLI checks it: once per file for
 * the tests that only read the result (each check includes the whole template, about 0.1 s).
 */
const checked = ({ file, template }: { file: string; template: Tpl }): ReturnType<typeof checkTemplate> => {
  let result = checkedFiles.get(file);
  if (result === undefined) {
    result = checkTemplate(template, file, optionsFor(template));
    checkedFiles.set(file, result);
  }
  return result;
};

describe('checkTemplate on the synthesized dev and prod apps', () => {
  test('V2 every template the blueprint synthesizes passes as is, with zero findings', () => {
    expect(templates.filter(({ file }) => file.startsWith('Dev')).length).toBeGreaterThanOrEqual(2);
    expect(templates.filter(({ file }) => file.startsWith('Prod')).length).toBeGreaterThanOrEqual(2);
    for (const { file, template } of templates) {
      const result = checked({ file, template });
      expect({ file, findings: result.findings }).toEqual({ file, findings: [] });
      expect(result.resources).toBe(Object.keys(template.Resources).length);
    }
  });

  test('acknowledgements are honoured from the template metadata only: stripping them brings the findings back', () => {
    const withAcks = templates.find(({ template }) =>
      Object.values(template.Resources).some((r) => (r.Metadata as { cdk_nag?: unknown } | undefined)?.cdk_nag),
    );
    expect(withAcks).toBeDefined();
    const stripped = JSON.parse(JSON.stringify(withAcks!.template)) as Tpl;
    for (const r of Object.values(stripped.Resources))
      delete (r.Metadata as { cdk_nag?: unknown } | undefined)?.cdk_nag;
    expect(checkTemplate(withAcks!.template, 'with', optionsFor(withAcks!.template)).acknowledgements).toBeGreaterThan(
      0,
    );
    expect(checkTemplate(stripped, 'stripped', optionsFor(stripped)).findings.length).toBeGreaterThan(0);
  });

  test('N4 a tree-dependent rule is proven from the template: the VPC default security group closer', () => {
    const network = templates.find(({ template }) =>
      Object.values(template.Resources).some((r) => r.Type === 'Custom::VpcRestrictDefaultSG'),
    )!;
    expect(checkTemplate(network.template).equivalents).toBeGreaterThan(0);
  });
});

describe("V2 a template's aws:cdk:path metadata is believed only where it derives the resource's logical id", () => {
  const audit = (): Tpl => {
    const found = templates.find(({ file }) => file.startsWith('ProdAudit'));
    expect(found).toBeDefined();
    return JSON.parse(JSON.stringify(found!.template)) as Tpl;
  };
  type Meta = { 'aws:cdk:path': string; cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
  const meta = (t: Tpl, id: string): Meta => t.Resources[id]!.Metadata as Meta;

  test('every resource of dev and prod derives its logical id from its path, below the stack path the template shows', () => {
    for (const { file, template } of templates) {
      const stackPath = stackPathOf(template as unknown as TemplateJson);
      expect({ file, stackPath }).toEqual({ file, stackPath: expect.stringMatching(/^(Dev|Prod)\/[A-Za-z]+$/) });
      const underived = Object.entries(template.Resources)
        .filter(([, r]) => typeof (r.Metadata as Meta | undefined)?.['aws:cdk:path'] === 'string')
        .filter(([id, r]) => !pathDerivesLogicalId((r.Metadata as Meta)['aws:cdk:path'], id, stackPath));
      expect({ file, underived: underived.map(([id]) => id) }).toEqual({ file, underived: [] });
    }
    expect(logicalIdOfPath('Prod/Audit/AccessLogs/Bucket/Resource', 'Prod/Audit')).toBe('AccessLogsBucketCD784A59');
    expect(logicalIdOfPath('Prod/Audit/AccessLogs/Bucket/Resource', 'Prod/Data')).toBeUndefined();
    // Artifact ids as CDK writes them in a manifest (Stack.artifactId), also for ids with characters it replaces.
    expect(stackArtifactIdOfPath('Prod/Audit')).toBe('ProdAudit6B7AB28A');
    expect(stackArtifactIdOfPath('MyStack')).toBe('MyStack');
    expect(stackArtifactIdOfPath('My Stack')).toBe('My_Stack');
    expect(stackArtifactIdOfPath('team:api')).toBe('team_api');
    expect(stackArtifactIdOfPath('my-stack_v2.1')).toBe('my-stack_v2.1');
  });

  test("a resource that claims another resource's path (and acknowledgement) is refused, not honoured", () => {
    // The access-log bucket's acknowledgement of SSE-S3 (server access logs cannot be delivered to a KMS bucket), put on
    // the config delivery bucket under the access-log bucket's path, with that bucket's KMS key removed.
    const t = audit();
    const logs = meta(t, 'AccessLogsBucketCD784A59');
    const target = t.Resources.ConfigDeliveryBucket4617D7BE!;
    target.Properties = {
      ...(target.Properties as object),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    };
    const kms = logs.cdk_nag!.rules_to_suppress.filter((s) => s.id.endsWith('-S3DefaultEncryptionKMS'));
    expect(kms).toHaveLength(2);
    const forged = meta(t, 'ConfigDeliveryBucket4617D7BE');
    forged.cdk_nag = { rules_to_suppress: [...(forged.cdk_nag?.rules_to_suppress ?? []), ...kms] };
    forged['aws:cdk:path'] = logs['aws:cdk:path'];
    const result = checkTemplate(t, 'forged', optionsFor(t));
    expect(result.findings.map((f) => `${f.ruleId} ${f.logicalId}`)).toEqual(
      expect.arrayContaining([
        'Blueprint-UnregisteredAcknowledgement[HIPAA.Security-S3DefaultEncryptionKMS] ConfigDeliveryBucket4617D7BE',
        'Blueprint-UnregisteredAcknowledgement[NIST.800.53.R5-S3DefaultEncryptionKMS] ConfigDeliveryBucket4617D7BE',
        'HIPAA.Security-S3DefaultEncryptionKMS ConfigDeliveryBucket4617D7BE',
      ]),
    );
    expect(result.findings.find((f) => f.ruleId.startsWith('Blueprint-Unregistered'))!.description).toContain(
      'its aws:cdk:path metadata (Prod/Audit/AccessLogs/Bucket/Resource) is not the path CDK derives its logical id from below the stack Prod/Audit',
    );
    // The stack path a cloud assembly's manifest gives decides the same way.
    expect(checkTemplate(t, 'forged', { ...optionsFor(t), stackPath: 'Prod/Audit' }).findings).toEqual(result.findings);
    // The construct tree's path (at synth) is believed as it is: there, the access-log bucket's acknowledgements apply.
    const tree = new Map([['ConfigDeliveryBucket4617D7BE', 'Prod/Audit/AccessLogs/Bucket/Resource']]);
    const withTree = checkTemplate(t, 'forged', { ...optionsFor(t), constructPaths: tree });
    expect(withTree.findings.filter((f) => f.ruleId.includes('S3DefaultEncryptionKMS'))).toEqual([]);
  });
});

describe('cross-stack references (Fn::GetStackOutput, cdk.json defaultCrossStackReferences "weak")', () => {
  const countStackOutputs = (t: unknown): number => (JSON.stringify(t).match(/"Fn::GetStackOutput":/g) ?? []).length;
  const gso = {
    'Fn::GetStackOutput': { StackName: 'DevKeys', OutputName: 'PublishOutputKeyArn', Region: 'us-east-1' },
  };

  test('V2 the app references other stacks with Fn::GetStackOutput; every one is checked as an unresolved value and counted', () => {
    const total = templates.reduce((n, { template }) => n + countStackOutputs(template), 0);
    expect(total).toBeGreaterThan(0);
    for (const { file, template } of templates) {
      expect({ file, rewritten: checked({ file, template }).crossStackReferences }).toEqual({
        file,
        rewritten: countStackOutputs(template),
      });
    }
  });

  test('each reference becomes Fn::ImportValue "<StackName>:<OutputName>", the input is not modified', () => {
    const input = { Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: gso } } } };
    const before = JSON.stringify(input);
    const { template, rewritten } = rewriteStackOutputReferences(input);
    expect(rewritten).toBe(1);
    expect(template).toEqual({
      Resources: {
        T: {
          Type: 'AWS::SNS::Topic',
          Properties: { KmsMasterKeyId: { 'Fn::ImportValue': 'DevKeys:PublishOutputKeyArn' } },
        },
      },
    });
    expect(JSON.stringify(input)).toBe(before);
  });

  test('a value from another stack is neither a false finding nor a silent pass', () => {
    const logGroup = (props: Record<string, unknown>) => ({
      Resources: {
        L: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: props },
      },
    });
    // The key is another stack's output: rules that only need a key to be set pass, no false finding.
    expect(checkTemplate(logGroup({ RetentionInDays: 2192, KmsKeyId: gso })).findings).toEqual([]);
    // The retention is another stack's output: the rule cannot prove six years, it reports that it could not evaluate.
    const unresolved = checkTemplate(logGroup({ RetentionInDays: gso, KmsKeyId: gso })).findings;
    expect(unresolved.map((f) => [f.ruleId, f.kind])).toEqual([['Blueprint-LogGroupSixYearRetention', 'error']]);
  });

  test.each([
    ['no OutputName', { StackName: 'DevKeys' }],
    ['a StackName that is not a literal', { StackName: { Ref: 'AWS::StackName' }, OutputName: 'O' }],
  ])('a Fn::GetStackOutput with %s is a TemplateInputError naming source and location', (_name, args) => {
    const t = {
      Resources: { T: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { 'Fn::GetStackOutput': args } } } },
    };
    expect(() => checkTemplate(t, 'x.json')).toThrow(
      /^x\.json: Fn::GetStackOutput at \/Resources\/T\/Properties\/KmsMasterKeyId = .*needs literal StackName and OutputName/,
    );
  });
});

describe("CloudFormation's string forms of booleans and numbers (a hand-edited template)", () => {
  // CfnInclude reads "true" and "2" as the typed values CloudFormation takes them for; the rules must see the same
  // finding either way (a rule reading the raw template would see strings and miss it).
  const database = (enable: unknown) => ({
    Resources: {
      Db: {
        Type: 'AWS::RDS::DBInstance',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          StorageEncrypted: true,
          KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000',
          EnablePerformanceInsights: enable,
        },
      },
    },
  });
  test.each([[true], ['true']])(
    'E2 Performance Insights enabled (%j) without a customer-managed key is a finding',
    (enable) => {
      const ids = checkTemplate(database(enable)).findings.map((f) => f.ruleId);
      expect(ids).toContain('Blueprint-StoreCustomerManagedKey[PerformanceInsightsKMSKeyId::absent]');
    },
  );
});

describe('packs: fewer packs, a subset of the same findings (the probe runner checks the project pack first)', () => {
  // A Performance Insights database without its key (a project rule and cdk-nag rules report it), carrying an
  // acknowledgement no register holds.
  const template = {
    Resources: {
      Db: {
        Type: 'AWS::RDS::DBInstance',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-RDS11', reason: 'synthetic' }] } },
        Properties: { StorageEncrypted: false, EnablePerformanceInsights: true },
      },
    },
  };
  test('the project pack alone: its findings and the acknowledgement findings, none of the cdk-nag packs', () => {
    const all = checkTemplate(template).findings.map((f) => f.ruleId);
    const project = checkTemplate(template, 'template', { packs: ['Blueprint'] }).findings.map((f) => f.ruleId);
    // The comparison is not between two empty reports, nor between the same ones.
    expect(all).toEqual(
      expect.arrayContaining(['Blueprint-StoreCustomerManagedKey[PerformanceInsightsKMSKeyId::absent]']),
    );
    expect(all.some((id) => id.startsWith('HIPAA.Security-'))).toBe(true);
    expect(project).toContain('Blueprint-StoreCustomerManagedKey[PerformanceInsightsKMSKeyId::absent]');
    expect(project).toContain('Blueprint-UnregisteredAcknowledgement[AwsSolutions-RDS11]');
    expect(project.filter((id) => !id.startsWith('Blueprint-'))).toEqual([]);
    expect(all).toEqual(expect.arrayContaining(project));
    expect(checkTemplate(template, 'template', { packs: [] }).findings.map((f) => f.ruleId)).toEqual([
      'Blueprint-UnregisteredAcknowledgement[AwsSolutions-RDS11]',
    ]);
  });

  test('an unknown pack name is an error; a cache shared between pack selections answers each with its own', () => {
    expect(() => checkTemplate(template, 'template', { packs: ['Blueprnt'] })).toThrow(/no pack named Blueprnt/);
    const cache = new Map<string, ReturnType<typeof checkTemplate>>();
    const project = checkTemplate(template, 'template', { packs: ['Blueprint'], cache }).findings.length;
    const all = checkTemplate(template, 'template', { cache }).findings.length;
    expect(all).toBeGreaterThan(project);
    expect(cache.size).toBe(2);
  });
});

describe('checkAssembly is each template checked, then the assembly rules (the probe runner relies on it)', () => {
  test('V2 its findings are the templates findings followed by checkAssemblyRules findings, for the prod assembly and a broken copy', () => {
    const prod = loadAssembly(cdkSynthDir('prod'));
    const broken = prod.map((s) => ({ ...s, template: JSON.parse(JSON.stringify(s.template)) as TemplateJson }));
    const audit = broken.find((s) => s.path?.endsWith('/Audit'))!;
    for (const r of Object.values(audit.template.Resources)) {
      if (r.Type === 'AWS::CloudTrail::Trail') (r.Properties as Record<string, unknown>).IsMultiRegionTrail = false;
    }
    // The audit archive replica (another stack) loses its log bucket marker: an assembly rule's finding.
    const replica = broken.find((s) => s.path?.endsWith('/PhiReplica'))!.template.Resources;
    for (const r of Object.values(replica))
      delete (r.Metadata as Record<string, unknown> | undefined)?.['HipaaBlueprint::LogBucket'];
    for (const stacks of [prod, broken]) {
      const env = environmentRegister(stacks.map((s) => s.template));
      const options = { register: env?.register, phiBucketNames: env?.phiBucketNames };
      const report = checkAssembly(stacks, options);
      const perTemplate = stacks.flatMap((stack) =>
        checkTemplate(stack.template, stack.file, { ...options, stackPath: stack.path }).findings.map((f) => ({
          ...f,
          source: stack.file,
        })),
      );
      const assembly = checkAssemblyRules(stacks, options).assemblyFindings;
      expect(report.findings).toEqual([...perTemplate, ...assembly]);
      if (stacks === broken) expect(perTemplate.length * assembly.length).toBeGreaterThan(0);
    }
  });
});

describe('bad input', () => {
  test.each([
    ['an array', []],
    ['null', null],
    ['no Resources map', { AWSTemplateFormatVersion: '2010-09-09' }],
    ['Resources not a map', { Resources: [] }],
    ['a resource without Type', { Resources: { A: { Properties: {} } } }],
  ])('%s is a TemplateInputError naming the source', (_name, input) => {
    expect(() => assertCloudFormationTemplate(input, 'x.json')).toThrow(TemplateInputError);
    expect(() => checkTemplate(input, 'x.json')).toThrow(/^x\.json: /);
  });

  test('a reference to a missing resource is a TemplateInputError, not a crash', () => {
    const t = { Resources: { A: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: { Ref: 'Missing' } } } } };
    expect(() => checkTemplate(t, 'broken.json')).toThrow(TemplateInputError);
  });

  test('a value nested too deeply to read is a TemplateInputError, not a crash', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20000; i++) deep = { a: deep };
    const t = { Metadata: { deep }, Resources: { A: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } };
    expect(() => checkTemplate(t, 'deep.json')).toThrow(TemplateInputError);
    expect(() => checkTemplate(t, 'deep.json')).toThrow(/^deep\.json: cannot be read as CloudFormation: /);
  });
});

describe('V1 non-eligible services', () => {
  test('V1 a Lightsail instance in a test app fails the synth gate naming the service', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Probe', { env: { account: '123456789012', region: 'us-east-1' } });
    new CfnResource(stack, 'Box', {
      type: 'AWS::Lightsail::Instance',
      properties: { InstanceName: 'box', BlueprintId: 'amazon_linux_2023', BundleId: 'nano_3_0' },
    });
    applyCompliance(app);
    expect(() => app.synth()).toThrow(/HipaaEligibleService\[Service::Amazon.Lightsail\]/);
  });

  test('V1 the template checker names the service too', () => {
    const t = {
      Resources: {
        Box: { Type: 'AWS::Lightsail::Instance', Properties: { InstanceName: 'b', BlueprintId: 'x', BundleId: 'y' } },
      },
    };
    expect(checkTemplate(t).findings.map((f) => f.ruleId)).toContain(
      'Blueprint-HipaaEligibleService[Service::Amazon Lightsail]',
    );
  });
});

describe('the check-template command (lib/check-template-cli.ts; test/bin/check-template.test.ts runs the real bin)', () => {
  const run = (args: string[]): { status: number; out: string } => {
    const lines: string[] = [];
    const status = runCheckTemplate(args, { out: (l) => lines.push(`${l}\n`), err: (l) => lines.push(`${l}\n`) });
    return { status, out: lines.join('') };
  };

  test('exit 1 on findings (grouped by rule with logical ids), 0 when clean', () => {
    const dir = scratchDir('check-cli-');
    const keys = templates.find(({ template }) =>
      Object.values(template.Resources).some((r) => r.Type === 'AWS::KMS::Key'),
    )!;
    const bad = JSON.parse(JSON.stringify(keys.template)) as Tpl;
    const [id, key] = Object.entries(bad.Resources).find(([, r]) => r.Type === 'AWS::KMS::Key')!;
    (key.Properties as Record<string, unknown>).EnableKeyRotation = false;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const failing = run([keys.path, join(dir, 'bad.json')]);
    expect(failing.out).toContain(`${keys.file}: clean`);
    expect(failing.out).toContain('Blueprint-KmsKeySafeguards[EnableKeyRotation::false]');
    expect(failing.out).toContain(`- ${id} (AWS::KMS::Key)`);
    expect(failing.status).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });

  test('exit 2 on input that is not a readable CloudFormation template, naming the file', () => {
    const dir = scratchDir('check-cli-');
    writeFileSync(join(dir, 'not-json.json'), 'nope');
    writeFileSync(join(dir, 'no-resources.json'), '{"a":1}');
    const r = run([join(dir, 'not-json.json'), join(dir, 'no-resources.json'), join(dir, 'missing.json')]);
    expect(r.out).toContain('not-json.json: not JSON');
    expect(r.out).toContain('no-resources.json: not a CloudFormation template (no "Resources" map)');
    expect(r.out).toContain('missing.json: cannot read');
    expect(r.status).toBe(2);
    rmSync(dir, { recursive: true, force: true });
  });
});
