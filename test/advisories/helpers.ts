/**
 * Shared pieces of the advisory layer's tests: the OSV fixture records, a fake OSV API on
 * 127.0.0.1 speaking the real request and response shapes (querybatch with per-query
 * `next_page_token`, `GET /v1/vulns/{id}`, OSV's 404 body), and CheckServices wired to a real
 * registry client with fast retries.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckServices } from '../../src/core/services.ts';
import { withoutServices } from '../../src/core/services.ts';
import { createRegistryClient } from '../../src/registry/client.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';
import type { RegistryClient } from '../../src/registry/types.ts';
import { type FakeRegistry, type RecordedRequest, sendJson, startFakeRegistry } from '../registry/fake-registry.ts';

export const FIXTURE_DB = path.resolve(import.meta.dirname, '../../fixtures/advisories/osv');

export interface FixtureRecord {
  readonly id: string;
  readonly modified: string;
  readonly affected?: readonly { readonly package: { readonly ecosystem: string; readonly name: string } }[];
  readonly [key: string]: unknown;
}

export function fixtureRecords(): FixtureRecord[] {
  return readdirSync(FIXTURE_DB)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(path.join(FIXTURE_DB, file), 'utf8')) as FixtureRecord);
}

export function fixtureRecord(id: string): FixtureRecord {
  const record = fixtureRecords().find((candidate) => candidate.id === id);
  if (!record) throw new Error(`no fixture ${id}`);
  return record;
}

export function configFor(defaultRegistry: string): RegistryConfig {
  return { source: 'npm', defaultRegistry, scopes: {}, fetchOptions: { registry: defaultRegistry }, files: [], warnings: [] };
}

export function fastClient(registryUrl: string, cacheDir: string, options: { timeoutMs?: number; retries?: number } = {}): RegistryClient {
  return createRegistryClient({ config: configFor(registryUrl), cacheDir, retryDelayMs: 1, maxRetryDelayMs: 5, random: () => 0.5, ...options });
}

export function servicesFor(options: { cacheDir: string; projectDir?: string | undefined; settings?: Record<string, unknown> | undefined; client?: RegistryClient | undefined; now?: Date | undefined }): CheckServices {
  const base = withoutServices();
  const client = options.client;
  const noClient = (): Promise<RegistryClient> => base.registryClient();
  return {
    ...base,
    projectDir: options.projectDir ?? options.cacheDir,
    lockfileDir: options.projectDir ?? options.cacheDir,
    cacheDir: options.cacheDir,
    now: options.now ?? new Date('2024-07-01T00:00:00Z'),
    settings: options.settings ?? {},
    registryClient: client ? () => Promise.resolve(client) : noClient,
  };
}

interface QueryBody {
  readonly queries: readonly { readonly package: { readonly name: string; readonly ecosystem: string }; readonly version: string; readonly page_token?: string }[];
}

export interface FakeOsv extends FakeRegistry {
  /** Bodies of the querybatch requests, parsed. */
  readonly batches: QueryBody[];
  /** Ids fetched with GET /v1/vulns/{id}. */
  readonly fetched: string[];
}

/**
 * OSV's API over `records`. A query's vulnerabilities are the records naming its package (the
 * real API also filters by version; pkgguard matches again either way); with `pageSize`, each
 * query returns that many per page with a `next_page_token`, as the real API does for packages
 * with many records.
 */
export async function startFakeOsv(records: readonly FixtureRecord[], options: { pageSize?: number } = {}): Promise<FakeOsv> {
  const batches: QueryBody[] = [];
  const fetched: string[] = [];
  const server = await startFakeRegistry((request, response) => serveOsv(request, response, records, options.pageSize ?? Infinity, batches, fetched));
  return Object.assign(server, { batches, fetched });
}

function serveOsv(request: RecordedRequest, response: Parameters<typeof sendJson>[0], records: readonly FixtureRecord[], pageSize: number, batches: QueryBody[], fetched: string[]): void {
  if (request.method === 'POST' && request.url === '/v1/querybatch') {
    const body = JSON.parse(request.body.toString('utf8')) as QueryBody;
    batches.push(body);
    if (body.queries.length > 1000) return sendJson(response, 400, { code: 3, message: 'Too many queries.' });
    const results = body.queries.map((query) => {
      const vulns = records
        .filter((record) => record.affected?.some((entry) => entry.package.ecosystem === query.package.ecosystem && entry.package.name === query.package.name))
        .map((record) => ({ id: record.id, modified: record.modified }));
      const start = query.page_token === undefined ? 0 : Number(query.page_token);
      const page = vulns.slice(start, start + pageSize);
      const more = start + pageSize < vulns.length;
      return { ...(page.length > 0 ? { vulns: page } : {}), ...(more ? { next_page_token: String(start + pageSize) } : {}) };
    });
    return sendJson(response, 200, { results });
  }
  const vuln = /^\/v1\/vulns\/([^/?]+)$/.exec(request.url);
  if (request.method === 'GET' && vuln) {
    const id = decodeURIComponent(vuln[1] ?? '');
    fetched.push(id);
    const record = records.find((candidate) => candidate.id === id);
    return record ? sendJson(response, 200, record) : sendJson(response, 404, { code: 5, message: 'Bug not found.' });
  }
  sendJson(response, 404, { code: 5, message: 'Not Found' });
}
