/**
 * tarball-integrity through the real `audit()` against registries on 127.0.0.1 that serve real
 * gzipped tarballs, with a package-lock.json in npm's v3 shape naming them: clean, tampered
 * bytes, 404, an unreachable server, the npm cache offline (hit, miss, mismatch), the entries it
 * never downloads (git, yarn Berry checksums, private names on the public registry), the rewrite
 * of npm's default registry to the configured one, and that the check is off by default.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import cacache from 'cacache';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit.ts';
import { builtInChecks } from '../../src/checks/index.ts';
import type { AuditResult } from '../../src/core/reporter.ts';
import { selectChecks } from '../../src/core/select.ts';
import { npmDefaultRegistry } from '../../src/registry/npm-config.ts';
import { urlCacheKey } from '../../src/registry/tarballs.ts';
import { findingLines } from '../helpers/registry-audit.ts';
import { createConfigSandbox, type ConfigSandbox } from '../registry/config-sandbox.ts';
import { type FakeRegistry, startFakeRegistry } from '../registry/fake-registry.ts';
import { packTarball, serveTarballs, sriOf, tarballPath } from '../registry/tarball-server.ts';

const CHECKS = ['tarball-integrity'];
const A = packTarball('a', '1.0.0');
const SCOPED = packTarball('@scope/b', '2.0.0');
const REMOTE = packTarball('remote-c', '3.0.0');
const LOCAL = packTarball('local-d', '4.0.0');
const GIT_SHA = '0123456789abcdef0123456789abcdef01234567';

let registry: FakeRegistry;
let tarballHost: FakeRegistry;
let sandbox: ConfigSandbox;

interface LockEntry {
  readonly key: string;
  readonly name?: string | undefined;
  readonly version: string;
  readonly resolved?: string | undefined;
  readonly integrity?: string | undefined;
}

/** A package-lock.json v3 as npm writes it (two-space JSON, root entry first). */
function npmLockfile(entries: readonly LockEntry[]): string {
  const packages: Record<string, unknown> = { '': { name: 'tarball-demo', version: '1.0.0' } };
  for (const { key, ...entry } of entries) packages[key] = entry;
  return `${JSON.stringify({ name: 'tarball-demo', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

function lineOf(lockfile: string, key: string): number {
  return lockfile.split('\n').findIndex((line) => line === `    "${key}": {`) + 1;
}

const at = (server: FakeRegistry, pathname: string): string => `${server.url.slice(0, -1)}${pathname}`;

/** The clean project: two registry packages, a remote tarball on another host, a local tarball. */
function cleanEntries(): LockEntry[] {
  return [
    { key: 'node_modules/@scope/b', version: '2.0.0', resolved: at(registry, tarballPath('@scope/b', '2.0.0')), integrity: sriOf(SCOPED) },
    { key: 'node_modules/a', version: '1.0.0', resolved: at(registry, tarballPath('a', '1.0.0')), integrity: sriOf(A) },
    { key: 'node_modules/local-d', version: '4.0.0', resolved: 'file:vendor/local-d-4.0.0.tgz', integrity: sriOf(LOCAL) },
    { key: 'node_modules/remote-c', version: '3.0.0', resolved: at(tarballHost, '/files/remote-c-3.0.0.tgz'), integrity: sriOf(REMOTE) },
  ];
}

function registryTarballs(overrides: Record<string, Buffer> = {}): Map<string, Buffer> {
  return new Map(Object.entries({ [tarballPath('a', '1.0.0')]: A, [tarballPath('@scope/b', '2.0.0')]: SCOPED, ...overrides }));
}

async function project(entries: readonly LockEntry[], config?: unknown): Promise<string> {
  const lockfile = npmLockfile(entries);
  await sandbox.write('work/project/package-lock.json', lockfile);
  await mkdir(path.join(sandbox.project, 'vendor'), { recursive: true });
  await writeFile(path.join(sandbox.project, 'vendor', 'local-d-4.0.0.tgz'), LOCAL);
  if (config !== undefined) await sandbox.write('work/project/pkgguard.config.json', JSON.stringify(config));
  return lockfile;
}

const npmCache = (): string => path.join(sandbox.root, 'npm-cache');

function run(options: { offline?: boolean; checks?: readonly string[]; timeoutMs?: number } = {}): Promise<AuditResult> {
  return audit({
    dir: sandbox.project,
    checks: options.checks ?? CHECKS,
    registry: registry.url,
    cacheDir: path.join(sandbox.root, 'pkgguard-cache'),
    offline: options.offline,
    failOn: 'low',
    environment: { env: { npm_config_cache: npmCache() }, homedir: sandbox.home, platform: 'linux', execPath: path.join(sandbox.prefix, 'bin', 'node') },
    registryClient: { retries: 2, retryDelayMs: 1, timeoutMs: options.timeoutMs ?? 5_000 },
  });
}

const notes = (result: AuditResult): string[] => result.notes.map((note) => note.message);

beforeEach(async () => {
  registry = await startFakeRegistry(serveTarballs(registryTarballs()));
  tarballHost = await startFakeRegistry(serveTarballs(new Map([['/files/remote-c-3.0.0.tgz', REMOTE]])));
  sandbox = await createConfigSandbox();
});

afterEach(async () => {
  await registry.close();
  await tarballHost.close();
  await sandbox.remove();
});

describe('tarball-integrity: downloads', () => {
  it('passes when every tarball hashes to its lockfile integrity, downloading each once and writing no npm cache', async () => {
    await project(cleanEntries());
    const result = await run();
    expect(result.incomplete).toEqual([]);
    expect(findingLines(result)).toEqual([]);
    expect(notes(result)).toEqual([]);
    expect(registry.requests.map((request) => request.url).sort()).toEqual(['/@scope/b/-/b-2.0.0.tgz', '/a/-/a-1.0.0.tgz']);
    expect(tarballHost.requests.map((request) => request.url)).toEqual(['/files/remote-c-3.0.0.tgz']);
    await expect(mkdir(npmCache())).resolves.toBeUndefined();
  });

  it('reports bytes that differ from the lockfile, naming the URL and both digests, at the entry line', async () => {
    const lockfile = await project(cleanEntries());
    const tampered = packTarball('a', '1.0.0', 10);
    registry.handle(serveTarballs(registryTarballs({ [tarballPath('a', '1.0.0')]: tampered })));
    const result = await run();
    expect(findingLines(result)).toEqual([`critical tarball-integrity/mismatch a@1.0.0 line ${lineOf(lockfile, 'node_modules/a')}`]);
    const url = at(registry, '/a/-/a-1.0.0.tgz');
    expect(result.findings[0]?.message).toBe(
      `a@1.0.0: ${url} serves ${sriOf(tampered)}, but the lockfile's integrity is ${sriOf(A)}: the registry, a proxy or a mirror serves other bytes than the lockfile pins, or the entry was changed`,
    );
    expect(result.findings[0]?.data).toEqual({ name: 'a', version: '1.0.0', url, algorithm: 'sha512', expected: sriOf(A), actual: sriOf(tampered) });
  });

  it('reports a changed local tarball and a tampered remote tarball', async () => {
    const lockfile = await project(cleanEntries());
    await writeFile(path.join(sandbox.project, 'vendor', 'local-d-4.0.0.tgz'), packTarball('local-d', '4.0.0', 1));
    tarballHost.handle(serveTarballs(new Map([['/files/remote-c-3.0.0.tgz', packTarball('remote-c', '3.0.0', 1)]])));
    const result = await run();
    expect(findingLines(result)).toEqual([
      `critical tarball-integrity/mismatch local-d@4.0.0 line ${lineOf(lockfile, 'node_modules/local-d')}`,
      `critical tarball-integrity/mismatch remote-c@3.0.0 line ${lineOf(lockfile, 'node_modules/remote-c')}`,
    ]);
    expect(result.findings[0]?.data?.['url']).toBe('file:vendor/local-d-4.0.0.tgz');
  });

  it('reports a locked tarball the registry no longer has (404)', async () => {
    const lockfile = await project(cleanEntries());
    registry.handle(serveTarballs(new Map([[tarballPath('@scope/b', '2.0.0'), SCOPED]])));
    const result = await run();
    expect(findingLines(result)).toEqual([`high tarball-integrity/unavailable a@1.0.0 line ${lineOf(lockfile, 'node_modules/a')}`]);
    expect(result.findings[0]?.message).toBe(
      `a@1.0.0: ${at(registry, '/a/-/a-1.0.0.tgz')} answers 404: the locked tarball is gone (unpublished or removed), so installs from this lockfile fail`,
    );
  });

  it('marks the audit incomplete when a server keeps failing, never clean', async () => {
    await project(cleanEntries());
    registry.handle((_request, response) => {
      response.writeHead(500);
      response.end();
    });
    const result = await run();
    expect(result.incomplete).toEqual([
      expect.objectContaining({ checkId: 'tarball-integrity', kind: 'source-unavailable', message: expect.stringMatching(/500 Internal Server Error for GET \/(a\/-\/a-1\.0\.0|@scope\/b\/-\/b-2\.0\.0)\.tgz \(3 attempts\)$/) }),
    ]);
  });

  it('downloads nothing for git dependencies and says how many it left out', async () => {
    await project([
      ...cleanEntries(),
      { key: 'node_modules/from-git', version: '1.0.0', resolved: `git+ssh://git@git.example/owner/from-git.git#${GIT_SHA}` },
    ]);
    const result = await run();
    expect(findingLines(result)).toEqual([]);
    expect(notes(result)).toEqual([
      '1 git dependency was not downloaded: fetching one means building it, which runs its prepare script, and pkgguard never runs package code',
    ]);
  });

  it("fetches a URL on npm's default registry from the configured registry, as npm does", async () => {
    const npmDefault = await npmDefaultRegistry();
    await project([{ key: 'node_modules/a', version: '1.0.0', resolved: `${npmDefault.replace(/\/?$/, '')}/a/-/a-1.0.0.tgz`, integrity: sriOf(A) }]);
    const result = await run();
    expect(result.incomplete).toEqual([]);
    expect(findingLines(result)).toEqual([]);
    expect(registry.requests.map((request) => request.url)).toEqual(['/a/-/a-1.0.0.tgz']);
  });

  it('never asks the public registry for a private name', async () => {
    const npmDefault = (await npmDefaultRegistry()).replace(/\/?$/, '/');
    await project([{ key: 'node_modules/@corp/secret', version: '1.0.0', resolved: `${npmDefault}@corp/secret/-/secret-1.0.0.tgz`, integrity: sriOf(A) }], {
      privateScopes: ['@corp'],
    });
    // The default registry is the public one here, so the rewrite to the configured one does not apply.
    const result = await audit({
      dir: sandbox.project,
      checks: CHECKS,
      cacheDir: path.join(sandbox.root, 'pkgguard-cache'),
      environment: { env: { npm_config_cache: npmCache(), npm_config_proxy: 'http://127.0.0.1:9/', npm_config_https_proxy: 'http://127.0.0.1:9/' }, homedir: sandbox.home, platform: 'linux', execPath: path.join(sandbox.prefix, 'bin', 'node') },
      registryClient: { retries: 0, timeoutMs: 2_000 },
    });
    expect(result.incomplete).toEqual([]);
    expect(notes(result)).toEqual(['1 package was not downloaded: private names are never requested from the public registry']);
  });
});

