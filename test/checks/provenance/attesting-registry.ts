/**
 * Registry documents for the provenance tests, in npm's real shapes: packuments (full and
 * abbreviated) whose versions carry `dist.attestations` `{ url, provenance: { predicateType } }`,
 * the attestation endpoint `/-/npm/v1/attestations/<name>@<version>` answering
 * `{ attestations: [{ predicateType, bundle }] }`, and `/-/npm/v1/keys`. Served by the fake
 * registry on 127.0.0.1; tarballs are never downloaded, so each version's "tarball" is just the
 * text its sha512 is computed from.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { Handler, PackumentPair } from '../../registry/fake-registry.ts';
import { sendJson, servePackuments } from '../../registry/fake-registry.ts';
import { SLSA_PROVENANCE_V1 } from './sigstore-fixture.ts';

export interface AttestationEntry {
  readonly predicateType: string;
  readonly bundle: unknown;
}

export interface VersionSpec {
  readonly version: string;
  /** ISO publish time. */
  readonly publishedAt: string;
  /** Attestations served for the version; `'not-served'`: advertised in the packument, 404 at the endpoint. */
  readonly attestations?: readonly AttestationEntry[] | 'not-served' | undefined;
}

/** Bytes standing in for a version's tarball: only their hash matters to these tests. */
export function tarballText(name: string, version: string): string {
  return `tarball of ${name}@${version}`;
}

export function integrityOf(name: string, version: string): string {
  return `sha512-${createHash('sha512').update(tarballText(name, version)).digest('base64')}`;
}

export function sha512HexOf(name: string, version: string): string {
  return createHash('sha512').update(tarballText(name, version)).digest('hex');
}

function isServed(attestations: VersionSpec['attestations']): attestations is readonly AttestationEntry[] {
  return attestations !== undefined && attestations !== 'not-served';
}

function escaped(name: string): string {
  return name.startsWith('@') ? name.replace('/', '%2f') : name;
}

export function packumentOf(name: string, versions: readonly VersionSpec[]): PackumentPair {
  const manifests: Record<string, unknown> = {};
  for (const spec of versions) {
    const url = `https://registry.npm.example/-/npm/v1/attestations/${escaped(name)}@${spec.version}`;
    const predicateType = isServed(spec.attestations)
      ? (spec.attestations.find((entry) => entry.predicateType.startsWith('https://slsa.dev/'))?.predicateType ?? SLSA_PROVENANCE_V1)
      : SLSA_PROVENANCE_V1;
    manifests[spec.version] = {
      name,
      version: spec.version,
      dist: {
        integrity: integrityOf(name, spec.version),
        tarball: `https://registry.npm.example/${name}/-/${name.split('/').pop() ?? name}-${spec.version}.tgz`,
        ...(spec.attestations === undefined ? {} : { attestations: { url, provenance: { predicateType } } }),
      },
    };
  }
  const times = Object.fromEntries(versions.map((spec) => [spec.version, spec.publishedAt]));
  const latest = versions.at(-1)?.version ?? '0.0.0';
  const modified = versions.at(-1)?.publishedAt ?? '2024-01-01T00:00:00.000Z';
  return {
    full: { name, 'dist-tags': { latest }, versions: manifests, time: { created: versions[0]?.publishedAt, modified, ...times } },
    abbreviated: { name, modified, 'dist-tags': { latest }, versions: manifests },
  };
}

export interface RegistryKeyEntry {
  readonly keyid: string;
  readonly publicKey: KeyObject;
  readonly expires?: string | null | undefined;
}

export interface AttestingRegistry {
  readonly packages: Readonly<Record<string, readonly VersionSpec[]>>;
  readonly keys?: readonly RegistryKeyEntry[] | undefined;
}

const ATTESTATIONS_PREFIX = '/-/npm/v1/attestations/';

/** Handler serving packuments, attestations and keys as the public registry does. */
export function serveAttestingRegistry(registry: AttestingRegistry): Handler {
  const packuments = Object.fromEntries(Object.entries(registry.packages).map(([name, versions]) => [name, packumentOf(name, versions)]));
  const packumentHandler = servePackuments(packuments);
  return (request, response) => {
    const url = request.url.split('?')[0] ?? '';
    if (url === '/-/npm/v1/keys') {
      if (!registry.keys) return sendJson(response, 404, { error: 'Not found' });
      return sendJson(response, 200, {
        keys: registry.keys.map((key) => ({
          expires: key.expires ?? null,
          keyid: key.keyid,
          keytype: 'ecdsa-sha2-nistp256',
          scheme: 'ecdsa-sha2-nistp256',
          key: key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        })),
      });
    }
    if (url.startsWith(ATTESTATIONS_PREFIX)) {
      const spec = decodeURIComponent(url.slice(ATTESTATIONS_PREFIX.length));
      const at = spec.lastIndexOf('@');
      const version = registry.packages[spec.slice(0, at)]?.find((candidate) => candidate.version === spec.slice(at + 1));
      if (!version || !isServed(version.attestations)) return sendJson(response, 404, { error: 'Not found' });
      return sendJson(response, 200, { attestations: version.attestations });
    }
    return packumentHandler(request, response);
  };
}
