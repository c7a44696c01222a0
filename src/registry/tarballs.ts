/**
 * Tarball bytes reduced to digests, for the tarball-integrity check: downloads through
 * npm-registry-fetch with the user's npm configuration, reads of npm's own cache, and files of
 * the project.
 *
 * Why npm-registry-fetch and not pacote: pacote is npm-registry-fetch plus things this check must
 * not do. It answers a tarball request with the npm cache's entry for the lockfile's own digest
 * when there is one (so the comparison would be the lockfile with itself), it writes every
 * download into the cache, and it builds git dependencies by running their `prepare` scripts.
 * It also takes ≈ 690 ms to import against ≈ 220 ms for npm-registry-fetch (measured on the
 * development machine). Auth by nerf-dart, scoped registries, proxies and CAs come from
 * npm-registry-fetch either way, which is what pacote uses underneath.
 *
 * Nothing is written anywhere: a download streams through a hash (ssri) and is discarded, with
 * no cache path, so npm's cache and pkgguard's stay as they were ("pkgguard writes nothing but
 * the outputs asked for"). Each download holds a semaphore slot, makes up to `1 + retries`
 * attempts with a timeout covering the body, and backs off as the registry client does
 * (Retry-After, exponential with jitter).
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Cacache } from 'cacache';
import type registryFetch from 'npm-registry-fetch';
import type { Logger } from '../core/check.ts';
import { SourceUnavailableError } from '../core/errors.ts';
import {
  describeNetworkError,
  headerOf,
  hintsForNetworkError,
  hintsForStatus,
  numberProperty,
  stringProperty,
  unavailable,
} from './failures.ts';
import { type RegistryConfig, redactUrl } from './registry-config.ts';
import { type AttemptResult, combineSignals, formatSeconds, isRetryableErrorCode, isRetryableStatus, parseRetryAfter, type RetryOptions, retryPolicyOf, withRetries } from './retry.ts';
import { Semaphore } from './semaphore.ts';
import type { CachedTarball, CachedTarballRequest, RemoteTarball, RemoteTarballRequest, TarballAlgorithm, TarballSource } from './tarball-types.ts';
import { statusText } from './status-text.ts';

export interface TarballSourceOptions extends RetryOptions {
  readonly config: RegistryConfig;
  readonly projectDir: string;
  /**
   * Downloads in flight at once; default 48 (the registry client allows 64 smaller requests). 500 tarballs at 50 ms latency
   * (npm run bench:tarballs, 2 cores): 24 → 1.9 s, 48 → 1.7 s; beyond that the process is CPU-bound.
   */
  readonly concurrency?: number | undefined;
  /** Per attempt, body included; default 60 s (a tarball can be tens of megabytes). */
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly log?: Logger | undefined;
}

const DEFAULTS = { concurrency: 48, timeoutMs: 60_000 } as const;

type Attempt = AttemptResult<RemoteTarball>;

export function createTarballSource(options: TarballSourceOptions): TarballSource {
  const semaphore = new Semaphore(options.concurrency ?? DEFAULTS.concurrency);
  const policy = retryPolicyOf(options);
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const npmCache = options.config.npmCache;
  let fetchModule: Promise<typeof registryFetch> | undefined;
  let cacacheModule: Promise<Cacache> | undefined;
  const loadFetch = (): Promise<typeof registryFetch> => (fetchModule ??= import('npm-registry-fetch').then((module) => module.default));
  const loadCacache = (): Promise<Cacache> => (cacacheModule ??= import('cacache').then((module) => module.default));

  async function attempt(request: RemoteTarballRequest, signal: AbortSignal | undefined): Promise<Attempt> {
    const fetch = await loadFetch();
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const started = performance.now();
    try {
      const response = await fetch(request.url, {
        ...options.config.fetchOptions,
        registry: request.registry,
        headers: { accept: '*/*' },
        signal: combined,
        timeout: timeoutMs,
        retry: { retries: 0 },
        // No cache path: npm-registry-fetch then neither reads nor writes any cache.
        cache: undefined,
        userAgent: 'pkgguard',
        maxSockets: options.concurrency ?? DEFAULTS.concurrency,
      });
      const { integrity, size } = await hashStream(response.body, request.algorithm);
      options.log?.debug(`GET ${redactUrl(request.url)} ${response.status} ${size} bytes ${Math.round(performance.now() - started)} ms`);
      return { kind: 'done', value: { kind: 'hashed', digest: integrity, size } };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) return { kind: 'transient', reason: `no complete response within ${formatSeconds(timeoutMs)}` };
      return classify(request, error);
    }
  }

  async function fetchTarball(request: RemoteTarballRequest): Promise<RemoteTarball> {
    const signal = combineSignals(options.signal, request.signal);
    const release = await semaphore.acquire(signal);
    try {
      // The slot is held while backing off, as in the registry client: a struggling server sees less load.
      return await withRetries(() => attempt(request, signal), {
        policy,
        signal,
        subject: `GET ${pathOf(request.url)}`,
        server: 'the server',
        giveUp: (message, hints) => unavailable(originOf(request.url), message, hints),
        debug: options.log ? (message) => options.log?.debug(message) : undefined,
      });
    } finally {
      release();
    }
  }

  return {
    npmCache,
    fetch: fetchTarball,

    async cached(request: CachedTarballRequest): Promise<CachedTarball> {
      if (npmCache === undefined) return { kind: 'not-cached' };
      const cacache = await loadCacache();
      for (const url of request.urls) {
        request.signal?.throwIfAborted();
        const entry = await cacache.get.info(npmCache, urlCacheKey(url));
        if (!entry) continue;
        const digest = await digestOfEntry(cacache, npmCache, entry.integrity, request.algorithm);
        if (digest !== undefined) return { kind: 'by-url', url, digest };
      }
      return (await cacache.get.hasContent(npmCache, request.integrity)) ? { kind: 'by-digest' } : { kind: 'not-cached' };
    },

    async hashProjectFile(relativePath: string, algorithm: TarballAlgorithm): Promise<string | undefined> {
      const root = path.resolve(options.projectDir);
      const file = path.resolve(root, relativePath);
      const relative = path.relative(root, file);
      if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
        throw new TypeError(`not a path inside the project: ${JSON.stringify(relativePath)}`);
      }
      try {
        return (await hashStream(createReadStream(file), algorithm)).integrity;
      } catch (error) {
        const code = stringProperty(error, 'code');
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
        throw error;
      }
    },
  };
}

