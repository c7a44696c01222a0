/**
 * npm's attestation endpoints: `<registry>/-/npm/v1/attestations/<name>@<version>` serves the
 * sigstore bundles a version was published with (`{ attestations: [{ predicateType, bundle }] }`),
 * and `<registry>/-/npm/v1/keys` the keys that sign npm's own publish attestations.
 *
 * Requests go to the registry that serves the package under the user's configuration, never to
 * the host named in `dist.attestations.url` (pacote does the same), so credentials, proxies and
 * mirrors apply and a packument cannot send pkgguard elsewhere. Shapes are checked only as far
 * as needed to hand the bundles on; the bundles themselves are validated by sigstore.
 */
import { SourceUnavailableError } from '../core/errors.ts';
import { escapePackageName } from './client.ts';
import { hostOf } from './failures.ts';
import { registryFor } from './registry-config.ts';
import type { RegistryClient } from './types.ts';

export interface AttestationRecord {
  readonly predicateType: string;
  /** A sigstore bundle as JSON, unvalidated. */
  readonly bundle: unknown;
}

export interface RegistrySigningKey {
  readonly keyid: string;
  readonly key: string;
  readonly expires: string | null;
}

/** The attestations of `name@version`, or undefined when the registry answers 404. */
export async function fetchAttestations(
  client: RegistryClient,
  name: string,
  version: string,
  signal?: AbortSignal,
): Promise<AttestationRecord[] | undefined> {
  const registry = registryFor(client.config, name);
  const subject = `-/npm/v1/attestations/${escapePackageName(name)}@${encodeURIComponent(version)}`;
  const document = await client.json(subject, { registry, signal });
  if (document === undefined) return undefined;
  const list = property(document, 'attestations');
  if (!Array.isArray(list)) throw malformed(registry, `/${subject}`);
  return list.map((entry: unknown) => {
    const record = entry as { predicateType?: unknown; bundle?: unknown } | null;
    if (typeof record?.predicateType !== 'string') throw malformed(registry, `/${subject}`);
    return { predicateType: record.predicateType, bundle: record.bundle };
  });
}

/** The registry's signing keys; an empty list when it publishes none (404). */
export async function fetchSigningKeys(client: RegistryClient, registry: string, signal?: AbortSignal): Promise<RegistrySigningKey[]> {
  const document = await client.json('-/npm/v1/keys', { registry, signal });
  if (document === undefined) return [];
  const keys = property(document, 'keys');
  if (!Array.isArray(keys)) throw malformed(registry, '/-/npm/v1/keys');
  return keys.flatMap((entry: unknown) => {
    const key = entry as Partial<Record<string, unknown>> | null;
    if (typeof key?.['keyid'] !== 'string' || typeof key['key'] !== 'string') return [];
    return [{ keyid: key['keyid'], key: key['key'], expires: typeof key['expires'] === 'string' ? key['expires'] : null }];
  });
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function malformed(registry: string, path: string): SourceUnavailableError {
  return new SourceUnavailableError(`${hostOf(registry)}: the response for ${path} is not in npm's format`);
}
