/**
 * What this lockfile holds that is private, and why: the scopes and unscoped names the check
 * guards. Sources, in order of trust:
 *
 * - declared in pkgguard's configuration (`privateScopes`, `internalPackages`);
 * - scopes the registry configuration maps to a registry that is neither the default nor the
 *   public one (`@corp:registry=…`, yarn's `npmScopes`, pnpm's settings);
 * - inferred from the lockfile: a scope whose packages were downloaded from a server that
 *   served no unscoped package (a scope registry, not a mirror), and an unscoped name that came
 *   from a server serving a private scope. Mirrors and yarn's alias of the public registry serve
 *   unscoped packages, so they never make a name private by themselves; this is what keeps a
 *   lockfile written with another registry configuration from turning every name "internal".
 */
import type { DependencyGraph, PackageNode } from '../../core/graph.ts';
import type { PrivacySettings } from '../../core/services.ts';
import { defaultRegistries, type RegistryConfig, redactUrl, scopeOf } from '../../registry/registry-config.ts';
import { originOf, underAnyRegistry } from '../../registry/resolution-url.ts';

export interface PrivateScope {
  /** Why the scope is private, for messages. */
  readonly because: string;
  /** The registry configured for the scope, unless it has none (or only the public registry). */
  readonly registry: string | undefined;
}

export interface PrivateNames {
  /** `@scope` → why and where it is served. */
  readonly scopes: ReadonlyMap<string, PrivateScope>;
  /** Unscoped internal names present in the lockfile → why they are internal. */
  readonly internal: ReadonlyMap<string, string>;
}

function normalizeScope(scope: string): string {
  return scope.startsWith('@') ? scope.toLowerCase() : `@${scope.toLowerCase()}`;
}

/** Registry packages whose download URL the lockfile records (npm, yarn classic, bun; pnpm only off the default registry). */
export function downloadUrlOf(node: PackageNode): string | undefined {
  if (node.source.type !== 'registry' || node.resolved === undefined) return undefined;
  return /^https?:\/\//i.test(node.resolved) ? node.resolved : undefined;
}

export function privateNamesOf(graph: DependencyGraph, config: RegistryConfig, privacy: PrivacySettings, publicRegistry: string): PrivateNames {
  const scopes = new Map<string, PrivateScope>();
  const mappedTo = (scope: string): string | undefined => {
    const registry = config.scopes[scope];
    return registry === undefined || registry === publicRegistry ? undefined : registry;
  };
  for (const declared of privacy.privateScopes) {
    const scope = normalizeScope(declared);
    scopes.set(scope, { because: 'declared in privateScopes', registry: mappedTo(scope) });
  }
  for (const [scope, registry] of Object.entries(config.scopes)) {
    if (scopes.has(scope) || registry === config.defaultRegistry || registry === publicRegistry) continue;
    scopes.set(scope, { because: `${scope}:registry maps it to ${redactUrl(registry)}`, registry });
  }

  // Which servers served which kinds of names, among downloads off the default and public
  // registries (and their aliases: yarn 1 writes its own host for npm's registry).
  const isKnown = underAnyRegistry([...defaultRegistries(config), publicRegistry]);
  const servedUnscoped = new Set<string>();
  const scopeServers = new Map<string, Set<string>>();
  let unscopedDownloads = false;
  for (const node of graph.packages) {
    const url = downloadUrlOf(node);
    const origin = url === undefined ? undefined : originOf(url);
    if (url === undefined || origin === undefined) continue;
    if (isKnown(url)) {
      unscopedDownloads ||= scopeOf(node.name) === undefined;
      continue;
    }
    const scope = scopeOf(node.name);
    if (scope !== undefined) scopeServers.set(scope, (scopeServers.get(scope) ?? new Set()).add(origin));
    else {
      unscopedDownloads = true;
      servedUnscoped.add(origin);
    }
  }
  for (const [scope, servers] of scopeServers) {
    // A server is a scope registry only next to one that served the unscoped names: a lockfile
    // whose registry packages are all scoped says nothing about where unscoped ones come from.
    if (!unscopedDownloads || scopes.has(scope) || [...servers].some((origin) => servedUnscoped.has(origin))) continue;
    scopes.set(scope, { because: `downloaded from ${[...servers].join(', ')} in the lockfile, a server that serves only scoped packages`, registry: undefined });
  }

  const privateServers = new Set<string>();
  for (const [scope, servers] of scopeServers) if (scopes.has(scope)) for (const origin of servers) privateServers.add(origin);
  for (const { registry } of scopes.values()) {
    const origin = registry === undefined ? undefined : originOf(registry);
    if (origin !== undefined) privateServers.add(origin);
  }

  const declaredInternal = new Set(privacy.internalPackages);
  const internal = new Map<string, string>();
  // The common case: no server serves a private scope and nothing is declared, so nothing is internal.
  if (declaredInternal.size === 0 && privateServers.size === 0) return { scopes, internal };
  for (const node of graph.packages) {
    if (node.source.type !== 'registry' || scopeOf(node.name) !== undefined || internal.has(node.name)) continue;
    if (declaredInternal.has(node.name)) {
      internal.set(node.name, 'declared in internalPackages');
      continue;
    }
    const url = downloadUrlOf(node);
    const origin = url === undefined ? undefined : originOf(url);
    if (url !== undefined && origin !== undefined && privateServers.has(origin) && !isKnown(url)) {
      internal.set(node.name, `downloaded from ${origin}, which serves a private scope`);
    }
  }
  return { scopes, internal };
}
