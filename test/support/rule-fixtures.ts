import { App, Stack } from 'aws-cdk-lib';
import { BlueprintChecks } from '../../lib/compliance/gate/blueprint-checks';

/** Fixed test environment of the rule fixtures (STYLE 19). */
export const FIXTURE_ENV = { account: '123456789012', region: 'us-east-1' };

let counter = 0;

/** A fresh stack in a fresh app (CloudFormation validation off), in the test environment. */
export function fixtureStack(): Stack {
  return new Stack(new App({ builtinCloudFormationValidation: false }), `S${counter++}`, { env: FIXTURE_ENV });
}

/** Rule names of the findings of the project pack (BlueprintChecks) on one fresh stack built by `build`. */
export function projectFindings(build: (stack: Stack) => void): string[] {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'S', { env: FIXTURE_ENV });
  build(stack);
  return new BlueprintChecks().validateScope(app).violations.map((v) => v.ruleName);
}
