/** `--baseline`: CI's "only new findings" mode, end to end. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, parseReport, project, removeTempDir, runCli } from './helpers.ts';

let dir: string;

beforeAll(async () => {
  assertBuilt();
  dir = await makeTempDir('pkgguard-baseline-');
});
afterAll(() => removeTempDir(dir));

describe('--baseline', () => {
  it('passes when every finding was already in the baseline, and says how many it hid', async () => {
    const first = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('tampered') });
    expect(first.code).toBe(1);
    expect(parseReport(first.stdout).summary.total).toBe(2);
    const baseline = path.join(dir, 'baseline.json');
    await writeFile(baseline, first.stdout);

    const second = await runCli(['audit', '--offline', '--format', 'json', '--baseline', baseline], { cwd: project('tampered') });
    expect(second.code).toBe(0);
    expect(parseReport(second.stdout).findings).toEqual([]);
    expect(parseReport(second.stdout).summary).toMatchObject({ total: 0, baselined: 2, failing: 0 });

    const text = await runCli(['audit', '--offline', '--baseline', baseline], { cwd: project('tampered') });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('✔ no findings in 1 lockfile (5 packages), 2 already in the baseline');
  });

  it('still reports findings the baseline does not have', async () => {
    const other = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('weak-integrity') });
    const baseline = path.join(dir, 'other.json');
    await writeFile(baseline, other.stdout);

    const run = await runCli(['audit', '--offline', '--format', 'json', '--baseline', baseline], { cwd: project('tampered') });
    expect(run.code).toBe(1);
    expect(parseReport(run.stdout).findings.map((finding) => finding.ruleId)).toEqual(['integrity/mismatch', 'integrity/mismatch']);
    expect(parseReport(run.stdout).summary.baselined).toBe(0);
  });

  it('rejects a missing or foreign baseline file with exit 2 and a hint', async () => {
    const missing = await runCli(['audit', '--offline', '--baseline', 'nope.json'], { cwd: project('tampered') });
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toMatch(/^pkgguard: cannot read baseline nope\.json: ENOENT/);
    expect(missing.stderr).toContain('hint: create one with: pkgguard audit --format json > pkgguard-baseline.json');

    const foreign = path.join(dir, 'foreign.json');
    await writeFile(foreign, '{"vulnerabilities": {}}');
    const run = await runCli(['audit', '--offline', '--baseline', foreign], { cwd: project('tampered') });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`pkgguard: baseline ${foreign} is not a pkgguard JSON report (schemaVersion 1)`);
  });
});
