/** `--recursive` on a monorepo, end to end: every lockfile audited, each result at its own file. */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, copyProject, gitInit, makeTempDir, parseReport, parseSarif, project, removeTempDir, runCli } from './helpers.ts';

let repo: string;

beforeAll(async () => {
  assertBuilt();
  repo = await makeTempDir('pkgguard-monorepo-');
  gitInit(repo);
  await copyProject('clean', repo, '.');
  await copyProject('tampered', repo, 'services/api');
  await copyProject('weak-integrity', repo, 'tools/legacy');
  // Ignored by .gitignore, and an installed copy: neither may be audited.
  await copyProject('tampered', repo, 'dist/api');
  await copyProject('tampered', repo, 'node_modules/some-dep');
  await writeFile(path.join(repo, '.gitignore'), 'dist/\n');
  // Two package managers' lockfiles side by side.
  await mkdir(path.join(repo, 'tools', 'legacy'), { recursive: true });
  await cp(path.join(project('yarn-classic-sha1'), 'yarn.lock'), path.join(repo, 'tools', 'legacy', 'yarn.lock'));
});
afterAll(() => removeTempDir(repo));

describe('audit --recursive', () => {
  it('audits every lockfile below the project, skipping node_modules and .gitignore\'d directories', async () => {
    const run = await runCli(['audit', '--recursive', '--offline', '--format', 'json', '--skip', 'typosquat'], { cwd: repo });
    const report = parseReport(run.stdout);
    expect(report.lockfiles.map((lockfile) => [lockfile.path, lockfile.format])).toEqual([
      ['package-lock.json', 'npm'],
      ['services/api/package-lock.json', 'npm'],
      ['tools/legacy/package-lock.json', 'npm'],
      ['tools/legacy/yarn.lock', 'yarn-classic'],
    ]);
    expect(new Set(report.findings.map((finding) => finding.location.file))).toEqual(
      new Set(['services/api/package-lock.json', 'tools/legacy/package-lock.json', 'tools/legacy/yarn.lock']),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'pkgguard warning: tools/legacy has 2 lockfiles (package-lock.json, yarn.lock): auditing each; pick one with --lockfile <path>\n',
    );
  });

  it('points SARIF results at the right file from a subdirectory of the repository', async () => {
    const run = await runCli(['audit', '.', '--recursive', '--offline', '--format', 'sarif', '--skip', 'typosquat'], {
      cwd: path.join(repo, 'services'),
    });
    const uris = new Set(parseSarif(run.stdout).runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri));
    expect(uris).toEqual(new Set(['services/api/package-lock.json']));
  });

  it('lists every lockfile with ls --recursive', async () => {
    const run = await runCli(['ls', '--recursive', '--json'], { cwd: repo });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { lockfiles: { path: string }[] }).lockfiles.map((lockfile) => lockfile.path)).toEqual([
      'package-lock.json',
      'services/api/package-lock.json',
      'tools/legacy/package-lock.json',
      'tools/legacy/yarn.lock',
    ]);
  });
});
