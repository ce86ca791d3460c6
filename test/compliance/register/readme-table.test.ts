import { readFileSync } from 'fs';
import { join } from 'path';
import {
  REGISTER_TABLE_MARKERS,
  registerEntries,
  registerTableMarkdown,
  rulesCell,
} from '../../../lib/compliance/register/readme-table';
import { buildRegister, PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS } from '../../../lib/compliance/register';
import { ENVIRONMENTS, loadConfig } from '../../../lib/config';

const NAMES = Object.keys(ENVIRONMENTS);
const CONFIGS = NAMES.map((n) => loadConfig(n, ENVIRONMENTS));

describe('README register table', () => {
  test('V2 the README lists every acknowledgement of every shipped environment, as npm run docs writes it', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(REGISTER_TABLE_MARKERS.begin);
    // Stale (an entry added, narrowed or reworded without `npm run docs`): this fails.
    expect(readme).toContain(registerTableMarkdown(CONFIGS, NAMES));
    for (const entry of [...CONFIGS.flatMap((c) => buildRegister(c)), ...PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS]) {
      expect(readme).toContain(`| \`${entry.path}\` | ${entry.reason.replace(/\|/g, '\\|')} |`);
    }
  });

  test('V2 each entry once; its rules named once each with their packs', () => {
    const { entries, bootstrap } = registerEntries([...CONFIGS, ...CONFIGS]);
    expect(entries.length).toBe(registerEntries(CONFIGS).entries.length);
    expect(bootstrap).toHaveLength(PHI_REPLICA_BOOTSTRAP_ACKNOWLEDGEMENTS.length);
    expect(
      rulesCell([
        'HIPAA.Security-CloudWatchAlarmAction',
        'NIST.800.53.R5-CloudWatchAlarmAction',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::arn:aws:s3:::b/*]',
      ]),
    ).toBe('CloudWatchAlarmAction (HIPAA/NIST), IAM5[…] (AwsSolutions)');
  });
});
