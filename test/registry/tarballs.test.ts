/**
 * The tarball source against real HTTP servers on 127.0.0.1 and a real npm cache (written with
 * cacache under make-fetch-happen's keys, as npm writes it): digests of streamed bytes, 404/410,
 * retries on 5xx, Retry-After, timeouts, refused connections, credentials only for their own
 * host, nothing written to any cache, and npm-cache lookups by URL and by digest.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import cacache from 'cacache';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';
import { createTarballSource, urlCacheKey } from '../../src/registry/tarballs.ts';
import type { TarballSourceOptions } from '../../src/registry/tarballs.ts';
import { closedPort, type FakeRegistry, startFakeRegistry } from './fake-registry.ts';
import { packTarball, serveTarballs, sriOf, tarballPath } from './tarball-server.ts';

const A = packTarball('a', '1.0.0');
const A_PATH = tarballPath('a', '1.0.0');

let registry: FakeRegistry;
let temp: string;

beforeEach(async () => {
  registry = await startFakeRegistry(serveTarballs(new Map([[A_PATH, A]])));
  temp = await mkdtemp(path.join(tmpdir(), 'pkgguard-tarballs-'));
});

afterEach(async () => {
  await registry.close();
  await rm(temp, { recursive: true, force: true });
});

function configFor(url: string, extra: Partial<RegistryConfig> = {}): RegistryConfig {
  return { source: 'npm', defaultRegistry: url, scopes: {}, fetchOptions: { registry: url }, npmCache: path.join(temp, 'npm-cache', '_cacache'), files: [], warnings: [], ...extra };
}

function source(options: Partial<TarballSourceOptions> = {}) {
  return createTarballSource({ config: configFor(registry.url), projectDir: path.join(temp, 'project'), retries: 2, retryDelayMs: 1, maxRetryDelayMs: 5, random: () => 0.5, ...options });
}

const fetchA = (tarballs = source()) => tarballs.fetch({ url: `${registry.url.slice(0, -1)}${A_PATH}`, registry: registry.url, algorithm: 'sha512' });

describe('tarball source: downloads', () => {
  it("hashes the served bytes in the requested algorithm and writes no cache", async () => {
    expect(await fetchA()).toEqual({ kind: 'hashed', digest: sriOf(A), size: A.length });
    const sha1 = await source().fetch({ url: `${registry.url.slice(0, -1)}${A_PATH}`, registry: registry.url, algorithm: 'sha1' });
    expect(sha1).toEqual({ kind: 'hashed', digest: sriOf(A, 'sha1'), size: A.length });
    expect(await readdir(temp)).toEqual([]);
  });

  it.each([404, 410])('answers %i as a gone tarball, without retrying', async (status) => {
    registry.handle((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end('{"error":"Not found"}');
    });
    expect(await fetchA()).toEqual({ kind: 'gone', status });
    expect(registry.requests).toHaveLength(1);
  });

  it('retries a 500 and succeeds', async () => {
    const serve = serveTarballs(new Map([[A_PATH, A]]));
    registry.handle((request, response) => {
      if (registry.requests.length === 1) {
        response.writeHead(500);
        response.end();
        return;
      }
      return serve(request, response);
    });
    expect(await fetchA()).toEqual({ kind: 'hashed', digest: sriOf(A), size: A.length });
    expect(registry.requests).toHaveLength(2);
  });

  it('gives up after its retries with one line naming the server and path', async () => {
    registry.handle((_request, response) => {
      response.writeHead(503);
      response.end();
    });
    const failure = fetchA();
    await expect(failure).rejects.toBeInstanceOf(SourceUnavailableError);
    await expect(failure).rejects.toThrow(`${registry.url.slice('http://'.length, -1)}: 503 Service Unavailable for GET /a/-/a-1.0.0.tgz (3 attempts)`);
    expect(registry.requests).toHaveLength(3);
  });

  it('waits out Retry-After on 429, and refuses to wait longer than its limit', async () => {
    const serve = serveTarballs(new Map([[A_PATH, A]]));
    registry.handle((request, response) => {
      if (registry.requests.length === 1) {
        response.writeHead(429, { 'retry-after': '1' });
        response.end();
        return;
      }
      return serve(request, response);
    });
    const started = performance.now();
    expect(await fetchA()).toEqual({ kind: 'hashed', digest: sriOf(A), size: A.length });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);

    registry.handle((_request, response) => {
      response.writeHead(429, { 'retry-after': '120' });
      response.end();
    });
    await expect(fetchA()).rejects.toThrow(/429 Too Many Requests for GET \/a\/-\/a-1\.0\.0\.tgz; the server asks to retry after 120 s, longer than pkgguard waits \(60 s\)/);
  });

  it('times out a body that stalls, retries, then fails', async () => {
    registry.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': A.length });
      response.write(A.subarray(0, 10));
    });
    await expect(fetchA(source({ timeoutMs: 200, retries: 1 }))).rejects.toThrow(/no complete response within 0\.2 s for GET \/a\/-\/a-1\.0\.0\.tgz \(2 attempts\)/);
    expect(registry.requests).toHaveLength(2);
  });

  it('reports a refused connection as an unavailable source', async () => {
    const port = await closedPort();
    await expect(source().fetch({ url: `http://127.0.0.1:${port}${A_PATH}`, registry: `http://127.0.0.1:${port}/`, algorithm: 'sha512' })).rejects.toThrow(
      `127.0.0.1:${port}: connection refused (ECONNREFUSED) for GET /a/-/a-1.0.0.tgz`,
    );
  });

  it("sends a registry's token to that registry only", async () => {
    const other = await startFakeRegistry(serveTarballs(new Map([[A_PATH, A]])));
    try {
      const config = configFor(registry.url, { fetchOptions: { registry: registry.url, [`${registry.nerfDart}:_authToken`]: 'secret-token' } });
      const tarballs = createTarballSource({ config, projectDir: temp, retries: 0 });
      await tarballs.fetch({ url: `${registry.url.slice(0, -1)}${A_PATH}`, registry: registry.url, algorithm: 'sha512' });
      await tarballs.fetch({ url: `${other.url.slice(0, -1)}${A_PATH}`, registry: registry.url, algorithm: 'sha512' });
      expect(registry.requests[0]?.headers.authorization).toBe('Bearer secret-token');
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe("tarball source: npm's cache", () => {
  const url = 'https://registry.npm.example/a/-/a-1.0.0.tgz';
  const cachePath = () => path.join(temp, 'npm-cache', '_cacache');

  it('finds a download by its URL and gives its digest in the requested algorithm', async () => {
    const other = packTarball('a', '1.0.1');
    await cacache.put(cachePath(), urlCacheKey(url), other);
    const tarballs = source();
    expect(await tarballs.cached({ urls: [url], integrity: sriOf(A), algorithm: 'sha512' })).toEqual({ kind: 'by-url', url, digest: sriOf(other) });
    // An sha1-only lockfile: the stored sha512 cannot answer, so the content is hashed.
    expect(await tarballs.cached({ urls: [url], integrity: sriOf(A, 'sha1'), algorithm: 'sha1' })).toEqual({ kind: 'by-url', url, digest: sriOf(other, 'sha1') });
  });

  it('falls back to content stored under the lockfile digest, then to not cached', async () => {
    await cacache.put(cachePath(), 'pacote:some-other-key', A);
    const tarballs = source();
    expect(await tarballs.cached({ urls: [url], integrity: sriOf(A), algorithm: 'sha512' })).toEqual({ kind: 'by-digest' });
    expect(await tarballs.cached({ urls: [url], integrity: sriOf(packTarball('b', '1.0.0')), algorithm: 'sha512' })).toEqual({ kind: 'not-cached' });
  });

  it('answers not cached without an npm cache', async () => {
    const tarballs = createTarballSource({ config: configFor(registry.url, { npmCache: undefined }), projectDir: temp });
    expect(await tarballs.cached({ urls: [url], integrity: sriOf(A), algorithm: 'sha512' })).toEqual({ kind: 'not-cached' });
  });
});

describe('tarball source: project files', () => {
  it('hashes a file inside the project, answers undefined for a missing one and refuses paths outside', async () => {
    const project = path.join(temp, 'project');
    await mkdir(path.join(project, 'vendor'), { recursive: true });
    await writeFile(path.join(project, 'vendor', 'a.tgz'), A);
    const tarballs = source();
    expect(await tarballs.hashProjectFile('vendor/a.tgz', 'sha512')).toBe(sriOf(A));
    expect(await tarballs.hashProjectFile('vendor/missing.tgz', 'sha512')).toBeUndefined();
    await expect(tarballs.hashProjectFile('../outside.tgz', 'sha512')).rejects.toThrow(TypeError);
  });
});
