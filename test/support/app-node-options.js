/**
 * The Node.js options of cdk.json's app command (`node --no-concurrent-marking --import tsx bin/hipaa-blueprint.ts`):
 * what the test processes and the globalSetup's synths run with, so that they synthesize and validate as `cdk synth`
 * does (README, Speed). Only the options between `node` and the script, without `--import`/`--require` and their
 * module (tsx is loaded by the callers themselves): none when the command does not start Node.js directly (a fork's
 * `npx ts-node ...` has no options of Node's to copy).
 */
const { readFileSync } = require('fs');
const { join } = require('path');

/** Loader options whose value names a module: not copied. */
const LOADERS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/** The options of `app` (a cdk.json app command) that Node.js itself takes, in order. */
function nodeOptionsOf(app) {
  const words = String(app).trim().split(/\s+/);
  if (words[0] !== 'node' || words.length < 2) return [];
  const options = [];
  // The last word is the script; everything between is Node's (an option and its value, or `--name=value`).
  for (let i = 1; i < words.length - 1; i++) {
    if (LOADERS.has(words[i])) i++;
    else if (!/^--?(import|require|loader|experimental-loader)=/.test(words[i])) options.push(words[i]);
  }
  return options;
}

/** The Node.js options of this project's cdk.json app command. */
function appNodeOptions() {
  const { app } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  return nodeOptionsOf(app);
}

module.exports = { nodeOptionsOf, appNodeOptions };
