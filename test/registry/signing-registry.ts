/**
 * An npm registry that signs, for the registry-integrity and signatures tests: packuments in the
 * registry's two shapes (real fixture documents, or documents built here in the same shape),
 * `dist.signatures` made in the test with a freshly generated ECDSA P-256 key exactly as the npm
 * registry makes them (SHA-256 over `${name}@${version}:${integrity}`, DER, base64), and
 * `/-/npm/v1/keys` serving the public keys as base64 DER SubjectPublicKeyInfo.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Handler, type PackumentPair, sendJson } from './fake-registry.ts';

const ABBREVIATED_TYPE = 'application/vnd.npm.install-v1+json';

export interface SigningKey {
  readonly keyid: string;
  /** base64 DER SubjectPublicKeyInfo, as /-/npm/v1/keys serves it. */
  readonly key: string;
  readonly expires: string | null;
  readonly privateKey: KeyObject;
}

export function createSigningKey(keyid: string, expires: string | null = null): SigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { keyid, key: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), expires, privateKey };
}

/** The keys document, field for field as the npm registry serves it. */
export function keysDocument(keys: readonly SigningKey[]): unknown {
  return {
    keys: keys.map((key) => ({ expires: key.expires, keyid: key.keyid, keytype: 'ecdsa-sha2-nistp256', scheme: 'ecdsa-sha2-nistp256', key: key.key })),
  };
}

export function signatureOf(key: SigningKey, name: string, version: string, integrity: string): { keyid: string; sig: string } {
  return { keyid: key.keyid, sig: sign('sha256', Buffer.from(`${name}@${version}:${integrity}`), key.privateKey).toString('base64') };
}

interface VersionDocument {
  dist: { integrity?: string; shasum?: string; signatures?: unknown };
}

interface PackumentDocument {
  name: string;
  versions: Record<string, VersionDocument>;
  time?: Record<string, string>;
  'dist-tags': Record<string, string>;
}

/** What to change in a served packument, per version. */
export interface VersionEdit {
  /** Sign with this key (after other edits, over the served integrity). */
  readonly signWith?: SigningKey | undefined;
  /** Sign over this integrity instead of the served one (a signature that does not verify). */
  readonly signOver?: string | undefined;
  /** Serve this integrity instead. */
  readonly integrity?: string | undefined;
  /** Serve this publish time (full document only). */
  readonly time?: string | undefined;
  /** Remove the version (unpublished). */
  readonly remove?: boolean | undefined;
}

/** A copy of `pair` with `edits` applied to both documents, the way the registry keeps them in step. */
export function editPackument(pair: PackumentPair, edits: Readonly<Record<string, VersionEdit>>, defaultKey?: SigningKey): PackumentPair {
  const edit = (source: unknown): unknown => {
    const document = structuredClone(source) as PackumentDocument;
    for (const [version, manifest] of Object.entries(document.versions)) {
      const change = edits[version] ?? {};
      if (change.remove) {
        delete document.versions[version];
        if (document.time) delete document.time[version];
        // As on unpublish, tags move to the newest remaining version.
        for (const [tag, tagged] of Object.entries(document['dist-tags'])) {
          if (tagged === version) document['dist-tags'][tag] = Object.keys(document.versions).at(-1) ?? '';
        }
        continue;
      }
      if (change.integrity !== undefined) manifest.dist.integrity = change.integrity;
      if (change.time !== undefined && document.time) document.time[version] = change.time;
      const key = change.signWith ?? defaultKey;
      if (key && manifest.dist.integrity !== undefined) {
        manifest.dist.signatures = [signatureOf(key, document.name, version, change.signOver ?? manifest.dist.integrity)];
      }
    }
    return document;
  };
  return { full: edit(pair.full), abbreviated: edit(pair.abbreviated) };
}

export interface BuiltVersion {
  readonly version: string;
  readonly integrity?: string | undefined;
  readonly shasum?: string | undefined;
  readonly time?: string | undefined;
}

/**
 * A packument pair in the registry's shape for versions known from a real lockfile (the integrity
 * values there are the published ones). Tarball URLs use the fixtures' example host.
 */
export function buildPackument(name: string, versions: readonly BuiltVersion[]): PackumentPair {
  const basename = name.slice(name.lastIndexOf('/') + 1);
  const dist = (entry: BuiltVersion): Record<string, string> => ({
    ...(entry.integrity === undefined ? {} : { integrity: entry.integrity }),
    ...(entry.shasum === undefined ? {} : { shasum: entry.shasum }),
    tarball: `https://registry.npm.example/${name}/-/${basename}-${entry.version}.tgz`,
  });
  const latest = versions.at(-1)?.version ?? '0.0.0';
  const time: Record<string, string> = { created: versions[0]?.time ?? '2015-01-01T00:00:00.000Z', modified: versions.at(-1)?.time ?? '2015-01-01T00:00:00.000Z' };
  for (const entry of versions) time[entry.version] = entry.time ?? '2015-01-01T00:00:00.000Z';
  return {
    full: {
      _id: name,
      name,
      'dist-tags': { latest },
      versions: Object.fromEntries(versions.map((entry) => [entry.version, { name, version: entry.version, _id: `${name}@${entry.version}`, dist: dist(entry) }])),
      time,
      license: 'MIT',
    },
    abbreviated: {
      name,
      modified: time['modified'],
      'dist-tags': { latest },
      versions: Object.fromEntries(versions.map((entry) => [entry.version, { name, version: entry.version, dist: dist(entry) }])),
    },
  };
}

export interface SigningRegistryModel {
  packuments: Record<string, PackumentPair>;
  /** Served at /-/npm/v1/keys; undefined: 404, as registries that do not sign answer. */
  keys?: readonly SigningKey[] | undefined;
  /** Added before every response (the benchmark's 50 ms). */
  latencyMs?: number | undefined;
  /** `cache-control` of packuments; default the npm registry's `public, max-age=300`. */
  cacheControl?: string | undefined;
}

/** Serves `model` (read on every request, so tests can change it between runs). */
export function serveSigningRegistry(model: SigningRegistryModel): Handler {
  return async (request, response) => {
    if (model.latencyMs) await sleep(model.latencyMs);
    if (request.url.split('?')[0] === '/-/npm/v1/keys') {
      if (model.keys === undefined) sendJson(response, 404, { error: 'Not found' });
      else sendJson(response, 200, keysDocument(model.keys), { 'cache-control': 'public, max-age=300' });
      return;
    }
    const name = decodeURIComponent(request.url.slice(1).split('?')[0] ?? '');
    const pair = Object.hasOwn(model.packuments, name) ? model.packuments[name] : undefined;
    if (request.method !== 'GET' || !pair) {
      sendJson(response, 404, { error: 'Not found' });
      return;
    }
    const abbreviated = (request.headers.accept ?? '').includes(ABBREVIATED_TYPE);
    sendJson(response, 200, abbreviated ? pair.abbreviated : pair.full, {
      'content-type': abbreviated ? ABBREVIATED_TYPE : 'application/json',
      'cache-control': model.cacheControl ?? 'public, max-age=300',
      vary: 'accept-encoding, accept',
    });
  };
}
