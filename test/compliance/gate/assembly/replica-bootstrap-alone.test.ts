import { ASSEMBLY_RULES, runAssemblyRules } from '../../../../lib/compliance/gate/assembly';
import {
  isReplicaBootstrapAssembly,
  ReplicaBootstrapAlone,
} from '../../../../lib/compliance/gate/assembly/replica-bootstrap-alone';
import { AssemblyStack, TemplateJson } from '../../../../lib/compliance/gate/core/template-json';
import { asAssembly, fixtureTemplates, PHI_BUCKET, REPLICA_REGION } from './assembly-fixture';

const DECLARATION = { HipaaBlueprint: { appName: 'app', envName: 'prod', phiReplicaBootstrap: true } };

/** Step 1 of a first deploy as PhiReplicaBootstrapStage writes it: the PHI replica stack alone, keys and buckets. */
function bootstrapStack(over: Partial<AssemblyStack> = {}, resources: TemplateJson['Resources'] = {}): AssemblyStack {
  return {
    stackName: 'app-prod-phi-replica',
    file: 'ProdPhiReplica.template.json',
    path: 'Prod/PhiReplica',
    region: REPLICA_REGION,
    account: '123456789012',
    template: {
      Metadata: DECLARATION,
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
        Replica: { Type: 'AWS::S3::Bucket', Properties: {} },
        Vault: {
          Type: 'AWS::Backup::BackupVault',
          Properties: { LockConfiguration: { MinRetentionDays: 35, ChangeableForDays: 3 } },
        },
        ...resources,
      },
    },
    ...over,
  };
}

const ids = (stacks: readonly AssemblyStack[], context = { phiReplicaRegion: REPLICA_REGION }): string[] =>
  ReplicaBootstrapAlone.check(stacks, context)
    .findings.map((f) => f.ruleId)
    .sort();

describe('Blueprint-ReplicaBootstrapAlone', () => {
  test('U1 D2 I1 the PHI replica stack alone, as step 1 builds it, is step 1: no finding, presence rules wait', () => {
    const stacks = [bootstrapStack()];
    expect(ids(stacks)).toEqual([]);
    expect(isReplicaBootstrapAssembly(stacks, { phiReplicaRegion: REPLICA_REGION })).toBe(true);
    const result = runAssemblyRules(stacks, { phiBucketNames: [PHI_BUCKET], phiReplicaRegion: REPLICA_REGION });
    expect(result.findings).toEqual([]);
    expect(result.rules.map((r) => r.rule.name)).toEqual(ASSEMBLY_RULES.filter((r) => !r.presence).map((r) => r.name));
    // Nothing declared: not step 1, whatever it holds.
    const undeclared = bootstrapStack();
    expect(
      isReplicaBootstrapAssembly([{ ...undeclared, template: { Resources: undeclared.template.Resources } }], {}),
    ).toBe(false);
  });

  test('U1 D2 I1 the declaration in a template of a whole environment is a finding, and every presence rule runs', () => {
    const templates = fixtureTemplates();
    templates.phiReplica!.Metadata = DECLARATION;
    const stacks = asAssembly(templates).map((s) =>
      s.file === 'phiReplica.template.json' ? { ...s, stackName: 'app-prod-phi-replica' } : s,
    );
    expect(ids(stacks)).toEqual([
      'Blueprint-ReplicaBootstrapAlone[Declaration::holds-more]',
      'Blueprint-ReplicaBootstrapAlone[Declaration::not-alone]',
    ]);
    expect(isReplicaBootstrapAssembly(stacks, {})).toBe(false);
    const result = runAssemblyRules(stacks, { phiBucketNames: [PHI_BUCKET] });
    expect(result.rules.map((r) => r.rule.name)).toEqual(ASSEMBLY_RULES.map((r) => r.name));
    // The trail removed besides: found, as without the declaration.
    delete templates.audit!.Resources.Trail;
    const trailless = asAssembly(templates).map((s) =>
      s.file === 'phiReplica.template.json' ? { ...s, stackName: 'app-prod-phi-replica' } : s,
    );
    expect(runAssemblyRules(trailless, { phiBucketNames: [PHI_BUCKET] }).findings.map((f) => f.ruleId)).toContain(
      'Blueprint-TrailCoversPhiBuckets[Trail::absent]',
    );
  });

  test('U1 D2 one template a fork merged everything into, declared step 1, is a finding naming what it holds', () => {
    const merged = bootstrapStack(
      {},
      {
        Database: { Type: 'AWS::RDS::DBInstance', Properties: {} },
        Service: { Type: 'AWS::ECS::Service', Properties: {} },
      },
    );
    const result = ReplicaBootstrapAlone.check([merged], {});
    expect(result.findings.map((f) => f.ruleId)).toEqual(['Blueprint-ReplicaBootstrapAlone[Declaration::holds-more]']);
    expect(result.findings[0]!.description).toContain('AWS::ECS::Service, AWS::RDS::DBInstance');
    expect(isReplicaBootstrapAssembly([merged], {})).toBe(false);
    // The presence rules run on it: no trail is found.
    expect(runAssemblyRules([merged], {}).findings.map((f) => f.ruleId)).toContain(
      'Blueprint-TrailCoversPhiBuckets[Trail::absent]',
    );
  });

  test('U1 D2 a stack of another name or region, or a declaration without its environment, is not step 1', () => {
    expect(ids([bootstrapStack({ stackName: 'app-prod-data' })])).toEqual([
      'Blueprint-ReplicaBootstrapAlone[Declaration::not-the-replica-stack]',
    ]);
    expect(ids([bootstrapStack({ region: 'us-east-1' })])).toEqual([
      'Blueprint-ReplicaBootstrapAlone[Declaration::not-the-replica-region]',
    ]);
    expect(ids([bootstrapStack({ region: undefined })])).toEqual([
      'Blueprint-ReplicaBootstrapAlone[Declaration::not-the-replica-region]',
    ]);
    // Without config the region is not compared; the name still is.
    expect(ids([bootstrapStack({ region: 'us-east-1' })], {} as { phiReplicaRegion: string })).toEqual([]);
    const anonymous = bootstrapStack();
    const template = { ...anonymous.template, Metadata: { HipaaBlueprint: { phiReplicaBootstrap: true } } };
    expect(ids([{ ...anonymous, template }])).toEqual(['Blueprint-ReplicaBootstrapAlone[Declaration::no-environment]']);
    for (const stacks of [
      [bootstrapStack({ stackName: 'app-prod-data' })],
      [bootstrapStack({ region: 'us-east-1' })],
      [{ ...anonymous, template }],
    ]) {
      expect(isReplicaBootstrapAssembly(stacks, { phiReplicaRegion: REPLICA_REGION })).toBe(false);
    }
  });
});
