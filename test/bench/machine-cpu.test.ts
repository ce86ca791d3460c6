import { spawnSync } from 'child_process';
import { machineBusyMs, parseMachineBusyMs } from '../../bench/machine-cpu';

describe('parseMachineBusyMs', () => {
  // user 1000, nice 20, system 300, idle 9000, iowait 50, irq 4, softirq 6, steal 70, guest 5, guest_nice 0 (ticks).
  const STAT = 'cpu  1000 20 300 9000 50 4 6 70 5 0\ncpu0 500 10 150 4500 25 2 3 35 0 0\nintr 1 2 3\n';

  test('user, nice, system, irq and softirq of the aggregate line, in milliseconds; not idle, iowait or steal', () => {
    expect(parseMachineBusyMs(STAT)).toBe((1000 + 20 + 300 + 4 + 6) * 10);
  });

  test('no figure from text that is not an aggregate line of whole numbers', () => {
    expect(parseMachineBusyMs('cpu0 1 2 3 4 5 6 7 8\n')).toBeUndefined();
    expect(parseMachineBusyMs('cpu  1 2 3\n')).toBeUndefined();
    expect(parseMachineBusyMs('cpu  1 2 x 4 5 6 7 8\n')).toBeUndefined();
    expect(parseMachineBusyMs('')).toBeUndefined();
  });
});

describe('machineBusyMs', () => {
  (process.platform === 'linux' ? test : test.skip)(
    'grows by at least the CPU a child process used (Linux; other processes can only add)',
    () => {
      const before = machineBusyMs()!;
      const r = spawnSync(process.execPath, ['-e', 'const e = Date.now() + 400; while (Date.now() < e);']);
      expect(r.status).toBe(0);
      expect(machineBusyMs()! - before).toBeGreaterThanOrEqual(300);
    },
  );
});
