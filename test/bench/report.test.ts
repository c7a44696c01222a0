import { describe, expect, it } from 'vitest';
import { computeLinearity, computeRatios, formatReport, rowProblem, type BenchRow } from './report.js';

const lockfiles = [
  { name: 'small', dir: 'fixtures/small', lockfileVersion: 3, entries: 2000 },
  { name: 'old', dir: 'fixtures/old', lockfileVersion: 1, entries: 3000 },
  { name: 'large', dir: 'fixtures/large', lockfileVersion: 3, entries: 10000 },
];

const tools = [
  { id: 'baseline', label: 'node -e 0' },
  { id: 'json-parse', label: 'JSON.parse' },
  { id: 'pkgguard-audit', label: 'pkgguard audit', failurePrefix: 'pkgguard' },
  { id: 'lockfile-lint', label: 'lockfile-lint' },
  { id: 'arborist-load-virtual', label: 'arborist loadVirtual' },
];

function ok(lockfile: string, tool: string, medianMs: number, extra: Partial<BenchRow> = {}): BenchRow {
  return { lockfile, tool, label: tool, status: 'ok', exitCodes: [0], samplesMs: [medianMs], medianMs, p90Ms: medianMs + 1, ...extra };
}

const rows: BenchRow[] = [
  ok('small', 'baseline', 50),
  ok('small', 'json-parse', 60),
  ok('small', 'pkgguard-audit', 150, { exitCodes: [1, 1], note: 'packages 2000, findings 3' }),
  ok('small', 'lockfile-lint', 300),
  ok('small', 'arborist-load-virtual', 600),
  ok('old', 'baseline', 50),
  { lockfile: 'old', tool: 'pkgguard-audit', label: 'pkgguard audit', status: 'failed', reason: 'warm-up exit 3: error: unsupported lockfile' },
  ok('large', 'baseline', 50),
  ok('large', 'json-parse', 100),
  ok('large', 'pkgguard-audit', 600),
];

describe('computeRatios', () => {
  it('divides medians per lockfile and leaves a missing or failed side undefined', () => {
    expect(computeRatios(lockfiles, rows)).toEqual([
      {
        lockfile: 'small',
        lockfileVersion: 3,
        entries: 2000,
        auditMs: 150,
        auditVsJsonParse: 2.5,
        lockfileLintVsAudit: 2,
        loadVirtualVsAudit: 4,
        auditMsPer1kEntries: 75,
        auditNetMsPer1kEntries: 50,
      },
      {
        lockfile: 'old',
        lockfileVersion: 1,
        entries: 3000,
        auditMs: undefined,
        auditVsJsonParse: undefined,
        lockfileLintVsAudit: undefined,
        loadVirtualVsAudit: undefined,
        auditMsPer1kEntries: undefined,
        auditNetMsPer1kEntries: undefined,
      },
      {
        lockfile: 'large',
        lockfileVersion: 3,
        entries: 10000,
        auditMs: 600,
        auditVsJsonParse: 6,
        lockfileLintVsAudit: undefined,
        loadVirtualVsAudit: undefined,
        auditMsPer1kEntries: 60,
        auditNetMsPer1kEntries: 55,
      },
    ]);
  });
});

describe('computeLinearity', () => {
  it('compares the largest lockfile with the smallest of the same version', () => {
    expect(computeLinearity(computeRatios(lockfiles, rows))).toEqual({
      small: 'small',
      smallEntries: 2000,
      large: 'large',
      largeEntries: 10000,
      factor: 1.1,
      marginalMsPer1kEntries: 56.25,
      fixedMs: 37.5,
    });
  });
  it('is undefined when only one lockfile has an audit time', () => {
    expect(computeLinearity(computeRatios(lockfiles.slice(0, 1), rows))).toBeUndefined();
  });
});

describe('rowProblem', () => {
  it('says why a tool did not run, after the given prefix', () => {
    const unavailable: BenchRow = {
      lockfile: 'small',
      tool: 'pkgguard-audit',
      label: 'pkgguard audit',
      status: 'unavailable',
      reason: 'not built: dist/cli/main.js missing (run npm run build)',
    };
    expect(rowProblem(unavailable, 'pkgguard')).toBe('pkgguard not built: dist/cli/main.js missing (run npm run build)');
    expect(rowProblem(rows[6]!, 'pkgguard')).toBe('pkgguard failed: warm-up exit 3: error: unsupported lockfile');
    expect(rowProblem(rows[0]!, 'node -e 0')).toBeUndefined();
  });
});

describe('formatReport', () => {
  it('prints one table per lockfile, problems under it, then ratios and linearity', () => {
    const ratios = computeRatios(lockfiles, rows);
    const text = formatReport({
      environment: { node: 'v20.20.2', platform: 'linux', arch: 'x64', cpus: 2, loadAverage: { start: 0.5, end: 1.25 }, extraCaCerts: true },
      runs: 10,
      lockfiles,
      skipped: [{ name: 'gone', reason: '../gone/package-lock.json not found' }],
      rows,
      tools,
      ratios,
      linearity: computeLinearity(ratios),
    });
    expect(text).toBe(
      [
        'pkgguard bench: whole processes, wall clock, 10 timed runs per row after 1 warm-up',
        'node v20.20.2 on linux x64, 2 CPUs, 1-minute load average 0.50 at start, 1.25 at end',
        'NODE_EXTRA_CA_CERTS is set: every process below pays for loading it (see node -e 0).',
        'skipped gone: ../gone/package-lock.json not found',
        '',
        'small: lockfile v3, 2,000 entries (fixtures/small)',
        '  tool                  median ms  p90 ms  exit  note',
        '  node -e 0                  50.0    51.0     0',
        '  JSON.parse                 60.0    61.0     0',
        '  pkgguard audit            150.0   151.0     1  packages 2000, findings 3',
        '  lockfile-lint             300.0   301.0     0',
        '  arborist loadVirtual      600.0   601.0     0',
        '',
        'old: lockfile v1, 3,000 entries (fixtures/old)',
        '  tool       median ms  p90 ms  exit  note',
        '  node -e 0       50.0    51.0     0',
        '  pkgguard audit: pkgguard failed: warm-up exit 3: error: unsupported lockfile',
        '',
        'large: lockfile v3, 10,000 entries (fixtures/large)',
        '  tool            median ms  p90 ms  exit  note',
        '  node -e 0            50.0    51.0     0',
        '  JSON.parse          100.0   101.0     0',
        '  pkgguard audit      600.0   601.0     0',
        '',
        'Ratios of medians',
        '  lockfile  entries  audit/JSON.parse  lockfile-lint/audit  loadVirtual/audit  audit ms/1k  audit-baseline ms/1k',
        '  small       2,000             2.50x                2.00x              4.00x         75.0                  50.0',
        '  old         3,000               n/a                  n/a                n/a          n/a                   n/a',
        '  large      10,000             6.00x                  n/a                n/a         60.0                  55.0',
        '',
        'Linearity: audit cost above node -e 0 per 1k entries, large (10,000) vs small (2,000): 1.10x (1.00x = linear)',
        '  slope between them: 56.3 ms per 1k entries on top of 37.5 ms fixed (node start included)',
        '',
      ].join('\n'),
    );
  });
});
