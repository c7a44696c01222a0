/**
 * The typosquat check's embedded data (src/data) and the structures it is stored in: the packed
 * hash table, the sorted records, and the index built from them. The data is generated with its
 * index already built and with the downloads of only the known names that look like a protected
 * one; these tests fail when a change to how names are indexed or matched makes the shipped
 * data stale (the fix: `npm run build && node test/scripts/generate-popular-names.js --reindex`).
 */
import { describe, expect, it } from 'vitest';
import { boundedDistance } from '../../src/checks/typosquat/distance.ts';
import { findLookalikes } from '../../src/checks/typosquat/matcher.ts';
import { hashKey, packTable, TableReader } from '../../src/checks/typosquat/packed-table.ts';
import { buildPopularIndex, openPopularIndex, packPopularIndex } from '../../src/checks/typosquat/popular-index.ts';
import { embeddedReferenceData } from '../../src/checks/typosquat/reference-data.ts';
import { findRecord, joinRecords, type SortedRecords } from '../../src/checks/typosquat/sorted-records.ts';
import { readKnownNames, readPopularNames } from '../../src/data/typosquat-data.ts';

/** Records as read from a file are its bytes; as text here, to compare with what the generator joins. */
function text(records: SortedRecords): string {
  return typeof records === 'string' ? records : Buffer.from(records).toString('latin1');
}

const { source: POPULAR_NAMES_SOURCE, index: POPULAR_INDEX, knownScopes, lookalikeDownloads } = readPopularNames();
const KNOWN_SCOPES = text(knownScopes);
const LOOKALIKE_DOWNLOADS = text(lookalikeDownloads);
const KNOWN_NAMES = text(readKnownNames().records);

/** `name downloads[ Name]` records, as the data and the generator write them. */
function records(text: string): { name: string; downloads: number }[] {
  return text.split(',').map((record) => {
    const [lower = '', count = '', published] = record.split(' ');
    return { name: published ?? lower, downloads: Number.parseInt(count, 36) };
  });
}

function valuesOf(reader: TableReader, hash: number): number[] {
  const values: number[] = [];
  for (let i = reader.first(hash), end = reader.end(hash); i < end; i++) {
    const value = reader.valueAt(i, hash);
    if (value >= 0) values.push(value);
  }
  return values;
}

describe('packed table', () => {
  it('returns every value filed under a key, ascending, each once', () => {
    const a = hashKey(1, 'react');
    const b = hashKey(2, 'react');
    const table = packTable(
      [
        { hash: a, value: 7 },
        { hash: a, value: 3 },
        { hash: a, value: 7 },
        { hash: b, value: 5 },
      ],
      7,
    );
    const reader = new TableReader(table);
    expect([valuesOf(reader, a), valuesOf(reader, b), valuesOf(reader, hashKey(1, 'preact'))]).toEqual([[3, 7], [5], []]);
  });

  it('keeps hundreds of values under one key (a pigeonhole key many names share)', () => {
    const hash = hashKey(4, 'abc');
    const values = Array.from({ length: 300 }, (_, i) => i * 1000);
    const reader = new TableReader(packTable(values.map((value) => ({ hash, value })), 299_000));
    expect(valuesOf(reader, hash)).toEqual(values);
  });

  it('hashes a range like the same text on its own', () => {
    expect(hashKey(9, 'xxcrossenvxx', 2, 10)).toBe(hashKey(9, 'crossenv'));
    expect(hashKey(9, 'crossenv')).not.toBe(hashKey(10, 'crossenv'));
  });

  it('refuses values it cannot hold', () => {
    expect(() => packTable([{ hash: 1, value: 1 }], 2 ** 22)).toThrow(RangeError);
  });
});

