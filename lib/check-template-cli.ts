/**
 * The template checker's command line (`npm run check-template`, bin/check-template.ts): argument parsing, the
 * report and the exit code, as a function of its arguments and where it writes, so that tests run it in-process.
 * See bin/check-template.ts for the usage. Reads no environment variable.
 */
import { readFileSync } from 'fs';
import {
  alertEndpoints,
  ConfigValidationError,
  configuredAllowLists,
  ENVIRONMENTS,
  sessionPreferencesRegion,
  accessVolumeThreshold,
} from './config';
import { isAssemblyDirectory, loadAssemblyForCheck } from './compliance/gate/assembly-loader';
import { environmentRegister, EnvironmentRegister } from './compliance/gate/environment-register';
import {
  checkAssembly,
  checkTemplate,
  HonouredAcknowledgement,
  TemplateFinding,
  TemplateInputError,
} from './compliance/gate/template-checker';
import { TemplateJson } from './compliance/gate/core/template-json';
import { duplicateKeyOf, duplicateKeyProblem } from './compliance/gate/core/json-text';
import { environmentFromFile } from './config/environment-file';

const USAGE =
  'usage: npm run check-template -- [--env NAME] [--config FILE] <cloud assembly dir | template.json> [more ...]';

/** Where the report goes, one line per call (bin/check-template.ts: console.log and console.error). */
export interface CheckTemplateIo {
  /** A line of the report (stdout). */
  readonly out: (line: string) => void;
  /** A line about bad input (stderr). */
  readonly err: (line: string) => void;
}

interface Args {
  readonly paths: string[];
  readonly envName?: string;
  readonly configFile?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const paths: string[] = [];
  let envName: string | undefined;
  let configFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--env' || arg === '--config') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--'))
        throw new TemplateInputError(`${arg}: needs a value. ${USAGE}`);
      if (arg === '--env') envName = value;
      else configFile = value;
    } else if (arg.startsWith('--')) {
      throw new TemplateInputError(`${arg}: unknown option. ${USAGE}`);
    } else {
      paths.push(arg);
    }
  }
  return { paths, envName, configFile };
}

function load(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TemplateInputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    throw new TemplateInputError(`${file}: not JSON: ${(e as Error).message}`);
  }
  const duplicate = duplicateKeyOf(text);
  if (duplicate !== undefined)
    throw new TemplateInputError(`${file}: ${duplicateKeyProblem('the template', duplicate)}`);
  return value;
}

/**
 * The findings of one source (a template, the assembly rules) under the line naming it: a line first, then what
 * belongs to it, indented, as for a clean stack and its acknowledgements (the newcomer review of 2026-12-03 read a
 * stack's findings, printed before its line, as the previous stack's).
 */
function report(io: CheckTemplateIo, source: string, findings: readonly TemplateFinding[], suffix: string): void {
  io.out(`${source}: ${findings.length} finding(s)${suffix}`);
  const byRule = new Map<string, TemplateFinding[]>();
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  for (const [rule, fs] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    const first = fs[0]!;
    io.out(`  ${rule} (${first.severity}${first.kind === 'error' ? ', rule could not evaluate' : ''})`);
    io.out(`    ${first.description}`);
    for (const f of fs) io.out(`    - ${f.logicalId} (${f.type})`);
  }
}

function listHonoured(io: CheckTemplateIo, honoured: readonly HonouredAcknowledgement[]): void {
  for (const h of honoured) {
    io.out(`  acknowledged ${h.ruleId} on ${h.logicalId} (${h.constructPath}), register entry '${h.entryPath}'`);
  }
}

function registerOf(
  io: CheckTemplateIo,
  templates: readonly TemplateJson[],
  args: Args,
): EnvironmentRegister | undefined {
  let environments: Readonly<Record<string, unknown>> = ENVIRONMENTS;
  let envName = args.envName;
  if (args.configFile !== undefined) {
    try {
      const fromFile = environmentFromFile(args.configFile);
      environments = { ...ENVIRONMENTS, [fromFile.envName]: fromFile.input };
      envName ??= fromFile.envName;
    } catch (e) {
      if (e instanceof ConfigValidationError) throw new TemplateInputError(e.message);
      throw e;
    }
  }
  const register = environmentRegister(templates, { envName, environments });
  io.out(
    register
      ? `Register: environment '${register.envName}', ${register.register.length} entries`
      : 'Register: none (the templates name no environment; pass --env NAME): no acknowledgement is honoured',
  );
  return register;
}

