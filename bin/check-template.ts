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
 * The command itself is lib/check-template-cli.ts (runCheckTemplate); this file gives it the arguments and the console.
 *
 * Exit code: 0 clean, 1 findings (including rules that could not evaluate a resource), 2 bad input (unreadable
 * file, not JSON, not a template, an assembly whose templates a failed gate removed, an unknown environment).
 */
import { runCheckTemplate } from '../lib/check-template-cli';

process.exitCode = runCheckTemplate(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
