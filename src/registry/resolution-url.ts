/**
 * Download URLs as lockfiles record them (`resolved`), read exactly as the WHATWG URL parser
 * reads them, without a URL object per package.
 *
 * Why: checks ask each of a lockfile's thousands of download URLs where it points (which server,
 * which registry path), and `new URL` per package (plus its getters, which allocate a string per
 * call) was the largest cost of those checks. A lockfile names a handful of servers: the scheme
 * and authority (`https://host[:port]`) are parsed once per distinct text, and the path is used as
 * written when it holds only characters the parser keeps unchanged. Anything else (backslashes,
 * whitespace, dot segments, characters the parser percent-encodes, other schemes) goes through
 * `new URL`, so every answer equals the parser's.
 */

/** Where a URL points, as the URL parser normalizes it. */
export interface UrlServer {
  /** Lower case, with the colon: `https:`. */
  readonly protocol: string;
  /** `host[:port]`, normalized (lower case, no default port, IPv4 numbers canonical). */
  readonly host: string;
  /** `https://host[:port]/` for http(s) URLs, else undefined. */
  readonly origin: string | undefined;
}

/** An authority that the common path does not take: it may end early or hold stripped characters. */
const UNUSUAL_AUTHORITY = /[?#\\\s]/;
/** An http(s) scheme in any case, for what is not written in lower case. */
const HTTP_SCHEME = /^https?:\/\//i;
/** Path characters the parser neither percent-encodes, drops nor reinterprets. */
const KEPT_PATH = /^[\w\-.~!$&'()*+,;=:@%/]*$/;
/** A segment that may be `.` or `..` (also percent-encoded), which the parser resolves away. */
const DOT_SEGMENT = /\/(?:\.|%2e)/i;
/** A lockfile names few servers; a bound keeps a long-lived library user from growing it forever. */
const SERVERS_LIMIT = 1000;

const servers = new Map<string, UrlServer | null>();

/**
 * The last URL read: checks ask about one URL several times in a row (server, then path). The
 * path is worked out only when asked for (-1: not yet; `pathStart` -1: from `parsed`).
 */
let lastUrl: string | undefined;
let lastServer: UrlServer | undefined;
let lastPathStart = -1;
let lastParsed: URL | undefined;
let lastPathname: string | undefined;
let lastPathnameKnown = false;

function serverOfUrl(url: URL): UrlServer {
  const { protocol, host } = url;
  return { protocol, host, origin: protocol === 'https:' || protocol === 'http:' ? `${protocol}//${host}/` : undefined };
}

function serverOfHead(head: string): UrlServer | null {
  let server = servers.get(head);
  if (server === undefined) {
    const parsed = URL.canParse(`${head}/`) ? new URL(`${head}/`) : undefined;
    server = parsed === undefined ? null : serverOfUrl(parsed);
    if (servers.size >= SERVERS_LIMIT) servers.clear();
    servers.set(head, server);
  }
  return server;
}

/** Where the authority of an http(s) URL starts, or -1 when `url` is none (or is written unusually). */
function authorityStart(url: string): number {
  if (url.startsWith('https://')) return 8;
  if (url.startsWith('http://')) return 7;
  return HTTP_SCHEME.test(url) ? url.indexOf('//') + 2 : -1;
}

function read(url: string): void {
  lastUrl = url;
  lastParsed = undefined;
  lastPathnameKnown = false;
  const start = authorityStart(url);
  const slash = start < 0 ? -1 : url.indexOf('/', start);
  // `https://` + `/host`: the parser skips extra slashes, so an empty authority is not the common case either.
  if (slash > start) {
    const head = url.slice(0, slash);
    const server = UNUSUAL_AUTHORITY.test(head) ? null : serverOfHead(head);
    if (server !== null) {
      lastServer = server;
      lastPathStart = slash;
      return;
    }
  }
  lastParsed = URL.canParse(url) ? new URL(url) : undefined;
  lastServer = lastParsed === undefined ? undefined : serverOfUrl(lastParsed);
  lastPathStart = -1;
}

/** `lastUrl`'s pathname: as written when the parser keeps it unchanged, else the parser's. */
function readPathname(url: string): string | undefined {
  if (lastPathStart < 0) return lastParsed?.pathname;
  const query = url.indexOf('?', lastPathStart);
  const fragment = url.indexOf('#', lastPathStart);
  const end = query < 0 ? (fragment < 0 ? url.length : fragment) : fragment < 0 || query < fragment ? query : fragment;
  const path = url.slice(lastPathStart, end);
  if (KEPT_PATH.test(path) && !DOT_SEGMENT.test(path)) return path;
  return URL.canParse(url) ? new URL(url).pathname : undefined;
}

/** The URL's protocol and host as `new URL(url)` gives them, or undefined when it is no URL. */
export function serverOf(url: string): UrlServer | undefined {
  if (url !== lastUrl) read(url);
  return lastServer;
}

/** `new URL(url).pathname`, or undefined when `url` is no URL. */
export function pathnameOf(url: string): string | undefined {
  if (url !== lastUrl) read(url);
  if (!lastPathnameKnown) {
    lastPathname = readPathname(url);
    lastPathnameKnown = true;
  }
  return lastPathname;
}

/** `https://host[:port]/` of an http(s) URL, for grouping downloads by the server that served them. */
export function originOf(url: string): string | undefined {
  return serverOf(url)?.origin;
}

/**
 * A test of "does this download URL lie under one of `registries`" (same protocol and host, below
 * the registry's path), which is how npm lays out tarballs (`<registry>/<name>/-/<file>.tgz`).
 * Invalid URLs lie under nothing. Built once per question, asked once per package.
 * `anyProtocol`: the host and path decide alone (http and https of one registry are one).
 */
export function underAnyRegistry(registries: readonly string[], options: { readonly anyProtocol?: boolean } = {}): (url: string) => boolean {
  const bases: { server: UrlServer; pathname: string }[] = [];
  for (const registry of registries) {
    const server = serverOf(registry);
    const pathname = pathnameOf(registry);
    if (server !== undefined && pathname !== undefined) bases.push({ server, pathname });
  }
  const anyProtocol = options.anyProtocol === true;
  return (url) => {
    const server = serverOf(url);
    if (server === undefined) return false;
    for (const base of bases) {
      if (base.server.host !== server.host || (!anyProtocol && base.server.protocol !== server.protocol)) continue;
      // An http(s) pathname always starts with "/": a registry at a host's root needs no path.
      if (base.pathname === '/' || (pathnameOf(url) ?? '').startsWith(base.pathname)) return true;
    }
    return false;
  };
}
