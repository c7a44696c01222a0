/**
 * yarn Berry's registry settings, translated into npm's flat options so one client serves every
 * package manager. yarn Berry never reads `.npmrc`; it reads `.yarnrc.yml` from the project
 * directory and every directory above it (nearest wins), then `~/.yarnrc.yml`, then `YARN_*`
 * environment variables (highest). Values may use `${VAR}`, `${VAR:-fallback}` and
 * `${VAR-fallback}`; yarn refuses a missing variable without a fallback, and so does pkgguard,
 * except in credentials, which are then dropped with a warning (an audit can still run without).
 *
 * When `npmRegistryServer` is not set, yarn uses its own alias of npm's registry, which serves the
 * same data; pkgguard uses npm's default registry from npm's definitions instead, so that no
 * registry host is ever written here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../core/errors.ts';
import {
  type FetchOptionValue,
  nerfDart,
  normalizeRegistryUrl,
  type RegistryConfig,
  redactUrl,
} from './registry-config.ts';
import { isRecord, readYamlMapping } from './yaml-file.ts';

export interface LoadYarnBerryOptions {
  readonly projectDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
  /** `--registry` replaces `npmRegistryServer`. */
  readonly registry?: string | undefined;
  /** Used when no `npmRegistryServer` is configured. */
  readonly npmDefaultRegistry: string;
}

/** A value with the file it came from, for `${VAR}` errors and relative paths. */
interface Sourced {
  readonly value: unknown;
  readonly origin: string;
}

type Settings = Map<string, Sourced>;

interface YarnSettings {
  readonly top: Settings;
  readonly scopes: Map<string, Settings>;
  readonly registries: Map<string, Settings>;
  readonly files: string[];
}

const TOP_LEVEL_KEYS = [
  'npmRegistryServer',
  'npmAuthToken',
  'npmAuthIdent',
  'npmAlwaysAuth',
  'httpProxy',
  'httpsProxy',
  'caFilePath',
  'enableStrictSsl',
] as const;
const CREDENTIAL_KEYS: ReadonlySet<string> = new Set(['npmAuthToken', 'npmAuthIdent']);
const YARN_VARIABLE = /\$\{(?<name>[\w]+)(?<colon>:)?(?:-(?<fallback>[^}]*))?\}/g;
const CERTIFICATE_END = '-----END CERTIFICATE-----';

export async function loadYarnBerryRegistryConfig(options: LoadYarnBerryOptions): Promise<RegistryConfig> {
  const settings = await readYarnSettings(options);
  const warnings: string[] = [];
  const read = (scope: Settings, key: string, label: string): string | boolean | undefined =>
    resolveSetting(scope.get(key), label, options.env, warnings);

  const defaultRegistry = registryUrl(
    options.registry ?? read(settings.top, 'npmRegistryServer', 'npmRegistryServer') ?? options.npmDefaultRegistry,
    'npmRegistryServer',
    options.registry === undefined ? (settings.top.get('npmRegistryServer')?.origin ?? "npm's defaults") : 'the command line',
  );
  const fetchOptions: Record<string, FetchOptionValue> = { registry: defaultRegistry };
  const scopes: Record<string, string> = {};
  const credentials = new CredentialTable(fetchOptions);

  credentials.add(defaultRegistry, settings.top, '', read);
  for (const [key, entry] of settings.registries) {
    const url = registryUrl(key.startsWith('//') ? `https:${key}` : key, `npmRegistries["${key}"]`, originOfEntry(entry));
    credentials.add(url, entry, `npmRegistries["${key}"]`, read, { override: true });
  }
  for (const [scope, entry] of settings.scopes) {
    const label = `npmScopes.${scope}`;
    const server = read(entry, 'npmRegistryServer', `${label}.npmRegistryServer`);
    const url = server === undefined ? defaultRegistry : registryUrl(server, `${label}.npmRegistryServer`, entry.get('npmRegistryServer')?.origin ?? 'yarnrc');
    if (server !== undefined) {
      scopes[`@${scope}`] = url;
      fetchOptions[`@${scope}:registry`] = url;
    }
    // A scope's own registry takes the scope's credentials; on the shared default registry they
    // only fill a gap, since npm-registry-fetch keys credentials by host, not by scope.
    credentials.add(url, entry, label, read, { override: server !== undefined });
  }

  const strictSsl = read(settings.top, 'enableStrictSsl', 'enableStrictSsl');
  if (strictSsl !== undefined) fetchOptions['strictSSL'] = strictSsl !== false && strictSsl !== 'false';
  const httpProxy = read(settings.top, 'httpProxy', 'httpProxy');
  if (typeof httpProxy === 'string') fetchOptions['proxy'] = httpProxy;
  const httpsProxy = read(settings.top, 'httpsProxy', 'httpsProxy');
  if (typeof httpsProxy === 'string') fetchOptions['httpsProxy'] = httpsProxy;
  const caFile = read(settings.top, 'caFilePath', 'caFilePath');
  if (typeof caFile === 'string') {
    const origin = settings.top.get('caFilePath')?.origin;
    const file = origin && path.isAbsolute(origin) ? path.resolve(path.dirname(origin), caFile) : path.resolve(options.projectDir, caFile);
    const ca = await readCertificates(file);
    if (ca) fetchOptions['ca'] = ca;
    else warnings.push(`caFilePath ${file} could not be read; the system's certificate authorities are used`);
  }
  return { source: 'yarn-berry', defaultRegistry, scopes, fetchOptions, files: settings.files, warnings };
}

