/**
 * Every action a workload in the PHI VPC is allowed on Resource "*" must pass its interface endpoint's policy: the
 * endpoint admits "this account's principals on this account's resources" (aws:ResourceAccount), which a request on
 * no resource does not carry, plus RESOURCE_LESS_ENDPOINT_ACTIONS one by one. An action missing from that list is
 * denied at the endpoint in AWS although every template and unit test looks right (found by review for the restore
 * validation's Backup calls). Read from the synthesized dev and prod assemblies.
 */
import { RESOURCE_LESS_ENDPOINT_ACTIONS } from '../../constructs/interface-endpoint-policies';
import { CfnTemplateJson, allTemplates } from '../support/synthesized';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The endpoint (constructs/interface-endpoint-services.ts) an IAM service prefix is called through. */
const ENDPOINT_OF_SERVICE: Readonly<Record<string, string>> = {
  backup: 'backup',
  cloudwatch: 'monitoring',
  securityhub: 'securityhub',
  athena: 'athena',
  logs: 'logs',
  ecr: 'ecr.api',
  sns: 'sns',
  sqs: 'sqs',
  ssm: 'ssm',
  secretsmanager: 'secretsmanager',
  kms: 'kms',
  sts: 'sts',
  firehose: 'kinesis-firehose',
  ssmmessages: 'ssmmessages',
  ec2messages: 'ec2messages',
  events: 'events',
  rds: 'rds',
};

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Logical ids of the roles that run inside a VPC: in-VPC Lambda functions and ECS task and execution roles. */
function rolesInTheVpc(template: CfnTemplateJson): Set<string> {
  const roles = new Set<string>();
  const ref = (v: unknown): string | undefined => (v as Json)?.['Fn::GetAtt']?.[0] ?? (v as Json)?.Ref;
  for (const r of Object.values(template.Resources)) {
    const p = (r.Properties ?? {}) as Json;
    if (r.Type === 'AWS::Lambda::Function' && p.VpcConfig !== undefined) {
      const id = ref(p.Role);
      if (id) roles.add(id);
    }
    if (r.Type === 'AWS::ECS::TaskDefinition') {
      for (const v of [p.TaskRoleArn, p.ExecutionRoleArn]) {
        const id = ref(v);
        if (id) roles.add(id);
      }
    }
  }
  return roles;
}

/** `[endpoint, action, policy]` for every allowed resource-less action of an in-VPC role whose endpoint exists. */
function resourceLessCalls(env: 'dev' | 'prod'): { endpoint: string; action: string; where: string }[] {
  const templates = allTemplates(env);
  const endpoints = new Set(
    templates.flatMap(({ template }) =>
      Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::EC2::VPCEndpoint' && (r.Properties as Json)?.VpcEndpointType === 'Interface')
        .map((r) => JSON.stringify((r.Properties as Json).ServiceName).replace(/^.*com\.amazonaws\.[^.]+\.|"$/g, '')),
    ),
  );
  const calls: { endpoint: string; action: string; where: string }[] = [];
  for (const { file, template } of templates) {
    const roles = rolesInTheVpc(template);
    for (const [id, r] of Object.entries(template.Resources)) {
      if (r.Type !== 'AWS::IAM::ManagedPolicy' && r.Type !== 'AWS::IAM::Policy') continue;
      const p = r.Properties as Json;
      if (!list(p.Roles).some((role) => roles.has((role as Json)?.Ref))) continue;
      for (const s of list(p.PolicyDocument?.Statement) as Json[]) {
        if (s.Effect !== 'Allow' || !list(s.Resource).includes('*')) continue;
        for (const action of list(s.Action) as string[]) {
          const endpoint = ENDPOINT_OF_SERVICE[action.split(':')[0]!];
          if (endpoint !== undefined && endpoints.has(endpoint))
            calls.push({ endpoint, action, where: `${file} ${id}` });
        }
      }
    }
  }
  return calls;
}

describe.each(['dev', 'prod'] as const)('%s: resource-less calls of workloads in the VPC', (env) => {
  const calls = resourceLessCalls(env);

  test('N3 the assembly has such calls (the check reads something)', () => {
    expect(calls.map((c) => c.action)).toEqual(expect.arrayContaining(['cloudwatch:PutMetricData']));
  });

  test("N3 each passes its interface endpoint's policy (RESOURCE_LESS_ENDPOINT_ACTIONS)", () => {
    const denied = calls.filter((c) => !(RESOURCE_LESS_ENDPOINT_ACTIONS[c.endpoint] ?? []).includes(c.action));
    expect(denied).toEqual([]);
  });
});
