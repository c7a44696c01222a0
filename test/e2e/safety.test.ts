/**
 * What pkgguard must never do to the machine it runs on, whatever the lockfile holds: let
 * attacker-controlled strings drive the terminal, write files nobody asked for, or run a
 * project's lifecycle scripts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, copyProject, listTree, makeTempDir, parseReport, project, removeTempDir, runCli, OFFLINE_SKIPPED_LINES } from './helpers.ts';

beforeAll(assertBuilt);

const ESC = '\u001b';
const BEL = '\u0007';
const BIDI_OVERRIDE = '\u202e';
const EVIL = String.raw`evil\x1b[2K\x1b[1G\u202etxt.exe`;

describe('control characters from the lockfile', () => {
  it('shows them escaped in the text report, never raw', async () => {
    const run = await runCli(['audit', '--offline'], { cwd: project('control-chars'), env: { FORCE_COLOR: '0' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'HIGH (1)',
        `  high      ${EVIL}@1.0.0 has no integrity hash, so a swapped tarball would install unnoticed  integrity/missing`,
        '      package-lock.json:15:5',
        `      via control-chars-demo@1.0.0 > ${EVIL}@1.0.0`,
        `      fix: Delete the entry and re-lock so npm fetches ${EVIL} again with its integrity (npm keeps an entry without one as it is)`,
        '',
        ...OFFLINE_SKIPPED_LINES,
        'package-lock.json (npm v3): 2 packages, 1 finding',
        '✖ 1 finding (1 high) in 1 lockfile (2 packages) — failing: 1 at or above "low"',
        '',
      ].join('\n'),
    );
  });

  it('adds no raw control bytes of its own to a coloured report beyond SGR colour codes', async () => {
    const run = await runCli(['audit', '--offline', '--color'], { cwd: project('control-chars') });
    // Every ESC that remains must start a colour code (ESC [ digits m) that pkgguard wrote.
    // eslint-disable-next-line no-control-regex -- matching ESC is the point
    expect(run.stdout.replace(/\u001b\[[0-9;]*m/g, '')).not.toContain(ESC);
    expect(run.stdout).not.toContain(BIDI_OVERRIDE);
  });

  it.each([
    ['audit --format json', ['audit', '--offline', '--format', 'json']],
    ['audit --format sarif', ['audit', '--offline', '--format', 'sarif']],
    ['ls', ['ls']],
    ['ls --json', ['ls', '--json']],
  ])('keeps raw ESC, BEL and bidi overrides out of %s', async (_name, args) => {
    const run = await runCli(args, { cwd: project('control-chars') });
    for (const char of [ESC, BEL, BIDI_OVERRIDE]) {
      expect(run.stdout).not.toContain(char);
      expect(run.stderr).not.toContain(char);
    }
  });

  it('keeps the exact name in JSON: escaped bytes, same value', async () => {
    const run = await runCli(['audit', '--offline', '--format', 'json'], { cwd: project('control-chars') });
    const [finding] = parseReport(run.stdout).findings;
    expect(finding!.package.name).toBe(`evil${ESC}[2K${ESC}[1G${BIDI_OVERRIDE}txt.exe`);
    expect(finding!.ruleId).toBe('integrity/missing');
  });
});

describe('files', () => {
  let dir = '';
  let projectDir = '';
  beforeAll(async () => {
    dir = await makeTempDir();
    projectDir = await copyProject('weak-integrity', dir);
  });
  afterAll(() => removeTempDir(dir));

  it('writes nothing into the project or the working directory', async () => {
    const before = await listTree(dir);
    for (const args of [
      ['audit', '--offline'],
      ['audit', '--offline', '--format', 'json'],
      ['audit', '--offline', '--format', 'sarif'],
      ['audit', '--offline', '--debug'],
      ['ls'],
      ['ls', '--json'],
      ['rules'],
    ]) {
      await runCli(args, { cwd: projectDir });
    }
    expect(await listTree(dir)).toEqual(before);
  });

  it('writes only the files requested with --output', async () => {
    const before = await listTree(dir);
    const run = await runCli(['audit', '--offline', '-o', 'sarif=report.sarif', '-o', 'json=report.json'], { cwd: projectDir });
    expect(run.code).toBe(1);
    expect(await listTree(dir)).toEqual(
      [...before, 'weak-integrity/report.json', 'weak-integrity/report.sarif'].sort(),
    );
  });
});

describe('lifecycle scripts', () => {
  const MARKERS = ['PREINSTALL_RAN', 'INSTALL_RAN', 'POSTINSTALL_RAN', 'PREPARE_RAN'];
  let dir = '';
  let projectDir = '';
  beforeAll(async () => {
    dir = await makeTempDir();
    projectDir = await copyProject('lifecycle-scripts', dir);
  });
  afterAll(() => removeTempDir(dir));

  it('would leave markers if they ran (the control for the test below)', async () => {
    const control = await copyProject('lifecycle-scripts', dir, 'control');
    const { scripts } = JSON.parse(await readFile(path.join(control, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const script of Object.values(scripts)) spawnSync(script, { cwd: control, shell: true });
    for (const marker of MARKERS) expect(existsSync(path.join(control, marker)), marker).toBe(true);
    await removeTempDir(control);
  });

  it('are never run by audit or ls', async () => {
    const audit = await runCli(['audit', '--offline'], { cwd: projectDir });
    expect(audit.code).toBe(0);
    const ls = await runCli(['ls'], { cwd: projectDir });
    expect(ls.code).toBe(0);
    for (const marker of MARKERS) expect(existsSync(path.join(projectDir, marker)), marker).toBe(false);
    expect(await listTree(dir)).toEqual([
      'lifecycle-scripts',
      'lifecycle-scripts/package-lock.json',
      'lifecycle-scripts/package.json',
    ]);
  });
});
