import { describe, expect, it } from 'vitest';
import { computeLinearity, computeRatios, formatReport, rowProblem, type BenchRow } from './report.js';

const lockfiles = [
  { name: 'small', dir: 'fixtures/small', format: 'npm', formatLabel: 'npm lockfile v3', lockfileVersion: 3, entries: 2000 },
  { name: 'old', dir: 'fixtures/old', format: 'npm', formatLabel: 'npm lockfile v1', lockfileVersion: 1, entries: 3000 },
  { name: 'large', dir: 'fixtures/large', format: 'npm', formatLabel: 'npm lockfile v3', lockfileVersion: 3, entries: 10000 },
  { name: 'yarn', dir: 'fixtures/yarn', format: 'yarn-classic', formatLabel: 'yarn classic v1', lockfileVersion: '1', entries: 2000 },
  { name: 'yarn-big', dir: 'fixtures/yarn-big', format: 'yarn-classic', formatLabel: 'yarn classic v1', lockfileVersion: '1', entries: 5000 },
  { name: 'bun', dir: 'fixtures/bun', format: 'bun', formatLabel: 'bun.lock v1', lockfileVersion: 1, entries: 1000 },
];

const tools = [
  { id: 'baseline', label: 'node -e 0' },
  { id: 'json-parse', label: 'JSON.parse' },
  { id: 'yarnpkg-lockfile', label: '@yarnpkg/lockfile' },
  { id: 'parse-syml', label: 'parseSyml' },
  { id: 'jsonc', label: 'JSONC' },
  { id: 'pkgguard-audit', label: 'pkgguard audit', failurePrefix: 'pkgguard' },
  { id: 'pkgguard-ls', label: 'pkgguard ls --json', failurePrefix: 'pkgguard' },
  { id: 'snyk-parser', label: 'snyk' },
  { id: 'lockfile-lint', label: 'lockfile-lint' },
  { id: 'arborist-load-virtual', label: 'arborist loadVirtual' },
];

function ok(lockfile: string, tool: string, medianMs: number, extra: Partial<BenchRow> = {}): BenchRow {
  return { lockfile, tool, label: tool, status: 'ok', exitCodes: [0], samplesMs: [medianMs], medianMs, p90Ms: medianMs + 1, ...extra };
}

const rows: BenchRow[] = [
  ok('small', 'baseline', 50),
  ok('small', 'json-parse', 60, { reference: true }),
  ok('small', 'pkgguard-audit', 150, { exitCodes: [1, 1], note: 'packages 2000, findings 3' }),
  ok('small', 'lockfile-lint', 300),
  ok('small', 'arborist-load-virtual', 600),
  ok('old', 'baseline', 50),
  { lockfile: 'old', tool: 'pkgguard-audit', label: 'pkgguard audit', status: 'failed', reason: 'warm-up exit 3: error: unsupported lockfile' },
  ok('large', 'baseline', 50),
  ok('large', 'json-parse', 100, { reference: true }),
  ok('large', 'pkgguard-audit', 600),
  // The yarn rows carry CPU time too (cpu.js on Linux).
  ok('yarn', 'baseline', 50, { cpuMedianMs: 40 }),
  // The faster of two reference parses is the yardstick, whichever order they come in.
  ok('yarn', 'yarnpkg-lockfile', 120, { reference: true, label: '@yarnpkg/lockfile', cpuMedianMs: 110 }),
  ok('yarn', 'parse-syml', 100, { reference: true, label: 'parseSyml', cpuMedianMs: 80 }),
  ok('yarn', 'pkgguard-audit', 140, { cpuMedianMs: 120 }),
  ok('yarn', 'pkgguard-ls', 130, { cpuMedianMs: 100 }),
  ok('yarn', 'snyk-parser', 2800, { cpuMedianMs: 2500 }),
  ok('yarn-big', 'baseline', 50, { cpuMedianMs: 40 }),
  ok('yarn-big', 'parse-syml', 200, { reference: true, label: 'parseSyml', cpuMedianMs: 180 }),
  ok('yarn-big', 'pkgguard-audit', 320, { cpuMedianMs: 240 }),
  ok('bun', 'baseline', 50),
  { lockfile: 'bun', tool: 'jsonc', label: 'JSONC', reference: true, status: 'failed', reason: 'warm-up exit 1: SyntaxError' },
  ok('bun', 'pkgguard-audit', 90),
];

