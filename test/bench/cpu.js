// CPU time (user + system) of the processes the bench spawned, read from Linux's /proc: on a
// machine shared with other work, wall-clock medians swing with the load, CPU time much less.
import process from 'node:process';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Clock ticks of this process's finished, waited-for children: `cutime` + `cstime`, fields 16
 * and 17 of /proc/self/stat. Fields are counted after the command name, which may hold spaces
 * and parentheses, so the split starts at its last ")".
 */
export function childrenTicks(statText) {
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  return Number(fields[13]) + Number(fields[14]);
}

/**
 * A function returning the children's CPU milliseconds so far, or undefined where /proc or
 * `getconf CLK_TCK` is missing (then the report leaves CPU columns out). Ticks are usually
 * 10 ms, so one sample is coarse; medians of many runs are not.
 */
export function childrenCpuClock() {
  if (process.platform !== 'linux') return undefined;
  let ticksPerSecond;
  try {
    ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    childrenTicks(readFileSync('/proc/self/stat', 'utf8'));
  } catch {
    return undefined;
  }
  if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) return undefined;
  return () => (childrenTicks(readFileSync('/proc/self/stat', 'utf8')) * 1000) / ticksPerSecond;
}
