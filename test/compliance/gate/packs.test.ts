/**
 * The packs every synth runs (lib/compliance/gate/packs.ts): cdk-nag's three packs stand in as DeferredNagPack, which
 * loads the pack's module when it first checks a resource. Pinned here: each deferred pack reports exactly what
 * cdk-nag's own pack reports (same rule ids, resources and acknowledgements), under the pack's own name, and no
 * source file the app runs imports cdk-nag's index at run time (which would load every pack before the first template
 * is written, and undo the deferral).
 */
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, NagPack } from 'cdk-nag';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import * as ts from 'typescript';
import { CDK_NAG_PACKS, compliancePacks, DeferredNagPack } from '../../../lib/compliance/gate/packs';
import { RuleLedger } from '../../../lib/compliance/evidence/rule-ledger';
import { FIXTURE_ENV } from '../../support/rule-fixtures';

const ROOT = join(__dirname, '..', '..', '..');

/** A stack with findings in all three packs (an unencrypted, unlogged bucket, a VPC without flow logs), one of them acknowledged. */
function fixtureApp(): App {
  const app = new App();
  const stack = new Stack(app, 'Packs', { env: FIXTURE_ENV });
  new s3.Bucket(stack, 'Plain', { removalPolicy: RemovalPolicy.RETAIN });
  const acknowledged = new s3.Bucket(stack, 'Acknowledged', { removalPolicy: RemovalPolicy.RETAIN });
  Validations.of(acknowledged).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'Synthetic fixture: acknowledged to compare acknowledgement handling.',
  });
  new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [] });
  return app;
}

const OWN: Record<string, () => NagPack> = {
  'HIPAA.Security': () => new HIPAASecurityChecks(),
  'NIST.800.53.R5': () => new NIST80053R5Checks(),
  AwsSolutions: () => new AwsSolutionsChecks(),
};

describe('compliancePacks: cdk-nag packs loaded when they first run', () => {
  test('the three cdk-nag packs, each under its own name, then the project pack', () => {
    expect(compliancePacks().map((p) => p.readPackName)).toEqual([
      'HIPAA.Security',
      'NIST.800.53.R5',
      'AwsSolutions',
      'Blueprint',
    ]);
    for (const { name, load } of CDK_NAG_PACKS) {
      const own = new (load())();
      expect([own.readPackName, own.name]).toEqual([name, name]);
      expect(OWN[name]().readPackName).toBe(name);
    }
  });

  test.each(CDK_NAG_PACKS.map((p) => [p.name, p] as const))(
    '%s: the deferred pack reports what cdk-nag’s pack reports, acknowledgements included',
    (name, { load }) => {
      const app = fixtureApp();
      const own = OWN[name]().validateScope(app);
      const deferred = new DeferredNagPack(name, load).validateScope(app);
      expect(own.violations.length).toBeGreaterThan(0);
      expect(deferred).toEqual(own);
      if (name === 'AwsSolutions') {
        const s1 = own.violations.find((v) => v.ruleName === 'AwsSolutions-S1');
        expect(s1?.violatingResources.map((r) => r.constructPath)).toEqual(['Packs/Plain/Resource']);
      }
    },
  );

  test('the rule ledger records every evaluation of a deferred pack as it does for cdk-nag’s pack', () => {
    const app = fixtureApp();
    const record = (pack: NagPack): { outcome: string }[] => {
      const ledger = new RuleLedger();
      ledger.instrument(pack).validateScope(app);
      return ledger.evaluations();
    };
    for (const { name, load } of CDK_NAG_PACKS) {
      const own = record(OWN[name]());
      expect(own.filter((e) => e.outcome === 'violation').length).toBeGreaterThan(0);
      expect(record(new DeferredNagPack(name, load))).toEqual(own);
    }
  });

  test('no file the app runs (bin/, lib/, constructs/) imports cdk-nag’s index at run time', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const full = join(dir, n);
        return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
      });
    const offending: string[] = [];
    for (const file of ['bin', 'lib', 'constructs'].flatMap((d) => files(join(ROOT, d)))) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes("'cdk-nag'")) continue;
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
      for (const statement of source.statements) {
        if (
          ts.isImportDeclaration(statement) &&
          ts.isStringLiteral(statement.moduleSpecifier) &&
          statement.moduleSpecifier.text === 'cdk-nag' &&
          !statement.importClause?.isTypeOnly
        ) {
          offending.push(relative(ROOT, file));
        }
      }
      if (/require\(\s*'cdk-nag'\s*\)/.test(text)) offending.push(relative(ROOT, file));
    }
    expect(offending).toEqual([]);
  });
});
