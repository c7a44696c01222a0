/**
 * The three report formats as a user gets them from the built CLI: text (with and without
 * colour), JSON and SARIF on stdout and in --output files, errors in JSON mode, and --quiet.
 */
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANSI,
  assertBuilt,
  copyProject,
  gitInit,
  makeTempDir,
  OFFLINE_SKIPPED_LINES,
  project,
  parseError,
  parseReport,
  parseSarif,
  removeTempDir,
  runCli,
} from './helpers.ts';
import type { JsonFinding } from '../../src/reporters/json.ts';

beforeAll(assertBuilt);

/** The text report of fixtures/projects/weak-integrity, byte for byte. */
const WEAK_INTEGRITY_TEXT = [
  'MODERATE (2)',
  '  moderate  inherits@2.0.1 is pinned only by sha1, which can be forged; expected sha512  integrity/weak',
  '      package-lock.json:17:5',
  '      via weak-integrity-demo@1.0.0 > inherits@2.0.1 (dev)',
  "      fix: Re-resolve inherits so npm records the registry's sha512 hash (a plain npm install keeps the sha1 value)",
  '      $ npm update inherits --package-lock-only',
  '',
  '  moderate  isarray@1.0.0 is pinned only by sha1, which can be forged; expected sha512  integrity/weak',
  '      package-lock.json:24:5',
  '      via weak-integrity-demo@1.0.0 > isarray@1.0.0',
  "      fix: Re-resolve isarray so npm records the registry's sha512 hash (a plain npm install keeps the sha1 value)",
  '      $ npm update isarray --package-lock-only',
  '',
  ...OFFLINE_SKIPPED_LINES,
  'package-lock.json (npm v3): 2 packages, 2 findings',
  '✖ 2 findings (2 moderate) in 1 lockfile (2 packages) — failing: 2 at or above "low"',
  '',
].join('\n');

// Removes SGR sequences so a coloured report can be compared with the plain one.
// eslint-disable-next-line no-control-regex -- matching ESC is the point
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

/** The parts of a finding a script relies on, without fix prose and fingerprints. */
function essentials(finding: JsonFinding): Pick<JsonFinding, 'ruleId' | 'severity' | 'package' | 'location'> {
  const { ruleId, severity, package: pkg, location } = finding;
  return { ruleId, severity, package: pkg, location };
}

describe('text', () => {
  it('prints the report without ANSI when stdout is not a terminal', async () => {
    const run = await runCli(['audit', '--offline'], { cwd: project('weak-integrity') });
    expect(run).toEqual({ code: 1, stdout: WEAK_INTEGRITY_TEXT, stderr: '' });
  });

  it('prints a one-line verdict for a clean project (the README demo)', async () => {
    const run = await runCli(['audit', '--offline'], { cwd: project('clean') });
    expect(run).toEqual({
      code: 0,
      stdout: [...OFFLINE_SKIPPED_LINES, 'package-lock.json (npm v3): 2 packages, 0 findings', '✔ no findings in 1 lockfile (2 packages)', ''].join('\n'),
      stderr: '',
    });
  });

  it('colours with FORCE_COLOR=1, and the text under the colour is unchanged', async () => {
    const run = await runCli(['audit', '--offline'], { cwd: project('weak-integrity'), env: { FORCE_COLOR: '1' } });
    expect(run.code).toBe(1);
    expect(run.stdout.startsWith('\u001b[33mMODERATE (2)\u001b[39m\n')).toBe(true);
    expect(stripAnsi(run.stdout)).toBe(WEAK_INTEGRITY_TEXT);
  });

  it('does not colour with FORCE_COLOR=0 or NO_COLOR=1', async () => {
    for (const env of [{ FORCE_COLOR: '0' }, { NO_COLOR: '1', FORCE_COLOR: '1' }]) {
      const run = await runCli(['audit', '--offline'], { cwd: project('weak-integrity'), env });
      expect(run.stdout).toBe(WEAK_INTEGRITY_TEXT);
    }
  });

  it('lets --no-color win over FORCE_COLOR=1', async () => {
    const run = await runCli(['audit', '--offline', '--no-color'], { cwd: project('weak-integrity'), env: { FORCE_COLOR: '1' } });
    expect(run.stdout).toBe(WEAK_INTEGRITY_TEXT);
  });

  it('lets --color force colour without a terminal', async () => {
    const run = await runCli(['audit', '--offline', '--color'], { cwd: project('weak-integrity') });
    expect(run.stdout).toMatch(ANSI);
  });

  it('lists expired and unused ignore entries and counts what was suppressed', async () => {
    const run = await runCli(['audit', '--offline'], { cwd: project('ignores') });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'MODERATE (1)',
        '  moderate  inherits@2.0.1 is pinned only by sha1, which can be forged; expected sha512  integrity/weak',
        '      package-lock.json:15:5',
        '      via ignores-demo@1.0.0 > inherits@2.0.1',
        "      fix: Re-resolve inherits so npm records the registry's sha512 hash (a plain npm install keeps the sha1 value)",
        '      $ npm update inherits --package-lock-only',
        '',
        ...OFFLINE_SKIPPED_LINES,
        'Ignore entries to review',
        '  integrity/weak for package inherits@2.0.1: expired 2020-01-01, no longer suppresses: renew it or fix the findings (reason: accepted until the upgrade that never happened)',
        '  integrity/missing for package left-pad: matched nothing (expires 2099-12-31): remove it (reason: left-pad was removed long ago)',
        '',
        'package-lock.json (npm v3): 2 packages, 1 finding',
        '✖ 1 finding (1 moderate) in 1 lockfile (2 packages), 1 suppressed by ignores — failing: 1 at or above "low"',
        '',
      ].join('\n'),
    );
  });
});

