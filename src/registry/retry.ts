/**
 * When and how long to wait before asking a registry again. pkgguard retries itself instead of
 * using make-fetch-happen's retries because those ignore `Retry-After` and never retry a POST,
 * and the bulk advisory endpoint is a POST that is safe to repeat.
 */

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
