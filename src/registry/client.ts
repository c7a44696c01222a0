/**
 * The registry client every network check shares, on top of npm-registry-fetch (npm's own HTTP
 * layer: auth by nerf-dart, scoped registries, proxies, CA, and a cacache HTTP cache).
 *
 * Model: every request takes a slot of a semaphore (bounded concurrency), then makes up to
 * `1 + retries` attempts. An attempt has its own timeout, covering the body as well as the
 * headers, and ends in one of: a body, a 404 (returned as `undefined`), a transient failure
 * (429, 5xx, reset, timeout: wait `Retry-After` or an exponential backoff with jitter, then try
 * again) or a permanent failure. Whatever cannot be answered becomes a SourceUnavailableError
 * that names the registry without credentials and says why, never with a stack. make-fetch-
 * happen's own retries are switched off (see retry.ts for why).
 *
 * Caching is HTTP caching (the registry's `cache-control`, ETag revalidation) in pkgguard's
 * cache dir; `preferOffline` serves any cached copy without asking, `offline` never asks and
 * turns a miss into an error. npm-registry-fetch is imported on the first request (≈ 130 ms).
 *
 * Transport: a GET that skips the HTTP cache (the registry facts' packuments and keys, or any GET
 * of a client without a cache dir) goes through npm's agent and credential lookup directly
 * (direct-get.ts: same configuration, a fraction of the CPU per request); POSTs and cached GETs
 * go through npm-registry-fetch. Both end in the same outcomes, classified here.
 */
import path from 'node:path';
import type registryFetch from 'npm-registry-fetch';
import type { RegistryFetchResponse } from 'npm-registry-fetch';
import type { Logger } from '../core/check.ts';
import { SourceUnavailableError } from '../core/errors.ts';
import { HTTP_CACHE_SUBDIR } from './cache-dir.ts';
import type * as DirectGetModule from './direct-get.ts';
import type { DirectResponse } from './direct-get.ts';
import {
  describeNetworkError,
  headerOf,
  hintsForNetworkError,
  hintsForStatus,
  hostOf,
  NotCachedError,
  numberProperty,
  stringProperty,
  unavailable,
} from './failures.ts';
import { normalizeRegistryUrl, type RegistryConfig, redactUrl, registryFor } from './registry-config.ts';
import { combineSignals, formatSeconds, isRetryableErrorCode, isRetryableStatus, parseRetryAfter, type RetryOptions, type RetryPolicy, retryPolicyOf, withRetries } from './retry.ts';
import { Semaphore } from './semaphore.ts';
import type { JsonRequest, Packument, PackumentRequest, RegistryClient } from './types.ts';
import { statusText } from './status-text.ts';

export interface RegistryClientOptions extends RetryOptions {
  readonly config: RegistryConfig;
  /** pkgguard's cache dir (`resolveCacheDir`); responses go to `<cacheDir>/http`. Unset: no disk cache. */
  readonly cacheDir?: string | undefined;
  /** Use cached responses only; a miss is a SourceUnavailableError. */
  readonly offline?: boolean | undefined;
  /** Use any cached response, however old, before asking the registry. */
  readonly preferOffline?: boolean | undefined;
  /**
   * Requests in flight at once; default 64, the most pnpm picks (16 to 64 by machine; yarn Berry
   * uses 50). At 50 ms per request, 2,000 packuments wait on the network for 6 s at 16, 2.1 s at
   * 48 and 1.6 s at 64: the difference between missing and meeting a 3 s budget for a cold run.
   */
  readonly concurrency?: number | undefined;
  /** Per attempt, body included; default 30 s. */
  readonly timeoutMs?: number | undefined;
  readonly userAgent?: string | undefined;
  /** Cancels every request of this client (Ctrl-C). */
  readonly signal?: AbortSignal | undefined;
  readonly log?: Logger | undefined;
}

/** Abbreviated metadata first, as npm itself asks (pacote). */
const ACCEPT_ABBREVIATED = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';
const ACCEPT_FULL = 'application/json';
const DEFAULTS = {
  concurrency: 64,
  timeoutMs: 30_000,
  userAgent: 'pkgguard',
} as const;

interface PreparedRequest {
  readonly url: string;
  /** The registry the URL belongs to: npm-registry-fetch falls back to its credentials for same-host URLs. */
  readonly registry: string;
  readonly method: 'GET' | 'POST';
  readonly accept: string;
  readonly body?: unknown;
  readonly gzip?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  /** false: bypass the HTTP cache (PackumentRequest.httpCache). */
  readonly httpCache?: boolean | undefined;
  /** For messages: "left-pad" or "/-/npm/v1/keys". */
  readonly subject: string;
}

