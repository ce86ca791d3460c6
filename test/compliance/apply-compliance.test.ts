import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { CfnLogGroup, LogGroup } from 'aws-cdk-lib/aws-logs';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { applyCompliance, compliancePacks } from '../../lib/compliance/apply-compliance';
import { ControlMatrix } from '../../lib/compliance/evidence/control-matrix';
import { cdkSynthDir, cdkSynthOutput, evidenceJson, gateOutput } from '../support/synthesized';

function violationsOf(app: App): string[] {
  return compliancePacks().flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
  );
}

describe('the synth-time compliance gate', () => {
  it('the whole app synthesizes as cdk synth runs it: HIPAA, NIST 800-53 R5, AWS Solutions and project rules with zero unacknowledged findings, and the CloudFormation validation passes every template', () => {
    // The shipped dev environment as `cdk synth` writes it: bin/hipaa-blueprint.ts run by the globalSetup with the
    // CDK CLI's environment and aws-cdk-lib's built-in CloudFormation validation on (the one whole-app synth that keeps
    // it; every other test turns it off, test/support/cdk-context.js). It catches template mistakes: an error fails
    // that synth, and reading it then throws the error.
    const output = gateOutput(cdkSynthOutput('dev'));
    expect(output).toEqual([
      expect.stringMatching(
        /^Gate passed for environment 'dev' \(account \d{12}, [a-z]{2}-[a-z]+-\d\): 5 packs \(HIPAA\.Security, NIST\.800\.53\.R5, AwsSolutions, Blueprint, BlueprintAssembly\), \d+ rules, \d+ evaluations, \d+ acknowledgements \(\d+ findings\); CloudFormation validation passed \(9 templates\); evidence in .*compliance$/,
      ),
    ]);
    const dir = cdkSynthDir('dev');
    expect(readdirSync(dir).filter((f) => f.endsWith('.template.json'))).toHaveLength(9);
    const summary = JSON.parse(readFileSync(join(dir, 'compliance', 'gate-summary.json'), 'utf8'));
    expect(summary).toMatchObject({
      status: 'passed',
      violations: 0,
      cloudFormationValidation: { templates: 9, violations: 0 },
    });
    // The test config (another account and region settings) passes the same gate.
    expect(evidenceJson<ControlMatrix>('dev', 'control-matrix.json').totals).toMatchObject({
      violations: 0,
      errors: 0,
    });
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