describe('tarball-integrity: offline, from npm\'s cache', () => {
  const cachePath = (): string => path.join(npmCache(), '_cacache');

  it('verifies downloads npm recorded by URL, flags one with other bytes, and counts what is not cached', async () => {
    const lockfile = await project(cleanEntries());
    const other = packTarball('@scope/b', '2.0.0', 3);
    await cacache.put(cachePath(), urlCacheKey(at(registry, '/a/-/a-1.0.0.tgz')), A);
    await cacache.put(cachePath(), urlCacheKey(at(registry, '/@scope/b/-/b-2.0.0.tgz')), other);
    const result = await run({ offline: true });
    expect(registry.requests).toEqual([]);
    expect(tarballHost.requests).toEqual([]);
    expect(findingLines(result)).toEqual([`high tarball-integrity/cache-mismatch @scope/b@2.0.0 line ${lineOf(lockfile, 'node_modules/@scope/b')}`]);
    expect(result.findings[0]?.message).toBe(
      `@scope/b@2.0.0: npm's cache holds a download of ${at(registry, '/@scope/b/-/b-2.0.0.tgz')} with ${sriOf(other)}, but the lockfile's integrity is ${sriOf(SCOPED)}: that URL served other bytes than the lockfile pins`,
    );
    expect(notes(result)).toEqual([`1 of 3 tarballs are not in ${cachePath()} and were not verified (offline); run without --offline to download them`]);
  });

  it('counts content stored only under the lockfile digest as matching by construction', async () => {
    await project(cleanEntries());
    await cacache.put(cachePath(), 'pacote:unrelated-key', A);
    const result = await run({ offline: true });
    expect(findingLines(result)).toEqual([]);
    expect(notes(result)).toEqual([
      `1 tarball is in ${cachePath()} only under the lockfile's own digest: they match by construction, which says nothing about what their URL serves`,
      `2 of 3 tarballs are not in ${cachePath()} and were not verified (offline); run without --offline to download them`,
    ]);
  });

  it('skips itself when npm\'s cache holds none of the tarballs', async () => {
    await project(cleanEntries().filter((entry) => !entry.key.includes('local-d')));
    const result = await run({ offline: true });
    expect(result.skipped).toEqual([
      { checkId: 'tarball-integrity', lockfile: 'package-lock.json', reason: `offline, and ${cachePath()} holds none of this lockfile's tarballs (run without --offline to download them)` },
    ]);
  });
});

