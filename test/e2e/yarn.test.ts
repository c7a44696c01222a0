/**
 * yarn projects through the built CLI: a yarn 1.9 lockfile (sha1 only) and a yarn 4 lockfile
 * with one checksum removed, audited offline with exact findings; a yarn 1 workspace project
 * whose workspaces appear as importers; a broken yarn.lock refused with exit 3. Projects are
 * described in fixtures/README.md, "## yarn fixtures".
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, copyProject, parseError, parseInventory, parseReport, project, REPO_ROOT, runCli, STACK_LINE, useScratchDir } from './helpers.ts';

beforeAll(assertBuilt);

/** Scratch space for the tests that edit a copy of a project. */
const scratch = useScratchDir();

describe('pkgguard audit on a yarn classic lockfile', () => {
  it('calls every sha1-only entry weak, at its header line, with the path from the project', async () => {
    const run = await runCli(['audit', project('yarn-classic-sha1'), '--offline', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.lockfiles).toEqual([{ path: 'yarn.lock', format: 'yarn-classic', formatVersion: '1', packageCount: 5 }]);
    expect(report.incomplete).toEqual([]);
    expect(report.findings.map(({ ruleId, severity, package: pkg, location, data }) => ({ ruleId, severity, package: pkg, location, integrity: data['integrity'] }))).toEqual([
      ['debug', '2.6.9', 5, ['fixture-sha1-only@1.0.0', 'debug@2.6.9'], 'sha1-XRKFFd8TT/Mn6QpMk/Tgd6U2NB8='],
      ['ms', '2.0.0', 11, ['fixture-sha1-only@1.0.0', 'debug@2.6.9', 'ms@2.0.0'], 'sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g='],
      ['ms', '2.1.3', 15, ['fixture-sha1-only@1.0.0', 'ms@2.1.3'], 'sha1-V0yBOM4dK1hh8LRFedut1gxmFbI='],
      ['once', '1.4.0', 19, ['fixture-sha1-only@1.0.0', 'once@1.4.0'], 'sha1-WDsap3WWHUsROsF9nFC6753Xa9E='],
      ['wrappy', '1.0.2', 25, ['fixture-sha1-only@1.0.0', 'once@1.4.0', 'wrappy@1.0.2'], 'sha1-tSQ9jz7BqjXxNkYFvA0QNuMKtp8='],
    ].map(([name, version, line, chain, integrity]) => ({
      ruleId: 'integrity/weak',
      severity: 'moderate',
      package: { name, version, id: `${String(name)}@${String(version)}`, path: chain },
      location: { file: 'yarn.lock', line, column: 1 },
      integrity,
    })));
    expect(report.findings[0]?.message).toBe('debug@2.6.9 is pinned only by sha1, which can be forged; expected sha512');
    expect(report.summary).toMatchObject({ total: 5, failing: 5, incomplete: false });
  });
});

describe('pkgguard on a yarn classic workspace project', () => {
  const WORKSPACES = path.join(REPO_ROOT, 'fixtures', 'lockfiles', 'yarn-classic', 'workspaces');
  it('lists every workspace as an importer, with the edges of its package.json', async () => {
    const run = await runCli(['ls', WORKSPACES, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [lockfile] = parseInventory(run.stdout).lockfiles;
    expect(lockfile).toMatchObject({ path: 'yarn.lock', format: 'yarn-classic', packageCount: 5, root: { name: 'fixture-workspaces', version: '1.0.0' } });
    expect(lockfile!.importers.map(({ id, name, version, source, dependencies }) => ({ id, name, version, source, dependencies }))).toEqual([
      {
        id: '@fixture/a@workspace:packages/a',
        name: '@fixture/a',
        version: '1.0.0',
        source: { type: 'workspace', path: 'packages/a' },
        dependencies: [
          { name: '@fixture/b', spec: '1.0.0', type: 'prod', to: '@fixture/b@workspace:packages/b' },
          { name: 'once', spec: '^1.4.0', type: 'prod', to: 'once@1.4.0' },
        ],
      },
      {
        id: '@fixture/b@workspace:packages/b',
        name: '@fixture/b',
        version: '1.0.0',
        source: { type: 'workspace', path: 'packages/b' },
        dependencies: [
          { name: 'debug', spec: '2.6.9', type: 'prod', to: 'debug@2.6.9' },
          { name: 'wrappy', spec: '1.0.2', type: 'dev', to: 'wrappy@1.0.2' },
        ],
      },
    ]);
    expect(lockfile!.packages.filter((entry) => entry.dev).map((entry) => entry.id)).toEqual(['ms@2.1.3']);
  });

  it('names the workspace a finding comes through', async () => {
    const copy = path.join(scratch(), 'workspaces');
    await cp(WORKSPACES, copy, { recursive: true });
    const lockfile = path.join(copy, 'yarn.lock');
    // Pin ms@2.0.0 (needed by @fixture/b through debug) by its sha1 only, as yarn before 1.10 did.
    const text = await readFile(lockfile, 'utf8');
    const weakened = text.replace(/(ms@2\.0\.0:\n(?:.*\n)*?) {2}integrity .*\n/, '$1');
    expect(weakened).not.toBe(text);
    await writeFile(lockfile, weakened);

    const run = await runCli(['audit', copy, '--offline', '--checks', 'integrity', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.findings.map(({ ruleId, package: pkg, location }) => ({ ruleId, package: pkg, location }))).toEqual([
      {
        ruleId: 'integrity/weak',
        package: { name: 'ms', version: '2.0.0', id: 'ms@2.0.0', path: ['@fixture/b@1.0.0', 'debug@2.6.9', 'ms@2.0.0'] },
        location: { file: 'yarn.lock', line: 12, column: 1 },
      },
    ]);
  });
});

describe('pkgguard audit on a yarn Berry lockfile', () => {
  it('reports only the entry whose checksum was removed: checksums count, a checksum-less built-in patch does not', async () => {
    const run = await runCli(['audit', project('yarn-berry-checksum'), '--offline', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.lockfiles).toEqual([{ path: 'yarn.lock', format: 'yarn-berry', formatVersion: '10', packageCount: 26 }]);
    expect(report.incomplete).toEqual([]);
    expect(report.findings.map(({ ruleId, severity, package: pkg, location, message }) => ({ ruleId, severity, package: pkg, location, message }))).toEqual([
      {
        ruleId: 'integrity/missing',
        severity: 'high',
        package: {
          name: 'once',
          version: '1.4.0',
          id: 'once@npm:1.4.0',
          path: ['fixture-optional@0.0.0-use.local', 'inflight@1.0.6', 'once@1.4.0'],
        },
        location: { file: 'yarn.lock', line: 174, column: 1 },
        message: 'once@1.4.0 has no integrity hash, so a swapped tarball would install unnoticed',
      },
    ]);
  });

  it('lists the packages with their flags and positions in the inventory', async () => {
    const run = await runCli(['ls', project('yarn-berry-checksum'), '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [lockfile] = parseInventory(run.stdout).lockfiles;
    expect(lockfile).toMatchObject({ path: 'yarn.lock', format: 'yarn-berry', formatVersion: '10', packageCount: 26, importers: [] });
    expect(lockfile!.root).toEqual({ name: 'fixture-optional', version: '0.0.0-use.local' });
    const jsonfile = lockfile!.packages.find((entry) => entry.id === 'jsonfile@npm:4.0.0');
    expect(jsonfile).toMatchObject({ name: 'jsonfile', version: '4.0.0', optional: false, dev: false, line: 115, column: 1, source: { type: 'registry' } });
    expect(jsonfile?.dependencies).toEqual([{ name: 'graceful-fs', spec: 'npm:^4.1.6', type: 'optional', to: 'graceful-fs@npm:4.2.12' }]);
  });
});

describe('pkgguard audit on a broken yarn.lock', () => {
  it('exits 3 with one line naming the position and the command that rewrites the file', async () => {
    const copy = await copyProject('yarn-berry-checksum', scratch());
    const lockfile = path.join(copy, 'yarn.lock');
    // Drop the colon of the entry header at line 8, as a bad hand edit would.
    const lines = (await readFile(lockfile, 'utf8')).split('\n');
    lines[7] = lines[7]!.replace(/:$/, '');
    await writeFile(lockfile, lines.join('\n'));

    const text = await runCli(['audit', copy, '--offline']);
    expect(text.code).toBe(3);
    expect(text.stdout).toBe('');
    expect(text.stderr).not.toMatch(STACK_LINE);
    expect(text.stderr.split('\n')[0]).toBe(
      'pkgguard: yarn.lock:8:33: not valid yarn.lock YAML: can not read an implicit mapping pair; a colon is missed',
    );

    const json = await runCli(['audit', copy, '--offline', '--format', 'json']);
    expect(json.code).toBe(3);
    expect(parseError(json.stdout).error).toMatchObject({ code: 'ELOCKPARSE', exitCode: 3 });
  });
});
