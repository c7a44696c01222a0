/**
 * Reads the user's registry configuration the way their package manager does, so private
 * registries, scoped registries, tokens, proxies and CAs "just work" and nothing is guessed.
 *
 * Model: npm's layers (builtin → global `$PREFIX/etc/npmrc` → user `~/.npmrc` → project
 * `.npmrc` → `npm_config_*` environment → command line), with `${VAR}` expansion. For the usual
 * layouts they are read by npm-config-direct.ts, which follows @npmcli/config step by step for
 * the registry settings only (≈ 5 ms instead of ≈ 60 ms: @npmcli/config evaluates and flattens
 * all of npm's ~250 setting definitions); for the rest (a workspace root above the project, and
 * other cases that file names) by @npmcli/config itself, with the definitions, shorthands and
 * flattening that ship inside it. Tests compare the two on generated configurations. npm's
 * default registry is never written in pkgguard: it comes from npm-registry-fetch, npm's own
 * HTTP layer, whose default a test checks against npm's definitions. pnpm reads the same
 * `.npmrc` files and may override registries in `pnpm-workspace.yaml`; yarn Berry reads only
 * `.yarnrc.yml` (see yarnrc.ts).
 *
 * Nothing here touches `process`: the caller passes the environment, home directory, platform
 * and node's executable path. @npmcli/config is imported lazily, only when it is needed.
 */
import path from 'node:path';
import type { default as NpmConfig } from '@npmcli/config';
import { ConfigError, messageOf } from '../core/errors.ts';
import type { LockfileFormat } from '../core/graph.ts';
import { readPnpmWorkspaceRegistries } from './pnpm-workspace.ts';
import {
  type FetchOptionValue,
  normalizeRegistryUrl,
  type RegistryConfig,
  type RegistryConfigSource,
  redactUrl,
} from './registry-config.ts';
import { flattenRegistrySettings, readNpmLayersDirect } from './npm-config-direct.ts';
import { loadYarnBerryRegistryConfig } from './yarnrc.ts';

export interface LoadRegistryConfigOptions {
  /** The project directory; npm finds the project `.npmrc` from here, as `npm` run there would. */
  readonly projectDir: string;
  /** The environment (`npm_config_*`, `${VAR}` values, `PREFIX`, proxies); the CLI passes process.env. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory, used when `env.HOME` is unset (Windows). */
  readonly homedir: string;
  readonly platform: string;
  /** Node's executable: npm derives the global prefix, and so `$PREFIX/etc/npmrc`, from it. */
  readonly execPath: string;
  /** npm's install directory (its builtin `npmrc`); default: where node's own npm lives. */
  readonly npmPath?: string | undefined;
  /** Whose settings apply; default `npm`. See `registryConfigSourceFor`. */
  readonly source?: RegistryConfigSource | undefined;
  /** `--registry`: replaces the default registry, with the priority of npm's command line. */
  readonly registry?: string | undefined;
  /** A yarn classic lockfile: `.yarnrc` registries and yarn 1's own alias host apply too (yarn-classic-config.ts). */
  readonly yarnClassic?: boolean | undefined;
  /** See YarnClassicLookup.packagedFallback. */
  readonly packagedFallback?: boolean | undefined;
  /**
   * 'npm': always through @npmcli/config (tests compare the two readers). Default: npm's layers
   * read directly where that gives @npmcli/config's answer (npm-config-direct.ts), else npm's.
   */
  readonly reader?: 'npm' | undefined;
  /**
   * Nothing will be fetched (--offline): npm's CA settings (`ca`, `cafile`) are left out of the
   * options, and the cafile is not read. npm reads it when its configuration loads (a system
   * bundle is a few hundred kilobytes, split into certificates on every run), and an unreadable
   * one fails there; without a connection no certificate is ever asked for, so offline neither
   * the cost nor the failure applies. Online both are as npm's.
   */
  readonly offline?: boolean | undefined;
}

/**
 * Settings that decide where requests go and how they authenticate; the rest of npm's config is
 * not ours. (`maxsockets` is left out on purpose: the client's concurrency sizes its sockets.)
 */
