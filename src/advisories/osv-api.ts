/**
 * The OSV API (https://google.github.io/osv.dev/api/): `POST /v1/querybatch` with up to 1,000
 * `{package, version}` queries per request answers, per query, the ids and `modified` times of
 * the vulnerabilities affecting it (paginated per query with `next_page_token`); the full records
 * then come from `GET /v1/vulns/{id}`, cached by id and `modified`.
 *
 * HTTP goes through the registry client (npm-registry-fetch with the user's proxy and CA
 * settings, bounded concurrency, retries honouring Retry-After, timeouts, one-line errors) with
 * absolute URLs; pkgguard's own cache keeps the records.
 */
import { SourceUnavailableError } from '../core/errors.ts';
import type { RegistryClient } from '../registry/types.ts';
import { matchRecord } from './match.ts';
import { type OsvRecord, parseOsvRecord } from './osv-record.ts';
import { BatchCache } from './batch-cache.ts';
import { isSafeRecordId, RecordCache } from './record-cache.ts';
import type { AdvisoryQuery } from './types.ts';

/** OSV's documented limit per querybatch request. */
export const OSV_BATCH_SIZE = 1000;
/** A server that keeps paginating one query is broken; stop instead of looping forever. */
const MAX_PAGES = 50;

export interface OsvMatch {
  readonly query: AdvisoryQuery;
  readonly record: OsvRecord;
  readonly fixedIn?: string | undefined;
}

interface VulnRef {
  readonly id: string;
  readonly modified: string;
}

interface PendingQuery {
  readonly index: number;
  readonly query: AdvisoryQuery;
  readonly pageToken?: string | undefined;
}

export interface OsvApiOptions {
  readonly baseUrl: string;
  readonly client: RegistryClient;
  readonly cacheDir: string;
  readonly signal: AbortSignal;
  /** How long a querybatch answer is reused (see batch-cache.ts); default: not at all. */
  readonly batchCacheMs?: number | undefined;
  /** The audit's clock, for the batch cache. */
  readonly now?: number | undefined;
}

function malformed(baseUrl: string, what: string): SourceUnavailableError {
  return new SourceUnavailableError(`${new URL(baseUrl).host}: ${what}`, { hints: ['the OSV API answered in an unexpected shape; check advisories.osvUrl'] });
}

function endpoint(baseUrl: string, pathname: string): string {
  return new URL(pathname, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
}

/** Every vulnerability id per query: fresh cached answers first, then OSV for the rest. */
async function queryBatch(queries: readonly AdvisoryQuery[], options: OsvApiOptions): Promise<VulnRef[][]> {
  const cache = new BatchCache(options.cacheDir, options.baseUrl, options.batchCacheMs ?? 0, options.now ?? Date.now());
  const found: VulnRef[][] = queries.map(() => []);
  const asked: PendingQuery[] = [];
  for (const [index, query] of queries.entries()) {
    const cached = await cache.get(`${query.name}@${query.version}`);
    if (cached) found[index]?.push(...cached);
    else asked.push({ index, query });
  }
  await askOsv(asked, found, options);
  for (const { index, query } of asked) await cache.set(`${query.name}@${query.version}`, found[index] ?? []);
  await cache.save();
  return found;
}

/** Fills `found` for the pending queries, following each query's pages. */
async function askOsv(initial: readonly PendingQuery[], found: VulnRef[][], options: OsvApiOptions): Promise<void> {
  let pending: readonly PendingQuery[] = initial;
  for (let page = 0; pending.length > 0; page += 1) {
    if (page === MAX_PAGES) throw malformed(options.baseUrl, `querybatch still paginating after ${MAX_PAGES} pages`);
    const next: PendingQuery[] = [];
    for (let start = 0; start < pending.length; start += OSV_BATCH_SIZE) {
      const chunk = pending.slice(start, start + OSV_BATCH_SIZE);
      const body = {
        queries: chunk.map(({ query, pageToken }) => ({
          package: { name: query.name, ecosystem: 'npm' },
          version: query.version,
          ...(pageToken === undefined ? {} : { page_token: pageToken }),
        })),
      };
      const response = await options.client.json(endpoint(options.baseUrl, 'v1/querybatch'), { method: 'POST', body, signal: options.signal });
      const results = (response as { results?: unknown } | undefined)?.results;
      if (!Array.isArray(results) || results.length !== chunk.length) {
        throw malformed(options.baseUrl, `querybatch answered ${Array.isArray(results) ? results.length : 'no'} results for ${chunk.length} queries`);
      }
      chunk.forEach((entry, position) => {
        const result = results[position] as { vulns?: unknown; next_page_token?: unknown } | null;
        for (const vuln of Array.isArray(result?.vulns) ? result.vulns : []) {
          const { id, modified } = (vuln ?? {}) as { id?: unknown; modified?: unknown };
          if (typeof id !== 'string' || !isSafeRecordId(id)) throw malformed(options.baseUrl, 'querybatch returned a vulnerability without a valid id');
          found[entry.index]?.push({ id, modified: typeof modified === 'string' ? modified : '' });
        }
        const token = result?.next_page_token;
        if (typeof token === 'string' && token !== '') next.push({ index: entry.index, query: entry.query, pageToken: token });
      });
    }
    pending = next;
  }
}

async function fetchRecord(ref: VulnRef, options: OsvApiOptions, cache: RecordCache): Promise<OsvRecord | undefined> {
  const cached = ref.modified === '' ? undefined : await cache.get(ref.id, ref.modified);
  const raw = cached ?? (await options.client.json(endpoint(options.baseUrl, `v1/vulns/${encodeURIComponent(ref.id)}`), { signal: options.signal }));
  // Gone between the two requests (withdrawn and deleted): nothing to report.
  if (raw === undefined) return undefined;
  const record = parseOsvRecord(raw);
  if (record === undefined || record.id !== ref.id) throw malformed(options.baseUrl, `GET /v1/vulns/${ref.id} did not return that record`);
  if (cached === undefined) await cache.put(ref.id, raw);
  return record;
}

/**
 * The OSV records affecting each query. OSV already matched the versions; pkgguard matches again
 * with its own semantics, so every source agrees on what "affected" means and on `fixedIn`.
 */
export async function queryOsv(queries: readonly AdvisoryQuery[], options: OsvApiOptions): Promise<OsvMatch[]> {
  if (queries.length === 0) return [];
  const refs = await queryBatch(queries, options);
  const cache = new RecordCache(options.cacheDir);
  const unique = new Map<string, VulnRef>();
  for (const ref of refs.flat()) unique.set(ref.id, ref);
  const records = new Map<string, OsvRecord>();
  await Promise.all(
    [...unique.values()].map(async (ref) => {
      const record = await fetchRecord(ref, options, cache);
      if (record) records.set(ref.id, record);
    }),
  );
  const matches: OsvMatch[] = [];
  refs.forEach((ids, index) => {
    const query = queries[index];
    if (!query) return;
    for (const { id } of ids) {
      const record = records.get(id);
      if (!record || record.withdrawn !== undefined) continue;
      const match = matchRecord(record, query.name, query.version);
      if (match) matches.push({ query, record, fixedIn: match.fixedIn });
    }
  });
  return matches;
}
