import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  App,
  CfnResource,
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  Stack,
  Stage,
  Validations,
} from 'aws-cdk-lib';
import { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { BlueprintChecks } from '../../../../lib/compliance/gate/blueprint-checks';
import { CfnSecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { templateProperties } from '../../../../lib/compliance/gate/rules/template-properties';
import { resetTemplateViews, stackTemplateOf, viewOf } from '../../../../lib/compliance/gate/rules/template-view';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';
import { scratchDir } from '../../../support/scratch';

const scratch = scratchDir('template-view-');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A log group with a customer-managed key, in `stack`. */
const keyedLogGroup = (stack: Stack): CfnLogGroup =>
  new CfnLogGroup(stack, 'Logs', {
    kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    retentionInDays: 2192,
  });

/** A log group with a customer-managed key in the tree, and a template file where synth "wrote" it without one. */
function keyedLogGroupWrittenWithout(): { app: App; group: CfnLogGroup; context: IPolicyValidationContext } {
  const app = new App();
  const stack = new Stack(app, 'S');
  const group = keyedLogGroup(stack);
  const logicalId = stack.getLogicalId(group);
  const file = join(mkdtempSync(join(scratch, 'written-')), 'S.template.json');
  writeFileSync(
    file,
    JSON.stringify({
      Resources: { [logicalId]: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 2192 } } },
    }),
  );
  const context = {
    appConstruct: app,
    templatePaths: [file],
    stackTemplates: [{ stackConstructPath: 'S', templatePath: file }],
  } as unknown as IPolicyValidationContext;
  return { app, group, context };
}

const keyFindings = (report: { violations: { ruleName: string }[] }): string[] =>
  report.violations.map((v) => v.ruleName).filter((r) => r.startsWith('Blueprint-StoreCustomerManagedKey'));