const REGISTRY_SETTINGS: ReadonlySet<string> = new Set([
  'registry',
  'ca',
  'cafile',
  'cert',
  'key',
  'strict-ssl',
  'proxy',
  'https-proxy',
  'noproxy',
  'local-address',
]);

/** Credentials npm only accepts scoped to a registry (`//host/:_authToken`); bare ones are ignored. */
const UNSCOPED_AUTH_KEYS = ['_authToken', '_auth', 'username', '_password'] as const;
/** Offline, npm's settings that only serve a TLS connection (see LoadRegistryConfigOptions.offline). */
const CA_SETTINGS: ReadonlySet<string> = new Set(['ca', 'cafile']);
const FILE_AND_ENV_LAYERS = ['global', 'user', 'project', 'env'] as const;
const UNEXPANDED_VARIABLE = /\$\{([^${}?]+)\}/;

/** The configuration source a lockfile's package manager uses. */
export function registryConfigSourceFor(format: LockfileFormat): RegistryConfigSource {
  switch (format) {
    case 'pnpm':
      return 'pnpm';
    case 'yarn-berry':
      return 'yarn-berry';
    case 'npm':
    case 'yarn-classic': // plus its own `.yarnrc` registries: see `yarnClassic`
    case 'bun':
      return 'npm';
  }
}

/**
 * npm's built-in default registry, as npm-registry-fetch (npm's own HTTP layer) defaults to it:
 * the same value as @npmcli/config's definitions (a test checks that), without evaluating them.
 */
export async function npmDefaultRegistry(): Promise<string> {
  const { default: defaults } = await import('npm-registry-fetch/lib/default-opts.js');
  if (typeof defaults.registry !== 'string') throw new TypeError('npm-registry-fetch has no default registry');
  return defaults.registry;
}

/**
 * Loads the registry configuration that applies to `projectDir`. Throws ConfigError when a
 * registry URL is unusable; messages name the setting and file, never a credential.
 */
export async function loadRegistryConfig(options: LoadRegistryConfigOptions): Promise<RegistryConfig> {
  const source = options.source ?? 'npm';
  if (source === 'yarn-berry') {
    return loadYarnBerryRegistryConfig({ ...options, npmDefaultRegistry: await npmDefaultRegistry() });
  }
  const npm = await loadNpmLayers(options);
  if (source === 'pnpm') {
    const pnpm = await readPnpmWorkspaceRegistries(options.projectDir);
    if (pnpm) {
      for (const [key, url] of Object.entries(pnpm.settings)) {
        npm.flat[key] = url;
        npm.origins.set(key, pnpm.file);
      }
      npm.files.push(pnpm.file);
      npm.warnings.push(...pnpm.warnings);
    }
  }
  const config = withNpmDefaultAlias(toRegistryConfig(source, npm), await npmDefaultRegistry());
  if (source !== 'npm' || options.yarnClassic !== true) return config;
  const { withYarnClassicSettings } = await import('./yarn-classic-config.ts');
  return withYarnClassicSettings(config, { ...options, npmDefaultRegistry: await npmDefaultRegistry() });
}

/**
 * npm's own default registry stays an alias of whatever default is configured: npm rewrites
 * lockfile URLs on it to the configured registry at install time (`replace-registry-host`,
 * default "npmjs"), so a lockfile written against it installs through the user's mirror, and
 * what it names there is public.
 */
function withNpmDefaultAlias(config: RegistryConfig, npmDefault: string): RegistryConfig {
  const alias = normalizeRegistryUrl(npmDefault);
  return alias === undefined || alias === config.defaultRegistry ? config : { ...config, defaultRegistryAliases: [alias] };
}

interface NpmLayers {
  /** npm's flat options, restricted to REGISTRY_SETTINGS, scoped registries and nerf-dart keys. */
  readonly flat: Record<string, unknown>;
  readonly files: string[];
  readonly warnings: string[];
  /** Where a key's winning value was set, for error messages. */
  readonly origins: Map<string, string>;
  readonly originOf: (key: string) => string;
  readonly npmCache: string | undefined;
}

