import { ComplianceByConfigRule, DescribeComplianceByConfigRuleCommand } from '@aws-sdk/client-config-service';
import { liveResources } from '../core/deployed-state';
import { stackRef } from '../core/stacks';
import { VerifyCheck, VerifyRow } from './context';

const CHECK = 'Config rule compliance';
/** DescribeComplianceByConfigRule accepts at most 25 rule names per call. */
const NAMES_PER_CALL = 25;

/**
 * D2: compliance of the environment's AWS Config rules (the detection stack's rules, by name):
 * FAIL listing NON_COMPLIANT rules; WARN while no rule has been evaluated yet.
 */
export const verifyConfigRules: VerifyCheck = (ctx) => ruleCompliance(ctx, 'detection', CHECK);

/**
 * D2: the same in the PHI replica region (config.phiBucket.replicaRegion): the replica detection stack's rules.
 */
export const verifyReplicaConfigRules: VerifyCheck = (ctx) =>
  ruleCompliance(ctx, 'replicaDetection', `${CHECK} in ${ctx.config.phiBucket.replicaRegion}`);

async function ruleCompliance(
  ctx: Parameters<VerifyCheck>[0],
  role: 'detection' | 'replicaDetection',
  check: string,
): Promise<VerifyRow[]> {
  const { config } = ctx;
  const row = (status: VerifyRow['status'], detail: string): VerifyRow[] => [
    { safeguard: 'D2', check, status, detail },
  ];
  if (!config.detection.config) {
    return row(
      'WARN',
      "detection.config = false: the blueprint records no Config rules here; the account's own AWS Config is expected to cover D2",
    );
  }
  const ref = stackRef(config, role);
  const names = liveResources(ctx.deployed.get(ref.stackName), 'AWS::Config::ConfigRule').map(
    (r) => r.physicalId as string,
  );
  if (names.length === 0) return row('FAIL', `no Config rules: stack ${ref.stackName} is not deployed`);
  const results: ComplianceByConfigRule[] = [];
  const client = ctx.clients.configService(ref.region);
  for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new DescribeComplianceByConfigRuleCommand({
          ConfigRuleNames: names.slice(i, i + NAMES_PER_CALL),
          NextToken: nextToken,
        }),
      );
      results.push(...(page.ComplianceByConfigRules ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
  }
  const byType = new Map<string, string[]>();
  for (const r of results) {
    const type = r.Compliance?.ComplianceType ?? 'INSUFFICIENT_DATA';
    byType.set(type, [...(byType.get(type) ?? []), r.ConfigRuleName ?? '?']);
  }
  const counts = [...byType.entries()].map(([t, list]) => `${list.length} ${t}`).join(', ');
  const nonCompliant = byType.get('NON_COMPLIANT') ?? [];
  if (nonCompliant.length > 0)
    return row('FAIL', `${nonCompliant.length} NON_COMPLIANT: ${nonCompliant.sort().join(', ')} (${counts})`);
  if (!byType.has('COMPLIANT'))
    return row(
      'WARN',
      `no rule evaluated yet (${counts || `${names.length} rules, no results`}); evaluations start minutes after the recorder does`,
    );
  return row('PASS', `${names.length} rules: ${counts}`);
}
