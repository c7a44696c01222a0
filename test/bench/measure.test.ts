// The bench's timing loop with stand-in tools that only append their letter to a log: what runs
// when, and what becomes of a tool that fails.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measureTools, type BenchTool } from './measure.js';

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pkgguard-measure-'));
  log = join(dir, 'log');
  writeFileSync(log, '');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A tool whose process appends `letter` to the log, and exits with `exitCode` from its `failFrom`-th process on. */
function tool(letter: string, { failFrom = Infinity, exitCode = 3 } = {}): BenchTool {
  const script = `const fs = require('node:fs'); fs.appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(letter)});
    if (fs.readFileSync(${JSON.stringify(log)}, 'utf8').split(${JSON.stringify(letter)}).length - 1 >= ${failFrom === Infinity ? 'Infinity' : failFrom}) { process.stderr.write('boom\\n'); process.exitCode = ${exitCode}; }`;
  return { id: letter, label: letter, okExitCodes: [0], command: () => ({ file: process.execPath, args: ['-e', script] }) };
}

describe('measureTools', () => {
  it('warms every tool up, then times them in rounds, one process at a time', () => {
    const warmed: string[] = [];
    const rows = measureTools([tool('A'), tool('B'), tool('C')], { name: 'lock' }, { runs: 3, cwd: dir, timeoutMs: 30_000, onWarmUp: (t) => warmed.push(t.id) });
    expect(readFileSync(log, 'utf8')).toBe('ABC' + 'ABC'.repeat(3));
    expect(warmed).toEqual(['A', 'B', 'C']);
    expect(rows.map((row) => [row.tool, row.status, row.samplesMs?.length, row.exitCodes])).toEqual([
      ['A', 'ok', 3, [0, 0, 0]],
      ['B', 'ok', 3, [0, 0, 0]],
      ['C', 'ok', 3, [0, 0, 0]],
    ]);
  });

  it('stops timing a tool at its first failed run, and goes on with the others', () => {
    // B's third process (its second timed run) fails.
    const rows = measureTools([tool('A'), tool('B', { failFrom: 3 })], { name: 'lock' }, { runs: 3, cwd: dir, timeoutMs: 30_000 });
    expect(readFileSync(log, 'utf8')).toBe('AB' + 'AB' + 'AB' + 'A');
    expect(rows[0]).toMatchObject({ tool: 'A', status: 'ok', exitCodes: [0, 0, 0] });
    expect(rows[1]).toMatchObject({ tool: 'B', status: 'failed', reason: 'run 2 exit 3: boom', exitCodes: [0] });
  });

  it('times nothing for a tool whose warm-up fails or that is unavailable', () => {
    const unavailable: BenchTool = { id: 'U', label: 'U', okExitCodes: [0], command: () => ({ unavailable: 'not installed' }) };
    const rows = measureTools([tool('A', { failFrom: 1 }), unavailable, tool('B')], { name: 'lock' }, { runs: 2, cwd: dir, timeoutMs: 30_000 });
    expect(readFileSync(log, 'utf8')).toBe('A' + 'B' + 'BB');
    expect(rows.map((row) => [row.tool, row.status, row.reason])).toEqual([
      ['A', 'failed', 'warm-up exit 3: boom'],
      ['U', 'unavailable', 'not installed'],
      ['B', 'ok', undefined],
    ]);
  });
});
