import { App, Stack } from 'aws-cdk-lib';
import { CfnTemplate } from '../../lib/compliance/evidence/control-matrix';
import { EvidenceStamp } from '../../lib/compliance/evidence/inventory/stamp';
import { InventoryStack } from '../../lib/compliance/evidence/inventory/template-index';

/** A fixed stamp for tests of the pure builders. */
export const TEST_STAMP: EvidenceStamp = {
  environment: 'test',
  account: '123456789012',
  region: 'us-east-1',
  gitCommit: '0123456789abcdef0123456789abcdef01234567',
  configHash: 'sha256:test',
};

/** An app whose templates carry `aws:cdk:path` metadata, as `cdk synth` writes them. */
export function pathApp(): App {
  return new App({ context: { 'aws:cdk:enable-path-metadata': true } });
}

/** Synthesizes `app` and returns its stacks as the evidence plugin sees them. */
export function synthStacks(app: App): InventoryStack[] {
  const assembly = app.synth();
  return app.node
    .findAll()
    .filter(Stack.isStack)
    .map((s) => ({
      stackPath: s.node.path,
      templateFile: s.templateFile,
      template: assembly.getStackArtifact(s.artifactId).template as CfnTemplate,
      stackName: s.stackName,
      account: s.account,
      region: s.region,
    }));
}

/** A stack of hand-written template JSON. */
export function fixtureStack(
  stackPath: string,
  template: CfnTemplate,
  more: Partial<Omit<InventoryStack, 'stackPath' | 'template'>> = {},
): InventoryStack {
  return {
    stackPath,
    templateFile: `${stackPath.replace(/\W/g, '')}.template.json`,
    template,
    account: '123456789012',
    region: 'us-east-1',
    ...more,
  };
}
