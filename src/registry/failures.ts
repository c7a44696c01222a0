/**
 * How registry failures are told to the user: one line naming the registry (host and base path,
 * never credentials) and what went wrong, plus hints; and how npm-registry-fetch's errors are
 * read (they are duck-typed: `statusCode`, `code`, `type`, `headers`).
 */
import { SourceUnavailableError } from '../core/errors.ts';
import { redactUrl } from './registry-config.ts';

/** An offline cache miss; its own class so `packument` can fall back from abbreviated to full. */
export class NotCachedError extends SourceUnavailableError {}

export function unavailable(registry: string, reason: string, hints: readonly string[] = []): SourceUnavailableError {
  return new SourceUnavailableError(`${hostOf(registry)}: ${reason}`, { hints });
}

/** Host and base path of a registry, without credentials: "registry.example.com/npm/". */
export function hostOf(registry: string): string {
  const redacted = redactUrl(registry);
  return redacted.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

export function hintsForStatus(status: number, registry: string): string[] {
  if (status === 401 || status === 403) {
    return [`check the credentials configured for this registry (//${hostOf(registry)}/:_authToken in .npmrc, or npmAuthToken in .yarnrc.yml)`];
  }
  return [];
}

const NETWORK_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed while sending',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  'request-timeout': 'request timed out',
  'body-timeout': 'response body timed out',
};

export function describeNetworkError(code: string | undefined): string {
  if (code === undefined) return 'network error';
  if (isTlsErrorCode(code)) return `TLS certificate problem (${code})`;
  const known = NETWORK_ERRORS[code];
  return known ? `${known} (${code})` : `network error (${code})`;
}

export function hintsForNetworkError(code: string | undefined): string[] {
  if (code !== undefined && isTlsErrorCode(code)) return ['if the registry uses a private CA, set "cafile" in .npmrc (or caFilePath in .yarnrc.yml)'];
  if (code === 'ENOTFOUND' || code === 'ECONNREFUSED') return ['check the registry URL and proxy settings in your npm configuration'];
  return [];
}

function isTlsErrorCode(code: string): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
}

export function numberProperty(value: unknown, key: string): number | undefined {
  const property = (value as Record<string, unknown> | null)?.[key];
  return typeof property === 'number' ? property : undefined;
}

export function stringProperty(value: unknown, key: string): string | undefined {
  const property = (value as Record<string, unknown> | null)?.[key];
  return typeof property === 'string' ? property : undefined;
}

/** Header of an npm-registry-fetch HttpError: `headers` is a Headers-like or `raw()` record of arrays. */
export function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as { headers?: unknown } | null)?.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}
