/**
 * signatures against a real HTTP registry on 127.0.0.1 that signs with a P-256 key generated in
 * the test, plus one real npm registry signature verified with npm's real (now expired) key.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidSignature, signatureMessage, verificationKeys } from '../../src/checks/signatures/verify.ts';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import { type FakeRegistry, readPackumentFixture, startFakeRegistry } from '../registry/fake-registry.ts';
import { createSigningKey, editPackument, serveSigningRegistry, type SigningKey, type SigningRegistryModel } from '../registry/signing-registry.ts';
import { findingLines, type RegistryAuditSandbox, registryAuditSandbox } from '../helpers/registry-audit.ts';

const CHECKS = ['signatures'];
const IS_NUMBER_6 = 'sha512-Wu1VHeILBK8KAWJUAiSZQX94GmOE45Rg6/538fKwiloUu21KncEkYGPqob2oSZ5mUT73vLGrHQjKw3KMPwfDzg==';
const LINE_ISAACS = 15;
const LINE_IS_NUMBER = 21;
const ISAACS = '@isaacs/string-locale-compare';
/** The audit's "now": after the old key's expiry. */
const NOW = new Date('2026-06-01T00:00:00Z');

let registry: FakeRegistry;
let sandbox: RegistryAuditSandbox;
let current: SigningKey;

function model(edits: { isNumber?: Parameters<typeof editPackument>[1]; isaacs?: Parameters<typeof editPackument>[1] } = {}, key: SigningKey | undefined = current): SigningRegistryModel {
  return {
    keys: [current],
    packuments: {
      'is-number': editPackument(readPackumentFixture('is-number'), edits.isNumber ?? {}, key),
      [ISAACS]: editPackument(readPackumentFixture(ISAACS), edits.isaacs ?? {}, key),
    },
  };
}

beforeEach(async () => {
  current = createSigningKey('SHA256:current-test-key');
  registry = await startFakeRegistry();
  sandbox = await registryAuditSandbox('projects/registry-demo');
});

afterEach(async () => {
  await registry.close();
  await sandbox.remove();
});

const run = (options: { offline?: boolean; checks?: string[] } = {}) =>
  sandbox.run({ registry: registry.url, checks: options.checks ?? CHECKS, now: NOW, offline: options.offline });

