import { App, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { markPhiStore } from '../../../constructs/core';
import { buildBlueprint } from '../../../lib/blueprint-app';
import { BlueprintConfig, loadConfig } from '../../../lib/config';
import { applyAcknowledgements, buildRegister } from '../../../lib/compliance/register';
import { AcknowledgementEvidence } from '../../../lib/compliance/evidence/control-matrix';
import { testConfig } from '../../support/blueprint';
import { evidenceJson } from '../../support/synthesized';

describe('the acknowledgement register', () => {
  it.each(['dev', 'prod'] as const)('every %s entry names rules, a reason and a compensating control', (env) => {
    for (const entry of buildRegister(testConfig(env), { phiReplicaBootstrap: true })) {
      expect(entry.ruleIds.length).toBeGreaterThan(0);
      expect(entry.reason.length).toBeGreaterThan(40);
      expect(entry.compensatingControl.length).toBeGreaterThan(40);
      expect(entry.path).not.toMatch(/^\*\*?$|^\*\/[A-Za-z]+$/); // never a whole app or stack
    }
  });

  it.each(['dev', 'prod'] as const)(
    'every entry of the %s register matches a construct of %s (no stale entries)',
    (env) => {
      // What applyAcknowledgements matched in the shared synth of env, as the evidence records it.
      const matched = evidenceJson<AcknowledgementEvidence[]>(env, 'acknowledgements.json');
      expect(matched.map((m) => m.path)).toEqual(buildRegister(testConfig(env)).map((e) => e.path));
      const stale = matched.filter((m) => m.matchedPaths.length === 0).map((m) => m.path);
      expect(stale).toEqual([]);
    },
  );

  it('is a function of the one config: the dev register names no prod resource, and the reverse', () => {
    const dev = JSON.stringify(buildRegister(testConfig('dev')));
    const prod = JSON.stringify(buildRegister(testConfig('prod')));
    expect(dev).toContain('hipaa-dev-');
    expect(dev).not.toContain('hipaa-prod-');
    expect(prod).toContain('hipaa-prod-');
    expect(prod).not.toContain('hipaa-dev-');
  });

  it('a broken entry of another environment cannot affect this one', () => {
    // A fork adds `staging` with a service entry that is null: nothing about staging is computed when
    // dev is loaded, registered and synthesized.
    const environments: Record<string, BlueprintConfig> = {
      dev: testConfig('dev'),
      staging: { ...testConfig('dev'), envName: 'staging', sharesAccountWith: 'dev', services: [null as never] },
    };
    const config = loadConfig('dev', environments);
    const app = new App({ builtinCloudFormationValidation: false });
    expect(() => buildBlueprint(app, config)).not.toThrow();
  });

  it('refuses an entry that would cover a PHI store', () => {
    const app = new App();
    const stack = new Stack(app, 'Data');
    const bucket = new CfnBucket(stack, 'PhiBucket');
    markPhiStore(bucket);
    expect(() =>
      applyAcknowledgements(app, [
        { ruleIds: ['AwsSolutions-S1'], path: 'Data/*', reason: 'x'.repeat(50), compensatingControl: 'y'.repeat(50) },
      ]),
    ).toThrow(/matches Data\/PhiBucket, which holds a PHI store/);
  });

  it('refuses an entry that covers a whole stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Big');
    for (let i = 0; i < 30; i++) new CfnBucket(stack, `B${i}`);
    expect(() =>
      applyAcknowledgements(app, [
        { ruleIds: ['AwsSolutions-S1'], path: 'Big', reason: 'x'.repeat(50), compensatingControl: 'y'.repeat(50) },
      ]),
    ).toThrow(/too broad/);
  });
});
