/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * Worker thread of parallel-validation.ts: runs aws-cdk-lib's own CloudFormationValidatePlugin (the built-in
 * CloudFormation validation, its engine, rules and options unchanged) beside the main thread, so that starting
 * its engine and loading the resource schemas overlap with building the construct tree and the rule packs.
 *
 * Plain JavaScript (CommonJS): a worker thread does not inherit tsx's TypeScript loader on Node 20.
 *
 * Messages in (parentPort):
 *   { kind: 'prewarm-from', dir }                prewarm (below) with the types of the templates in `dir` (what a
 *                                                previous synth left in the output folder), if any
 *   { kind: 'prewarm', types: string[] }         validate a throw-away template holding one resource of each
 *                                                type (the engine starts and loads those types' schemas; its
 *                                                diagnostics are discarded), unless the engine already has them
 *   { kind: 'written', stackTemplate }           a template synth has just written (before the validation plugins
 *                                                run): validated now, alone, when the engine already has its types;
 *                                                the report is kept with the file's text
 *   { kind: 'validate', id, context }            validate the real templates; reply on workerData.port. When every
 *                                                template was validated when written and its file and stack entry
 *                                                are unchanged, the report is those reports merged exactly as the
 *                                                plugin merges its templates' diagnostics; else the plugin validates
 *                                                the whole context itself
 * Replies (workerData.port; each one then adds 1 to workerData.signal[0] and notifies it):
 *   { kind: 'ready', version }                   once the plugin is loaded
 *   { kind: 'written' }                          after each 'written' message (validated or not)
 *   { kind: 'result', id, report, reused, prewarmedFrom, early }
 *                                                the plugin's own report; reused says the prewarmed engine served;
 *                                                early says it came from the templates validated when written
 *   { kind: 'error', id, message }               the plugin threw
 */
const { useBaselineWasmCompilerOnly, startEngine, engineOf } = require('./engine-start');

// The engine's WebAssembly compiled by V8's baseline compiler only (why: engine-start.js).
useBaselineWasmCompilerOnly();

const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');
const { parentPort, workerData } = require('worker_threads');

const { port, signal, props } = workerData;
const flag = new Int32Array(signal);

/** Posts `message` and bumps the signal the main thread may be waiting on. */
const reply = (message) => {
  port.postMessage(message);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
};

let plugin;
try {
  const { CloudFormationValidatePlugin } = require('aws-cdk-lib');
  plugin = new CloudFormationValidatePlugin(props);
  reply({ kind: 'ready', version: plugin.version });
} catch (e) {
  reply({ kind: 'ready', error: e instanceof Error ? e.message : String(e) });
}

/** Types the engine was last prewarmed with, and where they came from. */
let prewarmed = { types: new Set(), from: 'none' };

/** Scratch folders of prewarms: `<prefix><pid>-<random>`. */
const SCRATCH_PREFIX = 'hipaa-cfn-prewarm-';

/**
 * Removes the scratch folders of processes that no longer run: a process that exits during a prewarm (bin/ exits on an
 * invalid config while the worker may be prewarming) cannot remove its own.
 */
