/**
 * npm's configuration layers read directly, without @npmcli/config, for the layouts where that
 * gives exactly @npmcli/config's answer; `undefined` for any other layout, and the caller then
 * asks @npmcli/config itself (npm-config.ts).
 *
 * Why: @npmcli/config evaluates npm's ~250 setting definitions and flattens all of them, ≈ 60 ms
 * of CPU on every audit, to answer the dozen registry settings pkgguard reads. This module
 * follows @npmcli/config 10's `load()` step by step for those settings only: the same layer
 * order (default, builtin, global, user, project, env, cli), the same file discovery (global
 * prefix from `PREFIX`/`DESTDIR`/node's path, `userconfig`, `globalconfig` under the prefix, the
 * project `.npmrc` at the nearest directory with a package.json or node_modules), the same `ini`
 * parser, the same field coercion (`parseField`: trimming, `true`/`false`/`null`, `${VAR}` and
 * `${VAR?}`, `~/` paths, `\n\n`-separated lists) and the same per-layer flattening of the registry
 * settings. test/registry/npm-config-direct.test.ts compares both readers on generated
 * configurations, so a change in a new @npmcli/config shows up as a failing test.
 *
 * Declined (→ @npmcli/config): a directory above the project whose package.json declares
 * workspaces (npm then reads the workspace root's `.npmrc`, found by globbing), a package.json
 * above it that is not plain JSON, and settings npm rejects in combination ("exclusive" ones).
 */
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import url from 'node:url';
import ini from 'ini';

export interface DirectNpmConfigOptions {
  readonly projectDir: string;
  /** A copy of the environment with HOME set, as @npmcli/config is given it. */
  readonly env: Readonly<Record<string, string>>;
  readonly platform: string;
  readonly execPath: string;
  readonly npmPath: string;
  /** `--registry`, as npm's command line would give it. */
  readonly registry?: string | undefined;
  /** npm's built-in default registry. */
  readonly defaultRegistry: string;
}

export type LayerName = 'default' | 'builtin' | 'global' | 'user' | 'project' | 'env' | 'cli';

export interface DirectLayer {
  readonly where: LayerName;
  /** The file, or 'environment' / 'command line options' / 'default values' as npm names them. */
  source: string | undefined;
  loadError: NodeJS.ErrnoException | undefined;
  /** Own keys are this layer's settings; the prototype is the layer below, as in @npmcli/config. */
  readonly data: Record<string, unknown>;
}

/** The layers lowest first, as @npmcli/config's `config.data` holds them after `load()`. */
export type DirectLayers = readonly DirectLayer[];

/** How npm coerces a value read from a file or the environment (@npmcli/config parse-field.js). */
type FieldKind = 'path' | 'boolean' | 'string' | 'list' | 'other';

/**
 * The kinds of the settings read here, from their npm definitions' `type`: `path` (type path),
 * `boolean` (Boolean or [null, Boolean]), `string` (String or [null, String]), `list` (String or
 * Array) and `other` (urls, enumerations, unknown keys: `true`/`false`/`null` become values).
 */
const FIELD_KINDS: Readonly<Record<string, FieldKind>> = {
  ca: 'list',
  cafile: 'path',
  cert: 'string',
  key: 'string',
  'strict-ssl': 'boolean',
  noproxy: 'list',
  userconfig: 'path',
  globalconfig: 'path',
  prefix: 'path',
  cache: 'path',
  global: 'boolean',
  workspaces: 'boolean',
};

/** Settings npm refuses to combine (definitions with `exclusive`): left to npm's own error. */
const EXCLUSIVE_SETTINGS: ReadonlySet<string> = new Set([
  'expect-result-count',
  'expect-results',
  'provenance',
  'provenance-file',
  'save-dev',
  'save-optional',
  'save-peer',
  'save-prod',
]);

const ENV_REFERENCE = /(?<!\\)(\\*)\$\{([^${}?]+)(\?)?\}/g;

/** @npmcli/config env-replace.js: `${VAR}` (kept as is when unset), `${VAR?}` (empty when unset), `\${` escapes. */
export function replaceEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(ENV_REFERENCE, (whole: string, escapes: string, name: string, optional: string | undefined) => {
    const value = env[name] ?? (optional === '?' ? '' : `\${${name}}`);
    if (escapes.length % 2 === 1) return whole.slice((escapes.length + 1) / 2);
    return escapes.slice(escapes.length / 2) + value;
  });
}

