/**
 * The implementation of CheckServices for one audit: registry configurations and clients are
 * created on first use and shared, per (directory, package manager), by every check and lockfile
 * that asks for them, so two network checks never load npm's configuration twice or compete with
 * two connection pools.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from './core/check.ts';
import type { DependencyGraph } from './core/graph.ts';
import type { CheckServices, PrivacySettings, PrivateNameReason } from './core/services.ts';
import type { RegistryClientOptions } from './registry/client.ts';
import type { RegistryFacts } from './registry/facts-types.ts';
// Static: it is small, and only its first request loads the HTTP client.
import { lazyRegistryClient } from './registry/lazy-client.ts';
import type { RegistryConfig } from './registry/registry-config.ts';
import type { TarballSource } from './registry/tarball-types.ts';
import type { RegistryClient } from './registry/types.ts';

/** What the CLI knows about the process; the library never reads `process` itself. */
export interface AuditEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  readonly platform: string;
  /** Node's executable: npm derives its global prefix (and `$PREFIX/etc/npmrc`) from it. */
  readonly execPath: string;
}

export interface AuditServicesOptions {
  readonly projectDir: string;
  readonly environment?: AuditEnvironment | undefined;
  /** `--registry`: replaces the configured default registry. */
  readonly registry?: string | undefined;
  /** pkgguard's cache dir; default from the environment (PKGGUARD_CACHE_DIR, XDG, LOCALAPPDATA). */
  readonly cacheDir?: string | undefined;
  readonly offline: boolean;
  readonly privacy: PrivacySettings;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly now: Date;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Client tuning (tests shorten retries and timeouts). */
  readonly client?: Partial<Pick<RegistryClientOptions, 'concurrency' | 'retries' | 'retryDelayMs' | 'timeoutMs' | 'preferOffline'>> | undefined;
}

/** Without an environment from the CLI, the library reads no variables: only npm's files apply. */
function defaultEnvironment(): AuditEnvironment {
  return { env: {}, homedir: os.homedir(), platform: os.platform(), execPath: '' };
}

export interface AuditServices {
  /** The services of the checks that run on `graph`. */
  servicesFor(graph: DependencyGraph): CheckServices;
  readonly cacheDir: string;
}

