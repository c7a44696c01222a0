/**
 * The configuration of a client that asks a public registry whether a name exists. It keeps the
 * user's way onto the network (proxy, CA, TLS settings) and drops everything that says where
 * names go or who the user is: scope mappings and every credential. A question about an internal
 * name must reach the public registry itself, not the user's private proxy that merges both, and
 * must not carry a token the user configured for some registry.
 */
import { normalizeRegistryUrl, type FetchOptionValue, type RegistryConfig } from './registry-config.ts';

/** npm's flat option names that only describe the network path, never a registry or identity. */
const NETWORK_OPTIONS: ReadonlySet<string> = new Set(['ca', 'strictSSL', 'proxy', 'httpsProxy', 'noProxy', 'localAddress']);

/** A configuration whose only registry is `url` (any name resolves there), with the user's network settings. */
export function publicRegistryConfig(user: RegistryConfig, url: string): RegistryConfig {
  const registry = normalizeRegistryUrl(url);
  if (registry === undefined) throw new TypeError('a public registry must be an http(s) URL');
  const fetchOptions: Record<string, FetchOptionValue> = { registry };
  for (const [key, value] of Object.entries(user.fetchOptions)) if (NETWORK_OPTIONS.has(key)) fetchOptions[key] = value;
  return { source: user.source, defaultRegistry: registry, scopes: {}, fetchOptions, files: user.files, warnings: [] };
}