describe('signatures: findings', () => {
  it('reports nothing when every version carries a valid signature', async () => {
    registry.handle(serveSigningRegistry(model()));
    const result = await run();
    expect(result.incomplete).toEqual([]);
    expect(findingLines(result)).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(registry.requests.map((request) => request.url).sort()).toEqual(['/-/npm/v1/keys', '/@isaacs%2fstring-locale-compare', '/is-number']);
  });

  it('reports a signature that does not verify as critical, and a missing one as high', async () => {
    const served = model({ isNumber: { '7.0.0': { signOver: IS_NUMBER_6 } } });
    served.packuments[ISAACS] = readPackumentFixture(ISAACS);
    registry.handle(serveSigningRegistry(served));
    const result = await run();
    expect(findingLines(result)).toEqual([
      `high signatures/missing ${ISAACS}@1.1.0 line ${LINE_ISAACS}`,
      `critical signatures/invalid is-number@7.0.0 line ${LINE_IS_NUMBER}`,
    ]);
    expect(result.findings[1]?.data).toMatchObject({ keyid: 'SHA256:current-test-key', integrity: 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==' });
  });

  it('reports a signature by a key the registry does not list', async () => {
    const stranger = createSigningKey('SHA256:not-published');
    registry.handle(serveSigningRegistry(model({ isNumber: { '7.0.0': { signWith: stranger } } })));
    const result = await run();
    expect(findingLines(result)).toEqual([`high signatures/unknown-key is-number@7.0.0 line ${LINE_IS_NUMBER}`]);
    expect(result.findings[0]?.message).toMatch(/^is-number@7\.0\.0 is signed with key SHA256:not-published, which 127\.0\.0\.1:\d+ does not list among its signing keys$/);
  });

  it('judges an expired key by the publish time: valid before expiry, a finding after', async () => {
    const old = createSigningKey('SHA256:old-test-key', '2025-01-29T00:00:00.000Z');
    const served = model({ isaacs: { '1.1.0': { time: '2025-03-01T12:00:00.000Z' } } }, old);
    served.keys = [old, current];
    registry.handle(serveSigningRegistry(served));
    const result = await run();
    // is-number@7.0.0 was published 2018-07-04 (fixture): signed while the key was current.
    expect(findingLines(result)).toEqual([`high signatures/expired-key ${ISAACS}@1.1.0 line ${LINE_ISAACS}`]);
    expect(result.findings[0]?.data).toMatchObject({ publishedAt: '2025-03-01T12:00:00.000Z', expires: '2025-01-29T00:00:00.000Z' });
    // The publish time costs the full document, for those two packages only.
    const full = registry.requests.filter((request) => request.headers.accept === 'application/json' && request.url !== '/-/npm/v1/keys');
    expect(full.map((request) => request.url).sort()).toEqual(['/@isaacs%2fstring-locale-compare', '/is-number']);
  });

  it('says "not applicable" for a registry without keys, and asks it nothing else', async () => {
    registry.handle(serveSigningRegistry({ ...model(), keys: undefined }));
    const result = await run();
    expect(findingLines(result)).toEqual([]);
    const host = registry.url.replace(/^http:\/\//, '').replace(/\/$/, '');
    expect(result.notes.map((note) => note.message)).toEqual([`${host} publishes no signing keys: signatures are not applicable to its packages`]);
    expect(registry.requests.map((request) => request.url)).toEqual(['/-/npm/v1/keys']);
  });
});

describe('signatures: cache', () => {
  it('shares the packument requests with registry-integrity, and a warm run asks nothing', async () => {
    const old = createSigningKey('SHA256:old-test-key', '2025-01-29T00:00:00.000Z');
    const served = model({}, old);
    served.keys = [old, current];
    registry.handle(serveSigningRegistry(served));
    const first = await run({ checks: ['registry-integrity', 'signatures'] });
    expect(first.incomplete).toEqual([]);
    expect(findingLines(first)).toEqual([]);
    // keys, two abbreviated documents (both checks), two full ones (publish times for the old key).
    expect(registry.requests).toHaveLength(5);
    registry.requests.length = 0;
    const warm = await run({ checks: ['registry-integrity', 'signatures'] });
    expect(findingLines(warm)).toEqual([]);
    const offline = await run({ checks: ['registry-integrity', 'signatures'], offline: true });
    expect(offline.incomplete).toEqual([]);
    expect(registry.requests).toEqual([]);
  });

  it('offline with nothing cached: skipped', async () => {
    const result = await run({ offline: true });
    expect(result.incomplete).toEqual([]);
    expect(result.skipped.map((entry) => entry.reason)).toEqual([
      "offline, and pkgguard's registry cache knows none of this lockfile's packages (run once without --offline)",
    ]);
    expect(registry.requests).toEqual([]);
  });

  it('offline with keys cached and no version: skipped, with nothing asked', async () => {
    // Every packument 404s: the keys are cached, a package the registry does not know is not.
    registry.handle(serveSigningRegistry({ keys: [current], packuments: {} }));
    await run();
    registry.requests.length = 0;
    const result = await run({ offline: true });
    expect(result.incomplete).toEqual([]);
    expect(result.notes).toEqual([]);
    expect(result.skipped.map((entry) => entry.reason)).toEqual([
      "offline, and pkgguard's registry cache knows none of this lockfile's packages (run once without --offline)",
    ]);
    expect(registry.requests).toEqual([]);
  });

  it('offline with no version cached: says a registry without keys is not applicable, and does not skip', async () => {
    registry.handle(serveSigningRegistry({ ...model(), keys: undefined }));
    await run();
    registry.requests.length = 0;
    const result = await run({ offline: true });
    const host = registry.url.replace(/^http:\/\//, '').replace(/\/$/, '');
    expect(result.incomplete).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.notes.map((note) => note.message)).toEqual([`${host} publishes no signing keys: signatures are not applicable to its packages`]);
    expect(registry.requests).toEqual([]);
  });

  it('offline with a signing scope registry never cached: verifies the cached default registry and counts the rest', async () => {
    const scoped = await startFakeRegistry(serveSigningRegistry({ keys: [current], packuments: {} }));
    try {
      registry.handle(serveSigningRegistry(model()));
      await run();
      // The scope now maps to a registry whose keys are cached and whose packages are not.
      await sandbox.sandbox.write('home/.npmrc', `@isaacs:registry=${scoped.url}\n`);
      await run();
      registry.requests.length = 0;
      scoped.requests.length = 0;
      const result = await run({ offline: true });
      expect(result.incomplete).toEqual([]);
      expect(result.skipped).toEqual([]);
      expect(findingLines(result)).toEqual([]);
      expect(result.notes.map((note) => note.message)).toEqual([
        "1 of 2 registry packages, or their registry's signing keys, are not in pkgguard's registry cache and were not verified (offline); run once without --offline to verify them",
      ]);
      expect([...registry.requests, ...scoped.requests]).toEqual([]);
    } finally {
      await scoped.close();
    }
  });

  it('fetches the keys again when a signature names a key missing from the cached ones (rotation)', async () => {
    // First run: the registry signs with `current` and does not have the scoped package yet.
    const first = model();
    delete first.packuments[ISAACS];
    registry.handle(serveSigningRegistry(first));
    await run();
    // Then it rotates to `next` and publishes the scoped package, signed with it; the cached keys are still fresh.
    const next = createSigningKey('SHA256:next-test-key');
    const rotated = model({ isaacs: { '1.1.0': { signWith: next } } });
    rotated.keys = [current, next];
    registry.handle(serveSigningRegistry(rotated));
    registry.requests.length = 0;
    const result = await run();
    expect(findingLines(result)).toEqual([]);
    expect(registry.requests.map((request) => request.url)).toEqual(['/@isaacs%2fstring-locale-compare', '/-/npm/v1/keys']);
  });
});

describe('signatures: verification as npm does it', () => {
  // Public facts: npm's signing key SHA256:jl3bws… (expired 2025-01-29, from its /-/npm/v1/keys) and
  // the registry's signature of kms-demo@1.0.0 (the example npm's own tests of `npm audit signatures` use).
  const npmKey = {
    keyid: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA',
    key: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1Olb3zMAFFxXKHiIkQO5cJ3Yhl5i6UPp+IhuteBJbuHcA5UogKo0EWtlWwW6KSaKoTNEYL7JlCQiVnkhBktUgg==',
    expires: '2025-01-29T00:00:00.000Z',
  };
  const integrity = 'sha512-QqZ7VJ/8xPkS9s2IWB7Shj3qTJdcRyeXKbPQnsZjsPEwvutGv0EGeVchPcauoiDFJlGbZMFq5GDCurAGNSghJQ==';
  const sig = 'MEUCIDrLNspFeU5NZ6d55ycVBZIMXnPJi/XnI1Y2dlJvK8P1AiEAnXjn1IOMUd+U7YfPH+FNjwfLq+jCwfH8uaxocq+mpPk=';

  it("verifies the npm registry's real signature, and nothing else", async () => {
    const key = verificationKeys([npmKey], 'registry.npm.example').get(npmKey.keyid);
    if (!key) throw new Error('key not parsed');
    expect(key.expiresAt).toBe(Date.parse('2025-01-29T00:00:00.000Z'));
    await expect(isValidSignature(key, signatureMessage('kms-demo', '1.0.0', integrity), sig)).resolves.toBe(true);
    await expect(isValidSignature(key, signatureMessage('kms-demo', '1.0.1', integrity), sig)).resolves.toBe(false);
    await expect(isValidSignature(key, signatureMessage('kms-demo', '1.0.0', IS_NUMBER_6), sig)).resolves.toBe(false);
    await expect(isValidSignature(key, signatureMessage('kms-demo', '1.0.0', integrity), 'bogus')).resolves.toBe(false);
  });

  it('refuses keys that are not ECDSA P-256 public keys', () => {
    expect(() => verificationKeys([{ ...npmKey, key: 'bm90IGEga2V5' }], 'registry.npm.example')).toThrow(SourceUnavailableError);
    expect(() => verificationKeys([{ ...npmKey, key: 'bm90IGEga2V5' }], 'registry.npm.example')).toThrow(
      `registry.npm.example: signing key ${npmKey.keyid} is not a valid public key`,
    );
  });
});