async function loadNpmLayers(options: LoadRegistryConfigOptions): Promise<NpmLayers> {
  const env = environmentFor(options);
  const npmPath = options.npmPath ?? defaultNpmPath(options.execPath, options.platform);
  const direct =
    options.reader === 'npm'
      ? undefined
      : readNpmLayersDirect({ ...options, env, npmPath, defaultRegistry: await npmDefaultRegistry() });
  if (direct) return summarizeLayers(direct, flattenRegistrySettings, options);
  const { config, flatten } = await loadWithNpm(options, env, npmPath);
  const layers = [...config.data].map(([where, layer]) => ({ where, source: layer.source ?? undefined, loadError: layer.loadError, data: layer.data }));
  return summarizeLayers(layers, flatten, options);
}

/** @npmcli/config itself: the layouts npm-config-direct.ts declines, and the reference its tests compare with. */
async function loadWithNpm(
  options: LoadRegistryConfigOptions,
  env: Record<string, string>,
  npmPath: string,
): Promise<{ config: NpmConfig; flatten: (layer: Readonly<Record<string, unknown>>, flat: Record<string, unknown>) => void }> {
  const [{ default: NpmConfig }, { default: npmDefinitions }] = await Promise.all([
    import('@npmcli/config'),
    import('@npmcli/config/lib/definitions/index.js'),
  ]);
  const config = new NpmConfig({
    definitions: npmDefinitions.definitions,
    shorthands: npmDefinitions.shorthands,
    flatten: npmDefinitions.flatten,
    nerfDarts: npmDefinitions.nerfDarts,
    npmPath,
    env,
    argv: ['node', 'pkgguard', ...(options.registry === undefined ? [] : [`--registry=${options.registry}`])],
    platform: options.platform,
    execPath: options.execPath,
    cwd: options.projectDir,
    // Unknown-key warnings go to a queue we never print: pkgguard reads a few keys, not all of npm's.
    warn: false,
  });
  try {
    await config.load();
  } catch (error) {
    throw new ConfigError(`cannot load the npm configuration: ${messageOf(error)}`);
  }
  return { config, flatten: npmDefinitions.flatten };
}

/** A configuration layer, lowest priority first, from either reader. */
interface Layer {
  readonly where: string;
  readonly source: string | undefined;
  readonly loadError?: unknown;
  readonly data: Readonly<Record<string, unknown>>;
}

function summarizeLayers(
  layers: readonly Layer[],
  flatten: (layer: Readonly<Record<string, unknown>>, flat: Record<string, unknown>) => void,
  options: LoadRegistryConfigOptions,
): NpmLayers {
  // npm's own `config.flat`, minus everything that is not about registries. Flattening layer by
  // layer, lowest priority first, is what npm does; it also keeps `cafile` vs `ca` precedence.
  // (`config.flat` itself would also flatten `user-agent`, which writes to process.env.)
  const flat: Record<string, unknown> = {};
  const settingsOf = options.offline === true ? offlineSettingsOf : registrySettingsOf;
  for (const layer of layers) flatten(settingsOf(layer), flat);

  const byName = new Map(layers.map((layer) => [layer.where, layer]));
  const files: string[] = [];
  const warnings: string[] = [];
  for (const where of ['builtin', 'global', 'user', 'project'] as const) {
    const layer = byName.get(where);
    if (!layer?.source || !path.isAbsolute(layer.source)) continue;
    if (layer.loadError === undefined || layer.loadError === null) files.push(layer.source);
    else if (errorCode(layer.loadError) !== 'ENOENT') {
      warnings.push(`could not read ${layer.source} (${errorCode(layer.loadError) ?? 'unreadable'}); its settings were ignored`);
    }
  }
  const winner = (key: string): Layer | undefined => layers.findLast((layer) => Object.hasOwn(layer.data, key));
  const originOf = (key: string): string => winner(key)?.source ?? 'npm config';
  for (const where of FILE_AND_ENV_LAYERS) {
    const layer = byName.get(where);
    if (!layer) continue;
    for (const key of UNSCOPED_AUTH_KEYS) {
      if (Object.hasOwn(layer.data, key)) {
        warnings.push(`"${key}" in ${layer.source ?? where} is not scoped to a registry, so npm ignores it; write it as "//<registry host>/:${key}"`);
      }
    }
  }
  const cache = winner('cache');
  const configuredCache = cache === undefined || cache.where === 'default' ? undefined : cache.data['cache'];
  return { flat, files, warnings, origins: new Map(), originOf, npmCache: npmCacheOf(configuredCache, options) };
}