describe('json', () => {
  it('prints exactly one JSON document with the exact findings', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('weak-integrity') });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const report = parseReport(run.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.lockfiles).toEqual([{ path: 'package-lock.json', format: 'npm', formatVersion: '3', packageCount: 2 }]);
    expect(report.findings.map(essentials)).toEqual([
      {
        ruleId: 'integrity/weak',
        severity: 'moderate',
        package: { name: 'inherits', version: '2.0.1', id: 'node_modules/inherits', path: ['weak-integrity-demo@1.0.0', 'inherits@2.0.1'] },
        location: { file: 'package-lock.json', line: 17, column: 5 },
      },
      {
        ruleId: 'integrity/weak',
        severity: 'moderate',
        package: { name: 'isarray', version: '1.0.0', id: 'node_modules/isarray', path: ['weak-integrity-demo@1.0.0', 'isarray@1.0.0'] },
        location: { file: 'package-lock.json', line: 24, column: 5 },
      },
    ]);
    expect(report.findings[1]!.message).toBe('isarray@1.0.0 is pinned only by sha1, which can be forged; expected sha512');
    expect(report.findings[1]!.data).toEqual({
      name: 'isarray',
      version: '1.0.0',
      algorithm: 'sha1',
      integrity: 'sha1-u5NdSFgsuhaMBoNJV6VKPgcSTxE=',
    });
    expect(report.summary).toEqual({
      total: 2,
      bySeverity: { critical: 0, high: 0, moderate: 2, low: 0, info: 0 },
      suppressed: 0,
      baselined: 0,
      failOn: 'low',
      failing: 2,
      incomplete: false,
    });
  });

  it('locates both copies of a tampered duplicate', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('tampered') });
    expect(run.code).toBe(1);
    expect(parseReport(run.stdout).findings.map(essentials)).toEqual([
      {
        ruleId: 'integrity/mismatch',
        severity: 'critical',
        package: {
          name: 'ms',
          version: '2.1.3',
          id: 'node_modules/debug/node_modules/ms',
          path: ['tampered-demo@1.0.0', 'debug@4.3.7', 'ms@2.1.3'],
        },
        location: { file: 'package-lock.json', line: 33, column: 5 },
      },
      {
        ruleId: 'integrity/mismatch',
        severity: 'critical',
        package: {
          name: 'ms',
          version: '2.1.3',
          id: 'node_modules/humanize-ms/node_modules/ms',
          path: ['tampered-demo@1.0.0', 'humanize-ms@1.2.1', 'ms@2.1.3'],
        },
        location: { file: 'package-lock.json', line: 48, column: 5 },
      },
    ]);
  });

  it('starts the dependency path at the workspace that needs the package', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('workspaces') });
    expect(run.code).toBe(1);
    expect(parseReport(run.stdout).findings.map(essentials)).toEqual([
      {
        ruleId: 'integrity/weak',
        severity: 'moderate',
        package: { name: 'isarray', version: '1.0.0', id: 'node_modules/isarray', path: ['@demo/util@1.0.0', 'isarray@1.0.0'] },
        location: { file: 'package-lock.json', line: 39, column: 5 },
      },
    ]);
  });

  it('reports ignore notices and the suppressed count', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('ignores') });
    const report = parseReport(run.stdout);
    expect(report.findings.map((f) => f.package.name)).toEqual(['inherits']);
    expect(report.ignores).toEqual([
      {
        kind: 'expired',
        ruleId: 'integrity/weak',
        package: 'inherits@2.0.1',
        reason: 'accepted until the upgrade that never happened',
        expires: '2020-01-01',
      },
      {
        kind: 'unused',
        ruleId: 'integrity/missing',
        package: 'left-pad',
        reason: 'left-pad was removed long ago',
        expires: '2099-12-31',
      },
    ]);
    expect(report.summary.suppressed).toBe(1);
  });

  it('prints a usage error as JSON on stdout and as one line on stderr', async () => {
    const run = await runCli(['audit', '--format', 'json', '--fail-on', 'hihg'], { cwd: project('clean') });
    expect(run.code).toBe(2);
    expect(parseError(run.stdout)).toEqual({
      schemaVersion: 1,
      error: {
        code: 'EUSAGE',
        exitCode: 2,
        message:
          'option \'--fail-on <severity>\' argument \'hihg\' is invalid. "hihg" is not a severity; ' +
          'expected one of info, low, moderate, high, critical, none (did you mean "high"?).',
        hints: ['see: pkgguard --help, or pkgguard <command> --help'],
      },
    });
    expect(run.stderr.split('\n')[0]).toMatch(/^pkgguard: option '--fail-on <severity>' argument 'hihg' is invalid/);
  });

  it('prints an input error as JSON on stdout', async () => {
    const run = await runCli(['audit', '--offline', '--format=json'], { cwd: project('no-lockfile') });
    expect(run.code).toBe(3);
    expect(parseError(run.stdout).error).toMatchObject({ code: 'ENOLOCK', exitCode: 3 });
  });
});

