import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistryClient } from '../../src/registry/client.ts';
import { directGet, type DirectGetRequest } from '../../src/registry/direct-get.ts';
import type { FetchOptionValue } from '../../src/registry/registry-config.ts';
import { type FakeRegistry, sendJson, startFakeRegistry } from './fake-registry.ts';

let registry: FakeRegistry;

beforeEach(async () => {
  registry = await startFakeRegistry();
});

afterEach(async () => {
  await registry.close();
});

function requestFor(url: string, fetchOptions: Record<string, FetchOptionValue> = {}, signals: AbortSignal[] = []): DirectGetRequest {
  return {
    url,
    registry: registry.url,
    accept: 'application/json',
    userAgent: 'pkgguard-test',
    fetchOptions: { registry: registry.url, ...fetchOptions },
    timeoutMs: 5000,
    maxSockets: 4,
    signals,
  };
}

const DOCUMENT = { name: 'is-number', versions: { '7.0.0': { name: 'is-number', version: '7.0.0' } } };

describe('directGet', () => {
  it("sends npm's GET headers and returns the body as text", async () => {
    registry.handle((_request, response) => sendJson(response, 200, DOCUMENT));
    const response = await directGet(requestFor(`${registry.url}is-number`));
    expect(response).toMatchObject({ status: 200, url: `${registry.url}is-number`, text: JSON.stringify(DOCUMENT) });
    expect(registry.requests[0]?.headers).toMatchObject({
      'user-agent': 'pkgguard-test',
      accept: 'application/json',
      'accept-encoding': 'gzip,deflate',
      connection: 'keep-alive',
    });
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['br', brotliCompressSync],
  ] as const)('decodes a %s body (%o)', async (encoding, compress) => {
    registry.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      response.end(compress(Buffer.from(JSON.stringify(DOCUMENT))));
    });
    const response = await directGet(requestFor(`${registry.url}is-number`));
    expect(JSON.parse(response.text)).toEqual(DOCUMENT);
  });

  it('follows redirects (relative, then to another port of the same host) with the credentials, as make-fetch-happen does', async () => {
    const mirror = await startFakeRegistry((_request, response) => sendJson(response, 200, DOCUMENT));
    try {
      registry.handle((request, response) => {
        response.writeHead(request.url === '/is-number' ? 301 : 307, { location: request.url === '/is-number' ? '/moved/is-number' : `${mirror.url}is-number` });
        response.end();
      });
      const response = await directGet(requestFor(`${registry.url}is-number`, { [`${registry.nerfDart}:_authToken`]: 'registry-token' }));
      expect(response).toMatchObject({ status: 200, url: `${mirror.url}is-number` });
      expect(registry.requests.map((request) => [request.url, request.headers.authorization])).toEqual([
        ['/is-number', 'Bearer registry-token'],
        ['/moved/is-number', 'Bearer registry-token'],
      ]);
      expect(mirror.requests.map((request) => request.headers.authorization)).toEqual(['Bearer registry-token']);
    } finally {
      await mirror.close();
    }
  });

  it('gives up after 20 redirects', async () => {
    registry.handle((_request, response) => {
      response.writeHead(302, { location: `/hop-${registry.requests.length}` });
      response.end();
    });
    await expect(directGet(requestFor(`${registry.url}is-number`))).rejects.toMatchObject({ code: 'EMAXREDIRECT' });
    expect(registry.requests).toHaveLength(21);
  });

  it('rejects with the reason of whichever signal aborts', async () => {
    registry.handle(() => undefined);
    const quiet = new AbortController();
    const caller = new AbortController();
    const pending = directGet(requestFor(`${registry.url}is-number`, {}, [quiet.signal, caller.signal]));
    setTimeout(() => caller.abort(new Error('stopped by the caller')), 20);
    await expect(pending).rejects.toThrow('stopped by the caller');
  });

  it('fails at once, without a request, on a proxy it cannot use', async () => {
    const started = Date.now();
    await expect(directGet(requestFor(`${registry.url}is-number`, { proxy: 'ftp://127.0.0.1:21/' }))).rejects.toMatchObject({ code: 'EINVALIDPROXY' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(registry.requests).toEqual([]);
  });

  it('times out a response that never completes', async () => {
    registry.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"name":');
    });
    await expect(directGet({ ...requestFor(`${registry.url}is-number`), timeoutMs: 100 })).rejects.toThrow('no complete response within 100 ms');
  });
});

describe('credentials on the direct path', () => {
  it("picks each URL's credentials by the longest nerf-dart prefix, also when they are remembered per directory", async () => {
    registry.handle((_request, response) => sendJson(response, 200, {}));
    const config = {
      source: 'npm' as const,
      defaultRegistry: registry.url,
      scopes: {},
      fetchOptions: {
        registry: registry.url,
        [`${registry.nerfDart}:_authToken`]: 'registry-token',
        // npm-registry-fetch honours credentials for one document; the per-directory memo must too.
        [`${registry.nerfDart}special:_authToken`]: 'document-token',
      },
      files: [],
      warnings: [],
    };
    const client = createRegistryClient({ config });
    for (const path of ['plain', 'special', 'plain', '-/npm/v1/keys']) await client.json(path);
    expect(registry.requests.map((request) => [request.url, request.headers.authorization])).toEqual([
      ['/plain', 'Bearer registry-token'],
      ['/special', 'Bearer document-token'],
      ['/plain', 'Bearer registry-token'],
      ['/-/npm/v1/keys', 'Bearer registry-token'],
    ]);
  });

  it('logs each response without the credentials of a registry URL', async () => {
    registry.handle((_request, response) => sendJson(response, 200, {}));
    const withUser = registry.url.replace('http://', 'http://ci:s3cret@');
    const lines: string[] = [];
    const config = { source: 'npm' as const, defaultRegistry: withUser, scopes: {}, fetchOptions: { registry: withUser }, files: [], warnings: [] };
    const client = createRegistryClient({ config, log: { debug: (line) => lines.push(line), warn: () => undefined } });
    await client.json('-/npm/v1/keys');
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^GET ${registry.url}-/npm/v1/keys 200 \\d+ ms$`)) as unknown]);
    expect(registry.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ci:s3cret').toString('base64')}`);
  });
});
