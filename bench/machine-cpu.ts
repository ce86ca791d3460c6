/**
 * The CPU time the whole machine spent busy (Linux: the first line of /proc/stat), so that the bench can report the
 * CPU a measured command used with its wall time: on a noisy machine CPU time moves less with the load than wall time
 * does. Machine-wide because a command's own accounting misses processes it does not wait for (Jest does not wait for
 * its workers: /usr/bin/time gave `npx jest` 2.8 s of CPU where the machine was busy 105 s). It includes whatever else
 * runs meanwhile: an upper bound, close on a quiet machine; in a container whose /proc/stat is the host's, it counts
 * the host's other work too.
 */
import { readFileSync } from 'fs';

/** /proc's clock ticks per second (USER_HZ: 100 on x86 and arm, whatever the kernel's own HZ; `getconf CLK_TCK`). */
const USER_HZ = 100;

/**
 * Busy milliseconds of all CPUs from /proc/stat's text: user, nice, system, irq and softirq (guest time is counted in
 * user already); not idle, iowait or steal (the hypervisor running other guests, which grows with the host's load).
 * Undefined when the first line is not an aggregate `cpu` line of whole numbers.
 */
export function parseMachineBusyMs(procStat: string): number | undefined {
  const first = procStat.split('\n', 1)[0] ?? '';
  const [label, ...values] = first.trim().split(/\s+/);
  if (label !== 'cpu' || values.length < 8) return undefined;
  const ticks = values.slice(0, 8).map(Number);
  if (ticks.some((t) => !Number.isInteger(t) || t < 0)) return undefined;
  // user, nice, system, (idle, iowait,) irq, softirq
  const busy = [0, 1, 2, 5, 6].reduce((n, i) => n + ticks[i]!, 0);
  return (busy * 1000) / USER_HZ;
}

/** Busy milliseconds of all CPUs since boot; undefined where /proc/stat is not available. */
export function machineBusyMs(): number | undefined {
  try {
    return parseMachineBusyMs(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}
