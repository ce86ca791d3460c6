/**
 * NAG_TESTED_L1 (lib/compliance/gate/core/nag-tested-l1.ts) against cdk-nag's own rules and CfnInclude's own table,
 * and what it changes: the template checker builds the class cdk-nag tests (its EKS and Kinesis Analytics rules report
 * on a template again), and at synth a resource of the other class is checked again as its template renders.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksV2 from 'aws-cdk-lib/aws-eks-v2';
import * as kda from 'aws-cdk-lib/aws-kinesisanalytics';
import * as kdaV2 from 'aws-cdk-lib/aws-kinesisanalyticsv2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { unjudgedBecause } from '../../../../lib/compliance/gate/assembly-plugin';
import { awsCdkLibFile } from '../../../../lib/compliance/gate/core/aws-cdk-lib-file';
import { includeTemplate } from '../../../../lib/compliance/gate/core/include-template';
import { NAG_TESTED_L1, nagTestedClass } from '../../../../lib/compliance/gate/core/nag-tested-l1';
import { checkTemplate } from '../../../../lib/compliance/gate/template-checker';
import { cdkNagL1Classes } from '../../../support/cdk-nag-sources';

/** CfnInclude's own table: the class it builds, by type ('aws-cdk-lib/aws-s3.CfnBucket'). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const CFN_INCLUDE_CLASSES = require(awsCdkLibFile('cloudformation-include', 'cfn-types-2-classes.json')) as Record<
  string,
  string
>;

/** An EKS cluster whose API endpoint is public and whose control plane logs nothing (AwsSolutions-EKS1, EKS2). */
const PUBLIC_CLUSTER = {
  Type: 'AWS::EKS::Cluster',
  Properties: {
    RoleArn: 'arn:aws:iam::123456789012:role/cluster',
    ResourcesVpcConfig: { SubnetIds: ['subnet-0a1b2c3d4e5f60001'], EndpointPublicAccess: true },
  },
};
/** A Flink application without checkpointing (AwsSolutions-KDA3). */
const FLINK_APP = {
  Type: 'AWS::KinesisAnalyticsV2::Application',
  Properties: {
    RuntimeEnvironment: 'FLINK-1_20',
    ServiceExecutionRole: 'arn:aws:iam::123456789012:role/flink',
    ApplicationConfiguration: {
      FlinkApplicationConfiguration: {
        CheckpointConfiguration: { ConfigurationType: 'CUSTOM', CheckpointingEnabled: false },
      },
    },
  },
};
const ruleIds = (template: unknown): string[] =>
  checkTemplate(template, 'T.template.json').findings.map((f) => f.ruleId);

describe('NAG_TESTED_L1', () => {
  test("names every class cdk-nag's rules test that CfnInclude does not build, under the class's own type, and nothing else", () => {
    const built = new Set(Object.values(CFN_INCLUDE_CLASSES));
    const tested = cdkNagL1Classes();
    expect(tested.size).toBeGreaterThan(90);
    const notBuilt = [...tested].filter((c) => !built.has(c)).sort();
    const named = Object.values(NAG_TESTED_L1)
      .map((e) => `${e.module}.${e.className}`)
      .sort();
    expect(named).toEqual(notBuilt);
    for (const [type, entry] of Object.entries(NAG_TESTED_L1)) {
      const cls = nagTestedClass(type) as unknown as { CFN_RESOURCE_TYPE_NAME: string };
      expect([type, cls.CFN_RESOURCE_TYPE_NAME]).toEqual([type, type]);
      // CfnInclude builds another class of the same type.
      expect(CFN_INCLUDE_CLASSES[type]).toBeDefined();
      expect(CFN_INCLUDE_CLASSES[type]).not.toBe(`${entry.module}.${entry.className}`);
    }
    expect(nagTestedClass('AWS::S3::Bucket')).toBeUndefined();
    expect(nagTestedClass('toString')).toBeUndefined();
  });

  test('the other class is invisible to cdk-nag (why the table exists): AwsSolutions-EKS1 reports only the class it tests', () => {
    const violations = (make: (s: Stack) => void): string[] => {
      const app = new App();
      make(new Stack(app, 'S'));
      return new AwsSolutionsChecks()
        .validateScope(app)
        .violations.map((v) => v.ruleName)
        .filter((r) => r.startsWith('AwsSolutions-EKS1'));
    };
    const props = {
      roleArn: PUBLIC_CLUSTER.Properties.RoleArn,
      resourcesVpcConfig: { subnetIds: ['subnet-0a1b2c3d4e5f60001'], endpointPublicAccess: true },
    };
    expect(violations((s) => new eks.CfnCluster(s, 'C', props))).toEqual(['AwsSolutions-EKS1']);
    expect(violations((s) => new eksV2.CfnCluster(s, 'C', props))).toEqual([]);
  });
});

