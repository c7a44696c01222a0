import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryOsv } from '../../src/advisories/osv-api.ts';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import { sendJson } from '../registry/fake-registry.ts';
import { type FakeOsv, fastClient, fixtureRecords, startFakeOsv } from './helpers.ts';

let osv: FakeOsv;
let cacheDir: string;

beforeEach(async () => {
  cacheDir = await mkdtemp(path.join(tmpdir(), 'pkgguard-osv-'));
});

afterEach(async () => {
  await osv.close();
  await rm(cacheDir, { recursive: true, force: true });
});

function query(packages: [string, string][], options: { timeoutMs?: number; retries?: number } = {}) {
  return queryOsv(
    packages.map(([name, version]) => ({ name, version })),
    { baseUrl: osv.url, client: fastClient(osv.url, cacheDir, options), cacheDir, signal: new AbortController().signal },
  );
}

const summary = (matches: Awaited<ReturnType<typeof queryOsv>>) => matches.map((match) => `${match.query.name}@${match.query.version} ${match.record.id} ${match.fixedIn ?? '-'}`).sort();

describe('queryOsv', () => {
  it('sends one querybatch in OSV\'s shape, fetches each record once, and matches versions', async () => {
    osv = await startFakeOsv(fixtureRecords());
    const matches = await query([
      ['lodash', '4.17.20'],
      ['minimist', '1.2.5'],
      ['minimist', '1.2.8'],
      ['left-pad', '1.3.0'],
    ]);
    expect(summary(matches)).toEqual(['lodash@4.17.20 GHSA-35jh-r3h4-6jhm 4.17.21', 'minimist@1.2.5 GHSA-xvch-5gv4-984h 1.2.6']);
    expect(osv.batches).toEqual([
      {
        queries: [
          { package: { name: 'lodash', ecosystem: 'npm' }, version: '4.17.20' },
          { package: { name: 'minimist', ecosystem: 'npm' }, version: '1.2.5' },
          { package: { name: 'minimist', ecosystem: 'npm' }, version: '1.2.8' },
          { package: { name: 'left-pad', ecosystem: 'npm' }, version: '1.3.0' },
        ],
      },
    ]);
    // The withdrawn lodash record is fetched (OSV lists it) but never reported.
    expect([...osv.fetched].sort()).toEqual(['GHSA-35jh-r3h4-6jhm', 'GHSA-jf85-cpcp-j695', 'GHSA-vh95-rmgr-6w4m', 'GHSA-xvch-5gv4-984h', 'PKGGUARD-FIXTURE-WITHDRAWN']);
  });

  it('a warm run is served from the record cache; a newer `modified` is fetched again', async () => {
    const records = fixtureRecords();
    osv = await startFakeOsv(records);
    await query([['ws', '8.17.0']]);
    expect(osv.fetched).toEqual(['GHSA-3h5v-q93c-6h6q']);
    await query([['ws', '8.17.0']]);
    expect(osv.fetched).toEqual(['GHSA-3h5v-q93c-6h6q']);
    await osv.close();
    const updated = records.map((record) => (record.id === 'GHSA-3h5v-q93c-6h6q' ? { ...record, modified: '2025-01-01T00:00:00Z' } : record));
    osv = await startFakeOsv(updated);
    expect(summary(await query([['ws', '8.17.0']]))).toEqual(['ws@8.17.0 GHSA-3h5v-q93c-6h6q 8.17.1']);
    expect(osv.fetched).toEqual(['GHSA-3h5v-q93c-6h6q']);
  });

  it('follows next_page_token per query until every page is read', async () => {
    osv = await startFakeOsv(fixtureRecords(), { pageSize: 1 });
    const matches = await query([
      ['minimist', '0.0.1'],
      ['ws', '7.0.0'],
    ]);
    expect(summary(matches)).toEqual(['minimist@0.0.1 GHSA-vh95-rmgr-6w4m 0.2.1', 'minimist@0.0.1 GHSA-xvch-5gv4-984h 0.2.4', 'ws@7.0.0 GHSA-3h5v-q93c-6h6q 7.5.10']);
    expect(osv.batches.map((batch) => batch.queries.map((entry) => `${entry.package.name}:${entry.page_token ?? ''}`))).toEqual([['minimist:', 'ws:'], ['minimist:1']]);
  });

  it('splits 2,500 queries into batches of at most 1,000', async () => {
    osv = await startFakeOsv(fixtureRecords());
    const packages = Array.from({ length: 2500 }, (_, index): [string, string] => [`pkg-${index}`, '1.0.0']);
    expect(await query(packages)).toEqual([]);
    expect(osv.batches.map((batch) => batch.queries.length)).toEqual([1000, 1000, 500]);
  });

  it('waits out 429 with Retry-After and 503s, then succeeds', async () => {
    osv = await startFakeOsv(fixtureRecords());
    const real = fixtureRecords();
    let failures = 0;
    osv.handle((request, response) => {
      failures += 1;
      if (failures === 1) return sendJson(response, 429, { code: 8, message: 'rate limited' }, { 'retry-after': '0' });
      if (failures === 2) return sendJson(response, 503, { code: 14, message: 'unavailable' });
      if (request.method === 'POST') return sendJson(response, 200, { results: [{ vulns: [{ id: 'GHSA-97m3-w2cp-4xx6', modified: '2023-08-02T21:13:45Z' }] }] });
      return sendJson(response, 200, real.find((record) => record.id === 'GHSA-97m3-w2cp-4xx6'));
    });
    expect(summary(await query([['node-ipc', '10.1.2']]))).toEqual(['node-ipc@10.1.2 GHSA-97m3-w2cp-4xx6 10.1.3']);
    expect(failures).toBe(4);
  });

  it('gives up with a SourceUnavailableError naming the API after the retries', async () => {
    osv = await startFakeOsv([]);
    osv.handle((_request, response) => sendJson(response, 500, { code: 13, message: 'internal' }));
    const error = await query([['lodash', '1.0.0']], { retries: 2 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as Error).message).toBe(`${new URL(osv.url).host}: 500 Internal Server Error for POST /v1/querybatch (3 attempts)`);
  });

  it('times out a server that never answers', async () => {
    osv = await startFakeOsv([]);
    osv.handle(() => undefined);
    const error = await query([['lodash', '1.0.0']], { retries: 0, timeoutMs: 200 }).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(`${new URL(osv.url).host}: no complete response within 0.2 s for POST /v1/querybatch (1 attempt)`);
  });

  it('refuses malformed bodies: invalid JSON, a wrong number of results, a record that is not the one asked for', async () => {
    osv = await startFakeOsv([]);
    const host = new URL(osv.url).host;
    osv.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"results": [');
    });
    await expect(query([['lodash', '1.0.0']])).rejects.toThrow(`${host}: invalid JSON in the response for POST /v1/querybatch`);
    osv.handle((_request, response) => sendJson(response, 200, { results: [] }));
    await expect(query([['lodash', '1.0.0']])).rejects.toThrow(`${host}: querybatch answered 0 results for 1 queries`);
    osv.handle((request, response) =>
      request.method === 'POST'
        ? sendJson(response, 200, { results: [{ vulns: [{ id: 'GHSA-35jh-r3h4-6jhm', modified: 'x' }] }] })
        : sendJson(response, 200, { id: 'GHSA-other', modified: 'x' }),
    );
    await expect(query([['lodash', '1.0.0']])).rejects.toThrow(`${host}: GET /v1/vulns/GHSA-35jh-r3h4-6jhm did not return that record`);
    osv.handle((_request, response) => sendJson(response, 200, { results: [{ vulns: [{ id: '../../etc/passwd' }] }] }));
    await expect(query([['lodash', '1.0.0']])).rejects.toThrow(`${host}: querybatch returned a vulnerability without a valid id`);
  });

  it('a record deleted between the two requests (404) is not reported', async () => {
    osv = await startFakeOsv([]);
    osv.handle((request, response) =>
      request.method === 'POST'
        ? sendJson(response, 200, { results: [{ vulns: [{ id: 'GHSA-gone-gone-gone', modified: 'x' }] }] })
        : sendJson(response, 404, { code: 5, message: 'Bug not found.' }),
    );
    expect(await query([['lodash', '1.0.0']])).toEqual([]);
  });
});
