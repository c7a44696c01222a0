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
      });
      for (const warning of config.warnings) options.log.warn(warning);
      return config;
    });

  const registryClientFor = (config: RegistryConfig): Promise<RegistryClient> =>
    // One client per distinct configuration: clients of equal configurations share a pool.
    shared(`registry-client\n${JSON.stringify(config.fetchOptions)}\n${config.source}`, async () => {
      const { createRegistryClient } = await import('./registry/client.ts');
      return createRegistryClient({
        ...options.client,
        config,
        cacheDir,
        offline: options.offline,
        signal: options.signal,
        log: options.log,
      });
    });

  const registryFactsFor = (config: RegistryConfig): Promise<RegistryFacts> =>
    shared(`registry-facts\n${JSON.stringify(config.fetchOptions)}\n${config.source}`, async () => {
      const [{ createRegistryFacts }, { npmDefaultRegistry }, client] = await Promise.all([
        import('./registry/facts.ts'),
        import('./registry/npm-config.ts'),
        registryClientFor(config),
      ]);
      return createRegistryFacts({ client, cacheDir, log: options.log, publicRegistry: await npmDefaultRegistry() });
    });

  const tarballsFor = (config: RegistryConfig): Promise<TarballSource> =>
    shared(`tarballs\n${JSON.stringify(config.fetchOptions)}\n${config.source}\n${config.npmCache ?? ''}`, async () => {
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