describe('sarif', () => {
  it('gives results with rule ids, exact regions and repository-relative URIs', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'sarif', 'fixtures/projects/tampered']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    const log = parseSarif(run.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const sarifRun = log.runs[0]!;
    const { rules } = sarifRun.tool.driver;
    expect(rules.find((rule) => rule.id === 'integrity/mismatch')?.properties['security-severity']).toBe('9.5');
    // Each result points at its own rule through ruleIndex, as GitHub requires.
    for (const result of sarifRun.results) expect(rules[result.ruleIndex]?.id).toBe(result.ruleId);
    // Skipped network checks are notes: the run itself succeeded.
    expect(sarifRun.invocations[0]!.executionSuccessful).toBe(true);
    expect(sarifRun.invocations[0]!.toolExecutionNotifications!.map((n) => [n.level, n.properties?.['checkId']])).toEqual([
      ['note', 'provenance'],
      ['note', 'advisory'],
      ['note', 'malicious'],
      ['note', 'registry-integrity'],
      ['note', 'signatures'],
    ]);
    const results = sarifRun.results.map((result) => ({
      ruleId: result.ruleId,
      level: result.level,
      location: result.locations[0]!.physicalLocation,
    }));
    const uri = 'fixtures/projects/tampered/package-lock.json';
    expect(results).toEqual([
      {
        ruleId: 'integrity/mismatch',
        level: 'error',
        location: {
          artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
          region: { startLine: 33, startColumn: 5, endLine: 33, endColumn: 6 },
        },
      },
      {
        ruleId: 'integrity/mismatch',
        level: 'error',
        location: {
          artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
          region: { startLine: 48, startColumn: 5, endLine: 48, endColumn: 6 },
        },
      },
    ]);
  });

  it('marks the run unsuccessful when the audit is incomplete', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'sarif', '--checks', 'e2e-source-down'], {
      cwd: project('clean'),
      preload: ['source-unavailable-check.js'],
    });
    expect(run.code).toBe(4);
    const [invocation] = parseSarif(run.stdout).runs[0]!.invocations;
    expect(invocation).toEqual({
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          level: 'error',
          message: {
            text: 'Check "e2e-source-down" did not finish on package-lock.json (ESOURCE): offline advisory database not found at .pkgguard-cache/osv',
          },
          properties: { checkId: 'e2e-source-down', kind: 'source-unavailable', code: 'ESOURCE' },
        },
      ],
    });
  });

  describe('in a subdirectory of a git repository', () => {
    let repo = '';
    beforeAll(async () => {
      repo = await makeTempDir();
      gitInit(repo);
      await copyProject('weak-integrity', repo, 'sub/dir');
    });
    afterAll(() => removeTempDir(repo));

    it('makes the artifact URI relative to the repository root', async () => {
      for (const [cwd, target] of [
        [path.join(repo, 'sub', 'dir'), '.'],
        [repo, 'sub/dir'],
      ] as const) {
        const run = await runCli(['audit', '--offline', '--format', 'sarif', target], { cwd });
        const uris = parseSarif(run.stdout).runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri);
        expect(uris).toEqual(['sub/dir/package-lock.json', 'sub/dir/package-lock.json']);
      }
    });
  });
});

