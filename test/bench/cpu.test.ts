import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childrenCpuClock, childrenTicks } from './cpu.js';

describe('childrenTicks', () => {
  it('adds cutime and cstime (fields 16 and 17), counting fields after the last ")" of the command name', () => {
    // A command name with a space and a ")" of its own, as /proc shows a renamed process.
    const stat = '4242 (node a) b) S 1 4242 4242 0 -1 4194304 900 7 0 0 25 4 31 9 20 0 11 0 777 1 2 3';
    expect(childrenTicks(stat)).toBe(40);
  });
});

const linux = process.platform === 'linux';
(linux ? describe : describe.skip)(linux ? 'childrenCpuClock' : 'childrenCpuClock (skipped: Linux only)', () => {
  it("counts a finished child's CPU time, and not the wall time it spent asleep", () => {
    const clock = childrenCpuClock()!;
    expect(clock).toBeTypeOf('function');
    const before = clock();
    // About 300 ms asleep and some CPU-bound work.
    spawnSync(process.execPath, ['-e', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300); let x = 0; for (let i = 0; i < 5e7; i++) x += i;']);
    const spent = clock() - before;
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThan(5_000);
    // Sleeping costs no CPU: the same child without the work spends far less.
    const idleBefore = clock();
    spawnSync(process.execPath, ['-e', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300)']);
    expect(clock() - idleBefore).toBeLessThan(300);
  });
});
