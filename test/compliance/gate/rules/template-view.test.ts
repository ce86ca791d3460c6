import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { resetTemplateViews, stackTemplateOf, viewOf } from '../../../../lib/compliance/gate/rules/template-view';

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
    expect(() => viewOf(late)).toThrow(/S\/Late: resource Late\w* is not in its stack's rendered template/);
    expect(viewOf(bucket).logicalId).toBe(stack.getLogicalId(bucket));
  });
});
