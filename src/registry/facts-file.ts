/**
 * One registry's facts cache on disk: `<cacheDir>/registry-facts/<sha256 of the registry URL>.json`,
 * read once per audit and written back whole (temporary file + rename, so a crash or a parallel
 * run never leaves a torn file: the last writer wins, and both wrote true facts).
 *
 * A file that cannot be read or has another schema version is treated as empty: it is a cache,
 * and refetching is always correct.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../core/check.ts';
import { nodeCrypto } from '../core/node-crypto.ts';
import type { RegistryKey, VersionFacts } from './facts-types.ts';
import { redactUrl } from './registry-config.ts';
import { sha256Hex } from './sha256.ts';
import type { PackumentSignature } from './types.ts';

export const FACTS_SUBDIR = 'registry-facts';
const SCHEMA_VERSION = 1;

export interface CachedVersion extends VersionFacts {
  /** When the registry last confirmed this version exists (epoch ms). */
  readonly checkedAt: number;
}

export interface CachedKeys {
  readonly fetchedAt: number;
  /** null: the registry has no keys endpoint (404). */
  readonly keys: readonly RegistryKey[] | null;
}

/**
 * The cached versions of one registry. Entries are validated when first read, not when the file
 * is loaded: a run usually reads a few thousand of them, and validating them all up front doubled
 * the cost of a warm run's load.
 */
export class VersionTable {
  readonly #raw: Record<string, unknown>;
  /** Entries read (validated) or written in this run; null: deleted or invalid. */
  readonly #current = new Map<string, CachedVersion | null>();

  /** No entry at all (a first run): lookups need not even build their keys. */
  #empty: boolean;
  /** Every key's text before each of its "@", built on first use (see `mayHoldName`). */
  #names: Set<string> | undefined;

  constructor(raw: Record<string, unknown> = {}) {
    this.#raw = raw;
    this.#empty = !hasOwnKey(raw);
  }

  isEmpty(): boolean {
    return this.#empty;
  }

