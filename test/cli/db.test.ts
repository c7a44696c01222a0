import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { FIXTURE_DB, fixtureRecords } from '../advisories/helpers.ts';
import { writeZip } from '../advisories/zip.ts';
import { type FakeRegistry, startFakeRegistry } from '../registry/fake-registry.ts';

let work: string;
let cacheDir: string;
let server: FakeRegistry;

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pkgguard-db-cli-'));
  cacheDir = path.join(work, 'cache');
  const file = path.join(work, 'export.zip');
  await writeZip(file, Object.fromEntries(fixtureRecords().map((record) => [`${record.id}.json`, JSON.stringify(record)])));
  const zip = await readFile(file);
  server = await startFakeRegistry((request, response) => {
    if (request.headers['if-none-match'] === '"v1"') return void response.writeHead(304).end();
    response.writeHead(200, { 'content-type': 'application/zip', etag: '"v1"' }).end(zip);
  });
});

afterEach(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

async function run(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { PKGGUARD_CACHE_DIR: cacheDir },
    cwd: work,
    platform: 'linux',
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const day = () => new Date().toISOString().slice(0, 10);

describe('pkgguard db', () => {
  it('status without a database says how to get one (exit 3)', async () => {
    expect(await run(['db', 'status'])).toEqual({ code: 3, stdout: 'no offline advisory database: run `pkgguard db update` (or pass --advisory-db <dir|all.zip>)\n', stderr: '' });
    expect(JSON.parse((await run(['db', 'status', '--json'])).stdout)).toEqual({ schemaVersion: 1, database: null });
  });

  it('update downloads once, then finds it unchanged; status shows it', async () => {
    const url = `${server.url}npm/all.zip`;
    const first = await run(['db', 'update', '--url', url]);
    const zipPath = path.join(cacheDir, 'advisories', 'npm-all.zip');
    expect(first.code).toBe(0);
    expect(first.stderr).toBe(`pkgguard: checking ${url}\n`);
    expect(first.stdout).toMatch(new RegExp(`^downloaded \\d+\\.\\d MB to ${zipPath}\\n  13 npm records \\(1 withdrawn\\), newest 2025-01-02\\n$`));
    const second = await run(['db', 'update', '--url', url]);
    expect(second.stdout).toBe(`up to date: ${zipPath} has not changed since ${day()}\n  13 npm records (1 withdrawn), newest 2025-01-02\n`);
    const status = await run(['db', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(
        `^advisory database: ${zipPath} \\(zip\\)\\n  records: 13 npm records, 1 withdrawn\\n  newest record: 2025-01-02 \\(\\d+ days old\\)\\n  downloaded: ${day()}T[^ ]+ from ${url}, last checked ${day()}T\\S+\\n$`,
      ),
    );
  });

  it('status of a directory given with --advisory-db, as JSON', async () => {
    const { code, stdout, stderr } = await run(['db', 'status', '--json', '--advisory-db', FIXTURE_DB]);
    expect([code, stderr]).toEqual([0, `pkgguard warning: indexing the advisory database ${FIXTURE_DB} (once per version of it)\n`]);
    expect(JSON.parse(stdout)).toMatchObject({ schemaVersion: 1, database: { path: FIXTURE_DB, kind: 'dir', index: { npmRecords: 13, withdrawn: 1, invalid: 0, newestModified: '2025-01-02T03:04:05Z' } } });
  });

  it('a missing --advisory-db is a configuration error (exit 2); an unreachable URL exit 4', async () => {
    const missing = await run(['db', 'status', '--advisory-db', 'nope.zip']);
    expect([missing.code, missing.stderr]).toEqual([2, `pkgguard: advisory database ${path.join(work, 'nope.zip')} does not exist\n`]);
    server.handle((_request, response) => void response.writeHead(404).end());
    const failed = await run(['db', 'update', '--url', `${server.url}gone.zip`]);
    expect([failed.code, failed.stdout]).toEqual([4, '']);
    expect(failed.stderr).toContain(`pkgguard: ${new URL(server.url).host}: 404 Not Found, downloading ${server.url}gone.zip\n`);
  });

  it('--url must be an http(s) URL (exit 2)', async () => {
    expect((await run(['db', 'update', '--url', 'ftp://example.org/all.zip'])).code).toBe(2);
  });
});