/** make-fetch-happen's cache key for a GET of `url` (lib/cache/key.js): the URL without credentials or fragment. */
export function urlCacheKey(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  return `make-fetch-happen:request-cache:${parsed.href}`;
}

/**
 * The cached content's digest in `algorithm`: read off the index entry when it was stored with
 * that algorithm (npm stores sha512), else computed from the content (an sha1-only lockfile);
 * undefined when the content is gone and the index cannot answer.
 */
async function digestOfEntry(cacache: Cacache, cache: string, stored: string, algorithm: TarballAlgorithm): Promise<string | undefined> {
  const own = stored.split(/\s+/).find((token) => token.startsWith(`${algorithm}-`));
  if (own !== undefined) return own;
  if (!(await cacache.get.hasContent(cache, stored))) return undefined;
  return (await hashStream(cacache.get.stream.byDigest(cache, stored), algorithm)).integrity;
}

/** `<algorithm>-<base64>` and byte count of a stream, read chunk by chunk and never held whole. */
async function hashStream(stream: Readable, algorithm: TarballAlgorithm): Promise<{ integrity: string; size: number }> {
  const { default: ssri } = await import('ssri');
  return new Promise((resolve, reject) => {
    // ssri's integrityStream passes the bytes through and reports their size and digest at the end.
    const hasher = ssri.integrityStream({ algorithms: [algorithm] });
    let size = 0;
    let integrity: string | undefined;
    hasher.on('size', (bytes: number) => {
      size = bytes;
    });
    hasher.on('integrity', (value: { toString(): string }) => {
      integrity = value.toString();
    });
    hasher.on('end', () => (integrity === undefined ? reject(new TypeError('the hash stream ended without a digest')) : resolve({ integrity, size })));
    hasher.on('error', reject);
    stream.on('error', reject);
    stream.pipe(hasher);
    // Nothing reads the passed-through bytes: let them flow away.
    hasher.resume();
  });
}

function classify(request: RemoteTarballRequest, error: unknown): Attempt {
  const status = numberProperty(error, 'statusCode');
  if (status !== undefined) {
    if (status === 404 || status === 410) return { kind: 'done', value: { kind: 'gone', status } };
    const reason = `${status} ${statusText(status) ?? 'error'}`;
    if (isRetryableStatus(status)) return { kind: 'transient', reason, retryAfterMs: parseRetryAfter(headerOf(error, 'retry-after'), Date.now()) };
    throw unavailable(originOf(request.url), `${reason} for GET ${pathOf(request.url)}`, hintsForStatus(status, request.registry));
  }
  const code = stringProperty(error, 'code');
  const type = stringProperty(error, 'type');
  if (isRetryableErrorCode(code) || type === 'request-timeout' || type === 'body-timeout' || type === 'aborted') {
    return { kind: 'transient', reason: describeNetworkError(code ?? type) };
  }
  if (error instanceof SourceUnavailableError) throw error;
  throw unavailable(originOf(request.url), `${describeNetworkError(code)} for GET ${pathOf(request.url)}`, hintsForNetworkError(code));
}

/** The path of a URL, for messages that already name its server (no query: it may hold a token). */
function pathOf(url: string): string {
  return new URL(url).pathname;
}

/** The server of a URL, for "host: what went wrong" lines. */
function originOf(url: string): string {
  return new URL('/', url).href;
}