function checkDirectory(io: CheckTemplateIo, dir: string, args: Args): number {
  const { stacks, manifest } = loadAssemblyForCheck(dir);
  const register = registerOf(
    io,
    stacks.map((s) => s.template),
    args,
  );
  const result = checkAssembly(stacks, {
    register: register?.register,
    phiBucketNames: register?.phiBucketNames,
    account: register?.config.account,
    phiReplicaRegion: register?.config.phiBucket.replicaRegion,
    alertEndpoints: register && alertEndpoints(register.config),
    allowLists: register && configuredAllowLists(register.config),
    production: register?.config.production,
    sessionPreferencesRegion: register && sessionPreferencesRegion(register.config),
    accessVolumeThreshold: register && accessVolumeThreshold(register.config),
    isolatedCopyVaultArn: register?.config.backup.isolatedCopyVaultArn,
    internetEgress: register?.config.network.internetEgress,
    manifest,
  });
  for (const { stack, result: r } of result.stacks) {
    const suffix = `, ${r.crossStackReferences} cross-stack reference(s) checked as unresolved values`;
    if (r.findings.length === 0) {
      io.out(
        `${stack.file} (${stack.stackName}): clean (${r.resources} resources, ${r.acknowledgements} acknowledgement(s) honoured${suffix})`,
      );
    } else {
      report(io, `${stack.file} (${stack.stackName})`, r.findings, suffix);
    }
    listHonoured(io, r.honoured);
  }
  const assemblyFindings = result.assemblyFindings;
  const rules = result.assembly.rules.length;
  if (assemblyFindings.length === 0) {
    io.out(
      `${dir}: assembly rules clean (${rules} rules, ${result.assembly.evaluations} evaluations over ${stacks.length} stacks)`,
    );
  } else {
    report(io, `${dir} (assembly rules, ${stacks.length} stacks)`, assemblyFindings, '');
  }
  const total = result.findings.length;
  const honoured = result.stacks.reduce((n, s) => n + s.result.acknowledgements, 0);
  io.out(`${dir}: ${total === 0 ? 'clean' : `${total} finding(s)`}; ${honoured} acknowledgement(s) honoured`);
  return total === 0 ? 0 : 1;
}

function checkFiles(io: CheckTemplateIo, files: readonly string[], args: Args): number {
  let worst = 0;
  const templates: { file: string; template: unknown }[] = [];
  for (const file of files) {
    try {
      templates.push({ file, template: load(file) });
    } catch (e) {
      if (!(e instanceof TemplateInputError)) throw e;
      io.err(e.message);
      worst = 2;
    }
  }
  const register = registerOf(
    io,
    templates
      .map((t) => t.template)
      .filter((t): t is TemplateJson => typeof t === 'object' && t !== null && !Array.isArray(t)),
    args,
  );
  for (const { file, template } of templates) {
    try {
      const result = checkTemplate(template, file, {
        register: register?.register,
        phiBucketNames: register?.phiBucketNames,
      });
      const suffix = `, ${result.crossStackReferences} cross-stack reference(s) checked as unresolved values`;
      if (result.findings.length === 0) {
        io.out(
          `${file}: clean (${result.resources} resources, ${result.acknowledgements} acknowledgement(s) honoured${suffix})`,
        );
      } else {
        report(io, file, result.findings, suffix);
        worst = Math.max(worst, 1);
      }
      listHonoured(io, result.honoured);
    } catch (e) {
      if (!(e instanceof TemplateInputError)) throw e;
      io.err(e.message);
      worst = 2;
    }
  }
  io.out(
    'Assembly rules (detection services, alarms, trail coverage, key domains, network) need every stack: pass the cloud assembly directory to run them.',
  );
  return worst;
}

/**
 * Runs `npm run check-template -- ARGS` with `argv` (the arguments after the script name): writes the report
 * through `io` and returns the exit code (0 clean, 1 findings, 2 bad input). bin/check-template.ts sets
 * process.exitCode from it; errors other than bad input are thrown, as bin lets them end the process.
 */
export function runCheckTemplate(argv: readonly string[], io: CheckTemplateIo): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.err((e as Error).message);
    return 2;
  }
  if (args.paths.length === 0) {
    io.err(USAGE);
    return 2;
  }
  const dirs = args.paths.filter(isAssemblyDirectory);
  const files = args.paths.filter((p) => !dirs.includes(p));
  let worst = 0;
  try {
    for (const dir of dirs) worst = Math.max(worst, checkDirectory(io, dir, args));
    if (files.length > 0) worst = Math.max(worst, checkFiles(io, files, args));
  } catch (e) {
    if (!(e instanceof TemplateInputError)) throw e;
    io.err(e.message);
    return 2;
  }
  return worst;
}
