/**
 * Which hosts packages may come from: the registries the user's package-manager configuration
 * names (default, its aliases, scoped registries), plus the check's `allowedHosts`.
 */
import { defaultRegistries, type RegistryConfig } from '../../registry/registry-config.ts';

export interface AllowedHosts {
  has(host: string): boolean;
  /** The configured registries' paths on `host` (trailing slash), for tarball path checks. */
  registryPaths(host: string): readonly string[];
  /** Every allowed entry, for messages: registry hosts first, then the option's. */
  readonly list: readonly string[];
}

export function allowedHosts(config: RegistryConfig, option: readonly string[]): AllowedHosts {
  const paths = new Map<string, string[]>();
  for (const registry of [...defaultRegistries(config), ...Object.values(config.scopes)]) {
    const url = new URL(registry);
    const host = url.host.toLowerCase();
    const list = paths.get(host) ?? [];
    if (!list.includes(url.pathname)) list.push(url.pathname);
    paths.set(host, list);
  }
  const patterns = option.map((entry) => entry.toLowerCase());
  return {
    // Asked once per package: the pattern scan runs only for hosts that are no registry's.
    has: (host) => paths.has(host) || (patterns.length > 0 && patterns.some((pattern) => matches(pattern, host))),
    registryPaths: (host) => paths.get(host) ?? [],
    list: [...paths.keys(), ...patterns.filter((pattern) => !paths.has(pattern))],
  };
}

/** `host` matches any port of that host, `host:port` only that port, `*.domain` any subdomain. */
function matches(pattern: string, host: string): boolean {
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  if (pattern.startsWith('*.')) return hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1;
  return pattern === host || pattern === hostname;
}
