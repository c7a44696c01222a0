/**
 * --production through the built CLI for the formats whose dev flags pkgguard computes from
 * the dependency types (yarn Berry with its package.json files, pnpm, bun): a finding on a
 * dev-only package is reported by a plain audit and left out with --production, while
 * findings on packages production needs stay. Each case weakens a copy of a fixture made by
 * the real package manager (fixtures/README.md) in the test itself.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/reporters/json.ts';
import { assertBuilt, copyProject, parseInventory, parseReport, REPO_ROOT, runCli, useScratchDir } from './helpers.ts';

beforeAll(assertBuilt);

/** Scratch space for the tests that edit a copy of a project. */
const scratch = useScratchDir();

const LOCKFILES = path.join(REPO_ROOT, 'fixtures', 'lockfiles');
/** The registry's sha1 of ms-2.1.3.tgz (`dist.shasum`), as an SRI string: what yarn 1.9 and npm 5 wrote. */
const MS_2_1_3_SHA1 = 'sha1-V0yBOM4dK1hh8LRFedut1gxmFbI=';

/** A copy of a fixture folder with `edit` applied to one of its files; the edit must change it. */
async function editedCopy(source: string, name: string, file: string, edit: (text: string) => string): Promise<string> {
  const copy = path.join(scratch(), name);
  await cp(source, copy, { recursive: true });
  const text = await readFile(path.join(copy, file), 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  await writeFile(path.join(copy, file), edited);
  return copy;
}

const findingsOf = (report: JsonReport): string[] =>
  report.findings.map(({ ruleId, package: pkg, location }) => `${ruleId} ${pkg.id} ${location.file}:${location.line}`);

async function auditIntegrity(project: string, production: boolean): Promise<{ code: number; findings: string[] }> {
  const run = await runCli(['audit', project, '--offline', '--checks', 'integrity', '--format', 'json', ...(production ? ['--production'] : [])]);
  expect(run.stderr).toBe('');
  return { code: run.code, findings: findingsOf(parseReport(run.stdout)) };
}

describe('--production on a yarn Berry project (dev flags from its package.json files)', () => {
  /** dev-flags without the checksums of debug (prod), isarray (a workspace's devDependency) and ms@2.1.3 (the root's). */
  let project = '';
  beforeAll(async () => {
    project = await editedCopy(path.join(LOCKFILES, 'yarn-berry', 'dev-flags'), 'berry-dev-flags', 'yarn.lock', (text) =>
      text.replace(/^("(?:debug@npm:2\.6\.9|isarray@npm:2\.0\.5|ms@npm:2\.1\.3)":\n(?:.+\n)*?) {2}checksum: .*\n/gm, '$1'),
    );
  });

  it('reports the dev-only packages without --production and leaves them out with it', async () => {
    const all = await auditIntegrity(project, false);
    expect(all).toEqual({
      code: 1,
      findings: ['integrity/missing debug@npm:2.6.9 yarn.lock:17', 'integrity/missing isarray@npm:2.0.5 yarn.lock:57', 'integrity/missing ms@npm:2.1.3 yarn.lock:70'],
    });
    expect(await auditIntegrity(project, true)).toEqual({ code: 1, findings: ['integrity/missing debug@npm:2.6.9 yarn.lock:17'] });
  });

  it('lists the packages production needs with ls --production: devOptional ones stay', async () => {
    const run = await runCli(['ls', project, '--json', '--production']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [lockfile] = parseInventory(run.stdout).lockfiles;
    expect(lockfile!.packages.map((entry) => entry.id)).toEqual([
      'debug@npm:2.6.9',
      'inflight@npm:1.0.6',
      'inherits@npm:2.0.4',
      'ms@npm:2.0.0',
      'once@npm:1.4.0',
      'wrappy@npm:1.0.2',
    ]);
  });

  it('keeps every package when the lockfile is audited without its package.json, and says why with --debug', async () => {
    const alone = path.join(scratch(), 'berry-alone');
    await cp(path.join(project, 'yarn.lock'), path.join(alone, 'yarn.lock'), { recursive: true });
    const run = await runCli(['audit', alone, '--offline', '--checks', 'integrity', '--format', 'json', '--production', '--debug']);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toContain(
      'pkgguard debug: yarn.lock: no package.json beside it, so dev dependencies cannot be told from the others (--production keeps them)',
    );
    expect(findingsOf(parseReport(run.stdout))).toHaveLength(3);
  });
});

describe('--production on a pnpm project', () => {
  it('leaves out a finding on the root’s devDependency (pnpm 9 basic, ms@2.1.3 pinned by sha1)', async () => {
    const project = await editedCopy(path.join(LOCKFILES, 'pnpm', 'basic', 'pnpm9'), 'pnpm-basic', 'pnpm-lock.yaml', (text) =>
      text.replace(/(\n {2}ms@2\.1\.3:\n {4}resolution: \{integrity: )[^}]+\}/, `$1${MS_2_1_3_SHA1}}`),
    );
    expect(await auditIntegrity(project, false)).toEqual({ code: 1, findings: ['integrity/weak ms@2.1.3 pnpm-lock.yaml:35'] });
    expect(await auditIntegrity(project, true)).toEqual({ code: 0, findings: [] });
  });
});

describe('--production on a bun project', () => {
  it('leaves out a finding on the root’s devDependency and keeps those production needs (bun-integrity, ms@2.1.3 pinned by sha1)', async () => {
    const source = await copyProject('bun-integrity', scratch(), 'bun-integrity-source');
    const project = await editedCopy(source, 'bun-integrity', 'bun.lock', (text) =>
      text.replace(/("ms": \["ms@2\.1\.3", "", \{\}, )"sha512-[^"]+"/, `$1"${MS_2_1_3_SHA1}"`),
    );
    const production = [
      'integrity/missing once bun.lock:40',
      'integrity/weak wrappy bun.lock:42',
      'integrity/mismatch @fixture/b/ms bun.lock:44',
      'integrity/mismatch debug/ms bun.lock:46',
    ];
    expect(await auditIntegrity(project, false)).toEqual({ code: 1, findings: ['integrity/weak ms bun.lock:38', ...production] });
    expect(await auditIntegrity(project, true)).toEqual({ code: 1, findings: production });
  });
});
