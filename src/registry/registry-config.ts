/**
 * The user's registry configuration as one plain, serialisable value, whichever package manager
 * it came from, plus the pure questions asked of it: which registry serves a name, which URL is
 * the default registry, and how to show it without its secrets.
 *
 * The configuration is kept in npm's own "flat options" form (`registry`, `@scope:registry`,
 * `//host/path/:_authToken`, `ca`, `strictSSL`, `proxy`, ...) because that is exactly what
 * npm-registry-fetch reads: it picks credentials by the longest nerf-dart prefix of each request
 * URL, so a token is only ever sent to the registry it was configured for.
 */

export const REGISTRY_CONFIG_SOURCES = ['npm', 'pnpm', 'yarn-berry'] as const;
/** npm's config layers (npm, yarn classic, bun), pnpm's (.npmrc + pnpm-workspace.yaml), or yarn Berry's (.yarnrc.yml). */
export type RegistryConfigSource = (typeof REGISTRY_CONFIG_SOURCES)[number];

export type FetchOptionValue = string | number | boolean | readonly string[];

export interface RegistryConfig {
  readonly source: RegistryConfigSource;
  /** Absolute http(s) URL with a trailing slash. */
  readonly defaultRegistry: string;
  /** Scope (`@corp`) → registry URL with a trailing slash, for scopes mapped to a registry. */
  readonly scopes: Readonly<Record<string, string>>;
  /**
   * npm's flat options, handed as-is to npm-registry-fetch. Holds credentials: never print or
   * log it; `redactRegistryConfig` gives a printable copy.
   */
  readonly fetchOptions: Readonly<Record<string, FetchOptionValue>>;
  /**
   * The public registry under the names package managers write into lockfiles, when the default
   * is another registry: npm's default (npm rewrites it to the configured registry at install) and,
   * for yarn classic, yarn 1's own alias host (read from the installed yarn 1, see
   * yarn-classic-registry.ts). Packages from them are public. Trailing slashes.
   */
  readonly defaultRegistryAliases?: readonly string[] | undefined;
  /** Aliases the package manager uses that could not be read, described for a note (yarn 1 not installed). */
  readonly unresolvedAliases?: readonly string[] | undefined;
  /**
   * npm's content cache, `<npm's "cache" setting>/_cacache`, as pacote would read it; only read,
   * never written. Unset for yarn Berry, whose lockfile has no SRI values to look it up by.
   */
  readonly npmCache?: string | undefined;
  /** Configuration files that were read, lowest priority first (absolute paths). */
  readonly files: readonly string[];
  /** Settings that were ignored or cannot work, described by key and file, never by value. */
  readonly warnings: readonly string[];
}

/** Nerf-dart fields (`//host/:<field>`) and top-level options whose values are secrets. */
const SECRET_NERF_DART_FIELDS: ReadonlySet<string> = new Set(['_authToken', '_auth', '_password']);
const SECRET_OPTIONS: ReadonlySet<string> = new Set(['key', '_auth', '_authToken', '_password']);
const URL_OPTIONS_WITH_USERINFO: ReadonlySet<string> = new Set(['proxy', 'httpsProxy', 'registry']);
export const REDACTED = '***';

/** `@scope` of a scoped name, else undefined. */
export function scopeOf(name: string): string | undefined {
  if (!name.startsWith('@')) return undefined;
  const slash = name.indexOf('/');
  return slash > 1 ? name.slice(0, slash) : undefined;
}

/** The registry that serves `name` under this configuration (trailing slash). */
export function registryFor(config: RegistryConfig, name: string): string {
  // Asked for every package name by several checks: most names have no scope to cut out.
  if (name.charCodeAt(0) !== 0x40) return config.defaultRegistry;
  const scope = scopeOf(name);
  return (scope !== undefined ? config.scopes[scope] : undefined) ?? config.defaultRegistry;
}

/** The default registry and its aliases (trailing slashes). */
export function defaultRegistries(config: RegistryConfig): readonly string[] {
  return [config.defaultRegistry, ...(config.defaultRegistryAliases ?? [])];
}

/** True when `url` points at the configured default registry (same origin and base path). */
export function isDefaultRegistry(config: RegistryConfig, url: string): boolean {
  const normalized = normalizeRegistryUrl(url);
  return normalized !== undefined && sameRegistry(normalized, config.defaultRegistry);
}

/**
 * An http(s) registry URL with a trailing slash (npm joins paths onto it and derives the
 * credential key from its directory), or undefined when `value` is not one.
 */
export function normalizeRegistryUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  url.hash = '';
  url.search = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/**
 * npm's credential key for a URL: `//host[:port]/directory/` (npm's nerf-dart). A registry given
 * without a trailing slash loses its last path segment, exactly as in npm.
 */
export function nerfDart(url: string): string {
  const parsed = new URL(url);
  const directory = new URL('.', `${parsed.protocol}//${parsed.host}${parsed.pathname}`);
  return `//${directory.host}${directory.pathname}`;
}

/** Origin and path of a URL with credentials and query removed, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  } catch {
    // Not a URL: say so rather than echo a string that may hold a secret.
    return '<invalid URL>';
  }
}

/** A copy that is safe to print: tokens, passwords, private keys and URL credentials masked. */
export function redactRegistryConfig(config: RegistryConfig): RegistryConfig {
  const fetchOptions: Record<string, FetchOptionValue> = {};
  for (const [key, value] of Object.entries(config.fetchOptions)) fetchOptions[key] = redactOption(key, value);
  const scopes: Record<string, string> = {};
  for (const [scope, url] of Object.entries(config.scopes)) scopes[scope] = redactUrl(url);
  return { ...config, defaultRegistry: redactUrl(config.defaultRegistry), scopes, fetchOptions };
}

function redactOption(key: string, value: FetchOptionValue): FetchOptionValue {
  if (isSecretOption(key)) return REDACTED;
  if (typeof value === 'string' && (URL_OPTIONS_WITH_USERINFO.has(key) || /^@[^:]+:registry$/.test(key))) {
    return redactUrl(value);
  }
  return value;
}

/** True for option keys whose value is a credential. */
export function isSecretOption(key: string): boolean {
  if (key.startsWith('//')) return SECRET_NERF_DART_FIELDS.has(key.slice(key.lastIndexOf(':') + 1));
  return SECRET_OPTIONS.has(key);
}

function sameRegistry(a: string, b: string): boolean {
  const left = new URL(a);
  const right = new URL(b);
  return left.protocol === right.protocol && left.host === right.host && left.pathname === right.pathname;
}
