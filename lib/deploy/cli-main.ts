import { resolve } from 'path';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { CommandName } from './args';
import { AwsClients, ClientCredentials } from './core/aws-clients';
import { NpxCdkRunner } from './cdk-runner';
import { ProcessDockerProbe } from './core/docker-probe';
import { CONSOLE_REPORTER } from './reporter';
import { runCommand } from './run-command';

/** What bin/ reads from the environment and hands over (nothing below bin/ reads process.env). */
export interface CliEnvironment {
  /**
   * AWS_REGION, else AWS_DEFAULT_REGION, of the shell.
   * @default - neither is set
   */
  readonly shellRegion?: string;
  /**
   * CDK_DOCKER of the shell: the Docker-compatible client the CDK CLI builds image assets with.
   * @default 'docker'
   */
  readonly cdkDocker?: string;
}

/**
 * Instance and container metadata probes give up after this long. The SDK's default chain would
 * otherwise wait on the instance metadata endpoint on a laptop without credentials.
 */
export const METADATA_TIMEOUT_MS = 500;

/** The credential chain of every command: the SDK's default order, with short metadata probes and no retry. */
export function credentialChain(): ClientCredentials {
  return fromNodeProviderChain({ timeout: METADATA_TIMEOUT_MS, maxRetries: 0 });
}

/**
 * The real wiring of a command: one credential chain for every client (resolved once; metadata
 * probes time out after METADATA_TIMEOUT_MS with no retry), the npx CDK runner in the project
 * directory, console output. Returns the exit code.
 */
export function cliMain(command: CommandName, argv: readonly string[], env: CliEnvironment): Promise<number> {
  const credentials = credentialChain();
  const projectDir = resolve(__dirname, '..', '..');
  return runCommand(command, argv, {
    clients: new AwsClients({ credentials }),
    runner: new NpxCdkRunner(projectDir),
    reporter: CONSOLE_REPORTER,
    projectDir,
    shellRegion: env.shellRegion,
    docker: new ProcessDockerProbe(env.cdkDocker ?? 'docker'),
  });
}
