/**
 * The GET path for registry requests that skip the HTTP cache (packuments and keys for the
 * registry facts): npm's own agent and npm's own credential lookup, on node:http(s) directly.
 *
 * Why not npm-registry-fetch for these: it runs every request through make-fetch-happen and
 * minipass-fetch (Request/Headers objects, a retry wrapper, minipass streams, an agent lookup
 * that builds a cache key, agent-base sniffing the protocol from a stack trace), which measured
 * about 1.5 ms of CPU per request more than this path: three seconds of CPU for a 2,000-package
 * lockfile, on a budget of three seconds. What those layers add (the HTTP cache, retries,
 * integrity streams) these requests do not use: the client retries itself (retry.ts) and the
 * facts cache replaces the HTTP cache.
 *
 * What must not change is what the user's configuration means, so the two pieces that carry it
 * are npm's, called exactly as npm-registry-fetch and make-fetch-happen call them:
 * - npm-registry-fetch's `getAuth` picks the credentials by the longest nerf-dart prefix of the
 *   URL (`//host/path/:_authToken`, `:_auth`, `:username` + `:_password`, `:certfile` +
 *   `:keyfile`), falling back to the registry's own for same-host URLs;
 * - @npmcli/agent's `getAgent` gives the connection pool: `proxy`/`https-proxy` (http, https,
 *   socks) and `noproxy`, `ca`, `cert`/`key`, `strict-ssl`, `local-address`, the socket timeout.
 * Headers are npm-registry-fetch's and minipass-fetch's for a GET (user-agent, accept,
 * authorization, accept-encoding gzip/deflate, keep-alive), and redirects are followed as
 * make-fetch-happen follows them (at most 20; credentials dropped when the host changes).
 */
import dns from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { getAgent, type NpmAgent } from '@npmcli/agent';
import getAuth, { type RegistryAuth } from 'npm-registry-fetch/lib/auth.js';
import { watchAbort } from './abort-watch.ts';
import type { FetchOptionValue } from './registry-config.ts';

export interface DirectGetRequest {
  readonly url: string;
  /** The registry the URL belongs to: its credentials apply to other URLs on the same host. */
  readonly registry: string;
  readonly accept: string;
  readonly userAgent: string;
  /** npm's flat options (RegistryConfig.fetchOptions). */
  readonly fetchOptions: Readonly<Record<string, FetchOptionValue>>;
  /** For the whole exchange, redirects and body included. */
  readonly timeoutMs: number;
  /** Sockets per origin (the client's concurrency). */
  readonly maxSockets: number;
  /** Any of them aborting ends the request with its reason (several, so none has to be combined per request). */
  readonly signals: readonly AbortSignal[];
}

export interface DirectResponse {
  readonly status: number;
  /** The URL that answered, after redirects. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The body, decoded (gzip, deflate, br) and as UTF-8 text. */
  readonly text: string;
}

/** No complete response within `timeoutMs`. */
export class DirectTimeoutError extends Error {}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** make-fetch-happen's default `follow`. */
const MAX_REDIRECTS = 20;
/** make-fetch-happen's DNS cache setting (options.js), so both paths share one agent per origin. */
const DNS_OPTIONS = { ttl: 5 * 60 * 1000, lookup: dns.lookup };

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotliDecompress = promisify(zlib.brotliDecompress);

export function directGet(request: DirectGetRequest): Promise<DirectResponse> {
  return new Promise((resolve, reject) => {
    const aborted = request.signals.find((signal) => signal.aborted);
    if (aborted) {
      // Like every Node API, an abort rejects with the signal's own reason.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(aborted.reason);
      return;
    }
    let current: http.ClientRequest | undefined;
    let settled = false;
    const settle = (error: unknown, response?: DirectResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const unwatch of unwatchers) unwatch();
      if (response) resolve(response);
      else {
        current?.destroy();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error);
      }
    };
    // Everything that can throw on bad configuration (an unreadable certfile) comes before the timer.
    const configuration = configurationOf(request);
    const firstUrl = new URL(request.url);
    const auth = configuration.auth(firstUrl, request.url, request.registry);
    const headers: Record<string, string> = {
      'user-agent': request.userAgent,
      accept: request.accept,
      'accept-encoding': 'gzip,deflate',
      connection: 'keep-alive',
    };
    if (auth.token) headers['authorization'] = `Bearer ${auth.token}`;
    else if (auth.auth) headers['authorization'] = `Basic ${auth.auth}`;
    const timer = setTimeout(() => settle(new DirectTimeoutError(`no complete response within ${request.timeoutMs} ms`)), request.timeoutMs);
    const unwatchers = request.signals.map((signal) => watchAbort(signal, settle));

    const send = (url: URL, redirects: number): void => {
      let outgoing: http.ClientRequest;
      try {
        // An invalid proxy URL, or a header value that cannot be sent, throws here.
        const agent = configuration.agent(url, auth, request);
        outgoing = (url.protocol === 'https:' ? https : http).request(url, { method: 'GET', headers, agent });
      } catch (error) {
        settle(error);
        return;
      }
      current = outgoing;
      outgoing.on('error', settle);
      outgoing.on('response', (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (REDIRECT_STATUSES.has(status) && location !== undefined) {
          response.resume();
          const next = redirectTarget(location, url, redirects);
          if (next instanceof Error) {
            settle(next);
            return;
          }
          // Credentials stay with the host they were configured for, as in make-fetch-happen; and,
          // unlike it, never follow a downgrade from https to plain http, where anyone on the path reads them.
          if (next.hostname !== url.hostname || (url.protocol === 'https:' && next.protocol === 'http:')) delete headers['authorization'];
          send(next, redirects + 1);
          return;
        }
        readBody(response).then(
          (text) => settle(undefined, { status, url: url.href, headers: response.headers, text }),
          (error: unknown) => settle(error),
        );
      });
      outgoing.end();
    };
    send(firstUrl, 0);
  });
}

