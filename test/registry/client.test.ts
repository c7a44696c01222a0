import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import { createRegistryClient, escapePackageName, type RegistryClientOptions } from '../../src/registry/client.ts';
import type { FetchOptionValue, RegistryConfig } from '../../src/registry/registry-config.ts';
import { createConfigSandbox } from './config-sandbox.ts';
import {
  closedPort,
  type FakeRegistry,
  readPackumentFixture,
  sendJson,
  servePackuments,
  startFakeRegistry,
} from './fake-registry.ts';

const IS_NUMBER = readPackumentFixture('is-number');
const LOCALE_COMPARE = readPackumentFixture('@isaacs/string-locale-compare');
const ABBREVIATED_ACCEPT = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

let registry: FakeRegistry;
let cacheDir: string;

beforeEach(async () => {
  registry = await startFakeRegistry(servePackuments({ 'is-number': IS_NUMBER, '@isaacs/string-locale-compare': LOCALE_COMPARE }));
  cacheDir = await mkdtemp(path.join(tmpdir(), 'pkgguard-client-'));
});

afterEach(async () => {
  await registry.close();
  await rm(cacheDir, { recursive: true, force: true });
});

function configFor(defaultRegistry: string, fetchOptions: Record<string, FetchOptionValue> = {}, scopes: Record<string, string> = {}): RegistryConfig {
  const scoped = Object.fromEntries(Object.entries(scopes).map(([scope, url]) => [`${scope}:registry`, url]));
  return { source: 'npm', defaultRegistry, scopes, fetchOptions: { registry: defaultRegistry, ...scoped, ...fetchOptions }, files: [], warnings: [] };
}

/** A client with fast retries, so failure paths take milliseconds. */
function clientFor(options: Partial<RegistryClientOptions> = {}) {
  return createRegistryClient({ config: configFor(registry.url), retryDelayMs: 1, maxRetryDelayMs: 5, random: () => 0.5, ...options });
}

async function failureOf(promise: Promise<unknown>): Promise<SourceUnavailableError> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(SourceUnavailableError);
  return error as SourceUnavailableError;
}

describe('packument', () => {
  it('asks for abbreviated metadata by default and returns it parsed', async () => {
    const packument = await clientFor().packument('is-number');
    expect(packument).toEqual(IS_NUMBER.abbreviated);
    expect(registry.requests).toHaveLength(1);
    expect(registry.requests[0]).toMatchObject({ method: 'GET', url: '/is-number' });
    expect(registry.requests[0]?.headers.accept).toBe(ABBREVIATED_ACCEPT);
    expect(registry.requests[0]?.headers['user-agent']).toBe('pkgguard');
  });

  it('asks for the full document with { full: true }', async () => {
    const packument = await clientFor().packument('is-number', { full: true });
    expect(packument).toEqual(IS_NUMBER.full);
    expect(packument?.time?.['7.0.0']).toBe('2018-07-04T15:08:58.238Z');
    expect(registry.requests[0]?.headers.accept).toBe('application/json');
  });

  it('addresses a scoped package as @scope%2fname', async () => {
    const packument = await clientFor().packument('@isaacs/string-locale-compare');
    expect(packument?.['dist-tags']).toEqual({ latest: '1.1.0' });
    expect(registry.requests.map((request) => request.url)).toEqual(['/@isaacs%2fstring-locale-compare']);
  });

  it('returns undefined for a 404, without retrying', async () => {
    await expect(clientFor().packument('no-such-package')).resolves.toBeUndefined();
    expect(registry.requests.map((request) => request.url)).toEqual(['/no-such-package']);
  });

  it('refuses names that would address another endpoint', () => {
    expect(() => escapePackageName('../-/npm/v1/keys')).toThrow(new TypeError('not a package name: "../-/npm/v1/keys"'));
    expect(() => escapePackageName('@scope/../x')).toThrow(TypeError);
    expect(() => escapePackageName('..')).toThrow(TypeError);
    expect(escapePackageName('@scope/name')).toBe('@scope%2fname');
    expect(escapePackageName('a b')).toBe('a%20b');
  });

  it('shares one request between concurrent callers of the same packument with the same signal', async () => {
    const client = clientFor();
    const signal = new AbortController().signal;
    const [first, second] = await Promise.all([client.packument('is-number', { signal }), client.packument('is-number', { signal })]);
    expect(first).toEqual(second);
    expect(registry.requests).toHaveLength(1);
    // A caller with another signal gets its own request, so one abort cannot fail the other.
    await Promise.all([client.packument('is-number'), client.packument('is-number', { signal })]);
    expect(registry.requests).toHaveLength(3);
  });
});

