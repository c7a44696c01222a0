/**
 * The privacy guard: which package names must never leave for a public service (an advisory
 * API, the public registry's existence check). Asking a public service about an internal name
 * discloses it, and for dependency confusion it tells an attacker exactly what to publish.
 */
import type { DependencyGraph } from '../core/graph.ts';
import type { PrivateNameReason } from '../core/services.ts';
import { defaultRegistries, type RegistryConfig, scopeOf } from './registry-config.ts';
import { underAnyRegistry } from './resolution-url.ts';

export interface PrivateNamePolicy {
  /** Scopes declared private in pkgguard's config, e.g. `@corp` (with or without the `@`). */
  readonly privateScopes?: readonly string[] | undefined;
  /** Unscoped internal names from pkgguard's config (and, from the caller, workspace names). */
  readonly internalPackages?: readonly string[] | undefined;
}

/**
 * True when `name` is private: its scope is declared private, it is a declared internal name,
 * or its scope is mapped to a registry other than the default one (so it is not public).
 */
export function isPrivateName(name: string, config: RegistryConfig, policy: PrivateNamePolicy = {}): boolean {
  if (policy.internalPackages?.includes(name)) return true;
  const scope = scopeOf(name);
  if (scope === undefined) return false;
  if (policy.privateScopes?.some((declared) => normalizeScope(declared) === scope)) return true;
  const registry = config.scopes[scope];
  return registry !== undefined && !defaultRegistries(config).includes(registry);
}

function normalizeScope(scope: string): string {
  return scope.startsWith('@') ? scope : `@${scope}`;
}

/**
 * The full classifier for one lockfile: declared names and scopes, scopes mapped to another
 * registry, the lockfile's own workspace packages, and names the lockfile resolved from a
 * registry other than the default one (a mirror or private registry serves them: they may not
 * exist publicly). Built once per lockfile; each question is then a map lookup.
 */
export function privateNameClassifier(
  graph: DependencyGraph,
  config: RegistryConfig,
  policy: PrivateNamePolicy = {},
): (name: string) => PrivateNameReason | undefined {
  const declaredScopes = new Set((policy.privateScopes ?? []).map(normalizeScope));
  const internal = new Set(policy.internalPackages ?? []);
  const workspaces = new Set(graph.importers.map((node) => node.name).filter((name) => name !== ''));
  const resolvedElsewhere = new Set<string>();
  // npm's own default, and the alias host yarn 1 writes, serve public names even when the user's
  // default is a mirror. The host and path decide, whatever the protocol.
  const registries = defaultRegistries(config);
  const isDefaultRegistryUrl = underAnyRegistry(registries, { anyProtocol: true });
  for (const node of graph.packages) {
    if (node.source.type !== 'registry' || node.resolved === undefined) continue;
    if (!/^https?:\/\//i.test(node.resolved)) continue;
    if (!isDefaultRegistryUrl(node.resolved)) resolvedElsewhere.add(node.name);
  }
  return (name) => {
    const scope = scopeOf(name);
    if (scope !== undefined && declaredScopes.has(scope)) return 'private-scope';
    if (internal.has(name)) return 'internal-package';
    if (scope !== undefined) {
      const registry = config.scopes[scope];
      if (registry !== undefined && !registries.includes(registry)) return 'scope-registry';
    }
    if (workspaces.has(name)) return 'workspace';
    if (resolvedElsewhere.has(name)) return 'resolved-elsewhere';
    return undefined;
  };
}
