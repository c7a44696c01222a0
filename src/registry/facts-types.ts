/**
 * The registry facts service: what network checks need to know about one published version
 * (`name@version` on the registry that serves it), answered from a small per-registry cache file
 * before any request is made.
 *
 * Why a cache of its own on top of the HTTP cache: a published version's `dist` (integrity,
 * shasum, signatures, attestations) and its publish time never change on npm, so once seen they
 * can be reused without revalidation, and reading one JSON file of a few hundred kilobytes costs
 * milliseconds where 2,000 HTTP-cache hits cost seconds of CPU. What can change is whether the
 * version still exists (unpublished, taken down as malware): a cached entry only says it existed
 * when it was cached, which is why callers can ask for entries younger than `maxAgeMs`.
 *
 * Contract for every caller (registry-integrity, signatures, provenance): values come from the
 * network and are only type-checked, never trusted further; a failure to reach the registry is a
 * SourceUnavailableError; under --offline nothing is fetched and a miss is `not-cached`.
 */
import type { PackumentDist, PackumentSignature } from './types.ts';

/** The immutable per-version facts that are cached. */
export interface VersionFacts {
  /** `dist.integrity` as the registry serves it (SRI; absent for some very old versions). */
  readonly integrity?: string | undefined;
  /** `dist.shasum`: hex sha1 of the tarball. */
  readonly shasum?: string | undefined;
  /** `dist.signatures`: ECDSA signatures over `${name}@${version}:${integrity}`. */
  readonly signatures?: readonly PackumentSignature[] | undefined;
  /** `dist.attestations` (provenance), as served. */
  readonly attestations?: PackumentDist['attestations'];
  /**
   * Publish time (ISO 8601) from the packument's `time[version]`; null when the registry gives
   * none. Absent until a caller asks for it (`publishTime: true`), because it usually costs the
   * full document, often 100× the abbreviated one.
   */
  readonly publishedAt?: string | null | undefined;
  /**
   * Verifications that succeeded for these exact facts, as recorded by a caller with
   * `markVerified` (e.g. "signature by key K verified"): a cryptographic check of immutable data
   * need not be repeated on every run. Dropped whenever the facts are fetched again.
   */
  readonly verified?: readonly string[] | undefined;
}

export type VersionLookup =
  | {
      readonly status: 'found';
      readonly facts: VersionFacts;
      /** True when answered from the facts cache without asking the registry. */
      readonly cached: boolean;
    }
  /** The package exists but this version does not (unpublished, or the name now belongs to something else). */
  | { readonly status: 'version-not-found'; readonly latest?: string | undefined; readonly versionCount: number }
  /** The registry answered 404 for the package. */
  | { readonly status: 'package-not-found' }
  /** Offline, and the facts cache has no (fresh enough) entry. */
  | { readonly status: 'not-cached' };

export interface FactsRequest {
  /**
   * Ask the registry again when the cached entry is older than this (existence can change:
   * unpublish, malware takedown). Default: a cached entry is used whatever its age. Ignored
   * offline, where any cached entry answers.
   */
  readonly maxAgeMs?: number | undefined;
  /** The publish time is needed: a cached entry without one is completed from the full packument. */
  readonly publishTime?: boolean | undefined;
  /** Cancels this caller's request (e.g. the first failure of a batch stops the rest). */
  readonly signal?: AbortSignal | undefined;
}

/** One entry of `<registry>/-/npm/v1/keys`. */
export interface RegistryKey {
  /** e.g. "SHA256:jl3bws…": what `dist.signatures[].keyid` refers to. */
  readonly keyid: string;
  /** base64 of the DER SubjectPublicKeyInfo. */
  readonly key: string;
  readonly keytype?: string | undefined;
  readonly scheme?: string | undefined;
  /** ISO date after which the key no longer signs; null while it is current. */
  readonly expires: string | null;
}

export type KeysLookup =
  | {
      readonly status: 'keys';
      readonly keys: readonly RegistryKey[];
      /** True when answered from the facts cache: a key id missing from it may be a newer key. */
      readonly cached: boolean;
    }
  /** The registry publishes no keys (404 on /-/npm/v1/keys): it does not sign. */
  | { readonly status: 'none' }
  | { readonly status: 'not-cached' };

export interface RegistryFacts {
  /** The registry (trailing slash) that serves `name` under the user's configuration. */
  registryFor(name: string): string;
  /**
   * True for npm's built-in public registry: private names (CheckServices.privateNameReason) must
   * not be asked about there.
   */
  isPublicRegistry(registry: string): boolean;
  /**
   * Facts of several versions of one package: one packument request at most (none when every
   * version is cached), shared with concurrent calls for the same package. Ask for all the
   * versions of a package a lockfile holds at once: the packument is not kept after the call.
   * Throws SourceUnavailableError when the registry cannot answer (after retries).
   */
  versions(name: string, versions: readonly string[], request?: FactsRequest): Promise<ReadonlyMap<string, VersionLookup>>;
  /**
   * What `versions` would answer without asking the registry or reading a file, or undefined when
   * that is not everything (online, a version missing from the cache; the cache file not read
   * yet). A warm run, and any offline run, answers thousands of names this way, without a promise
   * per name.
   */
  knownVersions(name: string, versions: readonly string[], request?: FactsRequest): ReadonlyMap<string, VersionLookup> | undefined;
  /**
   * True when every version of `name` is `not-cached`: offline, its registry's cache file has
   * been read and holds nothing of the name, and this audit learnt nothing of it. Answered
   * without anything built per version: an offline run asks it for every name of a lockfile,
   * and a cache usually knows few of them. False whenever that is not certain.
   */
  knowsNothingOf(name: string): boolean;
  /**
   * True when every version of every name `registry` serves is `not-cached`: offline, its cache
   * file (read now if it was not) holds no version at all, and this audit learnt nothing. Lets a
   * first offline run count a lockfile's packages as not cached without a lookup per package.
   * False whenever that is not certain (online, a file with any entry).
   */
  knowsNothingOn(registry: string): Promise<boolean>;
  /**
   * The signing keys of `registry`, cached for a day (keys rotate rarely, and expire by date).
   * `refresh` asks the registry even when cached keys are fresh (a signature names an unknown key).
   */
  keys(registry: string, options?: { readonly refresh?: boolean | undefined }): Promise<KeysLookup>;
  /**
   * Records that `mark` (a caller-defined token naming what was verified, and with which key)
   * holds for the facts of `name@version` last returned. Ignored when that version is not cached.
   */
  markVerified(name: string, version: string, mark: string): void;
  /** Writes what was learnt to the cache files (atomically); a no-op when nothing changed. */
  flush(): Promise<void>;
}
