/**
 * The typosquat check's data files (src/data/typosquat-data.ts): what the generator writes is
 * read back exactly, the shipped files open, and a missing or damaged file is an error naming
 * the file, never data read at the wrong offsets. The contents of the shipped data are tested
 * in test/checks/typosquat-data.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesHoldRecordOf, openPopularIndex, packPopularIndex, type PopularIndex, textHoldsRecordOf } from '../../src/checks/typosquat/popular-index.ts';
import { InternalError } from '../../src/core/errors.ts';
import {
  encodeKnownNames,
  encodePopularNames,
  type KnownNames,
  type PopularNames,
  readKnownNames,
  readPopularNames,
} from '../../src/data/typosquat-data.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pkgguard-typosquat-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** Writes `text` to a fresh file and returns its URL. */
function fileWith(text: string): URL {
  const file = path.join(dir, `data-${++files}.txt`);
  writeFileSync(file, text, 'latin1');
  return pathToFileURL(file);
}

const popular: PopularNames = {
  source: {
    description: 'npm package names with their download count over the last month',
    file: 'npm.tsv',
    date: '2026-11-22',
    protectedCount: 3,
    protectedFloor: 900,
    knownFloor: 10,
    knownCount: 2,
    lookalikeCount: 1,
  },
  index: packPopularIndex([
    { name: 'react', downloads: 5000 },
    { name: 'JSONStream', downloads: 2000 },
    { name: '@babel/core', downloads: 900 },
  ]),
  knownScopes: 'babel,types',
  lookalikeDownloads: 'recat 1a',
};
const known: KnownNames = { date: '2026-11-22', count: 2, records: 'preact z,recat 1a' };

/** A section as text, whether packed (text) or read from a file (bytes). */
function text(digits: string | Uint8Array): string {
  return typeof digits === 'string' ? digits : Buffer.from(digits).toString('latin1');
}

/** `names` as packed, all text: read from a file, the table's digits and the records are bytes too. */
function asPacked(names: PopularNames): PopularNames {
  const { entries, table, scopes, scopeStarts } = names.index;
  return {
    ...names,
    index: { entries, table: { ...table, starts: text(table.starts), items: text(table.items) }, scopes, scopeStarts },
    knownScopes: text(names.knownScopes),
    lookalikeDownloads: text(names.lookalikeDownloads),
  };
}

/** The error `read` throws, for asserting its class and message together. */
function failureOf(read: () => unknown): { type: string; code: string; message: string } {
  try {
    read();
  } catch (error) {
    if (!(error instanceof InternalError)) throw error;
    return { type: error.constructor.name, code: error.code, message: error.message };
  }
  throw new Error('expected the read to fail');
}

describe('typosquat data files', () => {
  it('read back exactly what was written', () => {
    const read = readPopularNames(fileWith(encodePopularNames(popular)));
    const { table, entryBytes, scopeBytes } = read.index;
    expect([table.starts, table.items, entryBytes, scopeBytes, read.knownScopes, read.lookalikeDownloads]).toEqual(Array(6).fill(expect.any(Uint8Array)));
    expect(asPacked(read)).toEqual(popular);
    expect(text(scopeBytes as Uint8Array)).toBe(popular.index.scopes);
    // Written again as read, bytes and all: the same file.
    expect(encodePopularNames(read)).toBe(encodePopularNames(popular));
    const knownRead = readKnownNames(fileWith(encodeKnownNames(known)));
    expect({ ...knownRead, records: text(knownRead.records) }).toEqual(known);
    expect(encodeKnownNames(knownRead)).toBe(encodeKnownNames(known));
  });

  it('open into an index that compares names in the bytes and answers as the packed one does', () => {
    const fromFile = openPopularIndex(readPopularNames(fileWith(encodePopularNames(popular))).index);
    const packed = openPopularIndex(popular.index);
    // The first, the middle and the last record; prefixes and extensions of names, which read past a record.
    const names = ['react', 'jsonstream', '@babel/core', 'reac', 'reactx', '@babel/cor', '@babel/corex', 'json', ''];
    const answers = (index: PopularIndex) => names.map((name) => [index.has(name), index.get(name)]);
    expect(answers(fromFile)).toEqual(answers(packed));
    expect(answers(fromFile).filter(([has]) => has)).toEqual([
      [true, { name: 'react', downloads: 5000, flat: 'react' }],
      [true, { name: 'JSONStream', downloads: 2000, flat: 'jsonstream' }],
      [true, { name: '@babel/core', downloads: 900, flat: 'babelcore' }],
    ]);
    expect(fromFile.scopedByBare('core')).toEqual(packed.scopedByBare('core'));
  });

  it('compare names with records in bytes as in text', () => {
    const text = 'react 1,reactx 2,jsonstream 3 JSONStream';
    const bytes = new TextEncoder().encode(text);
    const cases: [string, number][] = [['react', 0], ['reac', 0], ['reactx', 0], ['reactx', 8], ['jsonstream', 17], ['jsonstreams', 17], ['stream', 40], ['', 0]];
    const answers = cases.map(([name, at]) => bytesHoldRecordOf(bytes, name, at));
    expect(answers).toEqual(cases.map(([name, at]) => textHoldsRecordOf(text, name, at)));
    expect(answers).toEqual([true, false, false, true, true, false, false, false]);
  });

  it('start with a header that names the file kind and gives every section length', () => {
    const text = encodeKnownNames(known);
    expect(text).toBe('pkgguard-known-names/1\t{"date":"2026-11-22","count":2,"sections":{"records":17}}\tpreact z,recat 1a');
  });

  it('open as shipped', () => {
    const shipped = readPopularNames();
    expect([shipped.source.file, shipped.source.date, shipped.index.entries.slice(0, 15)]).toEqual(['npm.tsv', '2026-11-22', 'semver 13ocgiw,']);
    expect(readKnownNames().count).toBe(shipped.source.knownCount);
  });

  it('refuse line breaks and non-ASCII text, which would move the offsets', () => {
    expect(() => encodeKnownNames({ ...known, records: 'preact z\nrecat 1a' })).toThrow(RangeError);
    expect(() => encodeKnownNames({ ...known, records: 'préact z' })).toThrow(RangeError);
  });
});

