#!/usr/bin/env node
/**
 * Checks CloudFormation templates with the blueprint's gate (the same packs and rules as synth):
 *
 *   npm run check-template -- cdk.out                      # a cloud assembly: every stack, plus the assembly rules
 *   npm run check-template -- cdk.out/ProdData*.template.json [more.json ...]   # templates one by one
 *   options: --env NAME (the environment whose register applies, when the templates do not name it),
 *            --config FILE (an environment from a JSON file, as `cdk synth -c config=FILE`)
 *
 * A directory with a manifest.json is a cloud assembly: its stacks are checked as one set, so the assembly rules
 * (detection services, alarms, trail coverage, key domains, network) run too. Files are checked one by one, without
 * the assembly rules (the output says so).
 *
 * A template's `Metadata.cdk_nag.rules_to_suppress` is honoured only where the register of its environment (named
 * by the templates' `Metadata.HipaaBlueprint.envName`, or --env) has the same entry (rule id, construct path,
 * reason), and never on a PHI store; any other acknowledgement is a finding (Blueprint-UnregisteredAcknowledgement).
 * Every honoured acknowledgement is listed.
 *
 * Exit code: 0 clean, 1 findings (including rules that could not evaluate a resource), 2 bad input (unreadable
 * file, not JSON, not a template, an assembly whose templates a failed gate removed, an unknown environment).
 */
import { readFileSync } from 'fs';
import { ConfigValidationError, ENVIRONMENTS } from '../lib/config';
import { isAssemblyDirectory, loadAssembly } from '../lib/compliance/gate/assembly-loader';
import { environmentRegister, EnvironmentRegister } from '../lib/compliance/gate/environment-register';
import {
  checkAssembly,
  checkTemplate,
  HonouredAcknowledgement,
  TemplateFinding,
  TemplateInputError,
} from '../lib/compliance/gate/template-checker';
import { TemplateJson } from '../lib/compliance/gate/core/template-json';
import { environmentFromFile } from '../lib/synthesize';

const USAGE =
  'usage: npm run check-template -- [--env NAME] [--config FILE] <cloud assembly dir | template.json> [more ...]';

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
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new TemplateInputError(`${file}: not JSON: ${(e as Error).message}`);
  }
}

function report(source: string, findings: readonly TemplateFinding[], suffix: string): void {
  const byRule = new Map<string, TemplateFinding[]>();
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  for (const [rule, fs] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
    const first = fs[0]!;
    console.log(`  ${rule} (${first.severity}${first.kind === 'error' ? ', rule could not evaluate' : ''})`);
    console.log(`    ${first.description}`);
    for (const f of fs) console.log(`    - ${f.logicalId} (${f.type})`);
  }
  console.log(`${source}: ${findings.length} finding(s)${suffix}`);
}

function listHonoured(honoured: readonly HonouredAcknowledgement[]): void {
  for (const h of honoured) {
    console.log(`  acknowledged ${h.ruleId} on ${h.logicalId} (${h.constructPath}), register entry '${h.entryPath}'`);
  }
}

function registerOf(templates: readonly TemplateJson[], args: Args): EnvironmentRegister | undefined {
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
  console.log(
    register
      ? `Register: environment '${register.envName}', ${register.register.length} entries`
      : 'Register: none (the templates name no environment; pass --env NAME): no acknowledgement is honoured',
  );
  return register;
}

function checkDirectory(dir: string, args: Args): number {
  const stacks = loadAssembly(dir);
  const register = registerOf(
    stacks.map((s) => s.template),
    args,
  );
  const result = checkAssembly(stacks, { register: register?.register, phiBucketNames: register?.phiBucketNames });
  for (const { stack, result: r } of result.stacks) {
    const suffix = `, ${r.crossStackReferences} cross-stack reference(s) checked as unresolved values`;
    if (r.findings.length === 0) {
      console.log(
        `${stack.file} (${stack.stackName}): clean (${r.resources} resources, ${r.acknowledgements} acknowledgement(s) honoured${suffix})`,
      );
    } else {
      report(`${stack.file} (${stack.stackName})`, r.findings, suffix);
    }
    listHonoured(r.honoured);
  }
  const assemblyFindings = result.assemblyFindings;
  const rules = result.assembly.rules.length;
  if (assemblyFindings.length === 0) {
    console.log(
      `${dir}: assembly rules clean (${rules} rules, ${result.assembly.evaluations} evaluations over ${stacks.length} stacks)`,
    );
  } else {
    report(`${dir} (assembly rules, ${stacks.length} stacks)`, assemblyFindings, '');
  }
  const total = result.findings.length;
  const honoured = result.stacks.reduce((n, s) => n + s.result.acknowledgements, 0);
  console.log(`${dir}: ${total === 0 ? 'clean' : `${total} finding(s)`}; ${honoured} acknowledgement(s) honoured`);
  return total === 0 ? 0 : 1;
}

function checkFiles(files: readonly string[], args: Args): number {
  let worst = 0;
  const templates: { file: string; template: unknown }[] = [];
  for (const file of files) {
    try {
      templates.push({ file, template: load(file) });
    } catch (e) {
      if (!(e instanceof TemplateInputError)) throw e;
      console.error(e.message);
      worst = 2;
    }
  }
  const register = registerOf(
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
        console.log(
          `${file}: clean (${result.resources} resources, ${result.acknowledgements} acknowledgement(s) honoured${suffix})`,
        );
      } else {
        report(file, result.findings, suffix);
        worst = Math.max(worst, 1);
      }
      listHonoured(result.honoured);
    } catch (e) {
      if (!(e instanceof TemplateInputError)) throw e;
      console.error(e.message);
      worst = 2;
    }
  }
  console.log(
    'Assembly rules (detection services, alarms, trail coverage, key domains, network) need every stack: pass the cloud assembly directory to run them.',
  );
  return worst;
}

function main(argv: readonly string[]): number {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (args.paths.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const dirs = args.paths.filter(isAssemblyDirectory);
  const files = args.paths.filter((p) => !dirs.includes(p));
  let worst = 0;
  try {
    for (const dir of dirs) worst = Math.max(worst, checkDirectory(dir, args));
    if (files.length > 0) worst = Math.max(worst, checkFiles(files, args));
  } catch (e) {
    if (!(e instanceof TemplateInputError)) throw e;
    console.error(e.message);
    return 2;
  }
  return worst;
}

process.exitCode = main(process.argv.slice(2));