describe('sorted records', () => {
  const text = joinRecords([['lodash', '1a'], ['@types/node', 'zz'], ['lodash-es', '2b'], ['a', undefined], ['lodash.get', '']]);

  it('are joined in code-unit order, a key before the keys it starts', () => {
    expect(text).toBe('@types/node zz,a,lodash 1a,lodash-es 2b,lodash.get ');
  });

  it('find every key and its value, and nothing else', () => {
    expect(['@types/node', 'a', 'lodash', 'lodash-es', 'lodash.get'].map((key) => findRecord(text, key))).toEqual(['zz', '', '1a', '2b', '']);
    expect(['', '@types', 'lodas', 'lodash-e', 'lodash.gett', 'zzz', '0'].map((key) => findRecord(text, key))).toEqual(
      Array(7).fill(undefined),
    );
    expect(findRecord('', 'a')).toBeUndefined();
  });

  it('are searched in their bytes as in their text (as read from a data file)', () => {
    const bytes = new TextEncoder().encode(text);
    const keys = ['@types/node', 'a', 'lodash', 'lodash-es', 'lodash.get', '', '@', '@types', 'b', 'lodas', 'lodash-e', 'lodash.gett', 'zzz', '0'];
    expect(keys.map((key) => findRecord(bytes, key))).toEqual(keys.map((key) => findRecord(text, key)));
    expect(findRecord(new Uint8Array(0), 'a')).toBeUndefined();
    // The first and the last record, where a search reads at the ends of the bytes.
    expect([findRecord(new TextEncoder().encode('a 1'), 'a'), findRecord(new TextEncoder().encode('a,b 2'), 'b')]).toEqual(['1', '2']);
  });
});

