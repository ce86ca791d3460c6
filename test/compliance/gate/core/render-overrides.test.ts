/**
 * render-overrides.ts: which own functions over a class's methods the gate vouches for (the blueprint's own
 * rendering wrappers, set where the object had none) and which make a resource or stack one the packs did not judge.
 */
import { App, CfnResource, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { CfnBucket } from 'aws-cdk-lib/aws-s3';
import {
  stackRendersOtherwise,
  templateTreeDifferences,
  unjudgedBecause,
} from '../../../../lib/compliance/gate/assembly-plugin';
import {
  overrideOwnMethod,
  renderingOverrides,
  unvouchedOverrides,
} from '../../../../lib/compliance/gate/core/render-overrides';
import { AssemblyStack } from '../../../../lib/compliance/gate/core/template-json';
import { SafeguardMetadataAspect } from '../../../../lib/compliance/evidence/safeguard-metadata';

const stack = new Stack(new App(), 'S');
let n = 0;
const bucket = (): CfnBucket => new CfnBucket(stack, `B${(n += 1)}`);

describe('overrideOwnMethod and unvouchedOverrides', () => {
  test('a function set through overrideOwnMethod where the object had none of its own is vouched for', () => {
    const b = bucket();
    const render = b._toCloudFormation.bind(b);
    overrideOwnMethod(b, '_toCloudFormation', () => render());
    expect(unvouchedOverrides(b)).toEqual([]);
    expect(unjudgedBecause(b)).toBeUndefined();
  });

  test('a function set over one the object already had is not, nor the one under it (a wrapper cannot launder an override)', () => {
    const b = bucket();
    b._toCloudFormation = () => ({});
    overrideOwnMethod(b, '_toCloudFormation', () => ({}));
    expect(unvouchedOverrides(b)).toEqual(['_toCloudFormation']);
  });

  test.each([
    ['an own _toCloudFormation, assigned', (b: CfnBucket) => (b._toCloudFormation = () => ({}))],
    [
      'an own renderProperties, defined',
      (b: CfnBucket) => Object.defineProperty(b, 'renderProperties', { value: () => ({}) }),
    ],
    ['an own cfnProperties getter', (b: CfnBucket) => Object.defineProperty(b, 'cfnProperties', { get: () => ({}) })],
  ])("%s over the class's makes the resource unjudged", (_name, change) => {
    const b = bucket();
    change(b);
    expect(unvouchedOverrides(b)).toHaveLength(1);
    expect(unjudgedBecause(b)).toMatch(/^its own (_toCloudFormation|renderProperties|cfnProperties) over its class's$/);
  });

  test("a resource's own data properties (its typed fields) are no override", () => {
    const b = new CfnBucket(stack, 'Fields', {
      bucketName: 'synthetic-example',
      versioningConfiguration: { status: 'Enabled' },
    });
    expect(Object.keys(b).length).toBeGreaterThan(5);
    expect(unvouchedOverrides(b)).toEqual([]);
  });

  test("the safeguard metadata aspect's wrapper is vouched for, and not over a fork's own override", () => {
    const aspect = new SafeguardMetadataAspect();
    const plain = bucket();
    aspect.visit(plain);
    expect(Object.hasOwn(plain, '_toCloudFormation')).toBe(true);
    expect(unjudgedBecause(plain)).toBeUndefined();
    const forked = bucket();
    forked._toCloudFormation = () => ({});
    aspect.visit(forked);
    expect(unjudgedBecause(forked)).toBe("its own _toCloudFormation over its class's");
  });

  test('an object whose prototype was swapped for a subclass that claims the L1 as its constructor is still a subclass', () => {
    const b = bucket();
    class Evil extends CfnBucket {}
    Object.defineProperty(Evil.prototype, 'constructor', { value: CfnBucket });
    Object.setPrototypeOf(b, Evil.prototype);
    expect(b.constructor).toBe(CfnBucket);
    expect(unjudgedBecause(b)).toBe("a subclass of its type's L1 class (aws-cdk-lib.aws_s3.CfnBucket)");
  });
});

describe('stackRendersOtherwise: resolve, and the synthesizer', () => {
  test("a Stack class with its own resolve (the whole template goes through it), a synthesizer of its own, and aws-cdk-lib's", () => {
    const app = new App();
    class Weakening extends Stack {
      public override resolve(obj: unknown): unknown {
        return super.resolve(obj);
      }
    }
    expect(stackRendersOtherwise(new Weakening(app, 'W'))).toBe(
      'its stack renders its template its own way (Weakening.resolve)',
    );
    class Rewriting extends DefaultStackSynthesizer {}
    expect(stackRendersOtherwise(new Stack(app, 'R', { synthesizer: new Rewriting() }))).toBe(
      "its stack's synthesizer is not one of aws-cdk-lib's (Rewriting)",
    );
    const patched = new DefaultStackSynthesizer();
    (patched as unknown as { synthesizeTemplate: () => void }).synthesizeTemplate = () => undefined;
    expect(stackRendersOtherwise(new Stack(app, 'P', { synthesizer: patched }))).toBe(
      "its stack's synthesizer has its own synthesizeTemplate",
    );
    // The default (a reusable DefaultStackSynthesizer bound to the stack through Object.create), and one given.
    expect(stackRendersOtherwise(new Stack(app, 'D'))).toBeUndefined();
    expect(
      stackRendersOtherwise(
        new Stack(app, 'G', { synthesizer: new DefaultStackSynthesizer({ qualifier: 'hnb659fds' }) }),
      ),
    ).toBeUndefined();
  });
});

describe('templateTreeDifferences', () => {
  test('a resource the written template holds that no resource of the tree made, and one of the tree the template lacks', () => {
    const tree = new Map([
      [
        'Dev/Data',
        new Map([
          ['Db', 'Dev/Data/Db/Resource'],
          ['Topic', 'Dev/Data/Topic/Resource'],
        ]),
      ],
    ]);
    const stack = (resources: Record<string, object>): AssemblyStack => ({
      stackName: 'hipaa-dev-data',
      file: 'DevData.template.json',
      path: 'Dev/Data',
      template: { Resources: resources as AssemblyStack['template']['Resources'] },
    });
    expect(templateTreeDifferences([stack({ Db: {}, Topic: {} })], tree)).toEqual(new Map());
    expect(templateTreeDifferences([stack({ Db: {}, RawKey: {} })], tree)).toEqual(
      new Map([
        [
          'Dev/Data',
          new Map([
            ['RawKey', 'in the written template, made by no resource of the construct tree'],
            ['Topic', 'in the construct tree, missing from the written template'],
          ]),
        ],
      ]),
    );
  });
});

describe('stackRendersOtherwise', () => {
  test('a Stack class with its own _toCloudFormation, a stack with its own _synthesizeTemplate, and neither', () => {
    const app = new App();
    class PostProcessed extends Stack {
      public override _toCloudFormation(): unknown {
        return super._toCloudFormation();
      }
    }
    class Plain extends Stack {}
    expect(stackRendersOtherwise(new PostProcessed(app, 'P'))).toBe(
      'its stack renders its template its own way (PostProcessed._toCloudFormation)',
    );
    const own = new Plain(app, 'O');
    (own as unknown as { _synthesizeTemplate: () => void })._synthesizeTemplate = () => undefined;
    expect(stackRendersOtherwise(own)).toBe('its stack renders its template its own way (own _synthesizeTemplate)');
    const vouched = new Plain(app, 'V');
    overrideOwnMethod(vouched, '_synthesizeTemplate', () => undefined);
    expect(stackRendersOtherwise(vouched)).toBeUndefined();
    expect(stackRendersOtherwise(new Plain(app, 'N'))).toBeUndefined();
    expect(
      renderingOverrides(new CfnResource(stack, 'R', { type: 'AWS::SNS::Topic' }), CfnResource.prototype, [
        '_toCloudFormation',
      ]),
    ).toEqual([]);
  });
});