const npmRatio = {
  format: 'npm',
  goal: undefined,
  goalMet: undefined,
  lsVsReference: undefined,
  snykVsAudit: undefined,
  auditCpuMs: undefined,
  auditVsReferenceCpu: undefined,
  auditNetCpuMsPer1kEntries: undefined,
};

describe('computeRatios', () => {
  it('divides medians per lockfile, against the fastest reference parse, and leaves a missing or failed side undefined', () => {
    const ratios = computeRatios(lockfiles, rows);
    expect(ratios.slice(0, 3)).toEqual([
      {
        ...npmRatio,
        lockfile: 'small',
        formatLabel: 'npm lockfile v3',
        lockfileVersion: 3,
        entries: 2000,
        auditMs: 150,
        reference: 'json-parse',
        referenceMs: 60,
        auditVsReference: 2.5,
        lockfileLintVsAudit: 2,
        loadVirtualVsAudit: 4,
        auditMsPer1kEntries: 75,
        auditNetMsPer1kEntries: 50,
      },
      {
        ...npmRatio,
        lockfile: 'old',
        formatLabel: 'npm lockfile v1',
        lockfileVersion: 1,
        entries: 3000,
        auditMs: undefined,
        reference: undefined,
        referenceMs: undefined,
        auditVsReference: undefined,
        lockfileLintVsAudit: undefined,
        loadVirtualVsAudit: undefined,
        auditMsPer1kEntries: undefined,
        auditNetMsPer1kEntries: undefined,
      },
      {
        ...npmRatio,
        lockfile: 'large',
        formatLabel: 'npm lockfile v3',
        lockfileVersion: 3,
        entries: 10000,
        auditMs: 600,
        reference: 'json-parse',
        referenceMs: 100,
        auditVsReference: 6,
        lockfileLintVsAudit: undefined,
        loadVirtualVsAudit: undefined,
        auditMsPer1kEntries: 60,
        auditNetMsPer1kEntries: 55,
      },
    ]);
    expect(ratios[3]).toEqual({
      lockfile: 'yarn',
      format: 'yarn-classic',
      formatLabel: 'yarn classic v1',
      lockfileVersion: '1',
      entries: 2000,
      auditMs: 140,
      reference: 'parseSyml',
      referenceMs: 100,
      auditVsReference: 1.4,
      auditCpuMs: 120,
      auditVsReferenceCpu: 1.5,
      lsVsReference: 1.3,
      goal: 1.5,
      goalMet: true,
      snykVsAudit: 20,
      lockfileLintVsAudit: undefined,
      loadVirtualVsAudit: undefined,
      auditMsPer1kEntries: 70,
      auditNetMsPer1kEntries: 45,
      auditNetCpuMsPer1kEntries: 40,
    });
    expect(ratios[4]).toMatchObject({ lockfile: 'yarn-big', auditVsReference: 1.6, goal: 1.5, goalMet: false });
    // A failed reference leaves the goal undecided, neither met nor missed.
    expect(ratios[5]).toMatchObject({ lockfile: 'bun', reference: undefined, auditVsReference: undefined, goal: 2, goalMet: undefined });
  });
});

describe('computeRatios by CPU time', () => {
  it('takes the reference fastest by CPU time, which may not be the fastest by wall clock', () => {
    const pnpm = [{ name: 'pnpm', dir: 'fixtures/pnpm', format: 'pnpm', formatLabel: 'pnpm-lock 9.0', lockfileVersion: '9.0', entries: 1000 }];
    const pnpmRows = [
      ok('pnpm', 'js-yaml', 100, { reference: true, label: 'js-yaml', cpuMedianMs: 90 }),
      ok('pnpm', 'yaml', 120, { reference: true, label: 'yaml', cpuMedianMs: 60 }),
      ok('pnpm', 'pkgguard-audit', 150, { cpuMedianMs: 120 }),
    ];
    expect(computeRatios(pnpm, pnpmRows)[0]).toMatchObject({ reference: 'js-yaml', auditVsReference: 1.5, auditVsReferenceCpu: 2, goalMet: true });
  });
});

