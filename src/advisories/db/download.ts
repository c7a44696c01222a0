/**
 * `pkgguard db update`: OSV's npm export, fetched with a conditional GET (If-None-Match /
 * If-Modified-Since from the last download) so an unchanged export costs one small request.
 * The body streams to a temporary file beside the target and replaces it only when complete;
 * the new file is indexed right away, so the next audit starts warm and a broken download
 * never replaces a good one. Node's fetch (undici) is used directly: this is a plain file
 * download, not a registry request (npm's proxy settings do not apply; HTTPS_PROXY does not
 * either on Node 20).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../core/check.ts';
import { ConfigError, SourceUnavailableError } from '../../core/errors.ts';
import { redactUrl } from '../../registry/registry-config.ts';
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryPolicy } from '../../registry/retry.ts';
import { downloadedDbPath } from '../settings.ts';
import { type DbIndexInfo, openDbIndex } from './db-index.ts';

export interface DownloadMeta {
  readonly url: string;
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
  /** When the file was last downloaded or confirmed current (RFC 3339). */
  readonly checkedAt: string;
  readonly downloadedAt: string;
  readonly size: number;
}

export interface UpdateOptions {
  readonly url: string;
  readonly cacheDir: string;
  readonly now: Date;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** No bytes for this long aborts the attempt; default 60 s. */
  readonly idleTimeoutMs?: number | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
}

export interface UpdateResult {
  readonly path: string;
  readonly changed: boolean;
  readonly meta: DownloadMeta;
  readonly index: DbIndexInfo;
}

export function metaPathOf(cacheDir: string): string {
  return `${downloadedDbPath(cacheDir)}.meta.json`;
}

export async function readDownloadMeta(cacheDir: string): Promise<DownloadMeta | undefined> {
  try {
    return JSON.parse(await readFile(metaPathOf(cacheDir), 'utf8')) as DownloadMeta;
  } catch {
    return undefined;
  }
}

function failure(url: string, reason: string): SourceUnavailableError {
  return new SourceUnavailableError(`${new URL(url).host}: ${reason}, downloading ${redactUrl(url)}`, {
    hints: ['try again later, or download the file yourself and pass it with --advisory-db'],
  });
}

type Attempt = { readonly kind: 'done'; readonly response: Response } | { readonly kind: 'retry'; readonly reason: string; readonly after?: number | undefined };

async function attempt(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Attempt> {
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return { kind: 'retry', reason: typeof cause?.code === 'string' ? `network error (${cause.code})` : 'network error' };
  }
  if (isRetryableStatus(response.status)) {
    await response.body?.cancel();
    return { kind: 'retry', reason: `${response.status} ${response.statusText}`.trim(), after: parseRetryAfter(response.headers.get('retry-after'), Date.now()) };
  }
  return { kind: 'done', response };
}

/** Streams `response` to `file`, aborting when no bytes arrive for `idleMs`. */
async function save(response: Response, file: string, idleMs: number, signal: AbortSignal, url: string): Promise<number> {
  if (!response.body) throw failure(url, 'empty response');
  const idle = new AbortController();
  let timer = setTimeout(() => idle.abort(), idleMs);
  let size = 0;
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    size += chunk.length;
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), idleMs);
  });
  try {
    await pipeline(body, createWriteStream(file), { signal: AbortSignal.any([signal, idle.signal]) });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw failure(url, idle.signal.aborted ? `no data for ${idleMs / 1000} s` : `connection lost (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    clearTimeout(timer);
  }
  return size;
}

export async function updateDatabase(options: UpdateOptions): Promise<UpdateResult> {
  const target = downloadedDbPath(options.cacheDir);
  await mkdir(path.dirname(target), { recursive: true });
  const previous = await readDownloadMeta(options.cacheDir);
  const haveFile = await stat(target).then(
    () => true,
    () => false,
  );
  const headers: Record<string, string> = { 'user-agent': 'pkgguard' };
  if (haveFile && previous?.url === options.url) {
    if (previous.etag) headers['if-none-match'] = previous.etag;
    if (previous.lastModified) headers['if-modified-since'] = previous.lastModified;
  }
  const policy: RetryPolicy = { retries: 3, baseDelayMs: 1000, maxDelayMs: 10_000, maxRetryAfterMs: 60_000, random: Math.random, ...options.retry };
  let response: Response | undefined;
  for (let tries = 1; !response; tries += 1) {
    const outcome = await attempt(options.url, headers, options.signal);
    if (outcome.kind === 'done') {
      response = outcome.response;
      break;
    }
    if (tries > policy.retries || (outcome.after ?? 0) > policy.maxRetryAfterMs) throw failure(options.url, `${outcome.reason} after ${tries} attempts`);
    const delay = outcome.after ?? backoffDelay(tries, policy);
    options.log.debug(`GET ${redactUrl(options.url)}: ${outcome.reason}; retry ${tries} of ${policy.retries} in ${delay} ms`);
    await sleep(delay, undefined, { signal: options.signal });
  }

  const checkedAt = options.now.toISOString();
  if (response.status === 304 && previous) {
    await response.body?.cancel();
    const meta = { ...previous, checkedAt };
    await writeFile(metaPathOf(options.cacheDir), JSON.stringify(meta, null, 2));
    const index = await openDbIndex(target, { cacheDir: options.cacheDir, now: options.now });
    return { path: target, changed: false, meta, index: index.info };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw failure(options.url, `${response.status} ${response.statusText}`.trim());
  }
  const temporary = `${target}.${randomUUID()}.tmp`;
  try {
    const size = await save(response, temporary, options.idleTimeoutMs ?? 60_000, options.signal, options.url);
    // Index the new file before it replaces the old one: an export that is no zip is refused.
    try {
      await openDbIndex(temporary, { cacheDir: options.cacheDir, now: options.now, as: target, onBuild: () => options.log.debug(`indexing ${target}`) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw failure(options.url, 'the file is not a readable zip (a proxy or login page may have answered)');
    }
    await rename(temporary, target);
    const meta: DownloadMeta = {
      url: options.url,
      etag: response.headers.get('etag') ?? undefined,
      lastModified: response.headers.get('last-modified') ?? undefined,
      checkedAt,
      downloadedAt: checkedAt,
      size,
    };
    await writeFile(metaPathOf(options.cacheDir), JSON.stringify(meta, null, 2));
    const index = await openDbIndex(target, { cacheDir: options.cacheDir, now: options.now });
    return { path: target, changed: true, meta, index: index.info };
  } finally {
    await rm(temporary, { force: true });
  }
}
