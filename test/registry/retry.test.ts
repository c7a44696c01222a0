import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableErrorCode, isRetryableStatus, parseRetryAfter, type RetryPolicy } from '../../src/registry/retry.ts';

const policy = (random: number): RetryPolicy => ({ retries: 3, baseDelayMs: 500, maxDelayMs: 3_000, maxRetryAfterMs: 60_000, random: () => random });

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date relative to now, and a past date as no wait', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles from the base delay, with half of it jittered', () => {
    expect([1, 2, 3].map((retry) => backoffDelay(retry, policy(0)))).toEqual([250, 500, 1_000]);
    expect([1, 2, 3].map((retry) => backoffDelay(retry, policy(0.999_999)))).toEqual([500, 1_000, 2_000]);
  });

  it('is capped by maxDelayMs', () => {
    expect(backoffDelay(10, policy(0.999_999))).toBe(3_000);
    expect(backoffDelay(10, policy(0))).toBe(1_500);
  });
});

describe('what is retried', () => {
  it('retries rate limits, timeouts and server errors, not client errors', () => {
    const statuses = [400, 401, 403, 404, 408, 429, 500, 501, 502, 503, 504, 505];
    expect(statuses.filter((status) => isRetryableStatus(status))).toEqual([408, 429, 500, 502, 503, 504]);
  });

  it('retries transient network errors, not refused connections or unknown hosts', () => {
    const codes = ['ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ERESPONSETIMEOUT', 'ECONNREFUSED', 'ENOTFOUND', 'CERT_HAS_EXPIRED', undefined];
    expect(codes.filter((code) => isRetryableErrorCode(code))).toEqual(['ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'ERESPONSETIMEOUT']);
  });
});
