import { BlueprintConfig } from '../config';
import { SynthesizedAssembly } from './core/assembly';
import { AwsClients } from './core/aws-clients';
import { CdkRunner } from './cdk-runner';
import { DockerProbe } from './core/docker-probe';
import { PostDeployStep } from './post-deploy/context';
import { PreflightCheck } from './preflight/context';
import { Reporter } from './reporter';
import { VerifyCheck } from './verify/context';

/** What the commands need from the outside: bin/ builds the real ones, tests inject mocks and recorders. */
export interface CommandDeps {
  readonly clients: AwsClients;
  readonly runner: CdkRunner;
  readonly reporter: Reporter;
  /** The project directory (cdk.json, cdk.out). */
  readonly projectDir: string;
  /**
   * AWS_REGION or AWS_DEFAULT_REGION of the shell (bin/ reads it).
   * @default - none set
   */
  readonly shellRegion?: string;
  /**
   * Whether Docker can build image assets (preflight, for services built from a directory).
   * @default - `docker version` of the `docker` on PATH (ProcessDockerProbe)
   */
  readonly docker?: DockerProbe;
  /**
   * The clock (verify's backup window).
   * @default () => new Date()
   */
  readonly now?: () => Date;
  /**
   * Loads and validates an environment's config.
   * @default loadConfig of lib/config
   */
  readonly loadConfig?: (envName: string) => BlueprintConfig;
  /**
   * Reads the synthesized assembly.
   * @default readAssembly of lib/deploy/assembly
   */
  readonly readAssembly?: (directory: string) => SynthesizedAssembly;
  /**
   * Checks the cloud assembly synth wrote as `npm run check-template -- DIR --env NAME` does (every template as written,
   * with every pack, the project's rules and the assembly rules), before anything reads it: whatever the code did to
   * how a template renders, what deploys is what was judged. `out` gets each line of the report; returns its exit
   * code (0 clean, 1 findings, 2 unreadable).
   * @default runCheckTemplate of lib/check-template-cli (loaded at the first call)
   */
  readonly checkAssembly?: (directory: string, envName: string, out: (line: string) => void) => number;
  /**
   * The preflight checks after credentials and synth.
   * @default PREFLIGHT_CHECKS
   */
  readonly preflightChecks?: ReadonlyArray<{ readonly name: string; readonly run: PreflightCheck }>;
  /**
   * The post-deploy steps; undefined: chosen from config (postDeployStepsFor).
   * @default - postDeployStepsFor(config)
   */
  readonly postDeploySteps?: readonly PostDeployStep[];
  /**
   * The verify checks.
   * @default VERIFY_CHECKS
   */
  readonly verifyChecks?: ReadonlyArray<{
    readonly safeguard: string;
    readonly name: string;
    readonly run: VerifyCheck;
  }>;
}
