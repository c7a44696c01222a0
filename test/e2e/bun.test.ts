/**
 * bun projects through the built CLI: a hand-damaged bun.lock audited offline with exact
 * findings, its inventory, and the binary bun.lockb refused (alone) or ignored (next to
 * bun.lock). Projects are described in fixtures/README.md, "## bun fixtures".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, parseError, parseInventory, parseReport, project, runCli } from './helpers.ts';

beforeAll(assertBuilt);

describe('pkgguard audit on a bun.lock', () => {
  it('reports exactly the integrity problems of the damaged entries, at their lines', async () => {
    const run = await runCli(['audit', project('bun-integrity'), '--offline', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.lockfiles).toEqual([{ path: 'bun.lock', format: 'bun', formatVersion: '2', packageCount: 6 }]);
    const ms200 = 'sha512-Tpp60P6IUJDTuOq/5Z8cdskzJujfwqfOTkrwIwj7IRISpnkJnT6SyJ4PCPnGMoFjC9ddhal5KVIYtAt97ix05A==';
    const ms213 = 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==';
    expect(
      report.findings.map(({ ruleId, severity, package: pkg, location, message }) => ({ ruleId, severity, package: pkg, location, message })),
    ).toEqual([
      {
        ruleId: 'integrity/missing',
        severity: 'high',
        package: { name: 'once', version: '1.4.0', id: 'once', path: ['@fixture/a@1.0.0', 'once@1.4.0'] },
        location: { file: 'bun.lock', line: 40, column: 5 },
        message: 'once@1.4.0 has no integrity hash, so a swapped tarball would install unnoticed',
      },
      {
        ruleId: 'integrity/weak',
        severity: 'moderate',
        package: { name: 'wrappy', version: '1.0.2', id: 'wrappy', path: ['@fixture/b@2.0.0', 'wrappy@1.0.2'] },
        location: { file: 'bun.lock', line: 42, column: 5 },
        message: 'wrappy@1.0.2 is pinned only by sha1, which can be forged; expected sha512',
      },
      {
        ruleId: 'integrity/mismatch',
        severity: 'critical',
        package: { name: 'ms', version: '2.0.0', id: '@fixture/b/ms', path: ['@fixture/b@2.0.0', 'ms@2.0.0'] },
        location: { file: 'bun.lock', line: 44, column: 5 },
        message: `ms@2.0.0 has ${ms200} here but ${ms213} at debug/ms (line 46): one copy was edited`,
      },
      {
        ruleId: 'integrity/mismatch',
        severity: 'critical',
        package: { name: 'ms', version: '2.0.0', id: 'debug/ms', path: ['@fixture/b@2.0.0', 'debug@2.6.9', 'ms@2.0.0'] },
        location: { file: 'bun.lock', line: 46, column: 5 },
        message: `ms@2.0.0 has ${ms213} here but ${ms200} at @fixture/b/ms (line 44): one copy was edited`,
      },
    ]);
  });

  it('lists workspaces as importers and computed flags in the inventory', async () => {
    const run = await runCli(['ls', project('bun-integrity'), '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [lockfile] = parseInventory(run.stdout).lockfiles;
    expect(lockfile).toMatchObject({ path: 'bun.lock', format: 'bun', formatVersion: '2', packageCount: 6, root: { name: 'bun-integrity', version: '' } });
    expect(lockfile!.importers.map((importer) => [importer.id, importer.name, importer.version, importer.line, importer.column])).toEqual([
      ['packages/a', '@fixture/a', '1.0.0', 11, 5],
      ['packages/b', '@fixture/b', '2.0.0', 19, 5],
    ]);
    expect(lockfile!.packages.find((pkg) => pkg.id === 'ms')).toEqual({
      id: 'ms',
      name: 'ms',
      version: '2.1.3',
      source: { type: 'registry' },
      integrity: 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
      dev: true,
      optional: false,
      devOptional: false,
      peer: false,
      bundled: false,
      hasInstallScript: false,
      line: 38,
      column: 5,
      dependencies: [],
    });
  });
});

describe('pkgguard audit on bun.lockb', () => {
  it('refuses the binary lockfile with exit 3 and the command that converts it', async () => {
    const run = await runCli(['audit', project('bun-lockb'), '--offline']);
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr:
        "pkgguard: bun.lockb: bun's binary lockfile format is not supported; pkgguard reads the text lockfile bun.lock\n" +
        '  hint: convert it (bun writes bun.lock and removes bun.lockb): bun install --save-text-lockfile --lockfile-only\n' +
        '  hint: bun 1.2 and later write bun.lock by default; when both files exist pkgguard reads bun.lock\n',
    });
  });

  it('says the same as JSON with --format json', async () => {
    const run = await runCli(['audit', project('bun-lockb'), '--offline', '--format', 'json']);
    expect(run.code).toBe(3);
    expect(parseError(run.stdout).error).toMatchObject({ code: 'ELOCKVERSION', exitCode: 3 });
  });

  it('reads bun.lock silently when bun.lockb sits next to it', async () => {
    const run = await runCli(['audit', project('bun-lockb-and-lock'), '--offline', '--format', 'json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const report = parseReport(run.stdout);
    expect(report.lockfiles).toEqual([{ path: 'bun.lock', format: 'bun', formatVersion: '2', packageCount: 5 }]);
    expect(report.findings).toEqual([]);
  });
});
