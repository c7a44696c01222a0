/**
 * One describe per row of the exit-code table (src/core/errors.ts, README "Exit codes"), run
 * against the built CLI. Every audit passes --offline so no test can reach the network, whatever
 * checks exist by the time it runs.
 */
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  makeTempDir,
  parseError,
  parseReport,
  project,
  removeTempDir,
  runCli,
  runCliWithClosedStdout,
  STACK_LINE,
} from './helpers.ts';

const SEE_HELP = '  hint: see: pkgguard --help, or pkgguard <command> --help\n';

beforeAll(assertBuilt);

describe('exit 0: the audit ran and nothing reached --fail-on', () => {
  it('passes a clean project silently on stderr', async () => {
    const run = await runCli(['audit', '--offline', project('clean')]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('passes moderate findings with --fail-on high', async () => {
    const run = await runCli(['audit', '--offline', '--fail-on', 'high', project('weak-integrity')]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('never fails on findings with --fail-on none, even critical ones', async () => {
    const run = await runCli(['audit', '--offline', '--fail-on', 'none', project('tampered')]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('takes failOn from the "pkgguard" key of package.json', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json', project('config-in-package-json')]);
    expect(run.code).toBe(0);
    const report = parseReport(run.stdout);
    expect(report.summary).toEqual({
      total: 1,
      bySeverity: { critical: 0, high: 0, moderate: 1, low: 0, info: 0 },
      suppressed: 0,
      baselined: 0,
      failOn: 'high',
      failing: 0,
      incomplete: false,
    });
  });

  it('lets --fail-on override the configured failOn', async () => {
    const run = await runCli(['audit', '--offline', '--fail-on', 'moderate', project('config-in-package-json')]);
    expect(run.code).toBe(1);
  });
});

describe('exit 1: findings at or above --fail-on', () => {
  it('fails on weak integrity with the default --fail-on (low)', async () => {
    const run = await runCli(['audit', '--offline', project('weak-integrity')]);
    expect(run).toMatchObject({ code: 1, stderr: '' });
  });

  it('keeps its exit code, without a stack trace, when the reader of stdout has gone (| head)', async () => {
    const run = await runCliWithClosedStdout(['audit', '--offline', '--format', 'sarif', project('tampered')]);
    expect(run).toEqual({ code: 1, stderr: '' });
  });

  it('fails on a tampered duplicate with critical findings', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json', '--fail-on', 'critical', project('tampered')]);
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['integrity/mismatch', 'critical'],
      ['integrity/mismatch', 'critical'],
    ]);
  });

  it('still fails when an expired ignore no longer suppresses a finding', async () => {
    const run = await runCli(['audit', '--offline', project('ignores')]);
    expect(run).toMatchObject({ code: 1, stderr: '' });
  });
});

describe('exit 2: usage and configuration errors', () => {
  it.each([
    ['an unknown option', ['audit', '--frobnicate'], "pkgguard: unknown option '--frobnicate'\n" + SEE_HELP],
    [
      'a misspelt option (with commander\'s suggestion as a hint)',
      ['audit', '--fial-on', 'high'],
      "pkgguard: unknown option '--fial-on'\n  hint: did you mean --fail-on?\n" + SEE_HELP,
    ],
    ['an unknown command', ['frob'], "pkgguard: unknown command 'frob'\n" + SEE_HELP],
    [
      'a bad --fail-on value',
      ['audit', '--fail-on', 'hihg'],
      'pkgguard: option \'--fail-on <severity>\' argument \'hihg\' is invalid. "hihg" is not a severity; ' +
        'expected one of info, low, moderate, high, critical, none (did you mean "high"?).\n' +
        SEE_HELP,
    ],
    [
      'a bad --format value',
      ['audit', '--format', 'xml'],
      'pkgguard: option \'-f, --format <format>\' argument \'xml\' is invalid. "xml" is not a format; ' +
        'expected one of text, json, sarif.\n' +
        SEE_HELP,
    ],
    [
      'a bad --output value',
      ['audit', '--output', 'sarif'],
      'pkgguard: option \'-o, --output <format=file>\' argument \'sarif\' is invalid. ' +
        'expected FORMAT=FILE (e.g. sarif=pkgguard.sarif), got "sarif".\n' +
        SEE_HELP,
    ],
  ])('rejects %s', async (_name, args, stderr) => {
    const run = await runCli(args, { cwd: project('clean') });
    expect(run).toEqual({ code: 2, stdout: '', stderr });
  });

  it('rejects an unknown --checks id with a did-you-mean', async () => {
    const run = await runCli(['audit', '--offline', '--checks', 'integrty'], { cwd: project('clean') });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'pkgguard: --checks: unknown check "integrty"\n' +
        '  hint: did you mean "integrity"?\n' +
        '  hint: list them with: pkgguard rules\n',
    });
  });

  it('rejects an unknown --skip id', async () => {
    const run = await runCli(['audit', '--offline', '--skip', 'integrity,frobnicate'], { cwd: project('clean') });
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('pkgguard: --skip: unknown check "frobnicate"');
  });

  it('rejects an unknown config key with a did-you-mean', async () => {
    const run = await runCli(['audit', '--offline'], { cwd: project('config-invalid') });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'pkgguard: pkgguard.config.json: failon: unknown key (did you mean "failOn"?)\n',
    });
  });

  it('rejects a config file that is not JSON, naming line and column', async () => {
    const run = await runCli(['audit', '--offline'], { cwd: project('config-bad-json') });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'pkgguard: pkgguard.config.json:3:1: invalid JSON (Expected double-quoted property name)\n' +
        '  hint: the configuration file must be plain JSON (no comments, no trailing commas)\n',
    });
  });

  it('rejects an unknown check id in the config given with --config', async () => {
    const run = await runCli(['audit', '--offline', '--config', 'unknown-check.config.json'], {
      cwd: project('config-invalid'),
    });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'pkgguard: unknown-check.config.json: checks.integrty: unknown check "integrty"\n' +
        '  hint: did you mean "integrity"?\n' +
        '  hint: list them with: pkgguard rules\n',
    });
  });

  it('rejects a --config file that does not exist', async () => {
    const run = await runCli(['audit', '--offline', '--config', 'missing.json'], { cwd: project('clean') });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'pkgguard: config file not found: missing.json\n',
    });
  });

  it('prints config errors as JSON on stdout with --format json', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('config-invalid') });
    expect(run.code).toBe(2);
    expect(parseError(run.stdout)).toEqual({
      schemaVersion: 1,
      error: {
        code: 'ECONFIG',
        exitCode: 2,
        message: 'pkgguard.config.json: failon: unknown key (did you mean "failOn"?)',
        hints: [],
      },
    });
  });
});

