import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/core/policy.ts';
import type { AuditResult } from '../../src/core/reporter.ts';
import text, { shortenPath } from '../../src/reporters/text.ts';
import { buildCanonicalAuditResult, buildCleanAuditResult, PROJECT_DIR } from '../helpers/audit-result.ts';

/** SGR sequences only: the coloured report must differ from the plain one by colour alone. */
// eslint-disable-next-line no-control-regex -- matching ESC is the point
const SGR = /\u001b\[[0-9;]*m/g;

function lastLine(output: string): string {
  return output.trimEnd().split('\n').at(-1) ?? '';
}

/** The canonical result with its incomplete entries resolved, to see the complete-audit verdicts. */
async function completeResult(failOn: AuditResult['summary']['failOn'] = 'high'): Promise<AuditResult> {
  const result = await buildCanonicalAuditResult();
  return { ...result, incomplete: [], summary: summarize(result.findings, failOn, result.summary.suppressed, []) };
}

describe('text reporter', () => {
  it('matches the golden plain report', async () => {
    const output = text.format(await buildCanonicalAuditResult(), { color: false });
    await expect(output).toMatchFileSnapshot('./__snapshots__/canonical.txt');
  });

  it('matches the golden coloured report', async () => {
    const output = text.format(await buildCanonicalAuditResult(), { color: true });
    await expect(output).toMatchFileSnapshot('./__snapshots__/canonical.color.ansi');
  });

  it('colours with SGR sequences only, and only when asked', async () => {
    const result = await buildCanonicalAuditResult();
    const plain = text.format(result, { color: false });
    const coloured = text.format(result, { color: true });
    expect(plain).not.toContain('\u001b');
    expect(coloured).toContain('\u001b[35m\u001b[1mCRITICAL (1)\u001b[22m\u001b[39m');
    expect(coloured.replace(SGR, '')).toBe(plain);
  });

  it('shows each finding with severity, message, rule, location, path and fix', async () => {
    const output = text.format(await buildCanonicalAuditResult(), { color: false });
    expect(output).toContain(
      [
        'HIGH (2)',
        '  high      express@4.19.2 has no integrity hash  integrity/missing',
        '      package-lock.json:57:5',
        '      via shop-api@3.2.0 > express@4.19.2',
        '      fix: Regenerate the lockfile entry',
        '      $ npm install --package-lock-only',
      ].join('\n'),
    );
  });

  it('orders the groups critical first', async () => {
    const output = text.format(await buildCanonicalAuditResult(), { color: false });
    const headings = output.split('\n').filter((line) => /^[A-Z]+ \(\d+\)$/.test(line));
    expect(headings).toEqual(['CRITICAL (1)', 'HIGH (2)', 'MODERATE (1)']);
  });

  it('shortens a long dependency path in the middle and marks dev-only packages', async () => {
    const output = text.format(await buildCanonicalAuditResult(), { color: false });
    expect(output).toContain(
      '      via shop-api@3.2.0 > jest@29.7.0 > … 3 more … > resolve@1.22.8 > is-core-module@2.13.1 > hasown@2.0.0 (dev)\n',
    );
  });

  it('escapes hostile characters and redacts credentials and the project directory', async () => {
    const output = text.format(await buildCanonicalAuditResult(), { color: true });
    // eslint-disable-next-line no-control-regex -- no raw control character may survive
    expect(output.replace(SGR, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b]/);
    expect(output).toContain('colors\\x1b[2K\\u202etxt.exe@1.4.44 is known to be malicious (MAL-2025-1234)');
    expect(output).toContain('http://ci-bot:***@registry.npm.example/hasown/-/hasown-2.0.0.tgz?token=***');
    expect(output).not.toContain('s3cr3t-pa55');
    expect(output).not.toContain(PROJECT_DIR);
  });

  it('says loudly that the audit is incomplete, and why', async () => {
    const output = text.format(await buildCanonicalAuditResult(), { color: false });
    expect(output).toContain(
      [
        '⚠ AUDIT INCOMPLETE: 2 checks (advisory, install-scripts) did not finish, so a missing finding proves nothing',
        '  advisory on package-lock.json: source unavailable (ESOURCE): offline advisory database .pkgguard-cache/osv.zip is missing; run: pkgguard db update',
        `  install-scripts on package-lock.json: crashed (ECHECKCRASH): check "install-scripts" crashed on package-lock.json: Cannot read properties of undefined (reading 'scripts')`,
        '      this is a bug in pkgguard: please report it with the output of --debug',
      ].join('\n'),
    );
    expect(output).not.toContain('    at ');
    expect(lastLine(output)).toBe(
      '⚠ audit incomplete: 2 checks (advisory, install-scripts) did not finish; 4 findings (1 critical, 2 high, 1 moderate) so far in 2 lockfiles (2,706 packages), 1 suppressed by ignores — failing: 3 at or above "high"',
    );
  });

  it('lists skipped checks and ignore entries to review', async () => {
    const output = text.format(await buildCanonicalAuditResult(), { color: false });
    expect(output).toContain('Skipped checks\n  signatures: needs the network; skipped by --offline\n');
    expect(output).toContain(
      [
        'Ignore entries to review',
        '  lockfile-source for package hasown: expired 2025-03-31, no longer suppresses: renew it or fix the findings (reason: internal mirror is http until the TLS migration)',
        '  typosquat for package lodahs: matched nothing (expires 2026-01-31): remove it (reason: our own internal package)',
      ].join('\n'),
    );
  });

  it('ends with one line per lockfile and the verdict', async () => {
    const output = text.format(await completeResult(), { color: false });
    expect(output.trimEnd().split('\n').slice(-3)).toEqual([
      'package-lock.json (npm v3): 2,704 packages, 4 findings',
      'tools/pnpm-lock.yaml (pnpm v9.0): 2 packages, 0 findings',
      '✖ 4 findings (1 critical, 2 high, 1 moderate) in 2 lockfiles (2,706 packages), 1 suppressed by ignores — failing: 3 at or above "high"',
    ]);
    expect(output).not.toContain('AUDIT INCOMPLETE');
  });

  it.each([
    ['none', '● 4 findings (1 critical, 2 high, 1 moderate) in 2 lockfiles (2,706 packages), 1 suppressed by ignores — not failing: --fail-on none'],
    ['critical', '✖ 4 findings (1 critical, 2 high, 1 moderate) in 2 lockfiles (2,706 packages), 1 suppressed by ignores — failing: 1 at or above "critical"'],
  ] as const)('states the verdict for --fail-on %s', async (failOn, expected) => {
    expect(lastLine(text.format(await completeResult(failOn), { color: false }))).toBe(expected);
  });

  it('says when findings exist but none reaches the threshold', async () => {
    const result = await completeResult();
    const mild = result.findings.filter((finding) => finding.severity === 'moderate');
    const output = text.format({ ...result, findings: mild, summary: summarize(mild, 'high', 0, []) }, { color: false });
    expect(lastLine(output)).toBe('● 1 finding (1 moderate) in 2 lockfiles (2,706 packages) — none at or above "high"');
  });

  it('prints only the lockfile line and a tick for a clean audit', async () => {
    expect(text.format(await buildCleanAuditResult(), { color: false })).toBe(
      'tools/pnpm-lock.yaml (pnpm v9.0): 2 packages, 0 findings\n✔ no findings in 1 lockfile (2 packages)\n',
    );
  });

  it('never ticks an incomplete audit without findings', async () => {
    const clean = await buildCleanAuditResult();
    const canonical = await buildCanonicalAuditResult();
    const incomplete = canonical.incomplete.slice(0, 1);
    const output = text.format({ ...clean, incomplete, summary: summarize([], 'high', 0, incomplete) }, { color: false });
    expect(output).not.toContain('✔');
    expect(lastLine(output)).toBe('⚠ audit incomplete: 1 check (advisory) did not finish; no findings so far in 1 lockfile (2 packages)');
  });
});

describe('shortenPath', () => {
  it('keeps paths of up to six items whole', () => {
    expect(shortenPath(['a', 'b', 'c', 'd', 'e', 'f'])).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('keeps the two first and three last items of longer paths', () => {
    expect(shortenPath(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toEqual(['a', 'b', '… 2 more …', 'e', 'f', 'g']);
    expect(shortenPath(Array.from({ length: 40 }, (_, i) => `p${i}`))).toEqual(['p0', 'p1', '… 35 more …', 'p37', 'p38', 'p39']);
  });
});
