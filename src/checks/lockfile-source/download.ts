/**
 * Where a lockfile entry is downloaded from, read off the graph's source: the URL as written,
 * its scheme and host. Local sources (`file:`, directories, links, workspaces) are not
 * downloads; registry packages whose lockfile leaves the URL out (pnpm, yarn Berry, bun's
 * default registry, npm's omit-lockfile-registry-resolved) have nothing to judge.
 */
import type { PackageNode } from '../../core/graph.ts';
import { redactUrl } from '../../registry/registry-config.ts';

/** `insecure`: readable and changeable on the way (http, git://, an unknown scheme). */
export type Transport = 'secure' | 'insecure' | 'local';

export interface Download {
  readonly kind: 'registry' | 'tarball' | 'git';
  /** As written in the lockfile. */
  readonly url: string;
  /** Lower case with the colon (`https:`, `git+ssh:`, `github:`); `''` when the value has none. */
  readonly scheme: string;
  /** `host[:port]`, lower case, without userinfo; undefined for local and host-less values. */
  readonly host: string | undefined;
  readonly transport: Transport;
}

/** npm-package-arg's hosted-git shortcuts, which npm fetches over https or ssh from these hosts. */
const HOSTED_SHORTCUTS: Readonly<Record<string, string>> = {
  'github:': 'github.com',
  'gitlab:': 'gitlab.com',
  'bitbucket:': 'bitbucket.org',
  'gist:': 'gist.github.com',
};
const ENCRYPTED: ReadonlySet<string> = new Set(['https:', 'git+https:', 'ssh:', 'git+ssh:']);
const LOCAL: ReadonlySet<string> = new Set(['file:', 'git+file:']);
const SCHEME = /^([a-z][a-z0-9+.-]*:)/i;
/** `scheme://[userinfo@]host[:port]`, also scp-like `git+ssh://git@host:owner/repo`, where `:owner` is no port. */
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+)(?=[/?#]|$))?/i;

/** Where a download goes, which depends only on the URL's scheme and authority. */
export type Place = Pick<Download, 'scheme' | 'host' | 'transport'>;

export function downloadOf(node: PackageNode): Download | undefined {
  const url = downloadAddressOf(node);
  return url === undefined ? undefined : { kind: node.source.type as Download['kind'], url, ...placeOf(url) };
}

/** The address a lockfile entry is downloaded from (its `Download.url`), or undefined when it is none. */
export function downloadAddressOf(node: PackageNode): string | undefined {
  const { source } = node;
  switch (source.type) {
    case 'registry':
      return node.resolved ?? source.url;
    case 'tarball':
      return source.url.startsWith('file:') ? undefined : source.url;
    case 'git':
      return source.url;
    case 'directory':
    case 'link':
    case 'workspace':
      return undefined;
  }
}

/**
 * `scheme://authority` up to the path, query or fragment: all that `describe` reads. Without a
 * `[` (an IPv6 literal's `]` may hide a `/`, so those are not cached).
 */
const HEAD = /^[a-z][a-z0-9+.-]*:\/\/[^/?#[]*(?=[/?#]|$)/i;
/** A lockfile names few servers: each is described once, not once per package. Bounded for long-lived library users. */
const places = new Map<string, Place>();
const PLACES_LIMIT = 1000;

export function placeOf(url: string): Place {
  const head = HEAD.exec(url)?.[0];
  if (head === undefined) return describe(url);
  let place = places.get(head);
  if (place === undefined) {
    place = describe(head);
    if (places.size >= PLACES_LIMIT) places.clear();
    places.set(head, place);
  }
  return place;
}

function describe(url: string): Place {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase() ?? '';
  const shortcutHost = HOSTED_SHORTCUTS[scheme];
  if (shortcutHost !== undefined) return { scheme, host: shortcutHost, transport: 'secure' };
  if (LOCAL.has(scheme)) return { scheme, host: undefined, transport: 'local' };
  const host = hostOf(url);
  const transport: Transport = ENCRYPTED.has(scheme) || (host !== undefined && isLoopback(host)) ? 'secure' : 'insecure';
  return { scheme, host, transport };
}

function hostOf(url: string): string | undefined {
  const match = AUTHORITY.exec(url);
  const hostname = match?.[1]?.toLowerCase();
  if (hostname === undefined || hostname === '') return undefined;
  const port = match?.[2];
  return port === undefined || isDefaultPort(url, port) ? hostname : `${hostname}:${port}`;
}

/** `https://host:443/` and `host` are the same place, as the WHATWG URL parser says for http(s). */
function isDefaultPort(url: string, port: string): boolean {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  return (scheme === 'https' && port === '443') || (scheme === 'http' && port === '80');
}

/** Plain text to the local machine never crosses a network (a registry on localhost in CI). */
function isLoopback(host: string): boolean {
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * A download address safe to print: without credentials, query or fragment. Also for what the
 * URL parser refuses (scp-like `git+ssh://git@host:owner/repo`), which still names a host.
 */
export function displayUrl(url: string): string {
  const shown = redactUrl(url);
  if (shown !== '<invalid URL>') return shown;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1').replace(/[?#].*$/, '');
}