describe('retries', () => {
  it('honours Retry-After (seconds) on 429 instead of its own backoff, then succeeds', async () => {
    const serve = servePackuments({ 'is-number': IS_NUMBER });
    registry.handle((request, response) => {
      if (registry.requests.length === 1) sendJson(response, 429, { error: 'rate limited' }, { 'retry-after': '1' });
      else void serve(request, response);
    });
    const started = performance.now();
    // A backoff of a minute would time the test out: only Retry-After can make it take ~1 s.
    const packument = await clientFor({ retryDelayMs: 60_000, maxRetryDelayMs: 60_000 }).packument('is-number');
    const elapsed = performance.now() - started;
    expect(packument).toEqual(IS_NUMBER.abbreviated);
    expect(registry.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('fails at once when Retry-After is longer than it is willing to wait', async () => {
    registry.handle((_request, response) => sendJson(response, 429, { error: 'rate limited' }, { 'retry-after': '120' }));
    const error = await failureOf(clientFor().packument('is-number'));
    expect(error.message).toBe(
      `127.0.0.1:${new URL(registry.url).port}: 429 Too Many Requests for GET is-number; the registry asks to retry after 120 s, longer than pkgguard waits (60 s)`,
    );
    expect(error.hints).toEqual(['try again later']);
    expect(registry.requests).toHaveLength(1);
  });

  it('retries 500 twice, then returns the packument', async () => {
    const serve = servePackuments({ 'is-number': IS_NUMBER });
    registry.handle((request, response) => {
      if (registry.requests.length <= 2) sendJson(response, 500, { error: 'internal' });
      else void serve(request, response);
    });
    await expect(clientFor().packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
    expect(registry.requests).toHaveLength(3);
  });

  it('gives up after 1 + retries attempts on a registry that keeps failing', async () => {
    registry.handle((_request, response) => sendJson(response, 500, { error: 'internal' }));
    const error = await failureOf(clientFor().packument('is-number'));
    expect(error.message).toBe(`127.0.0.1:${new URL(registry.url).port}: 500 Internal Server Error for GET is-number (4 attempts)`);
    expect(error.code).toBe('ESOURCE');
    expect(error.exitCode).toBe(4);
    expect(error.hints).toEqual(['the registry may be down or overloaded; try again later']);
    expect(registry.requests).toHaveLength(4);
  });

  it('backs off exponentially between attempts', async () => {
    registry.handle((_request, response) => sendJson(response, 503, { error: 'unavailable' }));
    const delays: string[] = [];
    const log = { debug: (message: string) => delays.push(message.replace(/^.*; /, '')), warn: () => undefined };
    await failureOf(clientFor({ retryDelayMs: 20, maxRetryDelayMs: 1_000, random: () => 0, log }).packument('is-number'));
    // Equal jitter with random() = 0 waits half of 20, 40, 80 ms.
    expect(delays.filter((line) => line.startsWith('retry'))).toEqual(['retry 1 of 3 in 10 ms', 'retry 2 of 3 in 20 ms', 'retry 3 of 3 in 40 ms']);
  });

  it('retries a connection the registry resets', async () => {
    const serve = servePackuments({ 'is-number': IS_NUMBER });
    registry.handle((request, response) => {
      if (registry.requests.length === 1) response.socket?.destroy();
      else void serve(request, response);
    });
    await expect(clientFor().packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
    expect(registry.requests).toHaveLength(2);
  });

  it('does not retry a 403, and names the credentials to check without their values', async () => {
    registry.handle((_request, response) => sendJson(response, 403, { error: 'forbidden' }));
    const error = await failureOf(clientFor().packument('is-number'));
    const host = `127.0.0.1:${new URL(registry.url).port}`;
    expect(error.message).toBe(`${host}: 403 Forbidden for GET is-number`);
    expect(error.hints).toEqual([
      `check the credentials configured for this registry (//${host}/:_authToken in .npmrc, or npmAuthToken in .yarnrc.yml)`,
    ]);
    expect(registry.requests).toHaveLength(1);
  });
});

describe('timeouts and network failures', () => {
  it('times out a registry that never answers', async () => {
    registry.handle(() => undefined);
    const error = await failureOf(clientFor({ timeoutMs: 100, retries: 1 }).packument('is-number'));
    expect(error.message).toBe(`127.0.0.1:${new URL(registry.url).port}: no complete response within 0.1 s for GET is-number (2 attempts)`);
    expect(registry.requests).toHaveLength(2);
  });

  it('times out a body that stalls after the headers', async () => {
    registry.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"name":"is-number",');
    });
    const error = await failureOf(clientFor({ timeoutMs: 100, retries: 0 }).packument('is-number'));
    expect(error.message).toBe(`127.0.0.1:${new URL(registry.url).port}: no complete response within 0.1 s for GET is-number (1 attempt)`);
  });

  it('reports a refused connection without retrying it', async () => {
    const port = await closedPort();
    const client = createRegistryClient({ config: configFor(`http://127.0.0.1:${port}/`), retryDelayMs: 1 });
    const error = await failureOf(client.packument('is-number'));
    expect(error.message).toBe(`127.0.0.1:${port}: connection refused (ECONNREFUSED) for GET is-number`);
    expect(error.hints).toEqual(['check the registry URL and proxy settings in your npm configuration']);
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    registry.handle(() => undefined);
    const controller = new AbortController();
    const pending = clientFor().packument('is-number', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lets an aborted request leave the concurrency queue', async () => {
    registry.handle(() => undefined);
    const client = clientFor({ concurrency: 1, timeoutMs: 5_000 });
    const blocker = new AbortController();
    const blocking = client.packument('is-number', { signal: blocker.signal });
    await until(() => registry.requests.length === 1);
    const queued = new AbortController();
    const waiting = client.packument('@isaacs/string-locale-compare', { signal: queued.signal });
    queued.abort(new Error('user cancelled'));
    await expect(waiting).rejects.toThrow('user cancelled');
    blocker.abort();
    await expect(blocking).rejects.toMatchObject({ name: 'AbortError' });
    expect(registry.requests.map((request) => request.url)).toEqual(['/is-number']);
  });
});

describe('bad content', () => {
  it('rejects invalid JSON', async () => {
    registry.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"name":"is-number","versions":');
    });
    const error = await failureOf(clientFor().packument('is-number'));
    expect(error.message).toBe(`127.0.0.1:${new URL(registry.url).port}: invalid JSON in the response for is-number`);
  });

  it('rejects an HTML page served with 200 (a proxy login page)', async () => {
    registry.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<html><body>Please sign in</body></html>');
    });
    const error = await failureOf(clientFor().packument('is-number'));
    expect(error.message).toBe(`127.0.0.1:${new URL(registry.url).port}: expected JSON for is-number, got text/html`);
    expect(error.hints).toEqual(['a proxy or login page may be answering instead of the registry']);
  });

  it("rejects another package's packument", async () => {
    registry.handle((_request, response) => sendJson(response, 200, LOCALE_COMPARE.abbreviated));
    const error = await failureOf(clientFor().packument('is-number'));
    expect(error.message).toBe(`127.0.0.1:${new URL(registry.url).port}: the response for is-number is not its packument`);
  });
});

