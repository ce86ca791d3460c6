import { keyPrincipals, replicaForwardRuleArns } from '../../lib/config/principals';
import { replicaForwardRuleKeys, replicaForwardRuleName } from '../../lib/config/names';
import { REPLICA_FORWARDED_WATCHES } from '../../constructs/tamper-watches';
import { testConfig } from '../support/blueprint';

describe('replica region forwarding rules on the audit replica key (D2, D3)', () => {
  const prod = testConfig('prod');

  it('D2 D3 the audit replica key admits dead letters of exactly the forwarding rules of the replica region', () => {
    const arns = keyPrincipals(prod, 'audit-replica').deadLetterRuleArns;
    expect(arns).toEqual(replicaForwardRuleArns(prod));
    const region = prod.phiBucket.replicaRegion;
    expect(arns).toContain(
      `arn:aws:events:${region}:${prod.account}:rule/${replicaForwardRuleName(prod, 'GuardDutyFindings')}`,
    );
    expect(arns).toHaveLength(2 + REPLICA_FORWARDED_WATCHES.length + 1);
    // No other key admits them.
    for (const domain of ['phi', 'backup', 'phi-replica', 'backup-replica'] as const) {
      expect(keyPrincipals(prod, domain).deadLetterRuleArns).toBeUndefined();
    }
  });

  it('D2 D3 follows the detection switches, none without the replica detection stack', () => {
    expect(replicaForwardRuleKeys({ config: true, guardDuty: false, securityHub: true })).not.toContain(
      'GuardDutyFindings',
    );
    expect(replicaForwardRuleKeys({ config: false, guardDuty: false, securityHub: false })).toEqual([]);
    const off = { ...prod, detection: { ...prod.detection, config: false, guardDuty: false, securityHub: false } };
    expect(keyPrincipals(off, 'audit-replica').deadLetterRuleArns).toBeUndefined();
  });
});
