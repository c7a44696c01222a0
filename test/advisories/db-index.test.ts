import { cp, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDbIndex } from '../../src/advisories/db/db-index.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { FIXTURE_DB, fixtureRecords } from './helpers.ts';
import { writeZip } from './zip.ts';

let work: string;
let cacheDir: string;
const now = new Date('2024-07-01T00:00:00Z');

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'pkgguard-db-'));
  cacheDir = path.join(work, 'cache');
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function fixtureZip(file: string, extra: Record<string, string> = {}): Promise<string> {
  const entries = Object.fromEntries(fixtureRecords().map((record) => [`${record.id}.json`, JSON.stringify(record)]));
  await writeZip(file, { ...entries, ...extra });
  return file;
}

const idsOf = async (index: Awaited<ReturnType<typeof openDbIndex>>, names: string[]) =>
  Object.fromEntries([...(await index.recordsFor(names))].map(([name, records]) => [name, records.map((record) => record.id).sort()]));

describe('offline database index', () => {
  it('indexes a directory of OSV files by npm package name, leaving out withdrawn records and other ecosystems', async () => {
    const builds: string[] = [];
    const index = await openDbIndex(FIXTURE_DB, { cacheDir, now, onBuild: (source) => builds.push(source) });
    expect(builds).toEqual([FIXTURE_DB]);
    expect(index.info).toMatchObject({ files: 14, npmRecords: 13, withdrawn: 1, invalid: 0, newestModified: '2025-01-02T03:04:05Z', builtAt: '2024-07-01T00:00:00.000Z' });
    expect(await idsOf(index, ['lodash', 'flatmap-stream', 'left-pad', 'constructor', '__proto__'])).toEqual({
      lodash: ['GHSA-35jh-r3h4-6jhm', 'GHSA-jf85-cpcp-j695'],
      'flatmap-stream': ['GHSA-mh6f-8j2x-4483'],
    });
    // CVSS scores are computed at build time, so lookups never load the calculator.
    const [ws] = (await index.recordsFor(['ws'])).get('ws') ?? [];
    expect(ws?.scores).toEqual({ 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H': 7.5 });
    // Each name's line holds only that name's affected entries.
    const [eventStream] = (await index.recordsFor(['event-stream'])).get('event-stream') ?? [];
    expect(eventStream?.affected.map((entry) => entry.name)).toEqual(['event-stream']);
  });

  it('reads OSV\'s zip export, and skips files that are not OSV records', async () => {
    const zip = await fixtureZip(path.join(work, 'all.zip'), { 'broken.json': '{"id": ', 'README.txt': 'not json', 'nested/': '' });
    const index = await openDbIndex(zip, { cacheDir, now });
    expect(index.info).toMatchObject({ files: 15, npmRecords: 13, withdrawn: 1, invalid: 1 });
    expect(await idsOf(index, ['ua-parser-js', 'minimist'])).toEqual({
      'ua-parser-js': ['GHSA-pjwm-rvh2-c87w'],
      minimist: ['GHSA-vh95-rmgr-6w4m', 'GHSA-xvch-5gv4-984h'],
    });
  });

  it('is built once, and rebuilt when the source changes (size, mtime or content)', async () => {
    const zip = await fixtureZip(path.join(work, 'all.zip'));
    const builds: string[] = [];
    const open = () => openDbIndex(zip, { cacheDir, now, onBuild: (source) => builds.push(source) });
    await open();
    await open();
    expect(builds).toHaveLength(1);
    // Same size and mtime, different content: the tail hash notices.
    const records = fixtureRecords().map((record) => (record.id === 'GHSA-3h5v-q93c-6h6q' ? { ...record, id: 'GHSA-3h5v-q93c-6h6z' } : record));
    await writeZip(zip, Object.fromEntries(records.map((record) => [`${record.id}.json`, JSON.stringify(record)])));
    await utimes(zip, new Date('2024-06-01T00:00:00Z'), new Date('2024-06-01T00:00:00Z'));
    const first = await open();
    await utimes(zip, new Date('2024-06-01T00:00:00Z'), new Date('2024-06-01T00:00:00Z'));
    expect(builds).toHaveLength(2);
    expect(await idsOf(first, ['ws'])).toEqual({ ws: ['GHSA-3h5v-q93c-6h6z'] });
    await open();
    expect(builds).toHaveLength(2);
    // A directory gains a file.
    const dir = path.join(work, 'db');
    await cp(FIXTURE_DB, dir, { recursive: true });
    const openDir = () => openDbIndex(dir, { cacheDir, now, onBuild: (source) => builds.push(source) });
    await openDir();
    await writeFile(path.join(dir, 'extra.json'), JSON.stringify({ id: 'TEST-9', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.0.0'] }] }));
    expect(await idsOf(await openDir(), ['left-pad'])).toEqual({ 'left-pad': ['TEST-9'] });
    expect(builds).toHaveLength(4);
    // Staging directories never stay behind.
    expect((await readdir(path.join(cacheDir, 'advisories', 'db-index'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('finds every name by binary search, in byte order: scoped, non-ASCII, prefixes of each other', async () => {
    const names = ['a', 'ab', 'a-b', '@scope/a', '@scope/ab', 'zz', 'ünïcode', 'A', '0', '~tilde'];
    const dir = path.join(work, 'names');
    await cp(FIXTURE_DB, dir, { recursive: true });
    await Promise.all(
      names.map((name, position) =>
        writeFile(path.join(dir, `name-${position}.json`), JSON.stringify({ id: `TEST-${position}`, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name }, versions: ['1.0.0'] }] })),
      ),
    );
    const index = await openDbIndex(dir, { cacheDir, now });
    expect(index.info.names).toBe(names.length + 13);
    const found = await idsOf(index, [...names, 'b', '@scope/b', 'ü', '']);
    expect(found).toEqual(Object.fromEntries(names.map((name, position) => [name, [`TEST-${position}`]])));
  });

  it('a file that is no zip is a ConfigError with a hint', async () => {
    const file = path.join(work, 'all.zip');
    await writeFile(file, 'this is not a zip file at all, but long enough to look for a central directory');
    const error = await openDbIndex(file, { cacheDir, now }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(new RegExp(`^advisory database ${file.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a readable zip file \\(`));
  });
});
