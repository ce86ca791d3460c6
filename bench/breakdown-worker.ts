/**
 * One in-process synth with phase timers (bench/synth-breakdown.ts), in a fresh process so module
 * load is cold, with the runner and Node.js flags of cdk.json's app:
 * `node --no-concurrent-marking bin/run-app.js bench/breakdown-worker.ts ENV OUTDIR` (as cdk.json runs the app). Prints one JSON line (BreakdownRun).
 * Started by bench/bench.ts only.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { measureSynthBreakdown } from './synth-breakdown';

const [envName = 'dev', outdir] = process.argv.slice(2);
if (!outdir) {
  process.stderr.write('usage: node --no-concurrent-marking bin/run-app.js bench/breakdown-worker.ts ENV OUTDIR\n');
  process.exit(2);
}
const { context } = JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};
measureSynthBreakdown({ envName, outdir, context }).then(
  (run) => process.stdout.write(`${JSON.stringify(run)}\n`),
  (e: Error) => {
    process.stderr.write(`breakdown failed: ${e.message}\n`);
    process.exit(1);
  },
);