/** Writes yarn credentials under npm's nerf-dart keys for the registry they belong to. */
class CredentialTable {
  readonly #options: Record<string, FetchOptionValue>;
  constructor(options: Record<string, FetchOptionValue>) {
    this.#options = options;
  }

  add(
    registry: string,
    settings: Settings,
    /** Where the settings live, for messages: '' for the top level, `npmScopes.corp`, ... */
    label: string,
    read: (scope: Settings, key: string, label: string) => string | boolean | undefined,
    { override = false }: { override?: boolean } = {},
  ): void {
    const dart = nerfDart(registry);
    const prefix = label === '' ? '' : `${label}.`;
    const token = read(settings, 'npmAuthToken', `${prefix}npmAuthToken`);
    const ident = read(settings, 'npmAuthIdent', `${prefix}npmAuthIdent`);
    const alwaysAuth = read(settings, 'npmAlwaysAuth', `${prefix}npmAlwaysAuth`);
    const hasAuth = this.#options[`${dart}:_authToken`] !== undefined || this.#options[`${dart}:_auth`] !== undefined;
    if ((typeof token === 'string' || typeof ident === 'string') && (override || !hasAuth)) {
      delete this.#options[`${dart}:_authToken`];
      delete this.#options[`${dart}:_auth`];
      if (typeof token === 'string') this.#options[`${dart}:_authToken`] = token;
      // yarn accepts "user:password" or its base64 form; npm's `_auth` is always base64.
      else if (typeof ident === 'string') this.#options[`${dart}:_auth`] = ident.includes(':') ? Buffer.from(ident).toString('base64') : ident;
    }
    // npm ignores always-auth since 7.10 (credentials go to their own registry only); kept for
    // the record, so a check can tell the user what their yarn config asked for.
    if (alwaysAuth !== undefined) this.#options[`${dart}:always-auth`] = alwaysAuth === true || alwaysAuth === 'true';
  }
}

