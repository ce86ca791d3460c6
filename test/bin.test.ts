import { spawnSync } from 'child_process';
import { readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { appCommandArgs } from './support/app-node-options';
import { scratchDir } from './support/scratch';

/** Runs the CDK app entry point as the CLI would, with context passed the CLI's way. */
function runApp(
  context: Record<string, string>,
  previous: readonly string[] = [],
): { status: number | null; stderr: string; files: string[] } {
  const outdir = scratchDir('hipaa-bin-');
  // What an earlier synth left: a refused run removes it.
  for (const f of previous) writeFileSync(join(outdir, f), '{}');
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

  it('a mistyped context key (-c envv=prod builds dev otherwise) exits non-zero naming it, and leaves no template', () => {
    const { status, stderr, files } = runApp({ envv: 'prod', PhiReplicaBootstrap: 'true' }, ['DevKeys.template.json']);
    expect(status).toBe(1);
    expect(stderr).toBe(
      [
        'Context refused (the app reads env, config, phiReplicaBootstrap); nothing was synthesized:',
        '  - context envv = "prod": the app reads no such key (did you mean -c env=...?)',
        '  - context PhiReplicaBootstrap = "true": the app reads no such key (did you mean -c phiReplicaBootstrap=...?)',
        '',
      ].join('\n'),
    );
    expect(files).toEqual([]);
  });

  it('a config file that cannot be read removes what an earlier synth left', () => {
    const { status, stderr, files } = runApp({ config: 'no-such-file.json' }, ['DevKeys.template.json']);
    expect(status).toBe(1);
    expect(stderr).toContain("config = 'no-such-file.json': cannot be read");
    expect(files).toEqual([]);
  });
});
