/**
 * The index of an offline OSV database, built once per database state and kept in the cache:
 * - `data.ndjson`: per npm package name, one line with the parsed records that name it
 *   (withdrawn records and other ecosystems left out);
 * - `names.txt`: the names, sorted by their UTF-8 bytes, one per line;
 * - `names.bin`: per name, a Float64 triple (start of the name in names.txt, offset and length
 *   of its line in data.ndjson);
 * - `index.json`: the source's stamp, counts and newest `modified`.
 * An audit reads names.txt and names.bin whole (no parsing: ≈ 9 MB for OSV's 200,000 npm
 * records), binary-searches its own names, and reads only their lines. Parsing a JSON map of
 * 200,000 names instead costs hundreds of milliseconds.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCvssScorer } from '../cvss.ts';
import { scoresOf } from '../normalize.ts';
import { npmPackagesOf, type OsvAffected, type OsvRecord, parseOsvRecord } from '../osv-record.ts';
import { isSafeRecordId } from '../record-cache.ts';
import { readDirectoryRecords, readZipRecords } from './read-source.ts';
import { type SourceStamp, sameStamp, stampOf } from './stamp.ts';

/** Bump when the files' shape changes: older indexes are rebuilt. */
const INDEX_FORMAT = 3;
const FIELDS = 3;

export interface DbIndexInfo {
  readonly format: number;
  readonly source: SourceStamp;
  /** Files read from the source. */
  readonly files: number;
  /** OSV records about npm packages, withdrawn ones included. */
  readonly npmRecords: number;
  readonly withdrawn: number;
  /** Files that were no OSV record (bad JSON, no id): counted, not fatal. */
  readonly invalid: number;
  /** Distinct npm package names with records. */
  readonly names: number;
  /** Newest `modified` of any record: how current the data is. */
  readonly newestModified?: string | undefined;
  readonly builtAt: string;
}

export interface DbIndex {
  readonly info: DbIndexInfo;
  /** The records naming each of `names` (absent names: no records). */
  recordsFor(names: readonly string[]): Promise<Map<string, OsvRecord[]>>;
}

export function indexDirFor(cacheDir: string, source: string): string {
  const key = createHash('sha256').update(path.resolve(source)).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'advisories', 'db-index', key);
}

/** Only the parts of a record that name `name`: the index then never repeats other packages' ranges. */
function forName(record: OsvRecord, name: string): OsvRecord {
  return { ...record, affected: record.affected.filter((entry: OsvAffected) => entry.ecosystem === 'npm' && entry.name === name) };
}

/** "mal/MAL-2022-4874.json" → "MAL-2022-4874", when that is a usable id. */
function idFromFileName(file: string): string | undefined {
  const id = path.basename(file, '.json');
  return isSafeRecordId(id) ? id : undefined;
}

