/**
 * The registry facts service (contract in facts-types.ts): per-version facts from a cache file
 * per registry, completed from the registry through the shared client.
 *
 * Model: a lookup first reads the cache entry of each asked version; a version that is missing,
 * older than `maxAgeMs`, or lacks a publish time the caller needs, makes the service fetch the
 * package's packument once (the abbreviated document, or the full one when publish times are
 * needed), take what it needs from it, and let the document go: real packuments reach megabytes,
 * and a big lockfile names thousands of packages. Answers that a package or version does not
 * exist are not written to disk (the next run asks again) but are kept for the rest of the audit,
 * so a second check does not ask again.
 */
import type { Logger } from '../core/check.ts';
import { messageOf } from '../core/errors.ts';
import { type FactsFile, factsFromDist, loadFactsFile, readKeys, saveFactsFile, versionKey } from './facts-file.ts';
import type { FactsRequest, KeysLookup, RegistryFacts, VersionLookup } from './facts-types.ts';
import { unavailable } from './failures.ts';
import { normalizeRegistryUrl, registryFor } from './registry-config.ts';
import type { Packument, RegistryClient } from './types.ts';

export interface RegistryFactsOptions {
  readonly client: RegistryClient;
  /** pkgguard's cache dir; the files go to `<cacheDir>/registry-facts/`. */
  readonly cacheDir: string;
  readonly log?: Logger | undefined;
  /** Epoch ms; tests move it. */
  readonly clock?: (() => number) | undefined;
  /** npm's built-in default registry (`npmDefaultRegistry()`): the public one. */
  readonly publicRegistry: string;
  /** How long fetched keys are used without asking again; default one day. */
  readonly keysMaxAgeMs?: number | undefined;
}

export const KEYS_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const KEYS_PATH = '-/npm/v1/keys';

export function createRegistryFacts(options: RegistryFactsOptions): RegistryFacts {
  return new CachedRegistryFacts(options);
}

class CachedRegistryFacts implements RegistryFacts {
  readonly #client: RegistryClient;
  readonly #options: RegistryFactsOptions;
  readonly #clock: () => number;
  readonly #files = new Map<string, Promise<FactsFile>>();
  readonly #loaded = new Map<string, FactsFile>();
  readonly #public = new Map<string, boolean>();
  /** Packument requests in flight, by `full|abbreviated` and name; forgotten once settled. */
  readonly #inFlight = new Map<string, Promise<Packument | undefined>>();
  /** Not-found answers of this audit, by name@version. */
  readonly #absent = new Map<string, VersionLookup>();
  readonly #keys = new Map<string, Promise<KeysLookup>>();
  /** Registries whose keys were fetched again in this audit: once is enough. */
  readonly #keysRefreshed = new OnceSet();

  constructor(options: RegistryFactsOptions) {
    this.#client = options.client;
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
  }