interface ReceivedBody {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

type AttemptOutcome =
  | { readonly kind: 'body'; readonly body: ReceivedBody }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'transient'; readonly reason: string; readonly retryAfterMs?: number | undefined };

type RegistryFetch = typeof registryFetch;

export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  return new HttpRegistryClient(options);
}

class HttpRegistryClient implements RegistryClient {
  readonly config: RegistryConfig;
  readonly offline: boolean;
  readonly #options: RegistryClientOptions;
  readonly #semaphore: Semaphore;
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #cachePath: string | undefined;
  /** GETs in flight, shared by callers asking the same thing with the same signal. */
  readonly #inFlight = new Map<string, { readonly signal: AbortSignal | undefined; readonly result: Promise<ReceivedBody | undefined> }>();
  #fetch: Promise<RegistryFetch> | undefined;
  #direct: Promise<typeof DirectGetModule> | undefined;
  readonly #combinedSignals = new WeakMap<AbortSignal, AbortSignal>();
  readonly #redactedRegistries = new Map<string, string>();

  constructor(options: RegistryClientOptions) {
    this.config = options.config;
    this.offline = options.offline ?? false;
    this.#options = options;
    this.#semaphore = new Semaphore(options.concurrency ?? DEFAULTS.concurrency);
    this.#policy = retryPolicyOf(options);
    this.#timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.#cachePath = options.cacheDir === undefined ? undefined : path.join(options.cacheDir, HTTP_CACHE_SUBDIR);
  }

  async packument(name: string, options: PackumentRequest = {}): Promise<Packument | undefined> {
    const registry = registryFor(this.config, name);
    const request = (accept: string): PreparedRequest => ({
      url: `${registry}${escapePackageName(name)}`,
      registry,
      method: 'GET',
      accept,
      signal: options.signal,
      httpCache: options.httpCache,
      subject: name,
    });
    let body: ReceivedBody | undefined;
    try {
      body = await this.#send(request(options.full ? ACCEPT_FULL : ACCEPT_ABBREVIATED));
    } catch (error) {
      // Offline, a cached full document answers an abbreviated question too (it is a superset).
      if (!(error instanceof NotCachedError) || options.full) throw error;
      body = await this.#send(request(ACCEPT_FULL));
    }
    if (body === undefined) return undefined;
    const document = parseJsonBody(body, registry, name);
    if (!isPackumentOf(document, name)) {
      throw unavailable(registry, `the response for ${name} is not its packument`);
    }
    return document;
  }