async function build(source: string, stamp: SourceStamp, dir: string, now: Date): Promise<DbIndexInfo> {
  // Scored once here, so audits reading the index never load the calculator.
  const scorer = await loadCvssScorer();
  const byName = new Map<string, OsvRecord[]>();
  let files = 0;
  let npmRecords = 0;
  let withdrawn = 0;
  let invalid = 0;
  let newestModified: string | undefined;
  const visit = (json: string, file: string): void => {
    files += 1;
    let record: OsvRecord | undefined;
    try {
      record = parseOsvRecord(JSON.parse(json), idFromFileName(file));
    } catch {
      record = undefined;
    }
    if (!record) {
      invalid += 1;
      return;
    }
    const names = npmPackagesOf(record);
    if (names.length === 0) return;
    npmRecords += 1;
    if (newestModified === undefined || record.modified > newestModified) newestModified = record.modified;
    if (record.withdrawn !== undefined) {
      withdrawn += 1;
      return;
    }
    const scored: OsvRecord = { ...record, scores: scoresOf(record, scorer) };
    for (const name of names) {
      let list = byName.get(name);
      if (!list) byName.set(name, (list = []));
      list.push(forName(scored, name));
    }
  };
  if (stamp.kind === 'dir') await readDirectoryRecords(source, visit);
  else await readZipRecords(source, visit);

  const sorted = [...byName.keys()].map((name) => Buffer.from(name)).sort((a, b) => Buffer.compare(a, b));
  const table = new Float64Array(sorted.length * FIELDS);
  const lines: Buffer[] = [];
  let nameStart = 0;
  let offset = 0;
  sorted.forEach((nameBytes, position) => {
    const line = Buffer.from(`${JSON.stringify(byName.get(nameBytes.toString()))}\n`);
    table.set([nameStart, offset, line.length], position * FIELDS);
    lines.push(line);
    nameStart += nameBytes.length + 1;
    offset += line.length;
  });
  const index: DbIndexInfo = { format: INDEX_FORMAT, source: stamp, files, npmRecords, withdrawn, invalid, names: sorted.length, newestModified, builtAt: now.toISOString() };
  // Built beside, then renamed into place: concurrent audits never see half an index.
  const staging = `${dir}.${randomUUID()}.tmp`;
  await mkdir(staging, { recursive: true });
  await writeFile(path.join(staging, 'data.ndjson'), lines);
  await writeFile(path.join(staging, 'names.txt'), sorted.map((name) => `${name.toString()}\n`).join(''));
  await writeFile(path.join(staging, 'names.bin'), new Uint8Array(table.buffer));
  await writeFile(path.join(staging, 'index.json'), JSON.stringify(index));
  await rm(dir, { recursive: true, force: true });
  try {
    await rename(staging, dir);
  } catch (error) {
    // Another process renamed its identical build first; ours is redundant.
    await rm(staging, { recursive: true, force: true });
    if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' && (error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return index;
}

async function readIndexInfo(dir: string): Promise<DbIndexInfo | undefined> {
  try {
    const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as DbIndexInfo;
    return index.format === INDEX_FORMAT ? index : undefined;
  } catch {
    // Absent or torn: rebuild.
    return undefined;
  }
}

/** Sorted names and their table, searched without building a map of every name. */
class NameTable {
  readonly #names: Buffer;
  readonly #table: Float64Array;
  readonly #count: number;

  constructor(names: Buffer, table: Buffer) {
    this.#names = names;
    // A Float64Array view needs an 8-aligned offset; readFile's own buffers have one, pooled ones may not.
    this.#table =
      table.byteOffset % 8 === 0 ? new Float64Array(table.buffer, table.byteOffset, table.length / 8) : new Float64Array(new Uint8Array(table).buffer);
    this.#count = this.#table.length / FIELDS;
  }

  /** [offset, length] of `name`'s line in data.ndjson. */
  find(name: string): [number, number] | undefined {
    const wanted = Buffer.from(name);
    const table = this.#table;
    let low = 0;
    let high = this.#count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const start = table[middle * FIELDS] ?? 0;
      const end = middle + 1 < this.#count ? (table[(middle + 1) * FIELDS] ?? 0) - 1 : this.#names.length - 1;
      // Compares in place: no slice per probe.
      const order = -wanted.compare(this.#names, start, end);
      if (order === 0) return [table[middle * FIELDS + 1] ?? 0, table[middle * FIELDS + 2] ?? 0];
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }
}

async function readRanges(file: string, ranges: readonly (readonly [string, number, number])[]): Promise<Map<string, OsvRecord[]>> {
  const result = new Map<string, OsvRecord[]>();
  if (ranges.length === 0) return result;
  const handle = await open(file, 'r');
  try {
    // In parallel: libuv's thread pool overlaps the reads; in file order, so the disk seeks forward.
    const lines = await Promise.all(
      [...ranges]
        .sort((a, b) => a[1] - b[1])
        .map(async ([name, offset, length]) => {
          const buffer = Buffer.alloc(length);
          await handle.read(buffer, 0, length, offset);
          return [name, buffer] as const;
        }),
    );
    for (const [name, buffer] of lines) result.set(name, JSON.parse(buffer.toString('utf8')) as OsvRecord[]);
  } finally {
    await handle.close();
  }
  return result;
}

export interface OpenDbOptions {
  readonly cacheDir: string;
  readonly now: Date;
  /** Told when the index is (re)built, which takes a while for a full export. */
  readonly onBuild?: ((source: string) => void) | undefined;
  /**
   * Index `source` as if it were this path (`db update` indexes the download before renaming it
   * into place; a rename keeps size, mtime and content, so the index stays valid).
   */
  readonly as?: string | undefined;
}

/** The index of `source`, rebuilt when the source changed. Throws the file system's errors. */
export async function openDbIndex(source: string, options: OpenDbOptions): Promise<DbIndex> {
  const absolute = path.resolve(source);
  const identity = path.resolve(options.as ?? source);
  const stamp = { ...(await stampOf(absolute)), path: identity };
  const dir = indexDirFor(options.cacheDir, identity);
  let info = await readIndexInfo(dir);
  if (!info || !sameStamp(info.source, stamp)) {
    options.onBuild?.(absolute);
    info = await build(absolute, stamp, dir, options.now);
  }
  let table: Promise<NameTable> | undefined;
  const names = (): Promise<NameTable> =>
    (table ??= Promise.all([readFile(path.join(dir, 'names.txt')), readFile(path.join(dir, 'names.bin'))]).then(([text, binary]) => new NameTable(text, binary)));
  return {
    info,
    async recordsFor(wanted) {
      const lookup = await names();
      const ranges = [...new Set(wanted)].flatMap((name) => {
        const range = lookup.find(name);
        return range ? [[name, range[0], range[1]] as const] : [];
      });
      return readRanges(path.join(dir, 'data.ndjson'), ranges);
    },
  };
}
