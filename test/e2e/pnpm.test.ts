/**
 * pnpm projects through the built CLI: a pnpm 9 workspace whose lockfile has a remote tarball
 * without integrity (as pnpm writes it) and a sha1-only entry (hand edit), audited offline with
 * exact findings; its inventory; a pnpm 10 lockfile with a managed Node.js runtime; and a
 * broken pnpm-lock.yaml refused with exit code 3. The projects are described in
 * fixtures/README.md, "## pnpm fixtures".
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, copyProject, parseInventory, parseReport, project, REPO_ROOT, runCli, STACK_LINE, useScratchDir } from './helpers.ts';

beforeAll(assertBuilt);

describe('pkgguard audit on a pnpm-lock.yaml', () => {
  it('reports exactly the integrity problems, at their lines, with the path from the workspace', async () => {
    // The fixture's tarball dependency comes from a host nobody configured: lockfile-source's
    // business, tested in its own e2e; here only integrity speaks.
    const run = await runCli(['audit', project('pnpm-integrity'), '--offline', '--checks', 'integrity', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.lockfiles).toEqual([{ path: 'pnpm-lock.yaml', format: 'pnpm', formatVersion: '9.0', packageCount: 5 }]);
    expect(
      report.findings.map(({ ruleId, severity, package: pkg, location, message }) => ({ ruleId, severity, package: pkg, location, message })),
    ).toEqual([
      {
        ruleId: 'integrity/missing',
        severity: 'high',
        package: { name: 'ms', version: '2.1.3', id: 'ms@https://tarballs.example/ms-2.1.3.tgz', path: ['@fixture/app', 'ms@2.1.3'] },
        location: { file: 'pnpm-lock.yaml', line: 40, column: 3 },
        message: 'ms@2.1.3 has no integrity hash, so a swapped tarball would install unnoticed',
      },
      {
        ruleId: 'integrity/weak',
        severity: 'moderate',
        package: { name: 'wrappy', version: '1.0.2', id: 'wrappy@1.0.2', path: ['@fixture/app', 'once@1.4.0', 'wrappy@1.0.2'] },
        location: { file: 'pnpm-lock.yaml', line: 47, column: 3 },
        message: 'wrappy@1.0.2 is pinned only by sha1, which can be forged; expected sha512',
      },
    ]);
    expect(report.summary).toMatchObject({ total: 2, failing: 2, incomplete: false });
  });

  it('lists the workspace as an importer, named by the root’s link to it', async () => {
    const run = await runCli(['ls', project('pnpm-integrity'), '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [lockfile] = parseInventory(run.stdout).lockfiles;
    expect(lockfile).toMatchObject({ path: 'pnpm-lock.yaml', format: 'pnpm', formatVersion: '9.0', packageCount: 5, root: { name: 'pnpm-integrity', version: '' } });
    expect(lockfile!.importers.map((importer) => [importer.id, importer.name, importer.source, importer.line, importer.column])).toEqual([
      ['packages/app', '@fixture/app', { type: 'workspace', path: 'packages/app' }, 18, 3],
    ]);
    expect(lockfile!.packages.find((pkg) => pkg.id === 'ms@https://tarballs.example/ms-2.1.3.tgz')).toEqual({
      id: 'ms@https://tarballs.example/ms-2.1.3.tgz',
      name: 'ms',
      version: '2.1.3',
      alias: 'remote-ms',
      source: { type: 'tarball', url: 'https://tarballs.example/ms-2.1.3.tgz' },
      resolved: 'https://tarballs.example/ms-2.1.3.tgz',
      dev: false,
      optional: false,
      devOptional: false,
      peer: false,
      bundled: false,
      hasInstallScript: false,
      line: 40,
      column: 3,
      dependencies: [],
    });
  });
});

describe('pkgguard on a pnpm 10 project with a managed Node.js runtime', () => {
  const RUNTIME = path.join(REPO_ROOT, 'fixtures', 'lockfiles', 'pnpm', 'runtime', 'pnpm10');

  it('audits it clean offline: the runtime is no registry package (no integrity finding for it)', async () => {
    const run = await runCli(['audit', RUNTIME, '--offline', '--checks', 'integrity', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = parseReport(run.stdout);
    expect(report.lockfiles).toEqual([{ path: 'pnpm-lock.yaml', format: 'pnpm', formatVersion: '9.0', packageCount: 2 }]);
    expect(report.findings).toEqual([]);
  });

  it('lists no package for the runtime', async () => {
    const run = await runCli(['ls', RUNTIME, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [lockfile] = parseInventory(run.stdout).lockfiles;
    expect(lockfile!.packages.map((entry) => entry.id)).toEqual(['once@1.4.0', 'wrappy@1.0.2']);
    expect(lockfile!.packages.some((entry) => entry.name === 'node')).toBe(false);
  });
});

describe('pkgguard audit on a broken pnpm-lock.yaml', () => {
  const scratch = useScratchDir();

  it('exits 3 with the file, line and column, and the command that rewrites it', async () => {
    const copy = await copyProject('pnpm-integrity', scratch());
    await writeFile(path.join(copy, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n\nimporters:\n  .:\n    dependencies:\n   debug: 2.6.9\n");
    const run = await runCli(['audit', copy, '--offline']);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'pkgguard: pnpm-lock.yaml:6:4: bad indentation of a mapping entry\n' +
        '  hint: pnpm-lock.yaml is not valid YAML; regenerate it with: pnpm install --lockfile-only\n',
    );
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});
