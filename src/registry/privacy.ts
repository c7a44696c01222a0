/**
 * The privacy guard: which package names must never leave for a public service (an advisory
 * API, the public registry's existence check). Asking a public service about an internal name
 * discloses it, and for dependency confusion it tells an attacker exactly what to publish.
 */
import { type RegistryConfig, scopeOf } from './registry-config.ts';

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
  return registry !== undefined && registry !== config.defaultRegistry;
}

function normalizeScope(scope: string): string {
  return scope.startsWith('@') ? scope : `@${scope}`;
}
