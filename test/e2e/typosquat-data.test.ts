/**
 * The built CLI with its typosquat data file missing or damaged (a broken installation): the
 * check fails, the audit says it is incomplete and names the file, and exits 70; it never runs
 * on data read at the wrong offsets, nor passes for clean. Runs a copy of dist/bundle whose
 * data directory the test controls.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, makeTempDir, parseReport, project, removeTempDir, REPO_ROOT } from './helpers.ts';

let install: string;

beforeAll(async () => {
  assertBuilt();
  install = await makeTempDir('pkgguard-e2e-data-');
  const bundle = path.join(REPO_ROOT, 'dist', 'bundle');
  await cp(bundle, path.join(install, 'dist', 'bundle'), {
    recursive: true,
    filter: (source) => !source.endsWith('.map') && path.relative(bundle, source) !== 'data',
  });
  mkdirSync(path.join(install, 'dist', 'bundle', 'data'));
  await cp(path.join(REPO_ROOT, 'bin'), path.join(install, 'bin'), { recursive: true });
  copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(install, 'package.json'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(install, 'node_modules'), 'dir');
});

afterAll(() => removeTempDir(install));

const dataFile = (): string => path.join(install, 'dist', 'bundle', 'data', 'popular-names.txt');

/** The copied CLI on the typosquat fixture, offline, with the typosquat check only. */
function audit() {
  const result = spawnSync(
    process.execPath,
    [path.join(install, 'bin', 'pkgguard.js'), 'audit', project('typosquat'), '--offline', '--checks', 'typosquat', '--format', 'json'],
    { cwd: install, encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: install } },
  );
  const report = parseReport(result.stdout);
  return { code: result.status, findings: report.findings.length, incomplete: report.incomplete };
}

const crashed = (problem: string) => ({
  code: 70,
  findings: 0,
  incomplete: [
    {
      checkId: 'typosquat',
      lockfile: 'package-lock.json',
      kind: 'crashed',
      code: 'EINTERNAL',
      message: `check "typosquat" crashed on package-lock.json: typosquat reference data ${dataFile()} ${problem}`,
    },
  ],
});

describe('typosquat data of a broken installation', () => {
  it('fails the check, naming the missing file', () => {
    expect(audit()).toEqual(crashed('cannot be read (ENOENT)'));
  });

  it('fails the check on a file cut short', () => {
    const shipped = readFileSync(path.join(REPO_ROOT, 'dist', 'bundle', 'data', 'popular-names.txt'), 'latin1');
    // Past the names, inside the hash table: a reader that trusted the file would look up garbage.
    writeFileSync(dataFile(), shipped.slice(0, 500_000), 'latin1');
    expect(audit()).toEqual(crashed('is corrupt: section starts is cut short or misplaced'));
  });

  it('runs the check once the file is whole again', () => {
    copyFileSync(path.join(REPO_ROOT, 'dist', 'bundle', 'data', 'popular-names.txt'), dataFile());
    expect(audit()).toEqual({ code: 1, findings: 6, incomplete: [] });
  });
});