  /**
   * False when no entry's key is `versionKey(name, …)`, so that a lookup of any version of
   * `name` would miss: a lockfile names thousands of packages and a cache usually holds a few of
   * them, and this answers a name without building a key per version. True may be wrong (a
   * key's text before another "@" counts too): the entries themselves decide then.
   */
  mayHoldName(name: string): boolean {
    if (this.#empty) return false;
    if (!this.#names) {
      this.#names = new Set();
      for (const key in this.#raw) if (Object.hasOwn(this.#raw, key)) addNamesOf(this.#names, key);
      for (const key of this.#current.keys()) addNamesOf(this.#names, key);
    }
    return this.#names.has(name);
  }

  get(key: string): CachedVersion | undefined {
    let entry = this.#current.get(key);
    if (entry === undefined) {
      // A miss is not remembered: on a cold cache that is every package, and the raw lookup is as cheap.
      if (!Object.hasOwn(this.#raw, key)) return undefined;
      entry = readCachedVersion(this.#raw[key]) ?? null;
      this.#current.set(key, entry);
    }
    return entry ?? undefined;
  }

  set(key: string, entry: CachedVersion): void {
    this.#empty = false;
    this.#current.set(key, entry);
    if (this.#names) addNamesOf(this.#names, key);
  }

  /** True when there was an entry to delete. */
  delete(key: string): boolean {
    const existed = this.get(key) !== undefined;
    this.#current.set(key, null);
    return existed;
  }

  toJSON(): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...this.#raw };
    for (const [key, entry] of this.#current) {
      if (entry === null) delete merged[key];
      else merged[key] = entry;
    }
    return merged;
  }
}

/** Whatever name `key` may be the `versionKey` of: its text before each "@" (a version has none, a name may). */
function addNamesOf(names: Set<string>, key: string): void {
  for (let at = key.indexOf('@'); at >= 0; at = key.indexOf('@', at + 1)) names.add(key.slice(0, at));
}

function hasOwnKey(record: Record<string, unknown>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

export interface FactsFile {
  readonly registry: string;
  readonly versions: VersionTable;
  keys: CachedKeys | undefined;
  dirty: boolean;
}

export function factsFilePath(cacheDir: string, registry: string): string {
  // sha256Hex, not node:crypto: see sha256.ts.
  const digest = sha256Hex(registry).slice(0, 32);
  return path.join(cacheDir, FACTS_SUBDIR, `${digest}.json`);
}

export function versionKey(name: string, version: string): string {
  return `${name}@${version}`;
}

export async function loadFactsFile(cacheDir: string, registry: string, log: Logger | undefined): Promise<FactsFile> {
  const file: FactsFile = { registry, versions: new VersionTable(), keys: undefined, dirty: false };
  const location = factsFilePath(cacheDir, registry);
  let text: string;
  try {
    text = await readFile(location, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log?.debug(`registry facts cache ${location} unreadable: ${String(error)}`);
    return file;
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    log?.debug(`registry facts cache ${location} is not JSON; starting afresh`);
    return file;
  }
  const record = asRecord(document);
  if (record?.['schemaVersion'] !== SCHEMA_VERSION) return file;
  return { ...file, versions: new VersionTable(asRecord(record['versions'])), keys: readCachedKeys(record['keys']) };
}

export async function saveFactsFile(cacheDir: string, file: FactsFile): Promise<void> {
  const location = factsFilePath(cacheDir, file.registry);
  await mkdir(path.dirname(location), { recursive: true });
  const document = {
    schemaVersion: SCHEMA_VERSION,
    // Credentials never reach the disk; the URL is there for people looking at the cache.
    registry: redactUrl(file.registry),
    keys: file.keys,
    versions: file.versions.toJSON(),
  };
  // node:crypto only now: an offline audit writes no facts file (core/node-crypto.ts).
  const temporary = `${location}.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(document));
  await rename(temporary, location);
  file.dirty = false;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function readSignatures(value: unknown): PackumentSignature[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const signatures: PackumentSignature[] = [];
  for (const item of value) {
    const record = asRecord(item);
    const keyid = record?.['keyid'];
    const sig = record?.['sig'];
    if (typeof keyid === 'string' && typeof sig === 'string') signatures.push({ keyid, sig });
  }
  return signatures;
}

export function readAttestations(value: unknown): VersionFacts['attestations'] {
  const record = asRecord(value);
  const url = record?.['url'];
  if (typeof url !== 'string') return undefined;
  const predicateType = asRecord(record?.['provenance'])?.['predicateType'];
  return typeof predicateType === 'string' ? { url, provenance: { predicateType } } : { url };
}

/** The cacheable facts of one version from a packument's (untrusted) `dist`. */
export function factsFromDist(dist: unknown, publishedAt: string | null | undefined): VersionFacts {
  const record = asRecord(dist);
  const facts: { -readonly [K in keyof VersionFacts]: VersionFacts[K] } = {};
  const integrity = optionalString(record?.['integrity']);
  const shasum = optionalString(record?.['shasum']);
  const signatures = readSignatures(record?.['signatures']);
  const attestations = readAttestations(record?.['attestations']);
  if (integrity !== undefined) facts['integrity'] = integrity;
  if (shasum !== undefined) facts['shasum'] = shasum;
  if (signatures !== undefined) facts['signatures'] = signatures;
  if (attestations !== undefined) facts['attestations'] = attestations;
  if (publishedAt !== undefined) facts['publishedAt'] = publishedAt;
  return facts;
}

function readCachedVersion(value: unknown): CachedVersion | undefined {
  const record = asRecord(value);
  const checkedAt = record?.['checkedAt'];
  if (typeof checkedAt !== 'number') return undefined;
  // The common entry, exactly as this module writes it, is used as is: a warm run reads thousands.
  if (isWellFormedEntry(record)) return record as unknown as CachedVersion;
  const publishedAt = record?.['publishedAt'];
  const facts = factsFromDist(record, typeof publishedAt === 'string' || publishedAt === null ? publishedAt : undefined);
  const verified = record?.['verified'];
  const marks = Array.isArray(verified) ? verified.filter((mark): mark is string => typeof mark === 'string') : [];
  return marks.length > 0 ? { ...facts, checkedAt, verified: marks } : { ...facts, checkedAt };
}

const ENTRY_KEYS: ReadonlySet<string> = new Set(['integrity', 'shasum', 'signatures', 'attestations', 'publishedAt', 'verified', 'checkedAt']);

/** True when every field has the type CachedVersion gives it, with no other keys. */
function isWellFormedEntry(record: Record<string, unknown> | undefined): boolean {
  if (!record) return false;
  for (const key in record) if (!ENTRY_KEYS.has(key)) return false;
  const { integrity, shasum, signatures, attestations, publishedAt, verified } = record;
  return (
    (integrity === undefined || typeof integrity === 'string') &&
    (shasum === undefined || typeof shasum === 'string') &&
    (publishedAt === undefined || publishedAt === null || typeof publishedAt === 'string') &&
    (attestations === undefined || readAttestations(attestations) !== undefined) &&
    (signatures === undefined || (Array.isArray(signatures) && signatures.every(isSignature))) &&
    (verified === undefined || (Array.isArray(verified) && verified.every((mark) => typeof mark === 'string')))
  );
}

function isSignature(value: unknown): boolean {
  const record = asRecord(value);
  return record !== undefined && typeof record['keyid'] === 'string' && typeof record['sig'] === 'string';
}

export function readKeys(value: unknown): RegistryKey[] | undefined {
  const keys = asRecord(value)?.['keys'];
  if (!Array.isArray(keys)) return undefined;
  const read: RegistryKey[] = [];
  for (const item of keys) {
    const record = asRecord(item);
    const keyid = record?.['keyid'];
    const key = record?.['key'];
    const expires = record?.['expires'];
    if (typeof keyid !== 'string' || typeof key !== 'string') return undefined;
    if (expires !== null && expires !== undefined && (typeof expires !== 'string' || Number.isNaN(Date.parse(expires)))) return undefined;
    const keytype = optionalString(record?.['keytype']);
    const scheme = optionalString(record?.['scheme']);
    read.push({ keyid, key, expires: expires ?? null, ...(keytype === undefined ? {} : { keytype }), ...(scheme === undefined ? {} : { scheme }) });
  }
  return read;
}

function readCachedKeys(value: unknown): CachedKeys | undefined {
  const record = asRecord(value);
  const fetchedAt = record?.['fetchedAt'];
  if (typeof fetchedAt !== 'number') return undefined;
  if (record?.['keys'] === null) return { fetchedAt, keys: null };
  const keys = readKeys(record);
  return keys === undefined ? undefined : { fetchedAt, keys };
}
