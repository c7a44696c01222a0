/**
 * Loading Sigstore's trusted root: over TUF (against a local mirror, seeded with the root that
 * @sigstore/tuf embeds, so nothing reaches the public repository) or from a configured file.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, SourceUnavailableError } from '../../src/core/errors.ts';
import { loadTrustedRoot } from '../../src/registry/attestations-trust.ts';
import { type FakeRegistry, sendJson, startFakeRegistry } from './fake-registry.ts';

let mirror: FakeRegistry;
let dir: string;

beforeEach(async () => {
  mirror = await startFakeRegistry((_request, response) => sendJson(response, 500, { error: 'Internal Server Error' }));
  dir = await mkdtemp(path.join(tmpdir(), 'pkgguard-trust-'));
});

afterEach(async () => {
  await mirror.close();
  await rm(dir, { recursive: true, force: true });
});

/** The TUF root.json @sigstore/tuf ships for the public-good repository (read from the installed package). */
function embeddedTufRoot(): Buffer {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(path.dirname(require.resolve('@sigstore/tuf')));
  const seeds = JSON.parse(readFileSync(path.join(packageDir, 'seeds.json'), 'utf8')) as Record<string, { 'root.json': string }>;
  const seed = Object.values(seeds)[0];
  if (!seed) throw new Error('@sigstore/tuf ships no seed');
  return Buffer.from(seed['root.json'], 'base64');
}

describe('over TUF', () => {
  it('turns a mirror that answers 500 into SourceUnavailableError, after asking it', async () => {
    const rootPath = path.join(dir, 'root.json');
    await writeFile(rootPath, embeddedTufRoot());
    const error: unknown = await loadTrustedRoot({
      cacheDir: path.join(dir, 'cache'),
      baseDir: dir,
      tufMirror: mirror.url.replace(/\/$/, ''),
      tufRootPath: rootPath,
      retries: 0,
      timeoutMs: 2000,
    }).catch((rejection: unknown) => rejection);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as SourceUnavailableError).message).toMatch(/^Sigstore trust root: /);
    expect((error as SourceUnavailableError).hints).toHaveLength(2);
    // TUF first looks for a newer root than the one it trusts (version 14 → 15.root.json).
    expect(mirror.requests.map((request) => request.url)).toContain('/15.root.json');
  });
});

describe('from a file', () => {
  it('reads a trusted_root.json relative to the project', async () => {
    const root = {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [],
      certificateAuthorities: [{ subject: { organization: 'x', commonName: 'x' }, uri: 'https://fulcio.example', certChain: { certificates: [] }, validFor: { start: '2020-01-01T00:00:00Z' } }],
      ctlogs: [],
      timestampAuthorities: [],
    };
    await writeFile(path.join(dir, 'trusted_root.json'), JSON.stringify(root));
    const loaded = await loadTrustedRoot({ cacheDir: dir, baseDir: dir, file: 'trusted_root.json' });
    expect(loaded.certificateAuthorities.map((authority) => authority.uri)).toEqual(['https://fulcio.example']);
    expect(mirror.requests).toEqual([]);
  });

  it('is a ConfigError when the file is missing or not a trusted root', async () => {
    await expect(loadTrustedRoot({ cacheDir: dir, baseDir: dir, file: 'missing.json' })).rejects.toThrow(ConfigError);
    await writeFile(path.join(dir, 'empty.json'), '{}');
    await expect(loadTrustedRoot({ cacheDir: dir, baseDir: dir, file: 'empty.json' })).rejects.toThrow(
      /empty\.json is not a Sigstore trusted root: it names no certificate authority and no transparency log$/,
    );
    await writeFile(path.join(dir, 'broken.json'), '{');
    await expect(loadTrustedRoot({ cacheDir: dir, baseDir: dir, file: 'broken.json' })).rejects.toThrow(ConfigError);
  });
});
