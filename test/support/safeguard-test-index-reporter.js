/**
 * Jest reporter: after a FULL, PASSING run, writes the tests Jest actually ran and passed whose name starts
 * with a safeguard id (team convention: 'U2 audit bucket ...') to test/safeguard-tests.json. The control
 * matrix reads that file at synth (lib/compliance/evidence/test-index.ts): the index is Jest's own view of
 * the suite, never a scan of source text, so fixture strings, skipped and todo tests are never counted.
 *
 * When the file it would write differs from the committed one, it rewrites it and fails the run
 * (getLastError), so CI on a clean clone fails until the fresh index is committed. Partial runs (a path or
 * name filter, --onlyChanged, --shard) and failing runs change nothing.
 */
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('fs');
const { join, relative, sep } = require('path');
const { execFileSync } = require('child_process');

const INDEX_FILE = 'test/safeguard-tests.json';
/** A title that may start with safeguard ids; lib/compliance/evidence/test-index.ts validates them. */
const MAY_NAME_SAFEGUARD = /^[A-Z]\d\b/;

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : testFiles(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The index a run's results give, or undefined when the run was partial or failed. */
function indexOf(rootDir, results) {
  if (results.numFailedTests > 0 || results.numRuntimeErrorTestSuites > 0 || results.wasInterrupted) return undefined;
  const ran = new Set(results.testResults.map((r) => r.testFilePath));
  const all = testFiles(join(rootDir, 'test'));
  if (all.length === 0 || all.some((f) => !ran.has(f))) return undefined;
  const tests = results.testResults
    .flatMap((file) =>
      file.testResults
        .filter((t) => t.status === 'passed' && MAY_NAME_SAFEGUARD.test(t.title))
        .map((t) => ({ file: relative(rootDir, file.testFilePath).split(sep).join('/'), name: t.title })),
    )
    .sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
  return `${JSON.stringify(
    {
      comment:
        'Written by test/support/safeguard-test-index-reporter.js after a full passing npm test: the tests Jest ran and passed whose name starts with a safeguard id. Read by the control matrix at synth. Do not edit by hand.',
      tests,
    },
    null,
    2,
  )}\n`;
}

class SafeguardTestIndexReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.error = undefined;
  }

  onRunComplete(_contexts, results) {
    const next = indexOf(this.rootDir, results);
    if (next === undefined) return;
    const file = join(this.rootDir, INDEX_FILE);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === next) return;
    writeFileSync(file, next);
    // SAFEGUARDS.md lists each safeguard's test files from this index: regenerate it with the index (npm run docs).
    let docs = 'SAFEGUARDS.md was regenerated too';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(this.rootDir, 'bin', 'docs.ts')], {
        cwd: this.rootDir,
        stdio: 'pipe',
      });
    } catch (e) {
      docs = `npm run docs failed (${e.message.split('\n')[0]}): run it by hand`;
    }
    this.error = new Error(
      `${INDEX_FILE} did not match the tests that ran; it has been rewritten and ${docs}: review and commit them (the control matrix and SAFEGUARDS.md read it)`,
    );
    console.error(`\n${this.error.message}\n`);
  }

  getLastError() {
    return this.error;
  }
}

module.exports = SafeguardTestIndexReporter;
module.exports.indexOf = indexOf;
module.exports.INDEX_FILE = INDEX_FILE;