export async function createAuditServices(options: AuditServicesOptions): Promise<AuditServices> {
  const environment = options.environment ?? defaultEnvironment();
  const cacheDir = options.cacheDir ?? (await import('./registry/cache-dir.ts')).resolveCacheDir(environment);
  const memo = new Map<string, Promise<unknown>>();
  const shared = <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    let result = memo.get(key) as Promise<T> | undefined;
    if (!result) {
      result = compute();
      memo.set(key, result);
    }
    return result;
  };

  const registryConfigFor = (graph: DependencyGraph, lockfileDir: string): Promise<RegistryConfig> =>
    shared(`registry-config\n${lockfileDir}\n${graph.lockfile.format}`, async () => {
      const { loadRegistryConfig, registryConfigSourceFor } = await import('./registry/npm-config.ts');
      const config = await loadRegistryConfig({
        projectDir: lockfileDir,
        env: environment.env,
        homedir: environment.homedir,
        platform: environment.platform,
        execPath: environment.execPath,
        source: registryConfigSourceFor(graph.lockfile.format),
        yarnClassic: graph.lockfile.format === 'yarn-classic',
        registry: options.registry,
        offline: options.offline,
      });
      for (const warning of config.warnings) options.log.warn(warning);
      return config;
    });

  /**
   * Equal configurations (loaded for two lockfiles of one directory, say) share clients, facts and
   * tarball sources: each configuration gets the number of the first equal one (same source and
   * fetch options) as its key. Compared value by value, not as JSON: npm's `ca` option can hold
   * a whole certificate bundle, and writing it out for every key cost milliseconds per audit.
   */
  const distinctConfigs: RegistryConfig[] = [];
  const configKeys = new WeakMap<RegistryConfig, number>();
  const configKeyOf = (config: RegistryConfig): number => {
    let key = configKeys.get(config);
    if (key === undefined) {
      key = distinctConfigs.findIndex((known) => known.source === config.source && sameJson(known.fetchOptions, config.fetchOptions));
      if (key < 0) key = distinctConfigs.push(config) - 1;
      configKeys.set(config, key);
    }
    return key;
  };

  const registryClientFor = (config: RegistryConfig): Promise<RegistryClient> =>
    // One client per distinct configuration: clients of equal configurations share a pool.
    shared(`registry-client\n${configKeyOf(config)}`, () =>
      Promise.resolve(
        lazyRegistryClient({
          ...options.client,
          config,
          cacheDir,
          offline: options.offline,
          signal: options.signal,
          log: options.log,
        }),
      ),
    );

  const registryFactsFor = (config: RegistryConfig): Promise<RegistryFacts> =>
    shared(`registry-facts\n${configKeyOf(config)}`, async () => {
      const [{ createRegistryFacts }, { npmDefaultRegistry }, client] = await Promise.all([
        import('./registry/facts.ts'),
        import('./registry/npm-config.ts'),
        registryClientFor(config),
      ]);
      return createRegistryFacts({ client, cacheDir, log: options.log, publicRegistry: await npmDefaultRegistry() });
    });

  const tarballsFor = (config: RegistryConfig): Promise<TarballSource> =>
    shared(`tarballs\n${configKeyOf(config)}\n${config.npmCache ?? ''}`, async () => {
      const { createTarballSource } = await import('./registry/tarballs.ts');
      return createTarballSource({
        ...options.client,
        config,
        projectDir: options.projectDir,
        signal: options.signal,
        log: options.log,
      });
    });

  return {
    cacheDir,
    servicesFor(graph) {
      const lockfileDir = path.dirname(path.resolve(options.projectDir, graph.lockfile.path));
      const registryConfig = (): Promise<RegistryConfig> => registryConfigFor(graph, lockfileDir);
      let classifier: Promise<(name: string) => PrivateNameReason | undefined> | undefined;
      const privateNames = (): Promise<(name: string) => PrivateNameReason | undefined> =>
        (classifier ??= registryConfig().then(async (config) => {
          const { privateNameClassifier } = await import('./registry/privacy.ts');
          return privateNameClassifier(graph, config, options.privacy);
        }));
      return {
        projectDir: options.projectDir,
        lockfileDir,
        cacheDir,
        privacy: options.privacy,
        now: options.now,
        settings: options.settings,
        registryConfig,
        registryClient: async () => registryClientFor(await registryConfig()),
        registryFacts: async () => registryFactsFor(await registryConfig()),
        async publicRegistryClient(url) {
          const [config, { npmDefaultRegistry }, { publicRegistryConfig }] = await Promise.all([
            registryConfig(),
            import('./registry/npm-config.ts'),
            import('./registry/public-registry.ts'),
          ]);
          return registryClientFor(publicRegistryConfig(config, url ?? (await npmDefaultRegistry())));
        },
        tarballs: async () => tarballsFor(await registryConfig()),
        readProjectFile: (relativePath) => readProjectFile(options.projectDir, relativePath),
        async privateNameReason(name) {
          return (await privateNames())(name);
        },
        privateNames,
        shared,
      };
    },
  };
}

/**
 * Whether `a` and `b` are written alike by JSON.stringify (what told configurations apart
 * before), without writing them: equal strings are compared natively, and one `ca` bundle is
 * usually the very same string in both.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    // A URL, a Date, a Buffer... is written by its toJSON, not by its own keys (a URL has none).
    if (!isPlainData(a) || !isPlainData(b)) return JSON.stringify(a) === JSON.stringify(b);
    const aKeys = Object.keys(a).filter((key) => isWritten((a as Record<string, unknown>)[key]));
    const bKeys = Object.keys(b).filter((key) => isWritten((b as Record<string, unknown>)[key]));
    if (aKeys.length !== bKeys.length) return false;
    for (let i = 0; i < aKeys.length; i++) {
      const key = aKeys[i] as string;
      if (key !== bKeys[i] || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
    }
    return true;
  }
  // Numbers (NaN and infinities are written as null), booleans, null, and anything else.
  return JSON.stringify(a) === JSON.stringify(b);
}

/** An object JSON.stringify writes as its own enumerable keys: a plain one, without toJSON. */
function isPlainData(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** JSON.stringify leaves out object members whose value is undefined, a function or a symbol. */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** A file below `projectDir` as text; undefined when it is missing. Paths come from lockfiles, so none may leave the project. */
async function readProjectFile(projectDir: string, relativePath: string): Promise<string | undefined> {
  const root = path.resolve(projectDir);
  const file = path.resolve(root, relativePath);
  const relative = path.relative(root, file);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new TypeError(`not a path inside the project: ${JSON.stringify(relativePath)}`);
  }
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
