import { UsageError } from './usage-error';

/** The four commands that share this parser. */
export type CommandName = 'deploy' | 'diff' | 'preflight' | 'verify';

/** Parsed command line of a run (not `--help`). */
export interface CommandArgs {
  readonly command: CommandName;
  /** `--env NAME`: the environment of lib/config/environments.ts. */
  readonly envName: string;
  /**
   * `--create-service-linked-roles`: explicit consent to create the service-linked roles the first
   * deploy needs and the account lacks (IAM CreateServiceLinkedRole). Without it preflight only reports them.
   */
  readonly createServiceLinkedRoles: boolean;
  /**
   * `--force`: pass `--force` to `cdk deploy`, so every stack is updated and re-reads its weak
   * cross-stack references even when its template did not change (after a replacement made outside
   * this command; see README "Deploy").
   */
  readonly force: boolean;
}

/** What the command line asks for. */
export type ParsedArgs =
  { readonly kind: 'help'; readonly command: CommandName } | ({ readonly kind: 'run' } & CommandArgs);

interface FlagSpec {
  readonly takesValue: boolean;
  readonly help: string;
}

const ENV: FlagSpec = { takesValue: true, help: 'environment of lib/config/environments.ts (required)' };
const HELP: FlagSpec = { takesValue: false, help: 'print this help' };
const SLR: FlagSpec = {
  takesValue: false,
  help: 'create missing service-linked roles (ECS, Application Auto Scaling, ELB, RDS, Config) instead of refusing',
};
const FORCE: FlagSpec = {
  takesValue: false,
  help: 'cdk deploy --force: update every stack so consumers re-read cross-stack references',
};

const FLAGS: Readonly<Record<CommandName, Readonly<Record<string, FlagSpec>>>> = {
  deploy: { '--env': ENV, '--create-service-linked-roles': SLR, '--force': FORCE, '--help': HELP },
  diff: { '--env': ENV, '--help': HELP },
  preflight: { '--env': ENV, '--create-service-linked-roles': SLR, '--help': HELP },
  verify: { '--env': ENV, '--help': HELP },
};

const SUMMARY: Readonly<Record<CommandName, string>> = {
  deploy: 'check every prerequisite, deploy every stack in order, run the post-deploy steps',
  diff: 'check the credentials, then cdk diff every stack',
  preflight: 'check credentials, synth (compliance gate) and every deploy prerequisite; deploy nothing',
  verify: "report each safeguard's runtime state (read-only); exit 1 on any FAIL",
};

/** The usage text of a command. */
export function usage(command: CommandName): string {
  const flags = FLAGS[command];
  const synopsis = Object.entries(flags)
    .filter(([name]) => name !== '--help')
    .map(([name, spec]) => (name === '--env' ? '--env NAME' : `[${name}${spec.takesValue ? ' VALUE' : ''}]`))
    .join(' ');
  const lines = Object.entries(flags).map(([name, spec]) => {
    const shown = spec.takesValue ? `${name} NAME` : name;
    return `  ${shown.padEnd(32)} ${spec.help}`;
  });
  return [`Usage: npm run ${command} -- ${synopsis}`, `  ${SUMMARY[command]}`, ...lines].join('\n');
}

/**
 * Parses `argv` (without node and script) for `command`. Throws UsageError, naming the argument and
 * the rule, on an unknown flag, a missing or unexpected value, a repeated flag, a positional
 * argument, or a missing `--env`.
 */
export function parseArgs(command: CommandName, argv: readonly string[]): ParsedArgs {
  const flags = FLAGS[command];
  const seen = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') return { kind: 'help', command };
    if (!arg.startsWith('--')) {
      const hint = i === 0 && !arg.startsWith('-') ? ` (did you mean --env ${arg}?)` : '';
      throw new UsageError(`unexpected argument '${arg}': ${command} takes only flags${hint}`);
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const spec = flags[name];
    if (!spec) {
      throw new UsageError(`unknown flag '${name}': ${command} accepts ${Object.keys(flags).join(', ')}`);
    }
    if (seen.has(name)) throw new UsageError(`flag '${name}' given twice: give it once`);
    if (!spec.takesValue) {
      if (eq !== -1) throw new UsageError(`flag '${name}' takes no value (got '${arg.slice(eq + 1)}')`);
      seen.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value !== undefined && value.startsWith('-')) value = undefined;
      else i++;
    }
    if (value === undefined || value === '') throw new UsageError(`flag '${name}' needs a value: ${name} NAME`);
    seen.set(name, value);
  }
  if (seen.has('--help')) return { kind: 'help', command };
  const envName = seen.get('--env');
  if (typeof envName !== 'string') {
    throw new UsageError(`missing --env NAME: ${command} needs the environment to act on (e.g. --env prod)`);
  }
  return {
    kind: 'run',
    command,
    envName,
    createServiceLinkedRoles: seen.has('--create-service-linked-roles'),
    force: seen.has('--force'),
  };
}