interface Reader {
  readonly env: Readonly<Record<string, string>>;
  readonly home: string;
  readonly platform: string;
}

/** @npmcli/config parse-field.js, for the kinds above. */
function parseField(value: unknown, key: string, reader: Reader, listElement = false): unknown {
  if (typeof value !== 'string' && !Array.isArray(value)) return value;
  const kind = FIELD_KINDS[key] ?? 'other';
  const isList = !listElement && kind === 'list';
  if (Array.isArray(value)) return isList ? value.map((item: unknown) => parseField(item, key, reader, true)) : value;
  let text = value.trim();
  if (isList) return parseField(text.split('\n\n'), key, reader);
  if (kind === 'boolean' && text === '') return true;
  if (kind === 'boolean' || kind === 'other') {
    switch (text) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case 'undefined':
        return undefined;
    }
  }
  text = replaceEnv(text, reader.env);
  if (kind !== 'path') return text;
  const homeRelative = reader.platform === 'win32' ? /^~(\/|\\)/ : /^~\//;
  return homeRelative.test(text) && reader.home ? path.resolve(reader.home, text.slice(2)) : path.resolve(text);
}

/** As npm's fileExists/dirExists: anything that cannot be stat'ed (missing, unreadable parent) is absent. */
function isFile(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** Returns the layers, or undefined when this layout needs @npmcli/config itself (see the file comment). */
export function readNpmLayersDirect(options: DirectNpmConfigOptions): DirectLayers | undefined {
  const { env, platform } = options;
  const reader: Reader = { env, home: env['HOME'] || os.homedir(), platform };
  const layers: DirectLayer[] = [];
  let parent: Record<string, unknown> | null = null;
  for (const where of ['default', 'builtin', 'global', 'user', 'project', 'env', 'cli'] as const) {
    const data = Object.create(parent) as Record<string, unknown>;
    layers.push({ where, source: undefined, loadError: undefined, data });
    parent = data;
  }
  const layer = (where: LayerName): DirectLayer => layers.find((candidate) => candidate.where === where)!;
  const top = layer('cli').data;
  let declined = false;

  // npm refuses to read one file as two layers (say userconfig = globalconfig): its error, then.
  const sources = new Set<string>();
  const claim = (where: LayerName, source: string): DirectLayer => {
    if (sources.has(source)) declined = true;
    sources.add(source);
    const target = layer(where);
    target.source = source;
    return target;
  };
  const load = (where: LayerName, values: Readonly<Record<string, unknown>>, source: string): void => {
    const target = claim(where, source);
    for (const [rawKey, value] of Object.entries(values)) {
      const key = replaceEnv(rawKey, env);
      if (where !== 'default' && EXCLUSIVE_SETTINGS.has(rawKey)) declined = true;
      target.data[key] = parseField(value, key, reader);
    }
  };
  const loadFile = (where: LayerName, file: string): void => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      claim(where, file).loadError = error as NodeJS.ErrnoException;
      return;
    }
    load(where, ini.parse(text), file);
  };

  // loadDefaults: the global prefix from PREFIX, else node's own prefix (under DESTDIR on Unix).
  let globalPrefix: string;
  if (env['PREFIX']) globalPrefix = env['PREFIX'];
  else if (platform === 'win32') globalPrefix = path.dirname(options.execPath);
  else {
    globalPrefix = path.dirname(path.dirname(options.execPath));
    if (env['DESTDIR']) globalPrefix = path.join(env['DESTDIR'], globalPrefix);
  }
  // In the order of npm's definitions: flattening follows it, and so does the options' key order.
  load(
    'default',
    {
      ca: null,
      cafile: null,
      cert: null,
      global: false,
      'https-proxy': null,
      key: null,
      'local-address': null,
      location: 'user',
      noproxy: '',
      prefix: globalPrefix,
      proxy: null,
      registry: options.defaultRegistry,
      'strict-ssl': true,
      userconfig: '~/.npmrc',
      workspaces: null,
    },
    'default values',
  );
  // npm's `globalconfig` default follows `prefix` wherever a higher layer sets it. Setting
  // `globalconfig` in any layer replaces this default (npm's setter writes the default layer).
  const defaults = layer('default').data;
  Object.defineProperty(defaults, 'globalconfig', {
    get: () => path.resolve(top['prefix'] as string, 'etc/npmrc'),
    set(value: unknown) {
      Object.defineProperty(defaults, 'globalconfig', { value, configurable: true, writable: true, enumerable: true });
    },
    enumerable: true,
    configurable: true,
  });

  loadFile('builtin', path.resolve(options.npmPath, 'npmrc'));
  // nopt reads `--registry` as a url: legacy url.parse's href, dropped when it has no host.
  const cliRegistry = options.registry === undefined ? undefined : legacyUrlHref(options.registry);
  load('cli', cliRegistry === undefined ? {} : { registry: cliRegistry }, 'command line options');
  const fromEnv: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(env)) {
    if (!/^npm_config_/i.test(name) || value === '') continue;
    let key = name.slice('npm_config_'.length);
    if (!key.startsWith('//')) key = key.replace(/(?!^)_/g, '-').toLowerCase();
    fromEnv[key] = value;
  }
  load('env', fromEnv, 'environment');

  // loadProjectConfig: the nearest directory with a package.json or node_modules; above it, a
  // package.json that declares workspaces would make its directory the project. (npm tests
  // `global` for truth here and for `=== true` below.)
  const isGlobal = Boolean(top['global']) || top['location'] === 'global';
  const projectIgnored = top['global'] === true || top['location'] === 'global';
  let localPrefix: string | undefined;
  for (let dir = path.resolve(options.projectDir); ; dir = path.dirname(dir)) {
    const hasPackageJson = isFile(path.join(dir, 'package.json'));
    if (localPrefix === undefined) {
      if (hasPackageJson || isDirectory(path.join(dir, 'node_modules'))) {
        localPrefix = dir;
        if (isGlobal) break;
      }
    } else if (hasPackageJson && mayDeclareWorkspaces(path.join(dir, 'package.json'))) {
      return undefined;
    }
    if (path.dirname(dir) === dir) break;
  }
  localPrefix ??= options.projectDir;
  const projectFile = path.resolve(localPrefix, '.npmrc');
  if (projectIgnored) claim('project', '(global mode enabled, ignored)');
  else if (projectFile === top['userconfig']) claim('project', '(same as "user" config, ignored)');
  else loadFile('project', projectFile);
  loadFile('user', top['userconfig'] as string);
  loadFile('global', top['globalconfig'] as string);
  return declined ? undefined : layers;
}

