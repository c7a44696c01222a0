/**
 * Where a name resolves under the user's registry configuration today, and why, in words a
 * finding can carry; and whether a download URL from the lockfile lies under a registry.
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

/**
 * Parsed URLs by their text. The check asks about each download URL several times (against the
 * default, public and alias registries, and for its origin), and `new URL` is the cost that
 * dominated it on large lockfiles; bounded, so a long-lived library user cannot grow it forever.
 */
const parsedUrls = new Map<string, URL | null>();
const PARSED_URLS_LIMIT = 50_000;

function parsedUrl(text: string): URL | null {
  let url = parsedUrls.get(text);
  if (url === undefined) {
    url = URL.canParse(text) ? new URL(text) : null;
    if (parsedUrls.size >= PARSED_URLS_LIMIT) parsedUrls.clear();
    parsedUrls.set(text, url);
  }
  return url;
}

/**
 * True when a download URL lies under `registry` (same host, below its path), which is how npm
 * lays out tarballs (`<registry>/<name>/-/<file>.tgz`). Invalid URLs lie under nothing.
 */
export function isUnder(url: string, registry: string): boolean {
  const download = parsedUrl(url);
  const base = parsedUrl(registry);
  if (download === null || base === null) return false;
  return download.protocol === base.protocol && download.host === base.host && download.pathname.startsWith(base.pathname);
}

/** `https://host[:port]/` of a URL, for grouping downloads by the server that served them. */
export function originOf(url: string): string | undefined {
  const parsed = parsedUrl(url);
  return parsed !== null && (parsed.protocol === 'https:' || parsed.protocol === 'http:') ? `${parsed.protocol}//${parsed.host}/` : undefined;
}