describe('concurrency', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    const serve = servePackuments({ 'is-number': IS_NUMBER });
    registry.handle((request, response) => {
      setTimeout(() => void serve(request, response), 100);
    });
    const client = clientFor({ concurrency: 4 });
    // Distinct signals defeat in-flight sharing, so all 12 requests really go out.
    const results = await Promise.all(Array.from({ length: 12 }, () => client.packument('is-number', { signal: new AbortController().signal })));
    expect(results.every((packument) => packument?.name === 'is-number')).toBe(true);
    expect(registry.requests).toHaveLength(12);
    expect(registry.concurrency.max).toBe(4);
  });
});

describe('credentials', () => {
  let corp: FakeRegistry;
  beforeEach(async () => {
    corp = await startFakeRegistry(servePackuments({ '@corp/internal': IS_NUMBER_AS('@corp/internal') }));
  });
  afterEach(async () => {
    await corp.close();
  });

  it('sends a registry token only to that registry', async () => {
    const config = configFor(registry.url, { [`${corp.nerfDart}:_authToken`]: 'corp-secret-token' }, { '@corp': corp.url });
    const client = createRegistryClient({ config, retryDelayMs: 1 });
    await expect(client.packument('@corp/internal')).resolves.toMatchObject({ name: '@corp/internal' });
    await expect(client.packument('is-number')).resolves.toMatchObject({ name: 'is-number' });
    expect(corp.requests.map((request) => [request.url, request.headers.authorization])).toEqual([['/@corp%2finternal', 'Bearer corp-secret-token']]);
    expect(registry.requests.map((request) => [request.url, request.headers.authorization])).toEqual([['/is-number', undefined]]);
  });

  it('sends the token configured in .npmrc to its scoped registry only', async () => {
    const sandbox = await createConfigSandbox();
    try {
      await sandbox.write(
        'work/project/.npmrc',
        [`registry=${registry.url}`, `@corp:registry=${corp.url}`, `${corp.nerfDart}:_authToken=\${CORP_TOKEN}`].join('\n'),
      );
      const config = await sandbox.load({ env: { CORP_TOKEN: 'from-env-token' } });
      const client = createRegistryClient({ config });
      await client.packument('@corp/internal');
      await client.packument('is-number');
      await client.json('/-/npm/v1/keys');
      expect(corp.requests.map((request) => request.headers.authorization)).toEqual(['Bearer from-env-token']);
      expect(registry.requests.map((request) => [request.url, request.headers.authorization])).toEqual([
        ['/is-number', undefined],
        ['/-/npm/v1/keys', undefined],
      ]);
    } finally {
      await sandbox.remove();
    }
  });

  it('sends basic auth from username/_password and _auth the way npm does', async () => {
    const withPassword = configFor(
      registry.url,
      { [`${corp.nerfDart}:username`]: 'ci', [`${corp.nerfDart}:_password`]: Buffer.from('s3cret').toString('base64') },
      { '@corp': corp.url },
    );
    await createRegistryClient({ config: withPassword }).packument('@corp/internal');
    const withAuth = configFor(registry.url, { [`${corp.nerfDart}:_auth`]: Buffer.from('bot:pa55').toString('base64') }, { '@corp': corp.url });
    await createRegistryClient({ config: withAuth }).packument('@corp/internal');
    expect(corp.requests.map((request) => request.headers.authorization)).toEqual([
      `Basic ${Buffer.from('ci:s3cret').toString('base64')}`,
      `Basic ${Buffer.from('bot:pa55').toString('base64')}`,
    ]);
  });

  it('never puts the token in an error', async () => {
    corp.handle((_request, response) => sendJson(response, 401, { error: 'bad token' }, { 'www-authenticate': 'Bearer' }));
    const config = configFor(registry.url, { [`${corp.nerfDart}:_authToken`]: 'corp-secret-token' }, { '@corp': corp.url });
    const error = await failureOf(createRegistryClient({ config }).packument('@corp/internal'));
    expect(error.message).toBe(`127.0.0.1:${new URL(corp.url).port}: 401 Unauthorized for GET @corp/internal`);
    expect(JSON.stringify({ message: error.message, hints: error.hints, cause: String(error.cause) })).not.toContain('corp-secret-token');
  });
});