describe('popular index', () => {
  const index = buildPopularIndex([
    { name: 'JSONStream', downloads: 30_000_000 },
    { name: '@babel/core', downloads: 20_000_000 },
    { name: 'jsonstream', downloads: 1 },
    { name: 'not a name', downloads: 5 },
    { name: 'acme-internal', downloads: Infinity },
  ]);

  it('looks names up lower-cased and returns them as published, the first of equal names winning', () => {
    expect([index.has('jsonstream'), index.has('JSONStream'), index.has('not a name'), index.has('@babel/core')]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(index.get('jsonstream')).toEqual({ name: 'JSONStream', downloads: 30_000_000, flat: 'jsonstream' });
    expect(index.get('acme-internal')?.downloads).toBe(Infinity);
    expect(index.scopedByBare('core')?.name).toBe('@babel/core');
  });

  it('can be empty (a protect list of names that cannot be packages)', () => {
    const empty = buildPopularIndex([{ name: 'not a name', downloads: Infinity }]);
    expect([empty.has('not'), empty.get('a'), empty.scopesNear('types', 1)]).toEqual([false, undefined, []]);
  });

  it('finds scopes within the allowed distance only, by the scope without punctuation', () => {
    const scopes = buildPopularIndex(['@types/a', '@typescript-eslint/b', '@babel/c', '@vue/d'].map((name) => ({ name, downloads: 1 })));
    const near = (flat: string, limit: number) => scopes.scopesNear(flat, limit).map((scope) => scope.name);
    expect([near('typess', 1), near('typescripteslinter', 2), near('babel', 0), near('vue', 0), near('x', 0), near('a'.repeat(40), 2)]).toEqual([
      ['types'],
      ['typescript-eslint'],
      ['babel'],
      ['vue'],
      [],
      [],
    ]);
    expect(scopes.scopesNear('typesx', 1)[0]?.entries().map((entry) => entry.name)).toEqual(['@types/a']);
  });
});

describe(`embedded data (${POPULAR_NAMES_SOURCE.file} ${POPULAR_NAMES_SOURCE.date})`, () => {
  const protectedNames = records(POPULAR_INDEX.entries);

  it('holds the protected names, most downloaded first, down to the recorded floor', () => {
    expect(protectedNames).toHaveLength(POPULAR_NAMES_SOURCE.protectedCount);
    expect(protectedNames.slice(0, 3)).toEqual([
      { name: 'semver', downloads: 2_399_072_936 },
      { name: 'ansi-styles', downloads: 2_165_311_120 },
      { name: 'debug', downloads: 2_069_940_879 },
    ]);
    expect(protectedNames.at(-1)?.downloads).toBe(POPULAR_NAMES_SOURCE.protectedFloor);
    expect(protectedNames.every((entry, i) => i === 0 || (protectedNames[i - 1]?.downloads ?? 0) >= entry.downloads)).toBe(true);
  });

  it('reads every protected name back from the file as packed', () => {
    const index = openPopularIndex(POPULAR_INDEX);
    expect(protectedNames.map(({ name }) => index.get(name.toLowerCase()))).toEqual(protectedNames.map((entry) => ({ ...entry, flat: expect.any(String) })));
  });

  it('ships the index the current code builds from those names (else run the generator with --reindex)', () => {
    // Read from the file, the table's digits and the records are bytes too.
    const { entries, table, scopes, scopeStarts } = POPULAR_INDEX;
    const shipped = { entries, table: { ...table, starts: Buffer.from(table.starts).toString('latin1'), items: Buffer.from(table.items).toString('latin1') }, scopes, scopeStarts };
    expect(packPopularIndex(protectedNames)).toEqual(shipped);
  });

  it('finds near scopes as the distance to every scope record says (one or two edits at either end of real scopes)', () => {
    const index = openPopularIndex(POPULAR_INDEX);
    const rows = POPULAR_INDEX.scopes.split(',').map((record) => record.split(' '));
    const naive = (flat: string, limit: number): string[] =>
      rows.filter(([scopeFlat = '']) => boundedDistance(flat, scopeFlat, limit) <= limit).map(([, name = '']) => name);
    const queries = new Set<string>();
    rows.forEach(([flat = ''], i) => {
      if (i % 10 !== 0) return;
      const last = flat.length - 1;
      for (const query of [flat, `q${flat.slice(1)}`, flat.slice(1), `${flat[1] ?? ''}${flat[0] ?? ''}${flat.slice(2)}`, `${flat.slice(0, last)}q`, `q${flat}`, `q${flat.slice(1, last)}q`]) {
        queries.add(query);
      }
    });
    // Read from the file, the index searches the scopes' bytes; packed, their text: both as the naive search.
    const { scopeBytes, ...inText } = POPULAR_INDEX;
    expect(scopeBytes).toEqual(expect.any(Uint8Array));
    const fromText = openPopularIndex(inText);
    const mismatches = [...queries].flatMap((query) =>
      [0, 1, 2].flatMap((limit) => {
        const found = index.scopesNear(query, limit).map((scope) => scope.name);
        const expected = naive(query, limit);
        const foundInText = fromText.scopesNear(query, limit).map((scope) => scope.name);
        if (found.join() !== foundInText.join()) return [{ query, limit, found, expected: foundInText }];
        return found.join() === expected.join() ? [] : [{ query, limit, found, expected }];
      }),
    );
    expect(queries.size).toBeGreaterThan(500);
    expect(mismatches).toEqual([]);
  });

  it('knows the scopes of every protected and known name', () => {
    const known = records(KNOWN_NAMES);
    expect(known).toHaveLength(POPULAR_NAMES_SOURCE.knownCount);
    const scopes = new Set([...protectedNames, ...known].filter(({ name }) => name.startsWith('@')).map(({ name }) => name.slice(1, name.indexOf('/'))));
    expect(KNOWN_SCOPES).toBe(joinRecords([...scopes].map((scope) => [scope])));
  });

  it('has the downloads of exactly the known names that look like a protected one (else --reindex)', async () => {
    const data = await embeddedReferenceData();
    const scope = { indexes: [openPopularIndex(POPULAR_INDEX)], knownScopes: data.knownScopes };
    const lookalikes = records(KNOWN_NAMES).filter(({ name }) => findLookalikes(name, scope).length > 0);
    expect(lookalikes).toHaveLength(POPULAR_NAMES_SOURCE.lookalikeCount);
    expect(LOOKALIKE_DOWNLOADS).toBe(joinRecords(lookalikes.map(({ name, downloads }) => [name, downloads.toString(36)])));
  });

  it('answers a candidate with the same downloads from either tier', async () => {
    const data = await embeddedReferenceData();
    const asked = ['crossenv', 'angular-material', 'eslint-plugin-regex', 'pkgguard-fixture-unrelated'];
    const tiers = await Promise.all([true, false].map((shipped) => Promise.all(asked.map((name) => data.downloadsOf(name, shipped)))));
    expect(tiers).toEqual([
      [10_533, 248_279, 539_285, undefined],
      [10_533, 248_279, 539_285, undefined],
    ]);
  });
});
