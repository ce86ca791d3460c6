import { App, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { ACKNOWLEDGEMENTS, applyAcknowledgements, markPhiStore } from '../../lib/compliance/register/acknowledgements';
import { buildTestBlueprint, testConfig } from '../support/blueprint';

describe('the acknowledgement register', () => {
  it('every entry names rules, a reason and a compensating control', () => {
    for (const entry of ACKNOWLEDGEMENTS) {
      expect(entry.ruleIds.length).toBeGreaterThan(0);
      expect(entry.reason.length).toBeGreaterThan(40);
      expect(entry.compensatingControl.length).toBeGreaterThan(40);
      expect(entry.path).not.toMatch(/^\*\*?$|^\*\/[A-Za-z]+$/); // never a whole app or stack
    }
  });

  it('every entry matches a construct in dev or prod (no stale entries)', () => {
    const matched = new Set<string>();
    for (const env of ['dev', 'prod'] as const) {
      const { app } = buildTestBlueprint(testConfig(env));
      for (const m of applyAcknowledgements(app)) if (m.paths.length > 0) matched.add(m.entry.path);
    }
    expect(ACKNOWLEDGEMENTS.map((e) => e.path).filter((p) => !matched.has(p))).toEqual([]);
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