describe('exit 3: input errors name the file (and line:column) in one line, without a stack', () => {
  it.each([
    [
      'no-lockfile',
      'pkgguard: no lockfile found in the current directory (looked for npm-shrinkwrap.json, package-lock.json, yarn.lock, pnpm-lock.yaml, bun.lock, bun.lockb)\n' +
        '  hint: create one without installing: npm install --package-lock-only (yarn: yarn install --mode update-lockfile; pnpm: pnpm install --lockfile-only; bun: bun install --lockfile-only)\n' +
        '  hint: or name one explicitly: --lockfile <path>\n' +
        '  hint: in a monorepo, look in subdirectories too: --recursive\n',
    ],
    [
      'malformed-json',
      "pkgguard: package-lock.json:16:7: Expected ',' or '}' after property value\n" +
        '  hint: package-lock.json is not valid JSON; regenerate it with: npm install --package-lock-only\n',
    ],
    [
      'merge-conflict',
      'pkgguard: package-lock.json:11:1: unresolved git merge conflict (a "<<<<<<<" marker)\n' +
        '  hint: resolve the conflict: npm install --package-lock-only merges conflicted package-lock files by itself\n' +
        '  hint: or take one side and reinstall: git checkout --theirs package-lock.json && npm install --package-lock-only\n',
    ],
    [
      'unsupported-version',
      'pkgguard: package-lock.json:4:3: has lockfileVersion 99; pkgguard reads npm lockfileVersion 1, 2, 3\n' +
        '  hint: regenerate it with: npm install --package-lock-only (npm 7 or later writes lockfileVersion 2 or 3)\n' +
        '  hint: a newer lockfileVersion needs a newer pkgguard\n',
    ],
    [
      'not-an-object',
      'pkgguard: package-lock.json:1:1: expected a JSON object at the top level, found an array\n' +
        '  hint: regenerate it with: npm install --package-lock-only\n',
    ],
  ])('%s', async (name, stderr) => {
    const run = await runCli(['audit', '--offline'], { cwd: project(name) });
    expect(run).toEqual({ code: 3, stdout: '', stderr });
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('says which --lockfile could not be read', async () => {
    const run = await runCli(['audit', '--offline', '--lockfile', 'missing/package-lock.json'], { cwd: project('clean') });
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr: 'pkgguard: cannot read missing/package-lock.json: no such file\n  hint: check the path given to --lockfile\n',
    });
  });

  describe('an unreadable lockfile (a directory where the file should be)', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await makeTempDir();
      await mkdir(path.join(dir, 'package-lock.json'));
      await writeFile(path.join(dir, 'package.json'), '{ "name": "unreadable", "version": "1.0.0" }\n');
    });
    afterAll(() => removeTempDir(dir));

    it('exits 3 naming the file', async () => {
      const run = await runCli(['audit', '--offline'], { cwd: dir });
      expect(run.code).toBe(3);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toBe('pkgguard: cannot read package-lock.json: it is a directory, not a file');
      expect(run.stderr).not.toMatch(STACK_LINE);
    });
  });

  it('prints input errors as JSON on stdout with --format json, and the human line on stderr', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('malformed-json') });
    expect(run.code).toBe(3);
    expect(parseError(run.stdout)).toEqual({
      schemaVersion: 1,
      error: {
        code: 'ELOCKPARSE',
        exitCode: 3,
        message: "package-lock.json:16:7: Expected ',' or '}' after property value",
        hints: ['package-lock.json is not valid JSON; regenerate it with: npm install --package-lock-only'],
      },
    });
    expect(run.stderr.split('\n')[0]).toBe("pkgguard: package-lock.json:16:7: Expected ',' or '}' after property value");
  });

  it('shows the stack only with --debug', async () => {
    const run = await runCli(['audit', '--offline', '--debug'], { cwd: project('malformed-json') });
    expect(run.code).toBe(3);
    expect(run.stderr.split('\n')[0]).toBe("pkgguard: package-lock.json:16:7: Expected ',' or '}' after property value");
    expect(run.stderr).toMatch(STACK_LINE);
  });
});

