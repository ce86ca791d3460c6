import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { CfnLogGroup, LogGroup } from 'aws-cdk-lib/aws-logs';
import { mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { applyCompliance, compliancePacks } from '../../lib/compliance/apply-compliance';
import { ControlMatrix } from '../../lib/compliance/evidence/control-matrix';
import { buildTestBlueprint } from '../support/blueprint';
import { withCfnValidation } from '../support/cfn-validation';
import { evidenceJson } from '../support/synthesized';

function violationsOf(app: App): string[] {
  return compliancePacks().flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
  );
}

describe('the synth-time compliance gate', () => {
  it('the whole app synthesizes with HIPAA, NIST 800-53 R5, AWS Solutions and project rules, zero unacknowledged findings', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'hipaa-gate-'));
    // The one test that keeps the built-in CloudFormation validation (off in every other test,
    // test/support/cdk-context.js): it catches template mistakes.
    const { app } = buildTestBlueprint(undefined, { compliance: true, cfnValidation: true, outdir });
    expect(violationsOf(app)).toEqual([]);
    withCfnValidation(() => expect(() => app.synth()).not.toThrow());
    expect(readdirSync(outdir).filter((f) => f.endsWith('.template.json')).length).toBeGreaterThanOrEqual(2);
  });

  it('the prod config is clean too', () => {
    // The shared prod synth ran the same gate (a finding fails it, and reading it then throws why) and
    // counted every evaluation of every pack.
    const matrix = evidenceJson<ControlMatrix>('prod', 'control-matrix.json');
    expect(matrix.packs).toEqual([
      'HIPAA.Security',
      'NIST.800.53.R5',
      'AwsSolutions',
      'Blueprint',
      'BlueprintAssembly',
    ]);
    expect(matrix.totals).toMatchObject({ violations: 0, errors: 0 });
    expect(matrix.totals.evaluations).toBe(matrix.totals.passed + matrix.totals.acknowledged);
    expect(matrix.totals.evaluations).toBeGreaterThan(500);
  });

  describe('fires when a safeguard is missing', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Bad', { env: { account: '123456789012', region: 'us-east-1' } });
    new CfnLogGroup(stack, 'PlainLogGroup', { retentionInDays: 365 });
    new Bucket(stack, 'PlainBucket', { removalPolicy: RemovalPolicy.RETAIN });
    applyCompliance(app);
    const found = violationsOf(app);

    it('E2 an unencrypted log group trips the HIPAA, NIST and project packs', () => {
      expect(found).toEqual(
        expect.arrayContaining([
          'HIPAA.Security-CloudWatchLogGroupEncrypted @ Bad/PlainLogGroup',
          'NIST.800.53.R5-CloudWatchLogGroupEncrypted @ Bad/PlainLogGroup',
          'Blueprint-LogGroupSixYearRetention[RetentionInDays::365] @ Bad/PlainLogGroup',
          'Blueprint-LogGroupSixYearRetention[DeletionPolicy::not-Retain] @ Bad/PlainLogGroup',
        ]),
      );
    });

    it('E2/E3 an SSE-S3 bucket without TLS enforcement trips the packs', () => {
      expect(found).toEqual(
        expect.arrayContaining([
          'HIPAA.Security-S3DefaultEncryptionKMS @ Bad/PlainBucket/Resource',
          'HIPAA.Security-S3BucketSSLRequestsOnly @ Bad/PlainBucket/Resource',
          'AwsSolutions-S10 @ Bad/PlainBucket/Resource',
        ]),
      );
    });

    it('synth fails', () => {
      expect(() => app.synth()).toThrow(/CloudWatch Log Group is not encrypted with an AWS KMS key/);
    });
  });

  it('U3 a log group with no retention is a finding, not a pass', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'NoRetention');
    new LogGroup(stack, 'Forever', { retention: undefined as never, removalPolicy: RemovalPolicy.RETAIN });
    (stack.node.findChild('Forever').node.defaultChild as CfnLogGroup).retentionInDays = undefined;
    expect(violationsOf(app)).toContain(
      'Blueprint-LogGroupSixYearRetention[RetentionInDays::none] @ NoRetention/Forever/Resource',
    );
  });
});