describe('a data file that cannot be used', () => {
  const good = encodePopularNames(popular);
  const corrupt = (problem: string, file: URL) => ({
    type: 'InternalError',
    code: 'EINTERNAL',
    message: `typosquat reference data ${fileURLToPath(file)} is corrupt: ${problem}`,
  });

  it('is named when missing', () => {
    const missing = pathToFileURL(path.join(dir, 'popular-names.txt'));
    expect(failureOf(() => readPopularNames(missing))).toEqual({
      type: 'InternalError',
      code: 'EINTERNAL',
      message: `typosquat reference data ${path.join(dir, 'popular-names.txt')} cannot be read (ENOENT)`,
    });
  });

  it('is corrupt when cut short, or when anything follows the last section', () => {
    const short = fileWith(good.slice(0, -1));
    expect(failureOf(() => readPopularNames(short))).toEqual(corrupt('section lookalikeDownloads is cut short or misplaced', short));
    const long = fileWith(`${good}\n`);
    expect(failureOf(() => readPopularNames(long))).toEqual(corrupt('1 characters follow the last section', long));
  });

  it('is corrupt when a section is longer or shorter than its header says', () => {
    const shifted = fileWith(good.replace('\tbabel,types\t', '\tbabel,typess\t'));
    expect(failureOf(() => readPopularNames(shifted))).toEqual(corrupt('section lookalikeDownloads is cut short or misplaced', shifted));
  });

  it('is corrupt when it is another kind of file, or its header is damaged', () => {
    const other = fileWith(encodeKnownNames(known));
    expect(failureOf(() => readPopularNames(other))).toEqual(corrupt('it does not start with "pkgguard-popular-names/1"', other));
    const notJson = fileWith(good.replace('{"source"', '{source'));
    expect(failureOf(() => readPopularNames(notJson))).toEqual(corrupt('its header is not JSON', notJson));
    const noSections = fileWith(good.replace('"sections":{"entries"', '"sections":{"names"'));
    expect(failureOf(() => readPopularNames(noSections))).toEqual(
      corrupt('its header does not list the sections entries, starts, items, scopes, knownScopes, lookalikeDownloads', noSections),
    );
    const noTable = fileWith(good.replace('"buckets":', '"bins":'));
    expect(failureOf(() => readPopularNames(noTable))).toEqual(corrupt('its header lacks the table shape', noTable));
    const noCount = fileWith(encodeKnownNames(known).replace('"count":2', '"count":"2"'));
    expect(failureOf(() => readKnownNames(noCount))).toEqual(corrupt('its header lacks the date or the count', noCount));
  });

  it('is corrupt when its table does not have the shape its header gives', () => {
    const wide = fileWith(good.replace(`"itemChars":${popular.index.table.itemChars}`, '"itemChars":7'));
    expect(failureOf(() => readPopularNames(wide))).toEqual(corrupt('its table sections do not have the sizes its header gives', wide));
  });
});