async function readYarnSettings(options: LoadYarnBerryOptions): Promise<YarnSettings> {
  const rcFilename = options.env['YARN_RC_FILENAME'] ?? '.yarnrc.yml';
  const nearestFirst: string[] = [];
  for (let dir = path.resolve(options.projectDir); ; dir = path.dirname(dir)) {
    nearestFirst.push(path.join(dir, rcFilename));
    if (path.dirname(dir) === dir) break;
  }
  const home = path.join(options.homedir, rcFilename);
  const lowestFirst = [...(nearestFirst.includes(home) ? [] : [home]), ...nearestFirst.reverse()];

  const settings: YarnSettings = { top: new Map(), scopes: new Map(), registries: new Map(), files: [] };
  for (const file of lowestFirst) {
    const rc = await readYamlMapping(file);
    if (!rc) continue;
    settings.files.push(file);
    for (const key of TOP_LEVEL_KEYS) if (rc[key] !== undefined) settings.top.set(key, { value: rc[key], origin: file });
    mergeNested(settings.scopes, rc['npmScopes'], file, (name) => name.replace(/^@/, ''));
    mergeNested(settings.registries, rc['npmRegistries'], file, (name) => name.replace(/\/+$/, ''));
  }
  // YARN_NPM_AUTH_TOKEN → npmAuthToken: yarn maps every setting to an environment variable this way.
  for (const key of TOP_LEVEL_KEYS) {
    const variable = `YARN_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
    const value = options.env[variable];
    if (value !== undefined) settings.top.set(key, { value, origin: `$${variable}` });
  }
  return settings;
}

/** Merges `npmScopes` / `npmRegistries` entries field by field, later (nearer) files winning. */
function mergeNested(target: Map<string, Settings>, section: unknown, origin: string, normalize: (name: string) => string): void {
  if (!isRecord(section)) return;
  for (const [rawName, fields] of Object.entries(section)) {
    if (!isRecord(fields)) continue;
    const name = normalize(rawName);
    const entry = target.get(name) ?? new Map<string, Sourced>();
    for (const [field, value] of Object.entries(fields)) entry.set(field, { value, origin });
    target.set(name, entry);
  }
}

/** Expands `${VAR}` the way yarn does; a missing variable drops a credential or fails the config. */
function resolveSetting(
  setting: Sourced | undefined,
  label: string,
  env: Readonly<Record<string, string | undefined>>,
  warnings: string[],
): string | boolean | undefined {
  if (setting === undefined) return undefined;
  const { value, origin } = setting;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') {
    warnings.push(`"${label}" in ${origin} is not a string; it was ignored`);
    return undefined;
  }
  const missingVariables: string[] = [];
  const expanded = value.replace(YARN_VARIABLE, (...match: unknown[]) => {
    const groups = match.at(-1) as { name: string; colon?: string; fallback?: string };
    const current = env[groups.name];
    if (current !== undefined && !(groups.colon && current === '')) return current;
    if (groups.fallback !== undefined) return groups.fallback;
    missingVariables.push(groups.name);
    return '';
  });
  const missing = missingVariables[0];
  if (missing === undefined) return expanded;
  const leaf = label.slice(label.lastIndexOf('.') + 1);
  if (CREDENTIAL_KEYS.has(leaf)) {
    warnings.push(`"${label}" in ${origin} refers to \${${missing}}, which is not set; the credential was not used`);
    return undefined;
  }
  throw new ConfigError(`"${label}" in ${origin} refers to \${${missing}}, which is not set`, {
    hints: [`set ${missing}, or give a fallback: \${${missing}:-value}`],
  });
}

function originOfEntry(entry: Settings): string {
  for (const { origin } of entry.values()) return origin;
  return '.yarnrc.yml';
}

function registryUrl(value: string | boolean, label: string, origin: string): string {
  const url = typeof value === 'string' ? normalizeRegistryUrl(value) : undefined;
  if (url === undefined) {
    throw new ConfigError(`"${label}" in ${origin} is not an http(s) URL (${typeof value === 'string' ? redactUrl(value) : String(value)})`);
  }
  return url;
}

async function readCertificates(file: string): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  // Same split as npm's `cafile`: one PEM block per certificate.
  return text
    .replace(/\r\n/g, '\n')
    .split(CERTIFICATE_END)
    .filter((section) => section.trim())
    .map((section) => `${section.trimStart()}${CERTIFICATE_END}`);
}
