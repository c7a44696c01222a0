/**
 * `--verify-tarballs` through the built CLI, against a registry on 127.0.0.1 that serves real
 * gzipped tarballs: what a user sees for a clean project, tampered bytes, a registry that keeps
 * failing, and `--offline` from an npm cache that the real npm filled (`npm cache add`).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeRegistry, startFakeRegistry } from '../registry/fake-registry.ts';
import { packTarball, serveTarballs, sriOf, tarballPath } from '../registry/tarball-server.ts';
import { assertBuilt, makeTempDir, parseReport, removeTempDir, runCli, STACK_LINE } from './helpers.ts';

beforeAll(assertBuilt);

const A = packTarball('a', '1.0.0');
const B = packTarball('b', '2.0.0');

let registry: FakeRegistry;
let temp: string;
let projectDir: string;

const urlOf = (pathname: string): string => `${registry.url.slice(0, -1)}${pathname}`;

/** A package-lock.json v3 as npm writes it, for `a` and `b` from the fake registry. */
async function writeProject(integrity: { a: string; b: string }): Promise<void> {
  const lockfile = {
    name: 'tarball-e2e',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'tarball-e2e', version: '1.0.0', dependencies: { a: '1.0.0', b: '2.0.0' } },
      'node_modules/a': { version: '1.0.0', resolved: urlOf(tarballPath('a', '1.0.0')), integrity: integrity.a },
      'node_modules/b': { version: '2.0.0', resolved: urlOf(tarballPath('b', '2.0.0')), integrity: integrity.b },
    },
  };
  await writeFile(path.join(projectDir, 'package.json'), JSON.stringify({ name: 'tarball-e2e', version: '1.0.0', dependencies: { a: '1.0.0', b: '2.0.0' } }));
  await writeFile(path.join(projectDir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
}

const npmCache = (): string => path.join(temp, 'npm-cache');

function audit(...args: string[]) {
  return runCli(['audit', projectDir, '--checks', 'integrity', '--registry', registry.url, ...args], {
    env: { HOME: path.join(temp, 'home'), PKGGUARD_CACHE_DIR: path.join(temp, 'cache'), XDG_CACHE_HOME: undefined, npm_config_cache: npmCache() },
  });
}

beforeEach(async () => {
  registry = await startFakeRegistry(serveTarballs(new Map([[tarballPath('a', '1.0.0'), A], [tarballPath('b', '2.0.0'), B]])));
  temp = await makeTempDir();
  projectDir = path.join(temp, 'project');
  await mkdir(projectDir);
  await mkdir(path.join(temp, 'home'));
});

afterEach(async () => {
  await registry.close();
  await removeTempDir(temp);
});

describe('--verify-tarballs', () => {
  it('is off without the flag, and passes a clean project with it', async () => {
    await writeProject({ a: sriOf(A), b: sriOf(B) });
    const without = await audit('--format', 'json');
    expect(without.code).toBe(0);
    expect(parseReport(without.stdout).notes).toEqual([]);
    expect(registry.requests).toEqual([]);

    const run = await audit('--verify-tarballs', '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = parseReport(run.stdout);
    expect(report.findings).toEqual([]);
    expect(registry.requests.map((request) => request.url).sort()).toEqual(['/a/-/a-1.0.0.tgz', '/b/-/b-2.0.0.tgz']);
  });

  it('exits 1 and names the URL and both digests when the registry serves other bytes', async () => {
    await writeProject({ a: sriOf(A), b: sriOf(B) });
    const tampered = packTarball('a', '1.0.0', 5);
    registry.handle(serveTarballs(new Map([[tarballPath('a', '1.0.0'), tampered], [tarballPath('b', '2.0.0'), B]])));
    const run = await audit('--verify-tarballs');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`a@1.0.0: ${urlOf('/a/-/a-1.0.0.tgz')} serves ${sriOf(tampered)}, but the lockfile's integrity is ${sriOf(A)}`);
    expect(run.stdout).toContain('package-lock.json:15:5');
  });

  it('exits 4 with one clear line when the registry keeps failing', async () => {
    await writeProject({ a: sriOf(A), b: sriOf(B) });
    registry.handle((_request, response) => {
      response.writeHead(502, { 'retry-after': '0' });
      response.end();
    });
    const run = await audit('--verify-tarballs');
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/check "tarball-integrity" could not run: 127\.0\.0\.1:\d+: 502 Bad Gateway for GET \/[ab]\/-\/[ab]-[12]\.0\.0\.tgz \(4 attempts\)/);
    expect(run.stderr).toContain('the audit is INCOMPLETE');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it("--offline checks the downloads the real npm recorded in its cache, without a request", async () => {
    // The real npm fills its cache from the fake registry, as an earlier install would have.
    // Asynchronously: the fake registry answers from this process's event loop.
    await promisify(execFile)('npm', ['cache', 'add', urlOf(tarballPath('a', '1.0.0'))], {
      timeout: 30_000,
      env: {
        PATH: process.env['PATH'],
        HOME: path.join(temp, 'home'),
        npm_config_cache: npmCache(),
        npm_config_userconfig: path.join(temp, 'no-npmrc'),
        npm_config_globalconfig: path.join(temp, 'no-global-npmrc'),
        npm_config_noproxy: '127.0.0.1',
        npm_config_update_notifier: 'false',
      },
    });
    expect(registry.requests.map((request) => request.url)).toEqual(['/a/-/a-1.0.0.tgz']);
    registry.requests.length = 0;

    // The lockfile now pins other bytes for a than the ones npm downloaded from its URL.
    const pinned = packTarball('a', '1.0.0', 7);
    await writeProject({ a: sriOf(pinned), b: sriOf(B) });
    const run = await audit('--verify-tarballs', '--offline', '--format', 'json');
    expect(run.code).toBe(1);
    const report = parseReport(run.stdout);
    expect(report.findings.map((finding) => `${finding.severity} ${finding.ruleId} ${finding.package.name}@${finding.package.version}`)).toEqual([
      'high tarball-integrity/cache-mismatch a@1.0.0',
    ]);
    expect(report.findings[0]?.data).toEqual({ name: 'a', version: '1.0.0', url: urlOf('/a/-/a-1.0.0.tgz'), algorithm: 'sha512', expected: sriOf(pinned), actual: sriOf(A) });
    expect(report.notes.map((note) => note.message)).toEqual([
      `1 of 2 tarballs are not in ${path.join(npmCache(), '_cacache')} and were not verified (offline); run without --offline to download them`,
    ]);
    expect(registry.requests).toEqual([]);
  });
});