describe('template view (what the template-reading project rules see)', () => {
  test('V2 a resource is seen as its stack renders it, with its siblings, and the rendering is cached per run', () => {
    const stack = new Stack(new App(), 'S');
    const bucket = new CfnBucket(stack, 'B', { bucketName: 'synthetic-bucket' });
    new CfnResource(stack, 'Policy', {
      type: 'AWS::S3::BucketPolicy',
      properties: { Bucket: { Ref: stack.getLogicalId(bucket) }, PolicyDocument: {} },
    });
    const view = viewOf(bucket);
    expect(view.logicalId).toBe(stack.getLogicalId(bucket));
    expect(view.resource.Properties).toEqual({ BucketName: 'synthetic-bucket' });
    expect(Object.keys(view.stack.template.Resources).sort()).toEqual([view.logicalId, 'Policy']);
    expect(view.stack.stackName).toBe('S');
    // Cached: a change after the first rendering is not seen until the next run resets the views.
    bucket.bucketName = 'changed-bucket';
    expect(stackTemplateOf(stack).template.Resources[view.logicalId]!.Properties).toEqual({
      BucketName: 'synthetic-bucket',
    });
    resetTemplateViews();
    expect(viewOf(bucket).resource.Properties).toEqual({ BucketName: 'changed-bucket' });
  });

  test('V2 a resource removed from its stack after it was found is refused, naming its path', () => {
    resetTemplateViews();
    const stack = new Stack(new App(), 'S');
    const bucket = new CfnBucket(stack, 'B');
    stackTemplateOf(stack);
    const late = new CfnBucket(stack, 'Late');
    expect(() => viewOf(late)).toThrow(/S\/Late: resource Late\w* is not in its stack's template/);
    expect(viewOf(bucket).logicalId).toBe(stack.getLogicalId(bucket));
  });

  test('V2 at synth the template-reading rules read the file synth wrote (what deploys), not a second rendering', () => {
    const { app, group, context } = keyedLogGroupWrittenWithout();
    resetTemplateViews(context.stackTemplates);
    expect(viewOf(group).resource.Properties).toEqual({ RetentionInDays: 2192 });
    resetTemplateViews();
    expect(viewOf(group).resource.Properties).toMatchObject({ KmsKeyId: expect.stringContaining(':key/') });

    // Through the plugin as synth calls it (validate, with the written templates) and as tests call it (validateScope).
    const pack = new BlueprintChecks();
    expect(keyFindings(pack.validate(context))).toEqual(['Blueprint-StoreCustomerManagedKey[KmsKeyId::absent]']);
    expect(keyFindings(pack.validateScope(app))).toEqual([]);
  });

  test('V2 after a synth run, a rule called outside a run renders the tree again (no file of that synth is read)', () => {
    const { group, context } = keyedLogGroupWrittenWithout();
    new BlueprintChecks().validate(context);
    expect(viewOf(group).resource.Properties).toMatchObject({ KmsKeyId: expect.stringContaining(':key/') });
  });

  test('V2 in a real synth (a stack in a stage), the project rules judge the template file synth wrote', () => {
    const synth = (editWritten: boolean): string => {
      const app = new App({ outdir: mkdtempSync(join(scratch, 'synth-')) });
      const stack = new Stack(new Stage(app, 'Dev'), 'S');
      keyedLogGroup(stack);
      // Runs before the project rules: drops the key from the written file only (the construct tree keeps it).
      const editor: IPolicyValidationPlugin = {
        name: 'edits the written template',
        validate: (context) => {
          for (const { templatePath } of context.stackTemplates) {
            const t = JSON.parse(readFileSync(templatePath, 'utf8'));
            for (const r of Object.values(t.Resources) as { Properties?: Record<string, unknown> }[]) {
              if (editWritten) delete r.Properties?.KmsKeyId;
            }
            writeFileSync(templatePath, JSON.stringify(t));
          }
          return { success: true, violations: [] };
        },
      };
      Validations.of(app).addPlugins(editor, new BlueprintChecks());
      try {
        app.synth();
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(synth(true)).toContain('Blueprint-StoreCustomerManagedKey[KmsKeyId::absent]');
    expect(synth(false)).not.toContain('Blueprint-StoreCustomerManagedKey');
  });

  test('V2 the template checker s project rules read the template it included, not a rendering of its stack', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const group = keyedLogGroup(stack);
    const logicalId = stack.getLogicalId(group);
    const included = {
      Resources: { [logicalId]: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 2192 } } },
    };
    const pack = new BlueprintChecks();
    expect(keyFindings(pack.validateTemplates(stack, [{ stackConstructPath: 'S', template: included }]))).toEqual([
      'Blueprint-StoreCustomerManagedKey[KmsKeyId::absent]',
    ]);
    // Only during that run: afterwards the tree is rendered again.
    expect(keyFindings(pack.validateScope(app))).toEqual([]);
    expect(viewOf(group).resource.Properties).toMatchObject({ KmsKeyId: expect.stringContaining(':key/') });

    // checkTemplate renders neither the included stack nor its resources for the project rules.
    const renders = [
      jest.spyOn(Stack.prototype as unknown as { _toCloudFormation(): unknown }, '_toCloudFormation'),
      jest.spyOn(CfnResource.prototype as unknown as { _toCloudFormation(): unknown }, '_toCloudFormation'),
    ];
    try {
      const result = checkTemplate(included, 'included.json');
      expect(result.findings.map((f) => f.ruleId)).toContain('Blueprint-StoreCustomerManagedKey[KmsKeyId::absent]');
      expect(renders.map((r) => r.mock.calls.length)).toEqual([0, 0]);
    } finally {
      renders.forEach((r) => r.mockRestore());
    }
  });

  test('V2 resource properties are read from the run s template when it has one, else rendered', () => {
    const stack = new Stack(new App(), 'S');
    const group = new CfnSecurityGroup(stack, 'Sg', {
      groupDescription: 'synthetic',
      securityGroupEgress: [{ ipProtocol: '-1', cidrIp: '10.0.0.0/16' }],
    });
    const logicalId = stack.getLogicalId(group);
    resetTemplateViews([
      {
        stackConstructPath: 'S',
        template: {
          Resources: { [logicalId]: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x' } } },
        },
      },
    ]);
    expect(templateProperties(group)).toEqual({ GroupDescription: 'x' });
    resetTemplateViews();
    expect(templateProperties(group)).toEqual({
      GroupDescription: 'synthetic',
      SecurityGroupEgress: [{ IpProtocol: '-1', CidrIp: '10.0.0.0/16' }],
    });
  });
});
