/**
 * Where a name resolves under the user's registry configuration today, and why, in words a
 * finding can carry. (Whether a download URL lies under a registry: registry/resolution-url.ts.)
 */
import { type RegistryConfig, redactUrl, scopeOf } from '../../registry/registry-config.ts';

export interface Resolution {
  /** Registry URL, credentials removed. */
  readonly registry: string;
  readonly because: string;
}

export function resolutionOf(config: RegistryConfig, name: string): Resolution {
  const scope = scopeOf(name);
  const mapped = scope === undefined ? undefined : config.scopes[scope];
  if (scope !== undefined && mapped !== undefined) return { registry: redactUrl(mapped), because: `${scope}:registry maps the scope there` };
  const defaultRegistry = redactUrl(config.defaultRegistry);
  if (scope !== undefined) return { registry: defaultRegistry, because: `no ${scope}:registry is configured, so the default registry serves the scope` };
  return { registry: defaultRegistry, because: 'unscoped names always come from the default registry' };
}

