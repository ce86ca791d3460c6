/**
 * The Node.js options of cdk.json's app command (`node --no-concurrent-marking bin/run-app.js bin/hipaa-blueprint.ts`):
 * what the test processes and the globalSetup's synths run with, so that they synthesize and validate as `cdk synth`
 * does (docs/speed-history.md). Only the options between `node` and the script (the first word that is not an option), without
 * `--import`/`--require` and the module each names (tsx is loaded by the callers themselves); an option's value must be
 * written `--name=value` (V8's options accept no other form). None when the command does not start Node.js directly
 * (a fork's `npx ts-node ...` has no options of Node's to copy).
 */
const { readFileSync } = require('fs');
const { join } = require('path');

/** Loader options whose value (the next word) names a module: not copied. */
const LOADERS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);
const LOADER_WITH_VALUE = /^--(import|require|loader|experimental-loader)=/;

/** The options of `app` (a cdk.json app command) that Node.js itself takes, in order. */
function nodeOptionsOf(app) {
  const words = String(app).trim().split(/\s+/);
  if (words[0] !== 'node') return [];
  const options = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (LOADERS.has(word)) i++;
    else if (!word.startsWith('-'))
      break; // the script: what follows is its own arguments
    else if (!LOADER_WITH_VALUE.test(word)) options.push(word);
  }
  return options;
}

/** The Node.js options of this project's cdk.json app command. */
function appNodeOptions() {
  const { app } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  return nodeOptionsOf(app);
}

/**
 * The words of cdk.json's app command after `node` (its Node.js options, the script and the script's arguments): what
 * `cdk synth` runs Node.js with, in the project folder. Throws when the command does not start Node.js directly.
 */
function appCommandArgs() {
  const { app } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  const words = String(app).trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`cdk.json: app '${app}' does not start with node`);
  return words.slice(1);
}

/**
 * The words after `node` of package.json's script `name` (`node --no-concurrent-marking bin/run-app.js bin/X.ts`): what
 * `npm run NAME` runs Node.js with, in the project folder. Throws when the script does not start Node.js directly.
 */
function scriptCommandArgs(name) {
  const { scripts } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
  const script = scripts[name];
  if (script === undefined) throw new Error(`package.json: no script '${name}'`);
  const words = String(script).trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`package.json: script ${name} '${script}' does not start with node`);
  return words.slice(1);
}

module.exports = { nodeOptionsOf, appNodeOptions, appCommandArgs, scriptCommandArgs };
