import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDownloadMeta, updateDatabase } from '../../src/advisories/db/download.ts';
import { downloadedDbPath } from '../../src/advisories/settings.ts';
import { SourceUnavailableError } from '../../src/core/errors.ts';
import { type FakeRegistry, startFakeRegistry } from '../registry/fake-registry.ts';
import { fixtureRecords } from './helpers.ts';
import { writeZip } from './zip.ts';

let work: string;
let cacheDir: string;
let server: FakeRegistry;
let zip: Buffer;
const ETAG = '"osv-npm-1"';
const LAST_MODIFIED = 'Sat, 29 Jun 2024 10:00:00 GMT';

/** OSV's export bucket: the zip with an ETag and Last-Modified, 304 for a matching If-None-Match. */
function serveExport(): void {
  server.handle((request, response) => {
    if (request.url !== '/npm/all.zip') {
      response.writeHead(404).end();
      return;
    }
    if (request.headers['if-none-match'] === ETAG) {
      response.writeHead(304, { etag: ETAG }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length, etag: ETAG, 'last-modified': LAST_MODIFIED });
    response.end(zip);
  });
}

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pkgguard-download-'));
  cacheDir = path.join(work, 'cache');
  const file = path.join(work, 'all.zip');
  await writeZip(file, Object.fromEntries(fixtureRecords().map((record) => [`${record.id}.json`, JSON.stringify(record)])));
  zip = await readFile(file);
  server = await startFakeRegistry();
  serveExport();
});

afterEach(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

const log = { debug() {}, warn() {} };
const update = (url = `${server.url}npm/all.zip`) =>
  updateDatabase({ url, cacheDir, now: new Date('2024-07-01T00:00:00Z'), signal: new AbortController().signal, log, retry: { baseDelayMs: 1, maxDelayMs: 2 }, idleTimeoutMs: 500 });

describe('pkgguard db update', () => {
  it('downloads and indexes the export, then revalidates with If-None-Match / If-Modified-Since', async () => {
    const first = await update();
    expect([first.changed, first.meta.etag, first.meta.lastModified, first.meta.size, first.index.npmRecords]).toEqual([true, ETAG, LAST_MODIFIED, zip.length, 13]);
    expect(await readFile(downloadedDbPath(cacheDir))).toEqual(zip);
    const second = await update();
    expect([second.changed, second.meta.downloadedAt]).toEqual([false, first.meta.downloadedAt]);
    const revalidation = server.requests[1];
    expect([revalidation?.headers['if-none-match'], revalidation?.headers['if-modified-since']]).toEqual([ETAG, LAST_MODIFIED]);
    expect((await readdir(path.dirname(downloadedDbPath(cacheDir)))).sort()).toEqual(['db-index', 'npm-all.zip', 'npm-all.zip.meta.json']);
  });

  it('asks unconditionally for a different URL', async () => {
    await update();
    server.handle((request, response) => {
      expect(request.headers['if-none-match']).toBeUndefined();
      response.writeHead(200, { etag: '"other"' }).end(zip);
    });
    expect((await update(`${server.url}mirror/all.zip`)).changed).toBe(true);
    expect((await readDownloadMeta(cacheDir))?.etag).toBe('"other"');
  });

  it('retries 503 and 429, then gives up with a SourceUnavailableError', async () => {
    let calls = 0;
    server.handle((_request, response) => {
      calls += 1;
      response.writeHead(calls === 1 ? 503 : 429, { 'retry-after': '0' }).end();
      if (calls === 3) serveExport();
    });
    expect((await update()).changed).toBe(true);
    server.handle((_request, response) => void response.writeHead(503).end());
    const error = await update().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as Error).message).toBe(`${new URL(server.url).host}: 503 Service Unavailable after 4 attempts, downloading ${server.url}npm/all.zip`);
  });

  it('a download that is no zip never replaces the database it had', async () => {
    await update();
    server.handle((_request, response) => void response.writeHead(200, { etag: '"broken"' }).end('<html>captive portal</html>'));
    await expect(update()).rejects.toThrow(`${new URL(server.url).host}: the file is not a readable zip (a proxy or login page may have answered), downloading ${server.url}npm/all.zip`);
    expect(await readFile(downloadedDbPath(cacheDir))).toEqual(zip);
    expect((await readDownloadMeta(cacheDir))?.etag).toBe(ETAG);
    expect((await readdir(path.dirname(downloadedDbPath(cacheDir)))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a stalled body times out', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-length': 1000 });
      response.write('PK');
    });
    await expect(update()).rejects.toThrow(`${new URL(server.url).host}: no data for 0.5 s, downloading ${server.url}npm/all.zip`);
  });

  it('404 is an error that names the URL', async () => {
    await expect(update(`${server.url}nope.zip`)).rejects.toThrow(`${new URL(server.url).host}: 404 Not Found, downloading ${server.url}nope.zip`);
  });
});