/**
 * What one configuration (one fetchOptions object) resolves to, computed once rather than per
 * request: agents by origin and client certificate, credentials by URL directory.
 */
class Configuration {
  readonly #options: Readonly<Record<string, FetchOptionValue>>;
  /** The nerf-dart prefixes that carry settings (`//host/path/` of `//host/path/:_authToken`). */
  readonly #nerfDarts: readonly string[];
  readonly #auths = new Map<string, RegistryAuth>();
  readonly #agents = new Map<string, NpmAgent>();

  constructor(options: Readonly<Record<string, FetchOptionValue>>) {
    this.#options = options;
    this.#nerfDarts = Object.keys(options)
      .filter((key) => key.startsWith('//'))
      .map((key) => key.slice(0, key.lastIndexOf(':')));
  }

  /**
   * npm-registry-fetch's credentials for `url`. getAuth tries the URL's full path, then its
   * directory and up: URLs of one directory share an answer unless a setting names a path below
   * that directory, which is the only case asked afresh.
   */
  auth(url: URL, href: string, registry: string): RegistryAuth {
    const directory = `//${url.host}${url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1)}`;
    if (this.#nerfDarts.some((nerfDart) => nerfDart.length > directory.length && nerfDart.startsWith(directory))) {
      return getAuth(href, { ...this.#options, registry });
    }
    const key = `${directory}\n${registry}`;
    let auth = this.#auths.get(key);
    if (!auth) {
      auth = getAuth(href, { ...this.#options, registry });
      this.#auths.set(key, auth);
    }
    return auth;
  }

  /** make-fetch-happen's agent for `url`: it depends on the URL only through its protocol and host (proxy, noproxy). */
  agent(url: URL, auth: RegistryAuth, request: DirectGetRequest): NpmAgent {
    const key = `${url.protocol}//${url.host}\n${auth.cert ?? ''}\n${auth.key ?? ''}\n${request.maxSockets}\n${request.timeoutMs}`;
    let agent = this.#agents.get(key);
    if (!agent) {
      const options = this.#options;
      agent = getAgent(url, {
        ca: options['ca'],
        cert: auth.cert ?? options['cert'],
        key: auth.key ?? options['key'],
        localAddress: options['localAddress'],
        maxSockets: request.maxSockets,
        noProxy: options['noProxy'],
        proxy: options['httpsProxy'] ?? options['proxy'],
        // make-fetch-happen's reading of strict-ssl; npm's own configuration always sets it.
        rejectUnauthorized: options['strictSSL'] !== false,
        timeout: request.timeoutMs,
        dns: DNS_OPTIONS,
      });
      // Agents are cached per protocol; saying which spares agent-base a stack trace per request.
      agent.protocol = url.protocol;
      this.#agents.set(key, agent);
    }
    return agent;
  }
}

const configurations = new WeakMap<object, Configuration>();

function configurationOf(request: DirectGetRequest): Configuration {
  let configuration = configurations.get(request.fetchOptions);
  if (!configuration) {
    configuration = new Configuration(request.fetchOptions);
    configurations.set(request.fetchOptions, configuration);
  }
  return configuration;
}

function redirectTarget(location: string, from: URL, redirects: number): URL | Error {
  if (redirects >= MAX_REDIRECTS) return Object.assign(new Error(`maximum redirect reached at: ${from.href}`), { code: 'EMAXREDIRECT' });
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    return Object.assign(new Error(`invalid redirect location: ${location}`), { code: 'EINVALIDREDIRECT' });
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:') {
    return Object.assign(new Error(`redirect to a non-http(s) URL: ${next.protocol}`), { code: 'EINVALIDREDIRECT' });
  }
  return next;
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    let ended = false;
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => {
      ended = true;
      resolve();
    });
    response.on('error', reject);
    // A connection closed mid-body ends the response without 'end' (and, on some Node versions, without 'error').
    response.on('close', () => {
      if (!ended) reject(Object.assign(new Error('connection closed before the response was complete'), { code: 'ECONNRESET' }));
    });
  });
  const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  return (await decode(body, response.headers['content-encoding'])).toString('utf8');
}

/** minipass-fetch's decoding: gzip, deflate (zlib-wrapped or raw, told apart by the first byte), br; anything else as is. */
async function decode(body: Buffer, encoding: string | undefined): Promise<Buffer> {
  if (body.length === 0) return body;
  switch (encoding?.trim().toLowerCase() ?? 'identity') {
    case 'gzip':
    case 'x-gzip':
      return gunzip(body);
    case 'deflate':
    case 'x-deflate':
      return ((body[0] ?? 0) & 0x0f) === 0x08 ? inflate(body) : inflateRaw(body);
    case 'br':
      return brotliDecompress(body);
    default:
      return body;
  }
}
