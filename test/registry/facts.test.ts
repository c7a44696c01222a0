/**
 * The registry facts service with an in-memory client (the HTTP side is the client's, tested
 * against a real server in client.test.ts and through the checks): what is fetched when, what is
 * kept on disk, and how a damaged or unwritable cache behaves.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import { FACTS_SUBDIR, factsFilePath } from '../../src/registry/facts-file.ts';
import { createRegistryFacts, KEYS_MAX_AGE_MS } from '../../src/registry/facts.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';
import type { JsonRequest, Packument, PackumentRequest, RegistryClient } from '../../src/registry/types.ts';
import { readPackumentFixture } from './fake-registry.ts';

const REGISTRY = 'http://127.0.0.1:9/';
const PUBLIC = 'https://registry.npm.example/';
const KEYS = { keys: [{ expires: null, keyid: 'SHA256:k', keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: 'AAAA' }] };

const config: RegistryConfig = { source: 'npm', defaultRegistry: REGISTRY, scopes: {}, fetchOptions: {}, files: [], warnings: [] };

interface MemoryClient extends RegistryClient {
  readonly calls: string[];
  documents: Record<string, { full: unknown; abbreviated: unknown }>;
  keys: unknown;
}

function memoryClient(offline = false): MemoryClient {
  const client: MemoryClient = {
    config,
    offline,
    calls: [],
    documents: { 'is-number': readPackumentFixture('is-number') },
    keys: KEYS,
    packument(name: string, options: PackumentRequest = {}) {
      client.calls.push(`${options.full ? 'full' : 'abbreviated'} ${name}${options.httpCache === false ? '' : ' (http cache)'}`);
      const pair = client.documents[name];
      return Promise.resolve(pair === undefined ? undefined : ((options.full ? pair.full : pair.abbreviated) as Packument));
    },
    json(pathOrUrl: string, options: JsonRequest = {}) {
      client.calls.push(`json ${pathOrUrl}${options.httpCache === false ? '' : ' (http cache)'}`);
      return Promise.resolve(client.keys);
    },
  };
  return client;
}

let cacheDir: string;
let now: number;
const clock = (): number => now;
const warnings: string[] = [];
const log = { debug() {}, warn: (message: string) => warnings.push(message) };
const factsWith = (client: RegistryClient) => createRegistryFacts({ client, cacheDir, clock, log, publicRegistry: PUBLIC });

beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'pkgguard-facts-'));
  now = Date.parse('2026-06-01T00:00:00Z');
  warnings.length = 0;
});

afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('registry facts: versions', () => {
  it('fetches one abbreviated document for several versions, bypassing the HTTP cache, and keeps them for the next run', async () => {
    const client = memoryClient();
    const facts = factsWith(client);
    const answers = await facts.versions('is-number', ['6.0.0', '7.0.0', '7.0.0']);
    expect(client.calls).toEqual(['abbreviated is-number']);
    expect(answers.get('7.0.0')).toEqual({
      status: 'found',
      cached: false,
      facts: {
        integrity: 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==',
        shasum: '7535345b896734d5f80c4d06c50955527a14f12b',
        checkedAt: now,
      },
    });
    await facts.flush();
    expect(await readdir(path.join(cacheDir, FACTS_SUBDIR))).toEqual([path.basename(factsFilePath(cacheDir, REGISTRY))]);

    const next = memoryClient();
    const again = await factsWith(next).versions('is-number', ['7.0.0']);
    expect(again.get('7.0.0')).toMatchObject({ status: 'found', cached: true });
    expect(next.calls).toEqual([]);
  });

  it('asks again once a cached version is older than maxAgeMs', async () => {
    const client = memoryClient();
    const facts = factsWith(client);
    await facts.versions('is-number', ['7.0.0']);
    now += 1000;
    await facts.versions('is-number', ['7.0.0'], { maxAgeMs: 1000 });
    expect(client.calls).toHaveLength(1);
    now += 1;
    await facts.versions('is-number', ['7.0.0'], { maxAgeMs: 1000 });
    expect(client.calls).toEqual(['abbreviated is-number', 'abbreviated is-number']);
  });

  it('completes a cached entry with the publish time from the full document, once', async () => {
    const client = memoryClient();
    const facts = factsWith(client);
    await facts.versions('is-number', ['7.0.0']);
    const timed = await facts.versions('is-number', ['7.0.0'], { publishTime: true });
    expect(timed.get('7.0.0')).toMatchObject({ status: 'found', facts: { publishedAt: '2018-07-04T15:08:58.238Z' } });
    await facts.versions('is-number', ['7.0.0'], { publishTime: true });
    expect(client.calls).toEqual(['abbreviated is-number', 'full is-number']);
  });

  it('records "no publish time" as null so a registry without one is not asked every run', async () => {
    const client = memoryClient();
    const pair = readPackumentFixture('is-number');
    delete (pair.full as { time?: unknown }).time;
    client.documents['is-number'] = pair;
    const facts = factsWith(client);
    const answer = await facts.versions('is-number', ['7.0.0'], { publishTime: true });
    expect(answer.get('7.0.0')).toMatchObject({ facts: { publishedAt: null } });
    await facts.versions('is-number', ['7.0.0'], { publishTime: true });
    expect(client.calls).toEqual(['full is-number']);
  });

  it('gives the answers it has without I/O (knownVersions), and nothing while any is missing, stale or unread', async () => {
    const earlier = factsWith(memoryClient());
    await earlier.versions('is-number', ['7.0.0']);
    await earlier.flush();
    const client = memoryClient();
    const facts = factsWith(client);
    // The cache file is read by the first `versions` call, not by knownVersions.
    expect(facts.knownVersions('is-number', ['7.0.0'])).toBeUndefined();
    await facts.flush();
    expect(await facts.versions('left-pad', ['1.3.0'])).toEqual(new Map([['1.3.0', { status: 'package-not-found' }]]));
    expect(facts.knownVersions('is-number', ['7.0.0'])).toEqual(new Map([['7.0.0', { status: 'found', cached: true, facts: expect.objectContaining({ checkedAt: now }) as unknown }]]));
    expect(facts.knownVersions('left-pad', ['1.3.0'])).toEqual(new Map([['1.3.0', { status: 'package-not-found' }]]));
    expect(facts.knownVersions('is-number', ['7.0.0', '6.0.0'])).toBeUndefined();
    expect(facts.knownVersions('is-number', ['7.0.0'], { publishTime: true })).toBeUndefined();
    now += 2;
    expect(facts.knownVersions('is-number', ['7.0.0'], { maxAgeMs: 1 })).toBeUndefined();
    expect(client.calls).toEqual(['abbreviated left-pad']);
  });

  it('remembers not-found answers for the audit only, never on disk', async () => {
    const client = memoryClient();
    const facts = factsWith(client);
    expect((await facts.versions('is-number', ['99.0.0'])).get('99.0.0')).toEqual({ status: 'version-not-found', latest: '7.0.0', versionCount: 2 });
    expect((await facts.versions('left-pad', ['1.3.0'])).get('1.3.0')).toEqual({ status: 'package-not-found' });
    await facts.versions('is-number', ['99.0.0']);
    await facts.versions('left-pad', ['1.3.0']);
    expect(client.calls).toEqual(['abbreviated is-number', 'abbreviated left-pad']);
    await facts.flush();
    const next = memoryClient();
    await factsWith(next).versions('left-pad', ['1.3.0']);
    expect(next.calls).toEqual(['abbreviated left-pad']);
  });

  it('offline: answers from the cache and never calls the client; a miss is not-cached', async () => {
    const online = factsWith(memoryClient());
    await online.versions('is-number', ['7.0.0']);
    await online.flush();
    const client = memoryClient(true);
    const facts = factsWith(client);
    now += 365 * 24 * 3600 * 1000;
    const answers = await facts.versions('is-number', ['7.0.0', '6.0.0'], { maxAgeMs: 1, publishTime: true });
    expect(answers.get('7.0.0')).toMatchObject({ status: 'found', cached: true });
    expect(answers.get('6.0.0')).toEqual({ status: 'not-cached' });
    expect(await facts.keys(REGISTRY)).toEqual({ status: 'not-cached' });
    expect(client.calls).toEqual([]);
  });

  it('offline: knows a name is not cached at all once the file is read, and only then', async () => {
    const online = factsWith(memoryClient());
    await online.versions('is-number', ['7.0.0']);
    await online.flush();
    const facts = factsWith(memoryClient(true));
    // The cache file is read by the first `versions` call: before, nothing is certain.
    expect(facts.knowsNothingOf('left-pad')).toBe(false);
    await facts.versions('is-number', ['7.0.0']);
    expect([facts.knowsNothingOf('left-pad'), facts.knowsNothingOf('is-number'), facts.knowsNothingOf('is'), facts.knowsNothingOf('is-number@7.0.0')]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(factsWith(memoryClient()).knowsNothingOf('left-pad')).toBe(false);
  });

  it('offline: knows a registry whose cache holds no version at all, reading its file to be sure', async () => {
    const other = 'http://127.0.0.1:10/';
    // A file with keys and no version (a registry that does not sign), another with a version.
    const keysOnly = memoryClient();
    keysOnly.keys = undefined;
    const writer = factsWith(keysOnly);
    await writer.keys(other);
    await writer.versions('is-number', ['7.0.0']);
    await writer.flush();
    const facts = factsWith(memoryClient(true));
    expect([await facts.knowsNothingOn(other), await facts.knowsNothingOn(REGISTRY), await facts.knowsNothingOn('http://127.0.0.1:11/')]).toEqual([true, false, true]);
    // Read now: the name questions need no `versions` call first.
    expect([facts.knowsNothingOf('left-pad'), facts.knowsNothingOf('is-number')]).toEqual([true, false]);
    expect(await facts.keys(other)).toEqual({ status: 'none' });
    // Online nothing is certain: a miss is fetched.
    const online = memoryClient();
    expect(await factsWith(online).knowsNothingOn('http://127.0.0.1:11/')).toBe(false);
    expect(online.calls).toEqual([]);
  });

  it('offline: finds a cached version of a name whose key has more than one "@"', async () => {
    // A lockfile can name anything; the text before each "@" of a key may be its name.
    const client = memoryClient();
    client.documents['@scope/odd@name'] = readPackumentFixture('is-number');
    const writer = factsWith(client);
    await writer.versions('@scope/odd@name', ['7.0.0']);
    await writer.flush();
    const facts = factsWith(memoryClient(true));
    expect((await facts.versions('@scope/odd@name', ['7.0.0'])).get('7.0.0')).toMatchObject({ status: 'found', cached: true });
    expect([facts.knowsNothingOf('@scope/odd@name'), facts.knowsNothingOf('@scope/odd'), facts.knowsNothingOf('@scope/other')]).toEqual([false, false, true]);
    expect(facts.knownVersions('@scope/odd@name', ['7.0.0'])?.get('7.0.0')).toMatchObject({ status: 'found', cached: true });
    expect(facts.knownVersions('@scope/odd', ['7.0.0'])?.get('7.0.0')).toEqual({ status: 'not-cached' });
  });

  it('keeps verification marks with the facts, and drops them when the facts are fetched again', async () => {
    const client = memoryClient();
    const facts = factsWith(client);
    await facts.versions('is-number', ['7.0.0']);
    facts.markVerified('is-number', '7.0.0', 'signature K abc');
    facts.markVerified('is-number', '7.0.0', 'signature K abc');
    await facts.flush();
    const next = factsWith(memoryClient());
    expect((await next.versions('is-number', ['7.0.0'])).get('7.0.0')).toMatchObject({ facts: { verified: ['signature K abc'] } });
    now += 10;
    const refetched = (await next.versions('is-number', ['7.0.0'], { maxAgeMs: 1 })).get('7.0.0');
    expect(refetched?.status === 'found' && refetched.facts.verified).toBe(undefined);
  });
});

describe('registry facts: keys', () => {
  it('caches keys for a day, bypassing the HTTP cache; refresh asks again once per audit', async () => {
    const client = memoryClient();
    const facts = factsWith(client);
    expect(await facts.keys(REGISTRY)).toEqual({ status: 'keys', cached: false, keys: KEYS.keys });
    await facts.flush();
    const later = memoryClient();
    now += KEYS_MAX_AGE_MS;
    const next = factsWith(later);
    expect(await next.keys(REGISTRY)).toMatchObject({ status: 'keys', cached: true });
    expect(await next.keys(REGISTRY, { refresh: true })).toMatchObject({ status: 'keys', cached: false });
    await next.keys(REGISTRY, { refresh: true });
    expect(later.calls).toEqual(['json -/npm/v1/keys']);
    now += KEYS_MAX_AGE_MS + 1;
    await next.flush();
    const expired = memoryClient();
    await factsWith(expired).keys(REGISTRY);
    expect(expired.calls).toEqual(['json -/npm/v1/keys']);
    expect(client.calls).toEqual(['json -/npm/v1/keys']);
  });

  it('caches "no keys" (404), and refuses a document that is not a key list', async () => {
    const client = memoryClient();
    client.keys = undefined;
    expect(await factsWith(client).keys(REGISTRY)).toEqual({ status: 'none' });
    const broken = memoryClient();
    broken.keys = { keys: [{ keyid: 'SHA256:k' }] };
    await expect(factsWith(broken).keys(REGISTRY)).rejects.toThrow(new SourceUnavailableError('127.0.0.1:9: the response for /-/npm/v1/keys is not a list of signing keys'));
  });
});

describe('registry facts: the cache file', () => {
  it('treats a damaged file as empty and replaces it', async () => {
    const file = factsFilePath(cacheDir, REGISTRY);
    await mkdir(path.dirname(file), { recursive: true });
    for (const damaged of ['{"schemaVersion": 1, "versions": {', '{"schemaVersion": 99, "versions": {}}', '{"schemaVersion": 1, "versions": {"is-number@7.0.0": {"integrity": 5}}}']) {
      await writeFile(file, damaged);
      const client = memoryClient();
      const facts = factsWith(client);
      expect((await facts.versions('is-number', ['7.0.0'])).get('7.0.0')).toMatchObject({ status: 'found', cached: false });
      await facts.flush();
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ schemaVersion: 1, registry: REGISTRY, versions: { 'is-number@7.0.0': { checkedAt: now } } });
    }
  });

  it('warns once and goes on when the cache cannot be written', async () => {
    // A file where the directory should be: fails for every user, root included.
    await writeFile(path.join(cacheDir, FACTS_SUBDIR), 'not a directory');
    const facts = factsWith(memoryClient());
    expect((await facts.versions('is-number', ['7.0.0'])).get('7.0.0')).toMatchObject({ status: 'found' });
    await facts.flush();
    await facts.flush();
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^could not write the registry facts cache in ${cacheDir}: `))]);
  });

  it('knows the public registry by URL', () => {
    const facts = factsWith(memoryClient());
    expect(facts.isPublicRegistry('https://registry.npm.example')).toBe(true);
    expect(facts.isPublicRegistry(REGISTRY)).toBe(false);
    expect(facts.registryFor('@scope/name')).toBe(REGISTRY);
  });
});