describe('tarball-integrity: yarn Berry', () => {
  it("verifies nothing and says why: Berry's checksums are not SRI values", async () => {
    await sandbox.write('work/project/yarn.lock', [
      '# This file is generated by running "yarn install" inside your project.',
      '# Manual changes might be lost - proceed with caution!',
      '',
      '__metadata:',
      '  version: 8',
      '  cacheKey: 10c0',
      '',
      '"a@npm:^1.0.0":',
      '  version: 1.0.0',
      '  resolution: "a@npm:1.0.0"',
      '  checksum: 10c0/' + 'ab'.repeat(64),
      '  languageName: node',
      '  linkType: hard',
      '',
      '"tarball-demo@workspace:.":',
      '  version: 0.0.0-use.local',
      '  resolution: "tarball-demo@workspace:."',
      '  dependencies:',
      '    a: "npm:^1.0.0"',
      '  languageName: unknown',
      '  linkType: soft',
      '',
    ].join('\n'));
    await sandbox.write('work/project/package.json', JSON.stringify({ name: 'tarball-demo', dependencies: { a: '^1.0.0' } }));
    const result = await run();
    expect(result.incomplete).toEqual([]);
    expect(registry.requests).toEqual([]);
    expect(notes(result)).toEqual(["1 entry has only yarn's own checksum (a hash of yarn's zip archive, not of the tarball): not verified"]);
  });
});

describe('tarball-integrity: selection', () => {
  const selected = async (options: { enable?: string[]; settings?: Record<string, { severity: 'on' | 'off' }>; only?: string[] }) =>
    (await selectChecks(builtInChecks, { offline: false, settings: options.settings ?? {}, enable: options.enable, only: options.only })).selected.map((entry) => entry.check.meta.id);

  it('is off by default, and on with --verify-tarballs, "on" in the configuration or --checks', async () => {
    expect(await selected({})).not.toContain('tarball-integrity');
    expect(await selected({ enable: ['tarball-integrity'] })).toContain('tarball-integrity');
    expect(await selected({ settings: { 'tarball-integrity': { severity: 'on' } } })).toContain('tarball-integrity');
    expect(await selected({ only: ['tarball-integrity'] })).toEqual(['tarball-integrity']);
    expect(await selected({ only: ['integrity'], enable: ['tarball-integrity'] })).toEqual(['integrity', 'tarball-integrity']);
    expect(await selected({ enable: ['tarball-integrity'], settings: { 'tarball-integrity': { severity: 'off' } } })).not.toContain('tarball-integrity');
  });
});
