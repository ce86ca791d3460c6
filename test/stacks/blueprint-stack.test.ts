import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { assertDeploymentRole } from '../../lib/stacks/blueprint-stack';

const DEPLOY = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1';
const env = { account: '123456789012', region: 'us-east-1' };

describe('assertDeploymentRole', () => {
  test('E1 accepts the default CDK bootstrap execution role the policies name', () => {
    expect(() => assertDeploymentRole(new Stack(new App(), 'S', { env }), [DEPLOY])).not.toThrow();
  });

  test('E1 refuses a stack deploying with another role (its key and bucket policies would lock the deployment out)', () => {
    const custom = new Stack(new App(), 'S', {
      env,
      synthesizer: new DefaultStackSynthesizer({ qualifier: 'custom1' }),
    });
    expect(() => assertDeploymentRole(custom, [DEPLOY])).toThrow(
      "S: CloudFormation execution role = 'arn:aws:iam::123456789012:role/cdk-custom1-cfn-exec-role-123456789012-us-east-1': must be one of",
    );
  });
});
