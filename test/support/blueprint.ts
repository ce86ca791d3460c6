import { App } from 'aws-cdk-lib';
import { buildBlueprint } from '../../lib/blueprint-app';
import { BlueprintConfig, ENVIRONMENTS } from '../../lib/config';
import { validateConfig } from '../../lib/config';
import { HipaaStage } from '../../lib/hipaa-stage';

/** Fixed test account and region (STYLE 19). */
export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'us-east-1';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : DeepPartial<T[K]> };

function merge<T>(base: T, patch: DeepPartial<T> | undefined): T {
  if (patch === undefined) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? merge(b, v as never)
        : v;
  }
  return out as T;
}

/**
 * A config for tests: one of the shipped environments moved to the test account, with overrides.
 * Not validated: validation tests feed it bad values on purpose.
 */
export function testConfig(env: 'dev' | 'prod' = 'dev', overrides?: DeepPartial<BlueprintConfig>): BlueprintConfig {
  const base = ENVIRONMENTS[env];
  const moved: BlueprintConfig = {
    ...base,
    account: TEST_ACCOUNT,
    region: TEST_REGION,
    domain: base.domain?.certificateArn
      ? {
          ...base.domain,
          certificateArn: `arn:aws:acm:${TEST_REGION}:${TEST_ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`,
        }
      : base.domain,
    keyAdminRoleArns: base.keyAdminRoleArns?.map((a) => a.replace(/::\d{12}:/, `::${TEST_ACCOUNT}:`)),
  };
  const rebased = JSON.parse(JSON.stringify(moved).replace(new RegExp(base.account, 'g'), TEST_ACCOUNT));
  return merge(rebased as BlueprintConfig, overrides);
}

/**
 * Builds the blueprint for a validated test config. Unit tests skip the built-in CloudFormation validation (1.4 s
 * per synth); the shipped dev environment's `cdk synth` form keeps it (test/support/global-setup.ts).
 */
export function buildTestBlueprint(
  config: BlueprintConfig = testConfig(),
  options: { compliance?: boolean; outdir?: string } = {},
): { app: App; stage: HipaaStage } {
  const app = new App({ builtinCloudFormationValidation: false, outdir: options.outdir });
  const stage = buildBlueprint(app, validateConfig(config), { compliance: options.compliance ?? false });
  return { app, stage };
}