describe('computeLinearity', () => {
  it('compares the largest lockfile with the smallest of the same format and version', () => {
    expect(computeLinearity(computeRatios(lockfiles, rows))).toEqual([
      {
        family: 'npm lockfile v3',
        small: 'small',
        smallEntries: 2000,
        large: 'large',
        largeEntries: 10000,
        factor: 1.1,
        cpuFactor: undefined,
        marginalMsPer1kEntries: 56.25,
        fixedMs: 37.5,
        cpuMarginalMsPer1kEntries: undefined,
        cpuFixedMs: undefined,
      },
      {
        family: 'yarn classic v1',
        small: 'yarn',
        smallEntries: 2000,
        large: 'yarn-big',
        largeEntries: 5000,
        factor: 54 / 45,
        cpuFactor: 40 / 40,
        marginalMsPer1kEntries: 60,
        fixedMs: 20,
        cpuMarginalMsPer1kEntries: 40,
        cpuFixedMs: 40,
      },
    ]);
  });
  it('is empty when no family has two lockfiles with an audit time', () => {
    expect(computeLinearity(computeRatios(lockfiles.slice(0, 2), rows))).toEqual([]);
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
  it('prints one table per lockfile, problems under it, then ratios, goals and linearity', () => {
    const ratios = computeRatios(lockfiles, rows);
    const text = formatReport({
      environment: {
        node: 'v20.20.2',
        platform: 'linux',
        arch: 'x64',
        cpus: 2,
        loadAverage: { start: 0.5, end: 1.25 },
        extraCaCerts: true,
        cpuTime: true,
        pkgguardRegistry: 'https://registry.npm.example/',
      },
      runs: 10,
      lockfiles: lockfiles.filter(({ name }) => name !== 'yarn-big'),
      skipped: [{ name: 'gone', reason: '../gone/package-lock.json not found' }],
      rows,
      tools,
      ratios: ratios.filter(({ lockfile }) => lockfile !== 'yarn-big'),
      linearity: computeLinearity(ratios),
    });
    expect(text).toBe(
      [
        'pkgguard bench: whole processes, wall clock, 10 timed runs per row after 1 warm-up, in rounds (every tool of a lockfile once per round)',
        'node v20.20.2 on linux x64, 2 CPUs, 1-minute load average 0.50 at start, 1.25 at end',
        'NODE_EXTRA_CA_CERTS is set: every process below pays for loading it (see node -e 0).',
        'pkgguard rows: npm_config_registry=https://registry.npm.example/, the registry the bench lockfiles name (see --registry-as-is).',
        'cpu ms: user + system time of the process (Linux /proc, clock ticks), steadier than wall clock on a busy machine.',
        'skipped gone: ../gone/package-lock.json not found',
        '',
        'small: npm lockfile v3, 2,000 entries (fixtures/small)',
        '  tool                  median ms  p90 ms  cpu ms  exit  note',
        '  node -e 0                  50.0    51.0     n/a     0',
        '  JSON.parse                 60.0    61.0     n/a     0',
        '  pkgguard audit            150.0   151.0     n/a     1  packages 2000, findings 3',
        '  lockfile-lint             300.0   301.0     n/a     0',
        '  arborist loadVirtual      600.0   601.0     n/a     0',
        '',
        'old: npm lockfile v1, 3,000 entries (fixtures/old)',
        '  tool       median ms  p90 ms  cpu ms  exit  note',
        '  node -e 0       50.0    51.0     n/a     0',
        '  pkgguard audit: pkgguard failed: warm-up exit 3: error: unsupported lockfile',
        '',
        'large: npm lockfile v3, 10,000 entries (fixtures/large)',
        '  tool            median ms  p90 ms  cpu ms  exit  note',
        '  node -e 0            50.0    51.0     n/a     0',
        '  JSON.parse          100.0   101.0     n/a     0',
        '  pkgguard audit      600.0   601.0     n/a     0',
        '',
        'yarn: yarn classic v1, 2,000 entries (fixtures/yarn)',
        '  tool                median ms  p90 ms  cpu ms  exit  note',
        '  node -e 0                50.0    51.0    40.0     0',
        '  @yarnpkg/lockfile       120.0   121.0   110.0     0',
        '  parseSyml               100.0   101.0    80.0     0',
        '  pkgguard audit          140.0   141.0   120.0     0',
        '  pkgguard ls --json      130.0   131.0   100.0     0',
        '  snyk                   2800.0  2801.0  2500.0     0',
        '',
        'bun: bun.lock v1, 1,000 entries (fixtures/bun)',
        '  tool            median ms  p90 ms  cpu ms  exit  note',
        '  node -e 0            50.0    51.0     n/a     0',
        '  pkgguard audit       90.0    91.0     n/a     0',
        '  JSONC: JSONC failed: warm-up exit 1: SyntaxError',
        '',
        'Audit against the fastest plain parse of the same file (medians; the goal from issue #3 is on wall clock,',
        'audit/ref cpu compares CPU time with the reference fastest by CPU)',
        '  lockfile  entries  reference   ref ms  audit ms  audit/ref  ls/ref  goal          audit/ref cpu',
        '  small       2,000  json-parse    60.0     150.0      2.50x     n/a                          n/a',
        '  old         3,000  n/a            n/a       n/a        n/a     n/a                          n/a',
        '  large      10,000  json-parse   100.0     600.0      6.00x     n/a                          n/a',
        '  yarn        2,000  parseSyml    100.0     140.0      1.40x   1.30x  <= 1.50x met          1.50x',
        '  bun         1,000  n/a            n/a      90.0        n/a     n/a  <= 2.00x n/a            n/a',
        '',
        'Other tools against audit, and audit cost per 1k entries',
        '  lockfile  snyk/audit  lockfile-lint/audit  loadVirtual/audit  audit ms/1k  audit-baseline ms/1k  cpu ms/1k',
        '  small            n/a                2.00x              4.00x         75.0                  50.0        n/a',
        '  old              n/a                  n/a                n/a          n/a                   n/a        n/a',
        '  large            n/a                  n/a                n/a         60.0                  55.0        n/a',
        '  yarn          20.00x                  n/a                n/a         70.0                  45.0       40.0',
        '  bun              n/a                  n/a                n/a         90.0                  40.0        n/a',
        '',
        'Linearity, npm lockfile v3: audit cost above node -e 0 per 1k entries, large (10,000) vs small (2,000): 1.10x, by CPU time n/a (1.00x = linear)',
        '  slope between them: 56.3 ms per 1k entries on top of 37.5 ms fixed (node start included)',
        '',
        'Linearity, yarn classic v1: audit cost above node -e 0 per 1k entries, yarn-big (5,000) vs yarn (2,000): 1.20x, by CPU time 1.00x (1.00x = linear)',
        '  slope between them: 60.0 ms per 1k entries on top of 20.0 ms fixed (node start included)',
        '  by CPU time: 40.0 ms per 1k entries on top of 40.0 ms fixed',
        '',
      ].join('\n'),
    );
  });
});

describe('formatReport goal column', () => {
  it('says MISSED when audit is slower than the goal allows', () => {
    const ratios = computeRatios(lockfiles, rows).filter(({ lockfile }) => lockfile === 'yarn-big');
    const text = formatReport({
      environment: { node: 'v20.20.2', platform: 'linux', arch: 'x64', cpus: 2, loadAverage: { start: 1, end: 1 }, extraCaCerts: false },
      runs: 1,
      lockfiles: lockfiles.filter(({ name }) => name === 'yarn-big'),
      skipped: [],
      rows,
      tools,
      ratios,
      linearity: [],
    });
    expect(text).toContain('  yarn-big    5,000  parseSyml   200.0     320.0      1.60x     n/a  <= 1.50x MISSED          1.33x\n');
  });
});
