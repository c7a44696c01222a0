/**
 * yarn classic's registry configuration: npm's layers (yarn 1 reads `.npmrc` for registries and
 * credentials), overridden by its own `.yarnrc` registries, plus the alias host of the public
 * registry that yarn 1 writes into lockfiles. `--registry` still wins over everything.
 */
import { ConfigError } from '../core/errors.ts';
import { type FetchOptionValue, normalizeRegistryUrl, type RegistryConfig, redactUrl } from './registry-config.ts';
import { readYarnrcRegistries } from './yarn-classic-rc.ts';
import { findYarnClassicDefaultRegistry, type YarnClassicLookup } from './yarn-classic-registry.ts';

export interface YarnClassicConfigOptions extends YarnClassicLookup {
  readonly projectDir: string;
  /** `--registry`: when given, `.yarnrc` does not replace the default registry. */
  readonly registry?: string | undefined;
  /** npm's built-in default registry (from npm's definitions). */
  readonly npmDefaultRegistry: string;
}

export async function withYarnClassicSettings(npm: RegistryConfig, options: YarnClassicConfigOptions): Promise<RegistryConfig> {
  const rc = await readYarnrcRegistries(options.projectDir, options.homedir);
  const fetchOptions: Record<string, FetchOptionValue> = { ...npm.fetchOptions };
  const scopes: Record<string, string> = { ...npm.scopes };
  let defaultRegistry = npm.defaultRegistry;
  const origin = rc.files.join(', ');
  if (rc.registry !== undefined && options.registry === undefined) {
    defaultRegistry = requireUrl('registry', rc.registry, origin);
    fetchOptions['registry'] = defaultRegistry;
  }
  for (const [scope, value] of Object.entries(rc.scopes)) {
    scopes[scope] = requireUrl(`${scope}:registry`, value, origin);
    fetchOptions[`${scope}:registry`] = scopes[scope];
  }

  // The public registry under both names it has: npm's (see withNpmDefaultAlias) and yarn 1's
  // own alias host, which yarn 1 writes into lockfiles instead of npm's.
  const aliases: string[] = [];
  const unresolved: string[] = [];
  const npmDefault = normalizeRegistryUrl(options.npmDefaultRegistry);
  if (npmDefault !== undefined && npmDefault !== defaultRegistry) aliases.push(npmDefault);
  const yarnDefault = await findYarnClassicDefaultRegistry(options);
  if (yarnDefault === undefined) {
    unresolved.push("yarn 1's own default registry (no yarn 1 was found on PATH or in corepack's cache to read it from)");
  } else if (yarnDefault.registry !== defaultRegistry && !aliases.includes(yarnDefault.registry)) {
    aliases.push(yarnDefault.registry);
  }
  return {
    ...npm,
    defaultRegistry,
    scopes,
    fetchOptions,
    defaultRegistryAliases: aliases,
    unresolvedAliases: unresolved,
    files: [...npm.files, ...[...rc.files].reverse()],
  };
}

function requireUrl(key: string, value: string, origin: string): string {
  const url = normalizeRegistryUrl(value);
  if (url === undefined) {
    throw new ConfigError(`"${key}" in ${origin} is not an http(s) URL (${redactUrl(value)})`, {
      hints: ['registries are written as full URLs, e.g. registry "https://npm.internal.example/"'],
    });
  }
  return url;
}