  async json(pathOrUrl: string, options: JsonRequest = {}): Promise<unknown> {
    const absolute = /^https?:\/\//i.test(pathOrUrl);
    const registry = absolute ? new URL('/', pathOrUrl).href : registryUrlOption(options.registry) ?? this.config.defaultRegistry;
    const url = absolute ? pathOrUrl : `${registry}${pathOrUrl.replace(/^\/+/, '')}`;
    const subject = absolute ? new URL(url).pathname : `/${pathOrUrl.replace(/^\/+/, '')}`;
    const body = await this.#send({
      url,
      registry,
      method: options.method ?? 'GET',
      accept: options.accept ?? ACCEPT_FULL,
      body: options.body,
      gzip: options.gzip,
      signal: options.signal,
      httpCache: options.httpCache,
      subject,
    });
    return body === undefined ? undefined : parseJsonBody(body, registry, `${options.method ?? 'GET'} ${subject}`);
  }

  /** One logical request: deduplicated while in flight (GETs), one semaphore slot, retries. */
  async #send(request: PreparedRequest): Promise<ReceivedBody | undefined> {
    if (this.offline && (request.method !== 'GET' || this.#cachePath === undefined || request.httpCache === false)) {
      throw new SourceUnavailableError(`${hostOf(request.registry)}: ${request.method} ${request.subject} needs the network, and pkgguard is offline`, {
        hints: ['run without --offline'],
      });
    }
    const dedupable = request.method === 'GET';
    const key = `${request.accept}\n${request.url}`;
    const pending = dedupable ? this.#inFlight.get(key) : undefined;
    // Sharing across different signals would let one caller's abort fail another's request.
    if (pending && pending.signal === request.signal) return pending.result;
    const signal = this.#signalFor(request.signal);
    const result = this.#semaphore.acquire(signal).then(async (release) => {
      try {
        return await this.#withRetries(request, signal);
      } finally {
        release();
      }
    });
    if (dedupable && !pending) {
      const entry = { signal: request.signal, result };
      this.#inFlight.set(key, entry);
      const forget = (): void => {
        if (this.#inFlight.get(key) === entry) this.#inFlight.delete(key);
      };
      result.then(forget, forget);
    }
    return result;
  }

  /**
   * The client's signal combined with a caller's. A batch of lookups shares one caller signal, so
   * the combination is made once per signal, not per request (AbortSignal.any costs CPU and GC).
   */
  #signalFor(callerSignal: AbortSignal | undefined): AbortSignal | undefined {
    const own = this.#options.signal;
    if (callerSignal === undefined || own === undefined || callerSignal === own) return callerSignal ?? own;
    let combined = this.#combinedSignals.get(callerSignal);
    if (!combined) {
      combined = AbortSignal.any([own, callerSignal]);
      this.#combinedSignals.set(callerSignal, combined);
    }
    return combined;
  }

  async #withRetries(request: PreparedRequest, signal: AbortSignal | undefined): Promise<ReceivedBody | undefined> {
    // The slot is held while backing off: a registry that rate-limits us should see less load, not the same.
    return await withRetries<ReceivedBody | undefined>(
      async () => {
        const outcome = await this.#attempt(request, signal);
        if (outcome.kind === 'body') return { kind: 'done', value: outcome.body };
        return outcome.kind === 'not-found' ? { kind: 'done', value: undefined } : outcome;
      },
      {
        policy: this.#policy,
        signal,
        subject: `${request.method} ${request.subject}`,
        server: 'the registry',
        giveUp: (message, hints) => unavailable(request.registry, message, hints),
        debug: (message) => this.#options.log?.debug(message),
        debugSubject: `${request.method} ${redactUrl(request.url)}`,
      },
    );
  }

  async #attempt(request: PreparedRequest, signal: AbortSignal | undefined): Promise<AttemptOutcome> {
    return this.#isDirect(request) ? this.#attemptDirect(request, signal) : this.#attemptFetch(request, signal);
  }

  /** GETs that skip the HTTP cache take the lean path (direct-get.ts says why); the rest go through npm-registry-fetch. */
  #isDirect(request: PreparedRequest): boolean {
    return request.method === 'GET' && request.body === undefined && !this.offline && (this.#cachePath === undefined || request.httpCache === false);
  }

  async #attemptDirect(request: PreparedRequest, signal: AbortSignal | undefined): Promise<AttemptOutcome> {
    const { directGet, DirectTimeoutError } = await this.#loadDirect();
    const started = performance.now();
    let response: DirectResponse;
    try {
      response = await directGet({
        url: request.url,
        registry: request.registry,
        accept: request.accept,
        userAgent: this.#options.userAgent ?? DEFAULTS.userAgent,
        fetchOptions: this.config.fetchOptions,
        timeoutMs: this.#timeoutMs,
        maxSockets: this.#options.concurrency ?? DEFAULTS.concurrency,
        signals: signal ? [signal] : [],
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof DirectTimeoutError) return { kind: 'transient', reason: `no complete response within ${formatSeconds(this.#timeoutMs)}` };
      return this.#classifyFailure(request, error);
    }
    this.#options.log?.debug(`${request.method} ${this.#redacted(request)} ${response.status} ${Math.round(performance.now() - started)} ms`);
    if (response.status >= 400) return this.#classifyStatus(request, response.status, singleHeader(response.headers['retry-after']));
    const contentType = singleHeader(response.headers['content-type']) ?? null;
    return { kind: 'body', body: { status: response.status, contentType, text: response.text } };
  }

  async #attemptFetch(request: PreparedRequest, signal: AbortSignal | undefined): Promise<AttemptOutcome> {
    const fetch = await this.#loadFetch();
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const started = performance.now();
    try {
      const response = await fetch(request.url, this.#fetchOptions(request, combineSignals(signal, timeout) ?? timeout));
      const body: ReceivedBody = {
        status: response.status,
        contentType: response.headers.get('content-type'),
        text: await response.text(),
      };
      this.#logResponse(request, response, started);
      return { kind: 'body', body };
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) return { kind: 'transient', reason: `no complete response within ${formatSeconds(this.#timeoutMs)}` };
      return this.#classifyFailure(request, error);
    }
  }

  /** An HTTP error status: 404 is an answer, 408/429/5xx are worth repeating, the rest fail the request. */
  #classifyStatus(request: PreparedRequest, status: number, retryAfter: string | undefined): AttemptOutcome {
    if (status === 404) return { kind: 'not-found' };
    const reason = `${status} ${statusText(status) ?? 'error'}`;
    if (isRetryableStatus(status)) return { kind: 'transient', reason, retryAfterMs: parseRetryAfter(retryAfter, Date.now()) };
    throw unavailable(request.registry, `${reason} for ${request.method} ${request.subject}`, hintsForStatus(status, request.registry));
  }

  #classifyFailure(request: PreparedRequest, error: unknown): AttemptOutcome {
    const status = numberProperty(error, 'statusCode');
    if (status !== undefined) return this.#classifyStatus(request, status, headerOf(error, 'retry-after'));
    const code = stringProperty(error, 'code');
    if (code === 'ENOTCACHED') {
      throw new NotCachedError(`${hostOf(request.registry)}: ${request.subject} is not in pkgguard's cache, and pkgguard is offline`, {
        hints: ['run once without --offline to fill the cache'],
      });
    }
    const type = stringProperty(error, 'type');
    if (isRetryableErrorCode(code) || type === 'request-timeout' || type === 'body-timeout') {
      return { kind: 'transient', reason: describeNetworkError(code ?? type) };
    }
    throw unavailable(request.registry, `${describeNetworkError(code)} for ${request.method} ${request.subject}`, hintsForNetworkError(code));
  }

  #fetchOptions(request: PreparedRequest, signal: AbortSignal): Record<string, unknown> {
    return {
      ...this.config.fetchOptions,
      registry: request.registry,
      method: request.method,
      headers: { accept: request.accept },
      ...(request.body === undefined ? {} : { body: request.body }),
      gzip: request.gzip ?? false,
      signal,
      // Our own timeout (AbortSignal) is the one that counts; this keeps the agent's in step.
      timeout: this.#timeoutMs,
      retry: { retries: 0 },
      cache: request.httpCache === false ? undefined : this.#cachePath,
      offline: this.offline,
      preferOffline: this.#options.preferOffline ?? false,
      userAgent: this.#options.userAgent ?? DEFAULTS.userAgent,
      maxSockets: this.#options.concurrency ?? DEFAULTS.concurrency,
    };
  }

  /** The request's URL for a log line: the registry part is redacted once, not per request (URL parsing per request showed in profiles). */
  #redacted(request: PreparedRequest): string {
    if (!request.url.startsWith(request.registry) || request.url.includes('?')) return redactUrl(request.url);
    let registry = this.#redactedRegistries.get(request.registry);
    if (registry === undefined) {
      registry = redactUrl(request.registry);
      this.#redactedRegistries.set(request.registry, registry);
    }
    return `${registry}${request.url.slice(request.registry.length)}`;
  }

  #logResponse(request: PreparedRequest, response: RegistryFetchResponse, started: number): void {
    const log = this.#options.log;
    if (!log) return;
    const cache = response.headers.get('x-local-cache-status');
    const elapsed = Math.round(performance.now() - started);
    log.debug(`${request.method} ${redactUrl(request.url)} ${response.status}${cache ? ` (cache ${cache})` : ''} ${elapsed} ms`);
  }

  #loadDirect(): Promise<typeof DirectGetModule> {
    this.#direct ??= import('./direct-get.ts');
    return this.#direct;
  }

  #loadFetch(): Promise<RegistryFetch> {
    this.#fetch ??= import('npm-registry-fetch').then((module) => module.default);
    return this.#fetch;
  }
}

