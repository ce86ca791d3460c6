import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { CfnHub, CfnStandard } from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';

/**
 * Security Hub standards the blueprint enables, by ARN path. Security Hub has no HIPAA standard;
 * NIST SP 800-53 r5 is the closest (AWS maps HIPAA Security Rule controls onto it).
 */
export const SECURITY_HUB_STANDARDS: Readonly<Record<string, string>> = {
  FoundationalBestPractices: 'standards/aws-foundational-security-best-practices/v/1.0.0',
  Nist80053R5: 'standards/nist-800-53/v/5.0.0',
};

/**
 * Security Hub (D2): consolidated control findings, AWS Foundational Security Best Practices and
 * NIST SP 800-53 r5 enabled explicitly (not the console defaults), new controls enabled automatically.
 * The hub is retained (DeletionPolicy and UpdateReplacePolicy Retain, safeguard I2): disabling Security
 * Hub deletes its findings, so deleting or replacing the stack leaves it on.
 */
export class SecurityHub extends Construct {
  public readonly hub: CfnHub;
  public readonly standards: readonly CfnStandard[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.hub = new CfnHub(this, 'Hub', {
      enableDefaultStandards: false,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    this.hub.applyRemovalPolicy(RemovalPolicy.RETAIN, { applyToUpdateReplacePolicy: true });
    this.standards = Object.entries(SECURITY_HUB_STANDARDS).map(([name, arnPath]) => {
      const standard = new CfnStandard(this, name, {
        standardsArn: `arn:${Aws.PARTITION}:securityhub:${Aws.REGION}::${arnPath}`,
      });
      standard.node.addDependency(this.hub);
      return standard;
    });
  }
}
