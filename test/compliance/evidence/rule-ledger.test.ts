import { App, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { BlueprintChecks } from '../../../lib/compliance/gate/blueprint-checks';
import { RuleLedger, sectionsCitedBy } from '../../../lib/compliance/evidence/rule-ledger';

describe('rule ledger', () => {
  test('V2 records pass, acknowledged, violation and error from the real evaluation', () => {
    const probe = new App();
    const stack = new Stack(probe, 'Probe');
    const ok = new logs.LogGroup(stack, 'Good', {
      retention: logs.RetentionDays.SIX_YEARS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const acked = new logs.LogGroup(stack, 'Acked', {
      retention: logs.RetentionDays.ONE_DAY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new logs.LogGroup(stack, 'Bad', { retention: logs.RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.RETAIN });
    const unresolved = new logs.CfnLogGroup(stack, 'Unresolved', {
      retentionInDays: Token.asNumber(Fn.importValue('Days')),
    });
    Validations.of(acked).acknowledge({ id: 'Blueprint-LogGroupSixYearRetention[RetentionInDays::1]', reason: 'test' });
    const ledger = new RuleLedger();
    const pack = ledger.instrument(new BlueprintChecks());
    const report = pack.validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([
      'Blueprint-StoreCustomerManagedKey[KmsKeyId::absent]',
      'Blueprint-LogGroupSixYearRetention[RetentionInDays::1]',
      'Blueprint-LogGroupSixYearRetention',
    ]);
    const outcome = (c: IConstruct): string | undefined =>
      ledger
        .evaluations()
        .find(
          (e) =>
            e.ruleId === 'Blueprint-LogGroupSixYearRetention' && e.constructPath === c.node.defaultChild!.node.path,
        )?.outcome;
    expect(outcome(ok)).toBe('pass');
    expect(outcome(acked)).toBe('acknowledged');
    expect(outcome(stack.node.findChild('Bad'))).toBe('violation');
    const threw = ledger
      .evaluations()
      .find((e) => e.constructPath === unresolved.node.path && e.ruleId.endsWith('Retention'));
    expect(threw?.outcome).toBe('error');
    expect(threw?.safeguards).toEqual(['U3', 'I2']);
  });

  test('V2 HIPAA sections are read from the cdk-nag rule text', () => {
    expect(sectionsCitedBy('The trail ... - (Control IDs: 164.308(a)(1)(ii)(D), 164.312(b), 164.312(b)).')).toEqual([
      '164.308(a)(1)(ii)(D)',
      '164.312(b)',
    ]);
    expect(sectionsCitedBy('No control ids here 164.312(b)')).toEqual([]);
  });
});