/** nopt's url type (npm's argument parser): the legacy parser's href, nothing without a host. */
function legacyUrlHref(text: string): string | undefined {
  const parsed = url.parse(text);
  return parsed.host ? parsed.href : undefined;
}

/** Whether npm could find workspaces in this package.json; unreadable or odd JSON counts as yes (npm decides). */
function mayDeclareWorkspaces(file: string): boolean {
  try {
    const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof manifest !== 'object' || manifest === null || Object.hasOwn(manifest, 'workspaces');
  } catch {
    return true;
  }
}

const CERTIFICATE_END = '-----END CERTIFICATE-----';

/**
 * npm's `flatten` for the registry settings (their definitions' flatten functions): camelCased
 * copies, `strictSSL`, `noProxy` joined by commas, `cafile` read into `ca`, and scoped registries
 * and `//host/` keys as they are. `layer` holds only those settings (npm-config.ts picks them).
 */
export function flattenRegistrySettings(layer: Readonly<Record<string, unknown>>, flat: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(layer)) {
    switch (key) {
      case 'strict-ssl':
        flat['strictSSL'] = value;
        break;
      case 'noproxy':
        flat['noProxy'] = Array.isArray(value) ? value.join(',') : value;
        break;
      case 'cafile':
        flattenCafile(value, flat);
        break;
      case 'https-proxy':
        flat['httpsProxy'] = value;
        break;
      case 'local-address':
        flat['localAddress'] = value;
        break;
      default:
        flat[key] = value;
    }
  }
}

function flattenCafile(file: unknown, flat: Record<string, unknown>): void {
  if (!file) return;
  let text: string;
  try {
    text = readFileSync(file as string, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return;
  }
  if (!text) return;
  flat['ca'] = text
    .replace(/\r\n/g, '\n')
    .split(CERTIFICATE_END)
    .filter((section) => section.trim())
    .map((section) => section.trimStart() + CERTIFICATE_END);
}