describe('--output', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeTempDir(dir));

  it('writes SARIF to the file while stdout gets the --format report', async () => {
    const sarifFile = path.join(dir, 'report.sarif');
    const run = await runCli(['audit', '--offline', '--output', `sarif=${sarifFile}`, 'fixtures/projects/weak-integrity']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(WEAK_INTEGRITY_TEXT);
    const log = parseSarif(await readFile(sarifFile, 'utf8'));
    expect(log.runs[0]!.results.map((result) => result.ruleId)).toEqual(['integrity/weak', 'integrity/weak']);
  });

  it('writes several reports in one run, the same documents as on stdout', async () => {
    const jsonFile = path.join(dir, 'report.json');
    const textFile = path.join(dir, 'report.txt');
    const run = await runCli(
      ['audit', '--offline', '--format', 'json', '-o', `json=${jsonFile}`, '-o', `text=${textFile}`],
      { cwd: project('weak-integrity'), env: { FORCE_COLOR: '1' } },
    );
    expect(run.code).toBe(1);
    expect(await readFile(jsonFile, 'utf8')).toBe(run.stdout);
    // Files never get colour, whatever the terminal settings.
    expect(await readFile(textFile, 'utf8')).toBe(WEAK_INTEGRITY_TEXT);
  });

  it('exits 2 naming the file it cannot write', async () => {
    const run = await runCli(['audit', '--offline', '-o', `sarif=${path.join(dir, 'missing', 'x.sarif')}`], {
      cwd: project('clean'),
    });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      `pkgguard: cannot write sarif report to ${path.join(dir, 'missing', 'x.sarif')}: ENOENT: no such file or directory, open '${path.join(dir, 'missing', 'x.sarif')}'`,
    );
  });
});

describe('--quiet', () => {
  it('prints nothing when the audit passes', async () => {
    const run = await runCli(['audit', '--offline', '--quiet'], { cwd: project('clean') });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('still prints the report when the audit fails', async () => {
    const run = await runCli(['audit', '--offline', '-q'], { cwd: project('weak-integrity') });
    expect(run).toEqual({ code: 1, stdout: WEAK_INTEGRITY_TEXT, stderr: '' });
  });

  it('still prints the JSON document when the audit passes: scripts need it', async () => {
    const run = await runCli(['audit', '--offline', '--quiet', '--format', 'json'], { cwd: project('clean') });
    expect(run.code).toBe(0);
    expect(parseReport(run.stdout).summary.total).toBe(0);
  });

  it('keeps stdout quiet when findings stay below --fail-on', async () => {
    const run = await runCli(['audit', '--offline', '--quiet', '--fail-on', 'high'], { cwd: project('weak-integrity') });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('a project copied elsewhere reads the same', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await makeTempDir();
    await cp(project('weak-integrity'), dir, { recursive: true });
  });
  afterAll(() => removeTempDir(dir));

  it('prints no absolute paths', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json', dir]);
    expect(run.stdout).not.toContain(dir);
  });
});
