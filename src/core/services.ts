/**
 * What a check may ask of the outside world, handed to it by the engine: the project's place on
 * disk, what the user declared private, the registry configuration and client of the lockfile's
 * package manager, and a per-audit memo. Everything is lazy: a run of offline checks never loads
 * npm's configuration (≈ 110 ms) or the HTTP stack.
 *
 * Only types come from the registry layer; the implementation lives in src/services.ts, so core
 * stays free of I/O.
 */
import type { RegistryFacts } from '../registry/facts-types.ts';
import type { RegistryConfig } from '../registry/registry-config.ts';
import type { TarballSource } from '../registry/tarball-types.ts';
import type { RegistryClient } from '../registry/types.ts';

/** Top-level keys of pkgguard's configuration that several checks share. */
export interface PrivacySettings {
  /** Scopes (`@corp`) whose packages are internal: never sent to public services. */
  readonly privateScopes: readonly string[];
  /** Unscoped internal package names. */
  readonly internalPackages: readonly string[];
}

/** Why a name counts as private, for messages ("declared in privateScopes", ...). */
export type PrivateNameReason =
  | 'private-scope'
  | 'internal-package'
  | 'scope-registry'
  | 'workspace'
  | 'resolved-elsewhere';

export interface CheckServices {
  /** Absolute project directory (the audit's root). */
  readonly projectDir: string;
  /** Absolute directory of the lockfile being checked: its package manager's configuration applies from here. */
  readonly lockfileDir: string;
  /** pkgguard's cache directory (absolute); checks keep their caches in subdirectories named after them. */
  readonly cacheDir: string;
  readonly privacy: PrivacySettings;
  /** The audit's "now" (tests pin it). */
  readonly now: Date;
  /** Sections of pkgguard's configuration that belong to no single check (e.g. `advisories`), as validated. */
  readonly settings: Readonly<Record<string, unknown>>;
  /**
   * The registry configuration of this lockfile's package manager (npm's layers, pnpm's, or yarn
   * Berry's `.yarnrc.yml`), loaded once per directory and manager. Throws ConfigError when the
   * configuration is unusable; the engine turns that into exit 2.
   */
  registryConfig(): Promise<RegistryConfig>;
  /**
   * The shared client for that configuration: bounded concurrency, retries, cache. Under
   * --offline it answers from the cache only (a miss is a SourceUnavailableError).
   */
  registryClient(): Promise<RegistryClient>;
  /**
   * Per-version registry facts (integrity, signatures, attestations, publish time) for that
   * client, from pkgguard's facts cache first: one packument request per package and audit at
   * most, none for versions already cached.
   */
  registryFacts(): Promise<RegistryFacts>;
  /**
   * A client for a public registry: `url`, or npm's built-in default registry. It routes every
   * name to that registry and carries none of the user's registry settings or credentials, only
   * their network settings (proxy, CA, strict-ssl). Its `config.defaultRegistry` is the URL used.
   * For existence questions the user's configured default cannot answer: that may be a private
   * proxy that merges public and private names.
   */
  publicRegistryClient(url?: string): Promise<RegistryClient>;
  /**
   * Tarball bytes as digests (tarball-integrity): downloads through this lockfile's registry
   * configuration (npm's for every format but yarn Berry), npm's cache, project files. One per
   * configuration, so concurrency is bounded across lockfiles.
   */
  tarballs(): Promise<TarballSource>;
  /**
   * A file of the project as text, by path relative to the project directory (POSIX), e.g. a
   * workspace's package.json; `undefined` when it does not exist. Throws TypeError for a path
   * that leaves the project directory (lockfile data names these paths).
   */
  readProjectFile(relativePath: string): Promise<string | undefined>;
  /**
   * Whether `name` must never be sent to a public service, and why: declared private in pkgguard's
   * config, a scope mapped to a non-default registry, a workspace package of this lockfile, or a
   * name this lockfile resolved from a registry other than the default one. `undefined`: public.
   */
  privateNameReason(name: string): Promise<PrivateNameReason | undefined>;
  /**
   * The classifier behind `privateNameReason`, for loops over every package: one await, then a
   * plain call per name (an await per name costs more than the answer on large lockfiles).
   */
  privateNames(): Promise<(name: string) => PrivateNameReason | undefined>;
  /**
   * Per-audit memo shared by every check and lockfile: the first caller computes, later callers
   * get the same promise (e.g. one advisory lookup for both `advisory` and `malicious`).
   */
  shared<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/**
 * Services for engine runs without an audit around them (unit tests of offline checks): no
 * configuration, and any registry use is a programming error that surfaces as a crash.
 */
export function withoutServices(): CheckServices {
  const missing = (): Promise<never> => Promise.reject(new TypeError('no registry services in this run (runChecks was called without servicesFor)'));
  const memo = new Map<string, Promise<unknown>>();
  return {
    projectDir: '.',
    lockfileDir: '.',
    cacheDir: '.',
    privacy: { privateScopes: [], internalPackages: [] },
    now: new Date(),
    settings: {},
    registryConfig: missing,
    registryClient: missing,
    registryFacts: missing,
    publicRegistryClient: missing,
    tarballs: missing,
    readProjectFile: missing,
    privateNameReason: () => Promise.resolve(undefined),
    privateNames: () => Promise.resolve(() => undefined),
    shared<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let result = memo.get(key) as Promise<T> | undefined;
      if (!result) memo.set(key, (result = compute()));
      return result;
    },
  };
}