/**
 * npm's content cache as npm flattens it (`<cache>/_cacache`). npm's built-in default is computed
 * from the running process's home when its definitions load, so here it is rebuilt from the
 * environment the caller passed, the way npm's definitions build it.
 */
function npmCacheOf(configured: unknown, options: LoadRegistryConfigOptions): string | undefined {
  const paths = options.platform === 'win32' ? path.win32 : path.posix;
  if (typeof configured === 'string' && configured !== '') return paths.join(paths.resolve(options.projectDir, configured), '_cacache');
  const home = options.env['HOME'] || options.homedir;
  const root = options.platform === 'win32' ? paths.join(options.env['LOCALAPPDATA'] || home, 'npm-cache') : paths.join(home, '.npm');
  return paths.join(root, '_cacache');
}

function registrySettingsOf(layer: Layer): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(layer.data)) {
    if (REGISTRY_SETTINGS.has(key) || isScopedRegistryKey(key) || key.startsWith('//')) picked[key] = layer.data[key];
  }
  return picked;
}

function offlineSettingsOf(layer: Layer): Record<string, unknown> {
  const picked = registrySettingsOf(layer);
  for (const key of CA_SETTINGS) delete picked[key];
  return picked;
}

function toRegistryConfig(source: RegistryConfigSource, npm: NpmLayers): RegistryConfig {
  const originOf = (key: string): string => npm.origins.get(key) ?? npm.originOf(key);
  const fetchOptions: Record<string, FetchOptionValue> = {};
  const scopes: Record<string, string> = {};
  const warnings = [...npm.warnings];
  for (const [key, value] of Object.entries(npm.flat)) {
    const option = toOptionValue(value);
    if (option === undefined) continue;
    fetchOptions[key] = option;
    if (isScopedRegistryKey(key)) scopes[key.slice(0, key.lastIndexOf(':'))] = requireRegistryUrl(key, option, originOf(key));
    if (key.startsWith('//') && typeof option === 'string') {
      const unset = UNEXPANDED_VARIABLE.exec(option)?.[1];
      if (unset !== undefined) warnings.push(`"${key}" in ${originOf(key)} refers to \${${unset}}, which is not set`);
    }
  }
  const defaultRegistry = requireRegistryUrl('registry', fetchOptions['registry'], originOf('registry'));
  return { source, defaultRegistry, scopes, fetchOptions, npmCache: npm.npmCache, files: npm.files, warnings };
}

function requireRegistryUrl(key: string, value: FetchOptionValue | undefined, origin: string): string {
  const url = typeof value === 'string' ? normalizeRegistryUrl(value) : undefined;
  if (url === undefined) {
    const shown = typeof value === 'string' ? ` (${redactUrl(value)})` : '';
    throw new ConfigError(`"${key}" in ${origin} is not an http(s) URL${shown}`, {
      hints: ['registries are written as full URLs, e.g. https://npm.internal.example/'],
    });
  }
  return url;
}

function toOptionValue(value: unknown): FetchOptionValue | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  return undefined;
}

function isScopedRegistryKey(key: string): boolean {
  return /^@[^:/]+:registry$/i.test(key);
}

/** The environment as npm sees it: a copy (npm writes to it), with HOME always set. */
function environmentFor(options: LoadRegistryConfigOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  env['HOME'] ??= options.homedir;
  return env;
}

/** Where node's bundled npm lives: `<prefix>/lib/node_modules/npm`, or next to node.exe on Windows. */
function defaultNpmPath(execPath: string, platform: string): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const binDir = paths.dirname(execPath);
  return platform === 'win32'
    ? paths.join(binDir, 'node_modules', 'npm')
    : paths.join(paths.dirname(binDir), 'lib', 'node_modules', 'npm');
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
