import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { NagRuleCompliance } from 'cdk-nag';
import { BlueprintChecks } from '../../../../lib/compliance/gate/blueprint-checks';
import { RuleLedger } from '../../../../lib/compliance/evidence/rule-ledger';
import { LambdaLogsToManagedLogGroup } from '../../../../lib/compliance/gate/rules/lambda-logging-config';
import { includedStack } from '../../../support/synthesized';

const RULE = 'Blueprint-LambdaLogsToManagedLogGroup';

function probe(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), 'Probe');
}

const fn = (stack: Stack, id: string, loggingConfig?: CfnFunction.LoggingConfigProperty): CfnFunction =>
  new CfnFunction(stack, id, {
    code: { zipFile: 'exports.handler = async () => {};' },
    role: 'arn:aws:iam::123456789012:role/probe',
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    loggingConfig,
  });

describe('LambdaLogsToManagedLogGroup', () => {
  test('U3 E2 fires on a bare function (Lambda would create an unencrypted, never-expiring group)', () => {
    const stack = probe();
    expect(LambdaLogsToManagedLogGroup(fn(stack, 'Bare'))).toEqual(['LoggingConfig.LogGroup::unset']);
  });

  test('U3 E2 fires on a raw CfnResource function (custom resource providers) without LoggingConfig', () => {
    const stack = probe();
    const raw = new CfnResource(stack, 'Raw', {
      type: 'AWS::Lambda::Function',
      properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: 'x' }, Role: 'r' },
    });
    expect(LambdaLogsToManagedLogGroup(raw)).toEqual(['LoggingConfig.LogGroup::unset']);
    const group = new CfnLogGroup(stack, 'Group', { retentionInDays: 2192 });
    raw.addPropertyOverride('LoggingConfig.LogGroup', group.ref);
    expect(LambdaLogsToManagedLogGroup(raw)).toBe(NagRuleCompliance.COMPLIANT);
  });

  test('U3 E2 fires on a literal log group name (nothing shows the group exists with its safeguards)', () => {
    const stack = probe();
    expect(LambdaLogsToManagedLogGroup(fn(stack, 'Literal', { logGroup: '/aws/lambda/anything' }))).toEqual([
      'LoggingConfig.LogGroup::not-a-log-group-of-this-stack',
    ]);
  });

  test('U3 E2 passes on a function logging to a log group of its stack; not applicable elsewhere', () => {
    const stack = probe();
    const group = new CfnLogGroup(stack, 'Group', { retentionInDays: 2192 });
    expect(LambdaLogsToManagedLogGroup(fn(stack, 'Good', { logGroup: group.ref }))).toBe(NagRuleCompliance.COMPLIANT);
    expect(LambdaLogsToManagedLogGroup(group)).toBe(NagRuleCompliance.NOT_APPLICABLE);
  });

  test("U3 E2 passes on the blueprint's functions: the default-SG provider and the alert formatter", () => {
    // The network and alerting stacks as the shared dev synth wrote them, evaluated by the pack through a ledger.
    const ledger = new RuleLedger();
    const pack = ledger.instrument(new BlueprintChecks());
    const evaluated: string[] = [];
    for (const id of ['Network', 'Alerting']) {
      const included = includedStack('dev', id);
      const report = pack.validateScope(included.stack);
      expect(report.violations.filter((v) => v.ruleName.startsWith(RULE))).toEqual([]);
      evaluated.push(
        ...ledger
          .evaluations()
          .filter((e) => e.ruleId === RULE)
          .map((e) => `${e.outcome} ${included.originalPath(e.constructPath)}`),
      );
    }
    expect(evaluated).toEqual([
      'pass Dev/Network/Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler',
      'pass Dev/Alerting/AlertPipeline/Formatter/Resource',
    ]);
  });
});
