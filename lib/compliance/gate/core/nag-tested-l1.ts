/**
 * The L1 classes cdk-nag's rules test where aws-cdk-lib generates more than one class for the same CloudFormation type.
 *
 * cdk-nag's rules find the resources they judge with `node instanceof CfnX`, for one class per type. For most types
 * aws-cdk-lib has one L1 class, but the EKS types have two (aws-eks and aws-eks-v2) and the Kinesis Analytics V2 types
 * two (aws-kinesisanalytics's CfnApplicationV2 and aws-kinesisanalyticsv2's CfnApplication). cdk-nag 3.0.2 tests
 * aws-eks's CfnCluster (AwsSolutions-EKS1, EKS2) and aws-kinesisanalytics's CfnApplicationV2 (AwsSolutions-KDA3), while
 * aws-eks-v2's Cluster (the newer EKS L2) and CfnInclude (which check-template builds every template with: its
 * cfn-types-2-classes.json names the aws-eks-v2 and aws-kinesisanalyticsv2 classes) make the other class: no
 * finding of those rules, whatever the cluster's endpoint or logging. So:
 *  - the template checker's CfnInclude builds the class cdk-nag tests for these types (include-template.ts);
 *  - at synth, a resource of one of these types that is not an instance of that class is one the packs did not judge
 *    (unjudgedBecause): its stack is checked again by the packs as its template renders (PacksSeeOverrides), through
 *    the same CfnInclude.
 * test/compliance/gate/core/nag-tested-l1.test.ts reads cdk-nag's rules and pins that this table names every class
 * they test that CfnInclude does not build, and nothing else.
 */

/** The class cdk-nag's rules test for a type, by its module (an aws-cdk-lib subpath) and export name. */
export interface NagTestedL1 {
  readonly module: string;
  readonly className: string;
}

/** By CloudFormation type: the L1 class cdk-nag's rules test, where CfnInclude builds another class of that type. */
export const NAG_TESTED_L1: Readonly<Record<string, NagTestedL1>> = {
  'AWS::EKS::Cluster': { module: 'aws-cdk-lib/aws-eks', className: 'CfnCluster' },
  'AWS::KinesisAnalyticsV2::Application': { module: 'aws-cdk-lib/aws-kinesisanalytics', className: 'CfnApplicationV2' },
};

/** An L1 class by CfnInclude's name of it (`aws-cdk-lib/aws-eks.CfnCluster`); its module loads at the call. */
export function l1ClassNamed(name: string): abstract new (...args: never[]) => unknown {
  const dot = name.lastIndexOf('.');
  const module = require(name.slice(0, dot)) as Record<string, unknown>; // eslint-disable-line @typescript-eslint/no-require-imports
  const cls = module[name.slice(dot + 1)];
  if (typeof cls !== 'function')
    throw new Error(`l1ClassNamed: ${name.slice(0, dot)} exports no ${name.slice(dot + 1)}`);
  return cls as abstract new (...args: never[]) => unknown;
}

/**
 * The class cdk-nag's rules test for `cfnType`, where it is not the class CfnInclude builds; undefined for every other
 * type. Its module loads at the first call for such a type (the app has no resource of one unless a fork adds it).
 */
export function nagTestedClass(cfnType: string): (abstract new (...args: never[]) => unknown) | undefined {
  const name = nagTestedClassName(cfnType);
  return name === undefined ? undefined : l1ClassNamed(name);
}

/** CfnInclude's name of that class ('aws-cdk-lib/aws-eks.CfnCluster', as cfn-types-2-classes.json names classes). */
export function nagTestedClassName(cfnType: string): string | undefined {
  const entry = Object.hasOwn(NAG_TESTED_L1, cfnType) ? NAG_TESTED_L1[cfnType] : undefined;
  return entry && `${entry.module}.${entry.className}`;
}
