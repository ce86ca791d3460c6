/**
 * What the shared synthesized assembly of a test run depends on, and the cache key derived from it.
 * The Jest globalSetup (test/support/global-setup.ts) reuses an assembly from an earlier run only when
 * this key is unchanged, so a stale assembly can never make a test pass.
 */
import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, sep } from 'path';

/** Who provides GuardDuty in the variant `dev-guardduty-provided` (synthetic: no real organization). */
export const GUARDDUTY_PROVIDER = 'Control Tower GuardDuty delegated administrator';
/** The second alert endpoint of the 'prod-https-alerts' variant. */
export const HTTPS_ALERT_ENDPOINT = 'https://pager.example.org/hooks/security';

/**
 * Config variants of the test environments whose whole app some tests synthesize with the gate on, only to read what
 * it wrote (templates, evidence) and that the gate passed: synthesized once per run with dev and prod (and cached
 * with them), instead of once in their test file. Each is testConfig(base, overrides). A test that changes constructs
 * after building them still builds its own app.
 */
export const SYNTH_VARIANTS = {
  /** GuardDuty provided by another account (test/compliance/evidence/detection-evidence.test.ts). */
  'dev-guardduty-provided': {
    base: 'dev',
    overrides: { detection: { guardDuty: false, providedBy: GUARDDUTY_PROVIDER } },
  },
  /** Every detection service off: no detection stack (test/compliance/evidence/detection-evidence.test.ts). */
  'dev-detection-off': {
    base: 'dev',
    overrides: {
      detection: {
        config: false,
        guardDuty: false,
        securityHub: false,
        macie: false,
        inspector: false,
        // Malware Protection for S3 is per bucket and on by default, even with GuardDuty off: off too, for no stack.
        malwareProtection: false,
        providedBy: 'environment dev',
      },
    },
  },
  /** The non-PHI VPC with its public tier (test/stacks/network-stack-public-tier.test.ts). */
  'dev-nonphi-public': { base: 'dev', overrides: { network: { nonPhiPublicSubnets: true } } },
  /** A second alert endpoint, over HTTPS (test/stacks/alerting-stack-https.test.ts). */
  'prod-https-alerts': { base: 'prod', overrides: { alertHttpsEndpoint: HTTPS_ALERT_ENDPOINT } },
} as const satisfies Record<string, { base: 'dev' | 'prod'; overrides: Record<string, unknown> }>;
export type SynthVariant = keyof typeof SYNTH_VARIANTS;

/** The environments synthesized once per run (testConfig(env): account 123456789012, us-east-1), then the variants. */
export const SYNTHESIZED_ENVIRONMENTS = ['dev', 'prod', ...(Object.keys(SYNTH_VARIANTS) as SynthVariant[])] as const;
export type SynthesizedEnvironment = 'dev' | 'prod' | SynthVariant;

/**
 * The shipped environments synthesized once per run exactly as `cdk synth -c env=NAME` writes them: by the app's
 * entry point, bin/hipaa-blueprint.ts, with the context `cdk synth` gives it (cdk.json's, the environment, path
 * metadata on), for the tests of the template checker, its CLI and the probe set, which match acknowledgements to the
 * register by construct path, and for the test that synth never calls Docker. Each is kept in the assembly folder
 * `as-cdk-synth-<env>`; every call the synth made to `docker` is listed in `as-cdk-synth-<env>.docker-calls.log`.
 */
export const CDK_SYNTH_ENVIRONMENTS = ['dev', 'prod'] as const;
export type CdkSynthEnvironment = (typeof CDK_SYNTH_ENVIRONMENTS)[number];

/** Folder (under the run's assembly folder) of the `cdk synth` form of `env`. */
export const cdkSynthFolder = (env: CdkSynthEnvironment): string => `as-cdk-synth-${env}`;

/** File (under the run's assembly folder) listing the synth of `env`'s calls to `docker`, one per line. */
export const dockerCallsFile = (env: CdkSynthEnvironment): string => `${cdkSynthFolder(env)}.docker-calls.log`;
/** The file beside the assembly folder holding what the synth of `env` printed (stdout and stderr). */
export const cdkSynthOutputFile = (env: CdkSynthEnvironment): string => `${cdkSynthFolder(env)}.output.log`;
/** The shipped environment whose `cdk synth` form runs with aws-cdk-lib's CloudFormation validation, as cdk synth does. */
export const CDK_SYNTH_VALIDATED: CdkSynthEnvironment = 'dev';

/** Folder (under the run's assembly folder) of aws-cdk-lib's own validation reports on dev's templates (cfn-reference.ts). */
export const CFN_REFERENCE_FOLDER = 'cfn-reference';

/** Environment variable through which the globalSetup tells every test worker where the assembly is. */
export const SYNTH_DIR_ENV = 'HIPAA_TEST_SYNTH_DIR';

/** Set to `off` to synthesize afresh into a temporary folder (removed after the run) instead of the cache. */
export const SYNTH_CACHE_ENV = 'HIPAA_TEST_SYNTH_CACHE';

/**
 * Folders whose every file is an input (any `node_modules` folder inside them is skipped): the app
 * (bin/), its library (lib/), the constructs, the Lambda handlers bundled at synth, the services, and
 * the test support code that builds the test config and runs the synth (test/support/).
 */
export const INPUT_FOLDERS: readonly string[] = ['bin', 'lib', 'constructs', 'lambda', 'services', 'test/support'];

/**
 * Single files that are inputs: the CDK context and feature flags (cdk.json), the dependency tree as
 * declared and as installed (package.json, package-lock.json, node_modules/.package-lock.json, which
 * npm rewrites on every install), the compiler options, and the test index the control matrix reads
 * at synth (test/safeguard-tests.json).
 */
export const INPUT_FILES: readonly string[] = [
  'cdk.json',
  'package.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
  'tsconfig.json',
  'test/safeguard-tests.json',
];

/** Files of `folder` (relative to `root`, '/'-separated), recursively, without node_modules folders. */
function filesUnder(root: string, folder: string): string[] {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const full = join(dir, name);
    const rel = relative(root, full).split(sep).join('/');
    return statSync(full).isDirectory() ? filesUnder(root, rel) : [rel];
  });
}

/** Every input file that exists under `root`, sorted. */
export function inputFiles(root: string): string[] {
  const files = [
    ...INPUT_FOLDERS.flatMap((f) => filesUnder(root, f)),
    ...INPUT_FILES.filter((f) => existsSync(join(root, f))),
  ];
  return [...new Set(files)].sort();
}

/**
 * The cache key of the assembly: a SHA-256 over the path and content of every input file, the Node.js
 * version, and every `CDK_*` environment variable (the CLI's context and defaults travel that way).
 */
export function synthInputsKey(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256');
  hash.update(`node ${process.version}\0`);
  for (const name of Object.keys(env)
    .filter((n) => n.startsWith('CDK_'))
    .sort()) {
    hash.update(`env ${name}=${env[name]}\0`);
  }
  for (const file of inputFiles(root)) {
    hash.update(`file ${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}
