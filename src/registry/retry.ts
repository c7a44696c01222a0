/**
 * When and how long to wait before asking a registry again. pkgguard retries itself instead of
 * using make-fetch-happen's retries because those ignore `Retry-After` and never retry a POST,
 * and the bulk advisory endpoint is a POST that is safe to repeat.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Backoff before the first retry; doubles each time. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A longer `Retry-After` is not waited out: the request fails at once and says why. */
  readonly maxRetryAfterMs: number;
  /** [0, 1), for jitter; injectable so tests are deterministic. */
  readonly random: () => number;
}

/** How a caller tunes its retries; every field has a default (retryPolicyOf). */
export interface RetryOptions {
  /** Retries after the first attempt; default 3. */
  readonly retries?: number | undefined;
  /** First backoff delay, doubling per retry; default 500 ms. */
  readonly retryDelayMs?: number | undefined;
  /** Longest backoff; default 10 s. */
  readonly maxRetryDelayMs?: number | undefined;
  /** Longest `Retry-After` that is waited out; default 60 s. */
  readonly maxRetryAfterMs?: number | undefined;
  /** Jitter source, [0, 1); tests pass a constant. */
  readonly random?: (() => number) | undefined;
}

/** The policy for `options`, defaults filled in: the same for registry requests and tarball downloads. */
export function retryPolicyOf(options: RetryOptions): RetryPolicy {
  return {
    retries: options.retries ?? 3,
    baseDelayMs: options.retryDelayMs ?? 500,
    maxDelayMs: options.maxRetryDelayMs ?? 10_000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    random: options.random ?? Math.random,
  };
}

/** Statuses worth repeating: timeouts, rate limits and server errors (but not 501 Not Implemented). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Transient network failures, including @npmcli/agent's own timeout codes. */
const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNECTIONTIMEOUT',
  'EIDLETIMEOUT',
  'ERESPONSETIMEOUT',
  'ETRANSFERTIMEOUT',
]);

export function isRetryableErrorCode(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_ERROR_CODES.has(code);
}

/**
 * Delay before retry number `retry` (1-based): exponential, capped, with "equal jitter" (half
 * fixed, half random) so many clients rate-limited together do not come back in lockstep.
 */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); a date in the
 * past means "now". Undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-dates name a weekday and month; Date.parse alone would also accept "-5" as a year.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** One attempt's result: done (with what to return), or a failure worth repeating. */
export type AttemptResult<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'transient'; readonly reason: string; readonly retryAfterMs?: number | undefined };

export interface RetryLoop {
  readonly policy: RetryPolicy;
  readonly signal: AbortSignal | undefined;
  /** What is being asked, for messages: "GET /lodash". */
  readonly subject: string;
  /** Who failed, for hints: "the registry", "the server". */
  readonly server: string;
  /** The error for giving up (the callers' SourceUnavailableError, naming their host). */
  readonly giveUp: (message: string, hints: string[]) => Error;
  readonly debug?: ((message: string) => void) | undefined;
  /** The subject in debug lines, when it may show more than messages do (the full, redacted URL). */
  readonly debugSubject?: string | undefined;
}

/**
 * Runs `attempt` until it is done, repeating transient failures after `Retry-After` or a
 * backoff, at most `policy.retries` times. A `Retry-After` longer than the policy allows fails at
 * once: waiting minutes in silence is worse than saying so. An abort ends the wait with its reason.
 */
export async function withRetries<T>(attempt: () => Promise<AttemptResult<T>>, loop: RetryLoop): Promise<T> {
  const { policy, signal } = loop;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    const outcome = await attempt();
    if (outcome.kind === 'done') return outcome.value;
    const { retryAfterMs } = outcome;
    if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
      throw loop.giveUp(
        `${outcome.reason} for ${loop.subject}; ${loop.server} asks to retry after ${formatSeconds(retryAfterMs)}, longer than pkgguard waits (${formatSeconds(policy.maxRetryAfterMs)})`,
        ['try again later'],
      );
    }
    if (attemptNumber > policy.retries) {
      throw loop.giveUp(`${outcome.reason} for ${loop.subject} (${attemptNumber} ${attemptNumber === 1 ? 'attempt' : 'attempts'})`, [
        `${loop.server} may be down or overloaded; try again later`,
      ]);
    }
    const delay = retryAfterMs ?? backoffDelay(attemptNumber, policy);
    loop.debug?.(`${loop.debugSubject ?? loop.subject}: ${outcome.reason}; retry ${attemptNumber} of ${policy.retries} in ${delay} ms`);
    try {
      await sleep(delay, undefined, signal ? { signal } : undefined);
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
  }
}

/** "0.5 s", "60 s": durations in messages. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 3 : 1))} s`;
}

/** The signals that are set, as one (undefined when none is). */
export function combineSignals(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}