/**
 * `@scope/name` → `@scope%2fname`, as npm addresses packuments. Names are lockfile data an
 * attacker may write, so anything that could reach another endpoint (`..`, extra slashes) is refused.
 */
export function escapePackageName(name: string): string {
  const parts = name.startsWith('@') ? name.slice(1).split('/') : name.split('/');
  const valid = (name.startsWith('@') ? parts.length === 2 : parts.length === 1) && parts.every((part) => part !== '' && part !== '.' && part !== '..');
  if (!valid) throw new TypeError(`not a package name: ${JSON.stringify(name)}`);
  return name.startsWith('@') ? `@${encodeURIComponent(parts[0] ?? '')}%2f${encodeURIComponent(parts[1] ?? '')}` : encodeURIComponent(name);
}

function parseJsonBody(body: ReceivedBody, registry: string, subject: string): unknown {
  if (body.status !== 200) throw unavailable(registry, `unexpected ${body.status} ${statusText(body.status) ?? ''} for ${subject}`.trimEnd());
  if (body.contentType !== null && !/json/i.test(body.contentType)) {
    throw unavailable(registry, `expected JSON for ${subject}, got ${body.contentType.split(';')[0] ?? body.contentType}`, [
      'a proxy or login page may be answering instead of the registry',
    ]);
  }
  try {
    return JSON.parse(body.text) as unknown;
  } catch {
    throw unavailable(registry, `invalid JSON in the response for ${subject}`);
  }
}

function isPackumentOf(document: unknown, name: string): document is Packument {
  if (typeof document !== 'object' || document === null) return false;
  const record = document as Record<string, unknown>;
  const versions = record['versions'];
  return record['name'] === name && typeof versions === 'object' && versions !== null && !Array.isArray(versions);
}

function registryUrlOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const url = normalizeRegistryUrl(value);
  if (url === undefined) throw new TypeError('registry must be an http(s) URL');
  return url;
}

function singleHeader(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

