import { DefaultStackSynthesizer, Fn, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { TEMPLATE_DECLARATION_METADATA, TemplateDeclaration } from '../../constructs/core';
import { BlueprintConfig } from '../config';

/** Props every blueprint stack takes. */
export interface BlueprintStackProps extends StackProps {
  readonly config: BlueprintConfig;
  /**
   * Deploy to this region of config.account instead of config.region (PhiReplicaStack only:
   * config.phiBucket.replicaRegion).
   * @default config.region
   */
  readonly region?: string;
}

/**
 * The first `azCount` availability zones of the region, as `Fn::Select`/`Fn::GetAZs` tokens resolved
 * by CloudFormation at deploy time: synth never looks them up and never hard-codes a zone name.
 */
export function availabilityZonesOf(config: BlueprintConfig): string[] {
  return Array.from({ length: config.network.azCount }, (_, i) => Fn.select(i, Fn.getAzs()));
}

/**
 * Base of the blueprint's stacks: deploys to the config's account and region, and answers
 * availability zones as deploy-time tokens instead of a context lookup (synth stays offline and deterministic).
 */
export abstract class BlueprintStack extends Stack {
  protected readonly config: BlueprintConfig;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.region ?? props.config.region } });
    this.config = props.config;
    this.declare({});
  }

  /**
   * Adds to the template-level declaration (`Metadata.HipaaBlueprint` of the template): the environment, and the
   * configuration decisions the gate and a reviewer read from the template itself (e.g. detection switched off).
   */
  public declare(extra: Partial<TemplateDeclaration>): void {
    const current = (this.templateOptions.metadata?.[TEMPLATE_DECLARATION_METADATA] ??
      {}) as Partial<TemplateDeclaration>;
    const declaration: TemplateDeclaration = {
      appName: this.config.appName,
      envName: this.config.envName,
      ...current,
      ...extra,
    };
    this.templateOptions.metadata = { ...this.templateOptions.metadata, [TEMPLATE_DECLARATION_METADATA]: declaration };
  }

  public override get availabilityZones(): string[] {
    return availabilityZonesOf(this.config);
  }
}

/**
 * The key policies and protected bucket policies name the CloudFormation execution role by its CDK bootstrap
 * name (lib/config/names.ts): throws unless `stack` deploys with exactly that role (a custom synthesizer or
 * bootstrap qualifier would leave the deployment unable to update the policies it wrote).
 */
export function assertDeploymentRole(stack: Stack, allowed: readonly string[]): void {
  const synthesizer = stack.synthesizer;
  const arn =
    synthesizer instanceof DefaultStackSynthesizer
      ? synthesizer.cloudFormationExecutionRoleArn.replace('${AWS::Partition}', stack.partition)
      : undefined;
  if (arn === undefined || !allowed.includes(arn)) {
    throw new Error(
      `${stack.node.path}: CloudFormation execution role = '${arn ?? synthesizer.constructor.name}': must be one of ${JSON.stringify(allowed)} (the default CDK bootstrap role the policies name; lib/config/names.ts cdkExecutionRoleName)`,
    );
  }
}
