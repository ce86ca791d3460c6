import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import { join } from 'path';
import { appCommandArgs } from './support/app-node-options';
import { scratchDir } from './support/scratch';

/** Runs the CDK app entry point as the CLI would, with context passed the CLI's way. */
function runApp(context: Record<string, string>): { status: number | null; stderr: string; files: string[] } {
  const outdir = scratchDir('hipaa-bin-');
  // cdk.json's app command (bin/run-app.js bundles and runs bin/hipaa-blueprint.ts), in the project folder.
  const result = spawnSync(process.execPath, appCommandArgs(), {
    cwd: join(__dirname, '..'),
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_VALIDATION: 'false' },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, files: readdirSync(outdir) };
}

describe('bin/hipaa-blueprint.ts', () => {
  it('an unknown environment exits non-zero with one message and writes no template', () => {
    const { status, stderr, files } = runApp({ env: 'qa' });
    expect(status).toBe(1);
    expect(stderr).toContain("Invalid blueprint configuration for environment 'qa' (1 problem):");
    expect(stderr).toContain("env = 'qa': unknown environment; known: dev, prod");
    expect(files).toEqual([]);
  });
});