describe('the template checker', () => {
  test('includes an EKS cluster and a Kinesis Analytics V2 application as the classes cdk-nag tests, rendering the same', () => {
    const template = { Resources: { Cluster: PUBLIC_CLUSTER, Flink: FLINK_APP } };
    const stack = new Stack(new App(), 'Included');
    const included = includeTemplate(stack, 'T', template);
    expect(included.getResource('Cluster')).toBeInstanceOf(eks.CfnCluster);
    expect(included.getResource('Cluster')).not.toBeInstanceOf(eksV2.CfnCluster);
    expect(included.getResource('Flink')).toBeInstanceOf(kda.CfnApplicationV2);
    expect(included.getResource('Flink')).not.toBeInstanceOf(kdaV2.CfnApplication);
    const rendered = (stack as unknown as { _toCloudFormation(): { Resources: unknown } })._toCloudFormation();
    expect(rendered.Resources).toEqual(template.Resources);
  });

  test('V1 V2 reports the cdk-nag EKS and Kinesis Analytics findings of a template, and none once fixed', () => {
    const broken = ruleIds({ Resources: { Cluster: PUBLIC_CLUSTER, Flink: FLINK_APP } });
    expect(broken).toEqual(
      expect.arrayContaining(['AwsSolutions-EKS1', 'AwsSolutions-EKS2[LogExport::audit]', 'AwsSolutions-KDA3']),
    );
    const fixed = ruleIds({
      Resources: {
        Cluster: {
          ...PUBLIC_CLUSTER,
          Properties: {
            ...PUBLIC_CLUSTER.Properties,
            ResourcesVpcConfig: { SubnetIds: ['subnet-0a1b2c3d4e5f60001'], EndpointPublicAccess: false },
            Logging: {
              ClusterLogging: {
                EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((Type) => ({
                  Type,
                })),
              },
            },
          },
        },
        Flink: {
          ...FLINK_APP,
          Properties: {
            ...FLINK_APP.Properties,
            ApplicationConfiguration: {
              FlinkApplicationConfiguration: { CheckpointConfiguration: { ConfigurationType: 'DEFAULT' } },
            },
          },
        },
      },
    });
    expect(fixed.filter((r) => r.startsWith('AwsSolutions-EKS') || r.startsWith('AwsSolutions-KDA'))).toEqual([]);
  });
});

describe('at synth: unjudgedBecause', () => {
  const stack = new Stack(new App(), 'S');
  const props = { roleArn: PUBLIC_CLUSTER.Properties.RoleArn, resourcesVpcConfig: { subnetIds: ['subnet-1'] } };
  test.each([
    [
      "aws-eks-v2's CfnCluster (what aws-eks-v2's Cluster makes)",
      () => new eksV2.CfnCluster(stack, 'V2', props),
      "not the L1 class cdk-nag's rules test for its type (aws-cdk-lib/aws-eks.CfnCluster)",
    ],
    ["aws-eks's CfnCluster", () => new eks.CfnCluster(stack, 'V1', props), undefined],
    [
      "aws-kinesisanalyticsv2's CfnApplication",
      () => new kdaV2.CfnApplication(stack, 'Flink2', { runtimeEnvironment: 'FLINK-1_20', serviceExecutionRole: 'r' }),
      "not the L1 class cdk-nag's rules test for its type (aws-cdk-lib/aws-kinesisanalytics.CfnApplicationV2)",
    ],
    [
      "aws-kinesisanalytics's CfnApplicationV2",
      () => new kda.CfnApplicationV2(stack, 'Flink1', { runtimeEnvironment: 'FLINK-1_20', serviceExecutionRole: 'r' }),
      undefined,
    ],
    [
      "aws-eks's CfnAddon (what aws-eks's Cluster makes; cdk-nag tests neither class, CfnInclude builds aws-eks-v2's)",
      () => new eks.CfnAddon(stack, 'Addon1', { addonName: 'vpc-cni', clusterName: 'c' }),
      'another L1 class of its type than the template checker builds (aws-cdk-lib.aws_eks_v2.CfnAddon)',
    ],
    [
      "aws-eks-v2's CfnAddon",
      () => new eksV2.CfnAddon(stack, 'Addon2', { addonName: 'vpc-cni', clusterName: 'c' }),
      undefined,
    ],
  ])('%s', (_name, make, why) => {
    expect(unjudgedBecause(make())).toBe(why);
  });
});
