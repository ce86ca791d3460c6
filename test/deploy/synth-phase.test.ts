/**
 * The synth step of `npm run deploy` and `npm run preflight` (synthPhase): after the gate passes, the template check
 * of what synth wrote (`check-template cdk.out --env NAME`, in process); a finding stops the command before the
 * assembly is read and before anything deploys. Real prod assembly (as `cdk synth -c env=prod` writes it), the real
 * check; the CDK command is recorded, not run.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { validateConfig } from '../../lib/config';
import { CommandDeps } from '../../lib/deploy/command-deps';
import { synthPhase } from '../../lib/deploy/phases';
import { testConfig } from '../support/blueprint';
import { captureReporter, fakeClients, recordingRunner } from '../support/deploy';
import { scratchDir } from '../support/scratch';
import { cdkSynthDir } from '../support/synthesized';

const config = validateConfig(testConfig('prod'));

/** A project folder whose cdk.out is a copy of the prod assembly; `edit` changes its data stack's template. */
function project(edit?: (resources: Record<string, { Type: string; Properties: Record<string, unknown> }>) => void) {
  const dir = scratchDir('synth-phase-');
  const out = join(dir, 'cdk.out');
  cpSync(cdkSynthDir('prod'), out, { recursive: true });
  if (edit !== undefined) {
    const file = join(
      out,
      readdirSync(out).find((f) => f.startsWith('ProdData') && f.endsWith('.template.json'))!,
    );
    const template = JSON.parse(readFileSync(file, 'utf8'));
    edit(template.Resources);
    writeFileSync(file, JSON.stringify(template));
  }
  const reporter = captureReporter();
  const runner = recordingRunner();
  const read: string[] = [];
  const deps: CommandDeps = {
    clients: fakeClients(),
    runner,
    reporter,
    projectDir: dir,
    readAssembly: (directory) => {
      read.push(directory);
      return { directory, stacks: [] };
    },
  };
  return { deps, reporter, runner, read, out };
}

describe('synthPhase: the template check of what synth wrote', () => {
  test("V2 a clean assembly passes: one line with the check's result, then the assembly is read", async () => {
    const { deps, reporter, runner, read, out } = project();
    expect(await synthPhase(config, deps)).toEqual({ directory: out, stacks: [] });
    expect(runner.calls).toEqual([['synth', '-c', 'env=prod', '--quiet', '--output', 'cdk.out']]);
    expect(reporter.errors).toEqual([]);
    expect(reporter.lines).toEqual([
      expect.stringMatching(/^ {6}check-template: .*cdk\.out: clean; \d+ acknowledgement\(s\) honoured$/),
    ]);
    expect(read).toEqual([out]);
  });

  test('V2 a template changed after the gate (its database rendered unencrypted) stops the command: the report names the findings, the assembly is not read', async () => {
    const { deps, reporter, read } = project((resources) => {
      const db = Object.values(resources).find((r) => r.Type === 'AWS::RDS::DBInstance')!;
      db.Properties.StorageEncrypted = false;
    });
    expect(await synthPhase(config, deps)).toBeUndefined();
    const report = reporter.lines.join('\n');
    for (const rule of [
      'HIPAA.Security-RDSStorageEncrypted',
      'NIST.800.53.R5-RDSStorageEncrypted',
      'AwsSolutions-RDS2',
    ]) {
      expect(report).toContain(rule);
    }
    expect(reporter.errors).toEqual([
      expect.stringMatching(/^check-template cdk\.out --env prod failed \(exit 1\): .*nothing was deployed$/),
    ]);
    expect(read).toEqual([]);
  });
});
