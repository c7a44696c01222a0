import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressLine } from '../../src/cli/progress.ts';

const ERASE = '\r\u001b[2K';

function recorder(): { writes: string[]; stream: { write(chunk: string): boolean } } {
  const writes: string[] = [];
  return { writes, stream: { write: (chunk: string) => writes.push(chunk) > 0 } };
}

describe('progress line', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws nothing while the audit is younger than the delay, then redraws the current check with its time', () => {
    const { writes, stream } = recorder();
    const progress = createProgressLine(stream, { enabled: true, delayMs: 1000, redrawMs: 200 });
    progress.checkStarted({ checkId: 'integrity', lockfile: 'package-lock.json', step: 1, steps: 2 });
    vi.advanceTimersByTime(800);
    expect(writes).toEqual([]);
    progress.checkStarted({ checkId: 'registry-integrity', lockfile: 'package-lock.json', step: 2, steps: 2 });
    vi.advanceTimersByTime(400);
    expect(writes).toEqual([
      `${ERASE}pkgguard: registry-integrity on package-lock.json [2/2] 0.2 s`,
      `${ERASE}pkgguard: registry-integrity on package-lock.json [2/2] 0.4 s`,
    ]);
    progress.stop();
    expect(writes.at(-1)).toBe(ERASE);
    vi.advanceTimersByTime(1000);
    expect(writes).toHaveLength(3);
  });

  it('erases a drawn line before other stderr output, and only a drawn one', () => {
    const { writes, stream } = recorder();
    const progress = createProgressLine(stream, { enabled: true, delayMs: 0, redrawMs: 200 });
    progress.clear();
    expect(writes).toEqual([]);
    progress.checkStarted({ checkId: 'signatures', lockfile: 'yarn.lock', step: 1, steps: 1 });
    expect(writes).toEqual([`${ERASE}pkgguard: signatures on yarn.lock 0.0 s`]);
    progress.clear();
    progress.clear();
    expect(writes).toEqual([`${ERASE}pkgguard: signatures on yarn.lock 0.0 s`, ERASE]);
    progress.stop();
  });

  it('escapes control characters of the lockfile path', () => {
    const { writes, stream } = recorder();
    const progress = createProgressLine(stream, { enabled: true, delayMs: 0 });
    progress.checkStarted({ checkId: 'integrity', lockfile: 'evil\u001b[31m/package-lock.json', step: 1, steps: 1 });
    expect(writes[0]).not.toContain('\u001b[31m');
    progress.stop();
  });

  it('writes nothing at all when disabled (not a terminal, --quiet, --debug)', () => {
    const { writes, stream } = recorder();
    const progress = createProgressLine(stream, { enabled: false, delayMs: 0 });
    progress.checkStarted({ checkId: 'integrity', lockfile: 'package-lock.json', step: 1, steps: 1 });
    vi.advanceTimersByTime(5000);
    progress.clear();
    progress.stop();
    expect(writes).toEqual([]);
  });
});