describe('json endpoints', () => {
  it('GETs a path on the default registry (/-/npm/v1/keys)', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keys = {
      keys: [
        {
          expires: null,
          keyid: 'SHA256:test-key',
          keytype: 'ecdsa-sha2-nistp256',
          scheme: 'ecdsa-sha2-nistp256',
          key: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        },
      ],
    };
    registry.handle((_request, response) => sendJson(response, 200, keys));
    await expect(clientFor().json('/-/npm/v1/keys')).resolves.toEqual(keys);
    expect(registry.requests.map((request) => [request.method, request.url, request.headers.accept])).toEqual([
      ['GET', '/-/npm/v1/keys', 'application/json'],
    ]);
  });

  it('returns undefined when an endpoint does not exist', async () => {
    await expect(clientFor().json('/-/npm/v1/keys')).resolves.toBeUndefined();
  });

  it('POSTs a gzipped JSON body to the bulk advisory endpoint and retries a 503', async () => {
    const advisories = {
      minimist: [
        {
          id: 1179,
          url: 'https://github.com/advisories/GHSA-vh95-rmgr-6w4m',
          title: 'Prototype Pollution in minimist',
          severity: 'moderate',
          vulnerable_versions: '<0.2.1',
          cwe: ['CWE-1321'],
          cvss: { score: 5.6, vectorString: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L' },
        },
      ],
    };
    registry.handle((_request, response) => {
      if (registry.requests.length === 1) sendJson(response, 503, { error: 'unavailable' });
      else sendJson(response, 200, advisories);
    });
    const body = { minimist: ['0.0.8', '1.2.5'] };
    const result = await clientFor().json('/-/npm/v1/security/advisories/bulk', { method: 'POST', body, gzip: true });
    expect(result).toEqual(advisories);
    expect(registry.requests).toHaveLength(2);
    const sent = registry.requests[1]!;
    expect([sent.method, sent.url, sent.headers['content-encoding'], sent.headers['content-type']]).toEqual([
      'POST',
      '/-/npm/v1/security/advisories/bulk',
      'gzip',
      'application/json',
    ]);
    expect(JSON.parse(gunzipSync(sent.body).toString('utf8'))).toEqual(body);
  });

  it('resolves a path against another registry when asked', async () => {
    const other = await startFakeRegistry((_request, response) => sendJson(response, 200, { ok: true }));
    try {
      await expect(clientFor().json('-/ping', { registry: other.url })).resolves.toEqual({ ok: true });
      expect(other.requests.map((request) => request.url)).toEqual(['/-/ping']);
      expect(registry.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('cache and offline mode', () => {
  it('serves a second run from the cache without a request', async () => {
    const first = await clientFor({ cacheDir }).packument('is-number');
    const second = await clientFor({ cacheDir }).packument('is-number');
    expect(second).toEqual(first);
    expect(registry.requests).toHaveLength(1);
  });

  it('keeps full and abbreviated documents apart in the cache', async () => {
    await clientFor({ cacheDir }).packument('is-number');
    const full = await clientFor({ cacheDir }).packument('is-number', { full: true });
    expect(full).toEqual(IS_NUMBER.full);
    expect(registry.requests.map((request) => request.headers.accept)).toEqual([ABBREVIATED_ACCEPT, 'application/json']);
  });

  it('answers offline from a warm cache', async () => {
    await clientFor({ cacheDir }).packument('is-number');
    await clientFor({ cacheDir }).packument('@isaacs/string-locale-compare', { full: true });
    await registry.close();
    const offline = clientFor({ cacheDir, offline: true });
    await expect(offline.packument('is-number')).resolves.toEqual(IS_NUMBER.abbreviated);
    // Only the full document is cached: it answers the abbreviated question too.
    await expect(offline.packument('@isaacs/string-locale-compare')).resolves.toEqual(LOCALE_COMPARE.full);
    registry = await startFakeRegistry();
  });

  it('fails offline on a cache miss and says so', async () => {
    const error = await failureOf(clientFor({ cacheDir, offline: true }).packument('is-number'));
    expect(error.message).toBe(`127.0.0.1:${new URL(registry.url).port}: is-number is not in pkgguard's cache, and pkgguard is offline`);
    expect(error.hints).toEqual(['run once without --offline to fill the cache']);
    expect(registry.requests).toHaveLength(0);
  });

  it('never sends a POST offline', async () => {
    const error = await failureOf(clientFor({ cacheDir, offline: true }).json('/-/npm/v1/security/advisories/bulk', { method: 'POST', body: {} }));
    expect(error.message).toBe(
      `127.0.0.1:${new URL(registry.url).port}: POST /-/npm/v1/security/advisories/bulk needs the network, and pkgguard is offline`,
    );
    expect(registry.requests).toHaveLength(0);
  });

  it('with preferOffline, uses a stale cached copy instead of revalidating', async () => {
    registry.handle((_request, response) => sendJson(response, 200, IS_NUMBER.abbreviated, { 'cache-control': 'max-age=0', etag: '"v1"' }));
    await clientFor({ cacheDir }).packument('is-number');
    await clientFor({ cacheDir }).packument('is-number');
    expect(registry.requests).toHaveLength(2);
    expect(registry.requests[1]?.headers['if-none-match']).toBe('"v1"');
    await clientFor({ cacheDir, preferOffline: true }).packument('is-number');
    expect(registry.requests).toHaveLength(2);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The is-number abbreviated document under another name, for a private registry. */
function IS_NUMBER_AS(name: string) {
  const document = structuredClone(IS_NUMBER.abbreviated) as { name: string };
  document.name = name;
  return { full: document, abbreviated: document };
}
