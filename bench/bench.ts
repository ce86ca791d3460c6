#!/usr/bin/env node
/**
 * `npm run bench -- [--runs N] [--json FILE] [--skip-tests] [--jest-args "ARGS"]`: measures synth and
 * test speed (medians after a warm-up) and writes a JSON report (default cdk.out/bench.json).
 * See bench/run-bench.ts.
 */
import { runBench } from './run-bench';

runBench(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}).then((code) => (process.exitCode = code));
