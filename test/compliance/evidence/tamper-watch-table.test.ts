import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { TAMPER_WATCHES } from '../../../constructs/tamper-watches';
import {
  renderTamperWatchTable,
  TAMPER_WATCH_TABLE_BEGIN,
  TAMPER_WATCH_TABLE_END,
} from '../../../lib/compliance/evidence/tamper-watch-table';

const README = join(__dirname, '..', '..', '..', 'README.md');

describe('the README table of watched actions', () => {
  test('U6 lists every watch with its event source, names, rule and alert path', () => {
    const table = renderTamperWatchTable();
    for (const w of TAMPER_WATCHES) {
      expect(table).toContain(`| \`${w.eventSource}\` |`);
      expect(table).toContain(`\`Tamper${w.id}\``);
      for (const n of w.eventNames) expect(table).toContain(`\`${n}`);
    }
    expect(table.split('\n').filter((l) => l.includes('**and** topic directly'))).toHaveLength(
      TAMPER_WATCHES.filter((w) => w.alertPath).length,
    );
  });

  test('U6 the README holds the current table (regenerate: UPDATE_TAMPER_WATCH_TABLE=1 npx jest test/compliance/evidence/tamper-watch-table.test.ts)', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(TAMPER_WATCH_TABLE_BEGIN);
    const end = readme.indexOf(TAMPER_WATCH_TABLE_END);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const block = `${TAMPER_WATCH_TABLE_BEGIN}\n${renderTamperWatchTable()}\n`;
    if (process.env.UPDATE_TAMPER_WATCH_TABLE === '1') {
      writeFileSync(README, readme.slice(0, start) + block + readme.slice(end));
      return;
    }
    expect(readme.slice(start, end)).toBe(block);
  });
});