  registryFor(name: string): string {
    return registryFor(this.#client.config, name);
  }

  isPublicRegistry(registry: string): boolean {
    // Asked once per package name: URL parsing per call showed in warm-run profiles.
    let answer = this.#public.get(registry);
    if (answer === undefined) {
      answer = normalizeRegistryUrl(registry) === normalizeRegistryUrl(this.#options.publicRegistry);
      this.#public.set(registry, answer);
    }
    return answer;
  }

  async versions(name: string, versions: readonly string[], request: FactsRequest = {}): Promise<ReadonlyMap<string, VersionLookup>> {
    const file = await this.#file(this.registryFor(name));
    const answers = new Map<string, VersionLookup>();
    const toFetch = this.#answerKnown(file, name, versions, request, answers);
    if (toFetch.length === 0) return answers;

    if (this.#client.offline) return notCached(toFetch, answers);
    const full = request.publishTime === true;
    const packument = await this.#packument(name, full, request.signal);
    for (const version of toFetch) answers.set(version, this.#record(file, name, version, packument, full));
    return answers;
  }

  knownVersions(name: string, versions: readonly string[], request: FactsRequest = {}): ReadonlyMap<string, VersionLookup> | undefined {
    const file = this.#loaded.get(this.registryFor(name));
    if (!file) return undefined;
    // Asked once per package name of a lockfile: an indexed loop and no intermediate collections.
    const answers = new Map<string, VersionLookup>();
    for (let index = 0; index < versions.length; index++) {
      const version = versions[index] ?? '';
      if (answers.has(version)) continue;
      const known = this.#known(file, name, version, request);
      if (known !== undefined) answers.set(version, known);
      else if (this.#client.offline) answers.set(version, NOT_CACHED);
      else return undefined;
    }
    return answers;
  }

  knowsNothingOf(name: string): boolean {
    // Not-found answers are learnt online only, but one would be an answer.
    if (!this.#client.offline || this.#absent.size > 0) return false;
    const file = this.#loaded.get(this.registryFor(name));
    return file !== undefined && !file.versions.mayHoldName(name);
  }

  async knowsNothingOn(registry: string): Promise<boolean> {
    if (!this.#client.offline || this.#absent.size > 0) return false;
    return (await this.#file(registry)).versions.isEmpty();
  }

  /** Fills `answers` with what this audit and the cache file know; returns the versions left to fetch. */
  #answerKnown(file: FactsFile, name: string, versions: readonly string[], request: FactsRequest, answers: Map<string, VersionLookup>): string[] {
    const toFetch: string[] = [];
    for (const version of versions.length === 1 ? versions : new Set(versions)) {
      const known = this.#known(file, name, version, request);
      if (known !== undefined) answers.set(version, known);
      else toFetch.push(version);
    }
    return toFetch;
  }

  /** What this audit or the cache file knows of one version, or undefined when it must be fetched. */
  #known(file: FactsFile, name: string, version: string, request: FactsRequest): VersionLookup | undefined {
    // A first run knows nothing, and a cache holds a few of a lockfile's names: no key to build
    // for each of thousands of versions.
    if (this.#absent.size === 0 && !file.versions.mayHoldName(name)) return undefined;
    const key = versionKey(name, version);
    const absent = this.#absent.get(key);
    if (absent) return absent;
    const cached = file.versions.get(key);
    return cached && this.#usable(cached.checkedAt, cached.publishedAt, request) ? { status: 'found', facts: cached, cached: true } : undefined;
  }

  keys(registry: string, options: { readonly refresh?: boolean | undefined } = {}): Promise<KeysLookup> {
    const refresh = options.refresh === true && !this.#client.offline;
    let lookup = this.#keys.get(registry);
    if (!lookup || (refresh && this.#keysRefreshed.add(registry))) {
      lookup = this.#fetchKeys(registry, refresh);
      this.#keys.set(registry, lookup);
    }
    return lookup;
  }

  markVerified(name: string, version: string, mark: string): void {
    // The file was loaded by the `versions` call that returned these facts.
    const file = this.#loaded.get(this.registryFor(name));
    const key = versionKey(name, version);
    const entry = file?.versions.get(key);
    if (!file || !entry || entry.verified?.includes(mark)) return;
    file.versions.set(key, { ...entry, verified: [...(entry.verified ?? []), mark] });
    file.dirty = true;
  }

  async flush(): Promise<void> {
    for (const pending of this.#files.values()) {
      const file = await pending;
      if (!file.dirty) continue;
      try {
        await saveFactsFile(this.#options.cacheDir, file);
      } catch (error) {
        // A read-only cache costs speed on the next run, never correctness.
        this.#options.log?.warn(`could not write the registry facts cache in ${this.#options.cacheDir}: ${messageOf(error)}`);
        file.dirty = false;
      }
    }
  }

  #usable(checkedAt: number, publishedAt: string | null | undefined, request: FactsRequest): boolean {
    if (this.#client.offline) return true;
    if (request.publishTime === true && publishedAt === undefined) return false;
    return request.maxAgeMs === undefined || this.#clock() - checkedAt <= request.maxAgeMs;
  }

  #record(file: FactsFile, name: string, version: string, packument: Packument | undefined, full: boolean): VersionLookup {
    const key = versionKey(name, version);
    let answer: VersionLookup;
    const manifest = packument === undefined ? undefined : Object.hasOwn(packument.versions, version) ? packument.versions[version] : undefined;
    if (packument === undefined) answer = { status: 'package-not-found' };
    else if (manifest === undefined) {
      const latest = packument['dist-tags']?.['latest'];
      answer = { status: 'version-not-found', latest: typeof latest === 'string' ? latest : undefined, versionCount: Object.keys(packument.versions).length };
    } else {
      const time = packument.time?.[version];
      // A publish time never changes: keep one learnt earlier when this document lacks it.
      const publishedAt = typeof time === 'string' ? time : full ? null : file.versions.get(key)?.publishedAt;
      const facts = { ...factsFromDist(manifest.dist, publishedAt), checkedAt: this.#clock() };
      file.versions.set(key, facts);
      file.dirty = true;
      return { status: 'found', facts, cached: false };
    }
    if (file.versions.delete(key)) file.dirty = true;
    this.#absent.set(key, answer);
    return answer;
  }

  #packument(name: string, full: boolean, signal: AbortSignal | undefined): Promise<Packument | undefined> {
    // A full document in flight answers an abbreviated question too. Callers of one package share
    // one request (and so its signal): within an audit they are the checks of one run.
    const pending = this.#inFlight.get(`full\n${name}`) ?? (full ? undefined : this.#inFlight.get(`abbreviated\n${name}`));
    if (pending) return pending;
    const key = `${full ? 'full' : 'abbreviated'}\n${name}`;
    // The facts cache keeps what is needed from the document; caching the document as well would
    // cost more CPU per package than the rest of the lookup.
    const result = this.#client.packument(name, { full, signal, httpCache: false });
    this.#inFlight.set(key, result);
    const forget = (): void => {
      this.#inFlight.delete(key);
    };
    result.then(forget, forget);
    return result;
  }

  async #fetchKeys(registry: string, refresh: boolean): Promise<KeysLookup> {
    const file = await this.#file(registry);
    const cached = file.keys;
    const fresh = cached !== undefined && (this.#client.offline || this.#clock() - cached.fetchedAt <= (this.#options.keysMaxAgeMs ?? KEYS_MAX_AGE_MS));
    if (cached && fresh && !refresh) return cached.keys === null ? { status: 'none' } : { status: 'keys', keys: cached.keys, cached: true };
    // Kept in the facts file with its own expiry; offline that file is all there is.
    if (this.#client.offline) return { status: 'not-cached' };
    const body = await this.#client.json(KEYS_PATH, { registry, httpCache: false });
    if (body === undefined) {
      file.keys = { fetchedAt: this.#clock(), keys: null };
      file.dirty = true;
      return { status: 'none' };
    }
    const keys = readKeys(body);
    if (keys === undefined) throw unavailable(registry, `the response for /${KEYS_PATH} is not a list of signing keys`);
    file.keys = { fetchedAt: this.#clock(), keys };
    file.dirty = true;
    return { status: 'keys', keys, cached: false };
  }

  #file(registry: string): Promise<FactsFile> {
    let file = this.#files.get(registry);
    if (!file) {
      file = loadFactsFile(this.#options.cacheDir, registry, this.#options.log).then((loaded) => {
        this.#loaded.set(registry, loaded);
        return loaded;
      });
      this.#files.set(registry, file);
    }
    return file;
  }
}

const NOT_CACHED: VersionLookup = Object.freeze({ status: 'not-cached' });

/**
 * Offline, versions the facts cache does not know stay unknown: packuments bypass the HTTP cache
 * (see #packument), so the facts cache is all there is.
 */
function notCached(versions: readonly string[], answers: Map<string, VersionLookup>): Map<string, VersionLookup> {
  for (const version of versions) answers.set(version, NOT_CACHED);
  return answers;
}

/** A set whose `add` says whether the value was new. */
class OnceSet {
  readonly #values = new Set<string>();

  add(value: string): boolean {
    if (this.#values.has(value)) return false;
    this.#values.add(value);
    return true;
  }
}