function removeStaleScratch() {
  try {
    for (const name of readdirSync(tmpdir())) {
      const pid = Number(/^hipaa-cfn-prewarm-(\d+)-/.exec(name)?.[1]);
      if (!pid || pid === process.pid) continue;
      try {
        process.kill(pid, 0);
        continue; // still running
      } catch (e) {
        if (e && e.code === 'EPERM') continue; // running, as another user
      }
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  } catch {
    // only housekeeping
  }
}

/** Validates a throw-away template holding one resource of each type: the plugin starts its engine with them. */
function prewarm(types, from) {
  let dir;
  try {
    dir = mkdtempSync(join(tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
    startEngine(plugin, types, dir);
    prewarmed = { types: new Set(types), from };
  } catch {
    // A failed prewarm only costs time: the real validation starts its own engine.
  } finally {
    try {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    } catch {
      // a scratch folder left in the temporary directory
    }
  }
}

/** The resource types of the templates in `dir` (a previous synth's), or [] when there are none or they cannot be read. */
function typesOfTemplatesIn(dir) {
  const types = new Set();
  try {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.template.json')) continue;
      const template = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      for (const resource of Object.values((template && template.Resources) || {})) {
        if (resource && typeof resource.Type === 'string') types.add(resource.Type);
      }
    }
  } catch {
    return [];
  }
  return [...types].sort();
}

/** A stack template entry as one comparable key (what the plugin's report depends on besides the file). */
const entryKey = (s) => JSON.stringify([s.stackConstructPath, s.templatePath, s.accountId, s.region]);

/** Templates validated when written, by path: { key, text, engine, report }; emptied by each validation. */
let written = new Map();

/** Validates the template synth just wrote, alone, if the engine already has all its resource types. */
function validateWritten(stackTemplate) {
  let text;
  try {
    text = readFileSync(stackTemplate.templatePath, 'utf8');
    const resources = (JSON.parse(text) || {}).Resources || {};
    const types = Object.values(resources).map((r) => r && r.Type);
    // A type the plugin's engine lacks would make it start another engine for this template alone (its own check:
    // initializeEngine reuses the engine when the types are a subset of engineResourceTypes).
    const engineTypes = plugin.engineResourceTypes;
    if (engineOf(plugin) === undefined || !(engineTypes instanceof Set)) return;
    if (!types.every((t) => typeof t === 'string' && engineTypes.has(t))) return;
  } catch {
    return; // the validation of the whole context reads and reports it
  }
  try {
    const report = plugin.validate({ templatePaths: [stackTemplate.templatePath], stackTemplates: [stackTemplate] });
    // The engine is kept with the report: one from another engine (rules of other types) is not merged (below).
    written.set(stackTemplate.templatePath, { key: entryKey(stackTemplate), text, engine: engineOf(plugin), report });
  } catch {
    // the validation of the whole context validates it again
  }
}

/**
 * The report of `context` from the templates validated when written, or undefined unless every template of it was,
 * with the same stack entry, the same file text, and the engine the whole context would use. The plugin builds one
 * violation per (rule, severity, description), in the order first met over the templates in context order, with the
 * resources in that order: merging the per-template reports in context order the same way gives the same report.
 */
function reportFromWritten(context) {
  const engine = engineOf(plugin);
  if (engine === undefined) return undefined;
  const reports = [];
  for (const s of context.stackTemplates) {
    const early = written.get(s.templatePath);
    if (early === undefined || early.key !== entryKey(s) || early.engine !== engine) return undefined;
    try {
      if (readFileSync(s.templatePath, 'utf8') !== early.text) return undefined;
    } catch {
      return undefined;
    }
    reports.push(early.report);
  }
  // Every template was validated by this engine, which has all their types: the plugin would validate the whole
  // context with it too (it starts another engine only for a type it lacks).
  const violations = [];
  for (const report of reports) {
    for (const v of report.violations) {
      const existing = violations.find(
        (x) => x.ruleName === v.ruleName && x.severity === v.severity && x.description === v.description,
      );
      if (existing) existing.violatingResources.push(...v.violatingResources);
      else violations.push({ ...v, violatingResources: [...v.violatingResources] });
    }
  }
  return { success: violations.every((v) => v.severity !== 'error' && v.severity !== 'fatal'), violations };
}

parentPort.on('message', (message) => {
  if (message.kind === 'written') {
    if (plugin) validateWritten(message.stackTemplate);
    reply({ kind: 'written' });
    return;
  }
  if (message.kind === 'prewarm-from') {
    if (!plugin) return;
    const types = typesOfTemplatesIn(message.dir);
    if (types.length > 0) prewarm(types, 'previous-templates');
    return;
  }
  if (message.kind === 'prewarm') {
    if (!plugin) return;
    // The engine already started with these types (from the previous synth's templates) serves as it is.
    if (message.types.every((type) => prewarmed.types.has(type))) return;
    prewarm(message.types, 'construct-tree');
    return;
  }
  if (message.kind === 'validate') {
    if (!plugin) {
      reply({ kind: 'error', id: message.id, message: 'the CloudFormation validation plugin did not load' });
      return;
    }
    try {
      const before = engineOf(plugin);
      const fromWritten = reportFromWritten(message.context);
      written = new Map();
      const report = fromWritten ?? plugin.validate(message.context);
      const reused = before !== undefined && engineOf(plugin) === before;
      reply({ kind: 'result', id: message.id, report, reused, prewarmedFrom: prewarmed.from, early: !!fromWritten });
      // After the report, while the main thread finishes: housekeeping never delays a synth.
      removeStaleScratch();
    } catch (e) {
      reply({ kind: 'error', id: message.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
});

process.on('uncaughtException', (e) => {
  reply({ kind: 'error', id: -1, message: e instanceof Error ? e.message : String(e) });
});