describe('exit 4: a source the audit needed was unavailable', () => {
  const preload = ['source-unavailable-check.js'];

  it('still reports the other findings, marks the JSON incomplete and says INCOMPLETE on stderr', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json', project('weak-integrity')], { preload });
    expect(run.code).toBe(4);
    const report = parseReport(run.stdout);
    expect(report.findings.map((f) => [f.ruleId, f.package.name])).toEqual([
      ['integrity/weak', 'inherits'],
      ['integrity/weak', 'isarray'],
    ]);
    expect(report.incomplete).toEqual([
      {
        checkId: 'e2e-source-down',
        lockfile: 'package-lock.json',
        kind: 'source-unavailable',
        code: 'ESOURCE',
        message: 'offline advisory database not found at .pkgguard-cache/osv',
      },
    ]);
    expect(report.summary.incomplete).toBe(true);
    expect(run.stderr).toBe(
      'pkgguard: check "e2e-source-down" could not run: offline advisory database not found at .pkgguard-cache/osv\n' +
        'pkgguard: the audit is INCOMPLETE: a clean result above does not mean the project is clean\n',
    );
  });

  it('exits 4 on an otherwise clean project: incomplete is never clean', async () => {
    const run = await runCli(['audit', '--offline', project('clean')], { preload });
    expect(run.code).toBe(4);
    expect(run.stdout).toContain('AUDIT INCOMPLETE');
  });
});

describe('exit 70: a check crashed (a bug in pkgguard)', () => {
  it('reports the crash clearly and keeps the other checks\' findings', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json', project('weak-integrity')], {
      preload: ['crashing-check.js'],
    });
    expect(run.code).toBe(70);
    const report = parseReport(run.stdout);
    expect(report.findings.map((f) => [f.ruleId, f.package.name])).toEqual([
      ['integrity/weak', 'inherits'],
      ['integrity/weak', 'isarray'],
    ]);
    expect(report.incomplete).toEqual([
      {
        checkId: 'e2e-crash',
        lockfile: 'package-lock.json',
        kind: 'crashed',
        code: 'ECHECKCRASH',
        message: 'check "e2e-crash" crashed on package-lock.json: Cannot read properties of undefined (reading \'dependencies\')',
      },
    ]);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toMatch(/^pkgguard: check "e2e-crash" crashed on package-lock\.json: Cannot read properties of undefined \(reading 'dependencies'\)$/);
    expect(lines[1]).toMatch(/^ {2}hint: this is a bug in pkgguard; please report it with the output of --debug: https:\/\//);
    expect(lines[2]).toBe('pkgguard: the audit is INCOMPLETE: a clean result above does not mean the project is clean');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('prints the crash stack with --debug', async () => {
    const run = await runCli(['audit', '--offline', '--debug', project('weak-integrity')], {
      preload: ['crashing-check.js'],
    });
    expect(run.code).toBe(70);
    expect(run.stderr).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'dependencies'\)\n\s+at .*crashing-check\.js/m);
  });

  it('wins over an unavailable source and over findings (most serious wins)', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json', project('weak-integrity')], {
      preload: ['source-unavailable-check.js', 'crashing-check.js'],
    });
    expect(run.code).toBe(70);
    const report = parseReport(run.stdout);
    expect(report.incomplete.map((entry) => [entry.checkId, entry.kind])).toEqual([
      ['e2e-source-down', 'source-unavailable'],
      ['e2e-crash', 'crashed'],
    ]);
    expect(report.findings).toHaveLength(2);
  });
});

describe('--offline', () => {
  it('skips a network check, lists it, and does not fail because of it', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json', '--checks', 'integrity,e2e-network', project('clean')], {
      preload: ['network-check.js'],
    });
    expect(run.code).toBe(0);
    const report = parseReport(run.stdout);
    expect(report.skipped).toEqual([{ checkId: 'e2e-network', reason: 'needs the network; skipped by --offline' }]);
    expect(report.incomplete).toEqual([]);
  });
});

