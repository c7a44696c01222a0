/**
 * The commands besides the audit report itself: `ls`, `rules`, `--version`, `--help`, the
 * no-argument case, and the audit flags that choose what is audited (--production, --checks,
 * --skip, --lockfile).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, parseInventory, parseReport, project, removeTempDir, REPO_ROOT, runCli } from './helpers.ts';
import type { JsonFinding } from '../../src/reporters/json.ts';

beforeAll(assertBuilt);

const MS_2_1_3 = {
  id: 'node_modules/ms',
  name: 'ms',
  version: '2.1.3',
  source: { type: 'registry', url: 'https://registry.npm.example/ms/-/ms-2.1.3.tgz' },
  resolved: 'https://registry.npm.example/ms/-/ms-2.1.3.tgz',
  integrity: 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
  dev: false,
  optional: false,
  devOptional: false,
  peer: false,
  bundled: false,
  hasInstallScript: false,
  line: 31,
  column: 5,
  dependencies: [],
};

const DEBUG_4_3_7 = {
  id: 'node_modules/debug',
  name: 'debug',
  version: '4.3.7',
  source: { type: 'registry', url: 'https://registry.npm.example/debug/-/debug-4.3.7.tgz' },
  resolved: 'https://registry.npm.example/debug/-/debug-4.3.7.tgz',
  integrity: 'sha512-Er2nc/H7RrMXZBFCEim6TCmMk02Z8vLC2Rbi1KEBggpo0fS6l0S1nnapwmIi3yW/+GOJap1Krg4w0Hg80oCqgQ==',
  dev: false,
  optional: false,
  devOptional: false,
  peer: false,
  bundled: false,
  hasInstallScript: false,
  line: 14,
  column: 5,
  dependencies: [{ name: 'ms', spec: '^2.1.3', type: 'prod', to: 'node_modules/ms' }],
};

const ruleAndPackage = (finding: JsonFinding): string => `${finding.ruleId} ${finding.package.name}`;

describe('ls', () => {
  it('prints the exact inventory of a small project with --json', async () => {
    const run = await runCli(['ls', '--json'], { cwd: project('clean') });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(parseInventory(run.stdout)).toEqual({
      schemaVersion: 1,
      lockfiles: [
        {
          path: 'package-lock.json',
          format: 'npm',
          formatVersion: '3',
          packageCount: 2,
          root: { name: 'clean-demo', version: '1.0.0' },
          importers: [],
          packages: [DEBUG_4_3_7, MS_2_1_3],
        },
      ],
    });
  });

  it('lists workspaces as importers and their dependencies as packages', async () => {
    const run = await runCli(['ls', '--json', project('workspaces')]);
    expect(run.code).toBe(0);
    const [lockfile] = parseInventory(run.stdout).lockfiles;
    expect(lockfile!.importers.map((node) => [node.id, node.name, node.line])).toEqual([
      ['packages/app', '@demo/app', 51],
      ['packages/util', '@demo/util', 59],
    ]);
    expect(lockfile!.packages.map((node) => node.id)).toEqual([
      'node_modules/debug',
      'node_modules/isarray',
      'node_modules/ms',
    ]);
  });

  it('prints one line per package with its lockfile position and flags', async () => {
    const run = await runCli(['ls'], { cwd: project('weak-integrity') });
    expect(run).toEqual({
      code: 0,
      stdout: 'package-lock.json (npm v3, 2 packages)\n       17:5  inherits@2.0.1  [dev]\n       24:5  isarray@1.0.0\n',
      stderr: '',
    });
  });

  it('leaves out dev-only packages with --production', async () => {
    const run = await runCli(['ls', '--production'], { cwd: project('weak-integrity') });
    expect(run).toEqual({
      code: 0,
      stdout: 'package-lock.json (npm v3, 1 package)\n       24:5  isarray@1.0.0\n',
      stderr: '',
    });
  });

  it('fails like audit on an input error', async () => {
    const run = await runCli(['ls'], { cwd: project('merge-conflict') });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe('pkgguard: package-lock.json:11:1: unresolved git merge conflict (a "<<<<<<<" marker)');
  });
});

describe('rules', () => {
  const INTEGRITY_RULES = [
    { id: 'integrity/missing', description: 'A registry or remote-tarball package has no integrity hash', defaultSeverity: 'high' },
    { id: 'integrity/malformed', description: 'An integrity value is not valid Subresource Integrity', defaultSeverity: 'high' },
    { id: 'integrity/weak', description: 'An integrity value uses only sha1, which can be forged', defaultSeverity: 'moderate' },
    {
      id: 'integrity/mismatch',
      description: 'Copies of the same name@version have different integrity hashes',
      defaultSeverity: 'critical',
    },
  ];

  it('lists every check, sorted by id, with its rules as JSON', async () => {
    const run = await runCli(['rules', '--json']);
    expect(run.code).toBe(0);
    const { schemaVersion, checks } = JSON.parse(run.stdout) as { schemaVersion: number; checks: { id: string }[] };
    expect(schemaVersion).toBe(1);
    const ids = checks.map((check) => check.id);
    expect(ids).toEqual([...ids].sort());
    expect(checks.find((check) => check.id === 'integrity')).toEqual({
      id: 'integrity',
      description: 'Require a well-formed, strong and consistent integrity hash for every downloaded package',
      defaultSeverity: 'high',
      requiresNetwork: false,
      docs: 'https://github.com/pkgguard/pkgguard#integrity',
      rules: INTEGRITY_RULES,
    });
  });

  it('prints a block per check in text', async () => {
    const run = await runCli(['rules']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      [
        'integrity - Require a well-formed, strong and consistent integrity hash for every downloaded package',
        '  docs: https://github.com/pkgguard/pkgguard#integrity',
        '  integrity/missing    high      A registry or remote-tarball package has no integrity hash',
        '  integrity/malformed  high      An integrity value is not valid Subresource Integrity',
        '  integrity/weak       moderate  An integrity value uses only sha1, which can be forged',
        '  integrity/mismatch   critical  Copies of the same name@version have different integrity hashes',
        '',
      ].join('\n'),
    );
  });
});

describe('--version, --help and no arguments', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      expect(await runCli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('prints help on stdout and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe('Usage: pkgguard [options] [command]');
    for (const command of ['audit [options] [dir]', 'ls [options] [dir]', 'rules [options]']) {
      expect(run.stdout).toContain(`  ${command}`);
    }
  });

  it('prints the options of a command with <command> --help', async () => {
    const run = await runCli(['audit', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Usage: pkgguard audit [options] [dir]');
    for (const option of ['--format <format>', '--fail-on <severity>', '--offline', '--production', '--quiet']) {
      expect(run.stdout).toContain(option);
    }
  });

  it('prints help on stderr and exits 2 without arguments', async () => {
    const help = await runCli(['--help']);
    const run = await runCli([]);
    expect(run).toEqual({ code: 2, stdout: '', stderr: help.stdout });
  });
});

describe('choosing what is audited', () => {
  it('does not report a dev-only weak package with --production', async () => {
    const everything = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('weak-integrity') });
    expect(parseReport(everything.stdout).findings.map(ruleAndPackage)).toEqual(['integrity/weak inherits', 'integrity/weak isarray']);

    const production = await runCli(['audit', '--offline', '--production', '--format', 'json'], { cwd: project('weak-integrity') });
    expect(production.code).toBe(1);
    expect(parseReport(production.stdout).findings.map(ruleAndPackage)).toEqual(['integrity/weak isarray']);
  });

  it('runs only the checks named by --checks', async () => {
    const run = await runCli(['audit', '--offline', '--checks', 'integrity', '--format', 'json'], { cwd: project('weak-integrity') });
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.findings.map(ruleAndPackage)).toEqual(['integrity/weak inherits', 'integrity/weak isarray']);
  });

  it('does not run the checks named by --skip', async () => {
    const run = await runCli(['audit', '--offline', '--skip', 'integrity', '--format', 'json'], { cwd: project('tampered') });
    expect(run.code).toBe(0);
    expect(parseReport(run.stdout).findings).toEqual([]);
  });

  it('audits the file named by --lockfile', async () => {
    const run = await runCli(['audit', '--offline', '--lockfile', 'fixtures/projects/tampered/package-lock.json', '--format', 'json'], {
      cwd: REPO_ROOT,
    });
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.findings.map(ruleAndPackage)).toEqual(['integrity/mismatch ms', 'integrity/mismatch ms']);
  });

  describe('with a check turned off in the config', () => {
    let dir = '';
    let config = '';
    beforeAll(async () => {
      dir = await makeTempDir();
      config = path.join(dir, 'integrity-off.json');
      await writeFile(config, `${JSON.stringify({ checks: { integrity: 'off' } })}\n`);
    });
    afterAll(() => removeTempDir(dir));

    it('does not run it', async () => {
      const run = await runCli(['audit', '--offline', '--config', config, '--format', 'json'], { cwd: project('tampered') });
      expect(run.code).toBe(0);
      expect(parseReport(run.stdout).findings).toEqual([]);
    });

    it('runs it anyway when --checks names it', async () => {
      const run = await runCli(['audit', '--offline', '--config', config, '--checks', 'integrity', '--format', 'json'], {
        cwd: project('tampered'),
      });
      expect(run.code).toBe(1);
      expect(parseReport(run.stdout).findings).toHaveLength(2);
    });
  });
});
