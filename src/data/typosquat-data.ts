/**
 * The typosquat check's reference data, kept as plain data files next to this module and read
 * with one file read each (the check itself does no I/O: it imports this module lazily).
 *
 * Why files and not a generated module of string literals: importing the 1 MB module cost ~21 ms
 * of every audit (reading, decoding and compiling it); reading the bytes is ~3 ms, and turning
 * all of them into one string cost as much again. So the file stays bytes, cut without copying
 * (a subarray shares the file's memory): the index reads its hash table and compares names
 * in its records as bytes (packed-table.ts, popular-index.ts), and builds an entry from its own
 * record's bytes (a run builds a few dozen at most: decoding all 500 kB of records for them cost
 * 2-3 ms, fresh memory being slow to touch); the scopes, known scopes and downloads are searched
 * in their bytes too, and only what a search reads becomes a string.
 *
 * Where: `../data/<file>` from this module is src/data when run from source, dist/data for the
 * library (tsc output) and dist/bundle/data for the bundled CLI, whose chunks and entries all
 * sit one level below dist/bundle; the build copies the files (esbuild.config.js).
 *
 * Layout (written by test/scripts/generate-popular-names.js through `encodeDataFile`): ASCII
 * text without line breaks, so that no checkout converts them and moves the offsets:
 * `<magic>\t<header JSON>`, then each section preceded by a tab, in the order and with the
 * lengths the header's `sections` lists. A file that does not match is corrupt: reading throws
 * an InternalError naming the file (the check then fails and the audit says so), never guesses.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PackedPopularIndex } from '../checks/typosquat/popular-index.ts';
import type { SortedRecords } from '../checks/typosquat/sorted-records.ts';
import { InternalError } from '../core/errors.ts';

export const POPULAR_NAMES_FILE = 'popular-names.txt';
export const KNOWN_NAMES_FILE = 'known-names.txt';

const POPULAR_MAGIC = 'pkgguard-popular-names/1';
const KNOWN_MAGIC = 'pkgguard-known-names/1';
const POPULAR_SECTIONS = ['entries', 'starts', 'items', 'scopes', 'knownScopes', 'lookalikeDownloads'] as const;
const KNOWN_SECTIONS = ['records'] as const;

const SEPARATOR = '\t';

/** Where the popularity data comes from and how it was cut. */
export interface PopularNamesSource {
  /** What the counts are. */
  readonly description: string;
  /** The snapshot file the generator read. */
  readonly file: string;
  /** The snapshot's date (YYYY-MM-DD). */
  readonly date: string;
  /** How many of the most downloaded names are protected. */
  readonly protectedCount: number;
  /** Monthly downloads of the least downloaded protected name. */
  readonly protectedFloor: number;
  /** Names below the protected list are in the known names down to this many monthly downloads. */
  readonly knownFloor: number;
  /** How many names the known names hold. */
  readonly knownCount: number;
  /** How many of them look like a protected name (`lookalikeDownloads`). */
  readonly lookalikeCount: number;
}

export interface PopularNames {
  readonly source: PopularNamesSource;
  /**
   * The protected names, most downloaded first, with their index already built (popular-index.ts
   * describes the layout); as read from the file, its table, records and scopes are bytes too.
   */
  readonly index: PackedPopularIndex;
  /**
   * Every scope (without "@") that has a package at or above the known floor, as sorted records
   * (sorted-records.ts): text as packed, the file's bytes as read (searched where they lie).
   */
  readonly knownScopes: SortedRecords;
  /**
   * The known names (below the protected list, at or above the floor) that look like a
   * protected name to the check as shipped, as sorted `<name> <monthly downloads in base 36>`
   * records, text or bytes as `knownScopes`. The popularity gate needs a candidate's downloads
   * only when it has a look-alike.
   */
  readonly lookalikeDownloads: SortedRecords;
}

/**
 * Names below the protected list down to the known floor, as sorted `<name> <monthly downloads
 * in base 36>` records: searched by binary search (sorted-records.ts), never parsed whole; read
 * only when the configuration protects names of its own, since `lookalikeDownloads` holds the
 * downloads of every other name the check asks about.
 */
export interface KnownNames {
  /** The snapshot's date, as in PopularNamesSource. */
  readonly date: string;
  readonly count: number;
  /** Text as written, the file's bytes as read (1.7 MB: never decoded whole). */
  readonly records: SortedRecords;
}

/** The header of popular-names.txt, besides its section lengths. */
interface PopularNamesHeader {
  readonly source: PopularNamesSource;
  readonly table: Omit<PackedPopularIndex['table'], 'starts' | 'items'>;
  readonly scopeStarts: readonly number[];
}

export function readPopularNames(file: URL = dataFile(POPULAR_NAMES_FILE)): PopularNames {
  const { header, sections } = decodeDataFile(readData(file), POPULAR_MAGIC, POPULAR_SECTIONS, file);
  const problem = popularHeaderProblem(header, sections);
  if (problem) throw corrupt(file, problem);
  const { source, table, scopeStarts } = header as unknown as PopularNamesHeader;
  // As text only for whoever asks (the generator writing them back, tests): the index reads the bytes.
  let entries: string | undefined;
  let scopes: string | undefined;
  return {
    source,
    index: {
      get entries() {
        return (entries ??= latin1(sections.entries));
      },
      entryBytes: bytesOf(sections.entries),
      table: { ...table, starts: bytesOf(sections.starts), items: bytesOf(sections.items) },
      get scopes() {
        return (scopes ??= latin1(sections.scopes));
      },
      scopeBytes: bytesOf(sections.scopes),
      scopeStarts,
    },
    knownScopes: bytesOf(sections.knownScopes),
    lookalikeDownloads: bytesOf(sections.lookalikeDownloads),
  };
}

export function readKnownNames(file: URL = dataFile(KNOWN_NAMES_FILE)): KnownNames {
  const { header, sections } = decodeDataFile(readData(file), KNOWN_MAGIC, KNOWN_SECTIONS, file);
  const { date, count } = header as Partial<Record<keyof KnownNames, unknown>>;
  if (typeof date !== 'string' || !isCount(count)) throw corrupt(file, 'its header lacks the date or the count');
  return { date, count, records: bytesOf(sections.records) };
}

/** The text of popular-names.txt; the generator writes it. */
export function encodePopularNames(names: PopularNames): string {
  const { entries, table, scopes, scopeStarts } = names.index;
  const { starts, items, ...tableShape } = table;
  const header: PopularNamesHeader = { source: names.source, table: tableShape, scopeStarts };
  return encodeDataFile(POPULAR_MAGIC, header, {
    entries,
    starts: sectionText(starts),
    items: sectionText(items),
    scopes,
    knownScopes: sectionText(names.knownScopes),
    lookalikeDownloads: sectionText(names.lookalikeDownloads),
  });
}

/** The text of known-names.txt; the generator writes it. */
export function encodeKnownNames(known: KnownNames): string {
  return encodeDataFile(KNOWN_MAGIC, { date: known.date, count: known.count }, { records: sectionText(known.records) });
}

function dataFile(name: string): URL {
  return new URL(`../data/${name}`, import.meta.url);
}

function readData(file: URL): Buffer {
  try {
    // One read: reading in small steps measured no faster. Bytes, not a string (see above).
    return readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InternalError(`typosquat reference data ${fileURLToPath(file)} cannot be read (${reason})`, { cause: error, hints: HINTS });
  }
}

/** Every character is ASCII (the generator checks): latin1 is the cheapest exact decoding. */
function latin1(bytes: Buffer): string {
  return bytes.toString('latin1');
}

/** A plain Uint8Array view: element reads stay monomorphic with the tables packed at run time. */
function bytesOf(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** A section as text, whether it is text (as packed) or bytes (as read). */
function sectionText(section: string | Uint8Array): string {
  return typeof section === 'string' ? section : latin1(Buffer.from(section.buffer, section.byteOffset, section.byteLength));
}

const HINTS = ['The file ships with pkgguard: reinstall it (in a checkout, `npm run build` copies it to dist/).'];

function corrupt(file: URL, problem: string): InternalError {
  return new InternalError(`typosquat reference data ${fileURLToPath(file)} is corrupt: ${problem}`, { hints: HINTS });
}

function encodeDataFile(magic: string, header: object, sections: Readonly<Record<string, string>>): string {
  const names = Object.keys(sections);
  const lengths = Object.fromEntries(names.map((name) => [name, (sections[name] as string).length]));
  const parts = [magic, JSON.stringify({ ...header, sections: lengths }), ...names.map((name) => sections[name] as string)];
  const text = parts.join(SEPARATOR);
  // Offsets are character offsets read back as latin1 bytes; a line break could be rewritten by a checkout.
  if (!/^[\x20-\x7e\t]*$/.test(text)) throw new RangeError(`${magic}: the data must be printable ASCII without line breaks`);
  return text;
}

interface DecodedFile<Name extends string> {
  readonly header: Readonly<Record<string, unknown>>;
  /** Views into the file's bytes, not copies. */
  readonly sections: Readonly<Record<Name, Buffer>>;
}

const SEPARATOR_BYTE = SEPARATOR.charCodeAt(0);

/** Splits a data file into its header and sections, checking every length and separator. */
function decodeDataFile<Name extends string>(bytes: Buffer, magic: string, names: readonly Name[], file: URL): DecodedFile<Name> {
  if (latin1(bytes.subarray(0, magic.length + 1)) !== magic + SEPARATOR) throw corrupt(file, `it does not start with "${magic}"`);
  const headerEnd = bytes.indexOf(SEPARATOR_BYTE, magic.length + 1);
  let header: unknown;
  try {
    header = JSON.parse(latin1(bytes.subarray(magic.length + 1, headerEnd < 0 ? undefined : headerEnd)));
  } catch {
    throw corrupt(file, 'its header is not JSON');
  }
  if (!isObject(header)) throw corrupt(file, 'its header is not a JSON object');
  const lengths = header['sections'];
  if (!isObject(lengths) || Object.keys(lengths).join() !== names.join()) {
    throw corrupt(file, `its header does not list the sections ${names.join(', ')}`);
  }
  const sections = {} as Record<Name, Buffer>;
  let at = headerEnd;
  for (const name of names) {
    const length = lengths[name];
    if (!isCount(length) || at < 0 || bytes[at] !== SEPARATOR_BYTE || at + 1 + length > bytes.length) {
      throw corrupt(file, `section ${name} is cut short or misplaced`);
    }
    sections[name] = bytes.subarray(at + 1, at + 1 + length);
    at += 1 + length;
  }
  if (at !== bytes.length) throw corrupt(file, `${bytes.length - at} characters follow the last section`);
  return { header, sections };
}

/** What is wrong with the header of popular-names.txt, given its sections; undefined when nothing. */
function popularHeaderProblem(header: Readonly<Record<string, unknown>>, sections: Readonly<Record<(typeof POPULAR_SECTIONS)[number], Buffer>>): string | undefined {
  const { source, table, scopeStarts } = header;
  if (!isObject(source) || typeof source['file'] !== 'string' || typeof source['date'] !== 'string' || !isCount(source['knownFloor'])) {
    return 'its header lacks the source (file, date, known floor)';
  }
  if (!isObject(table) || !isCount(table['buckets']) || !isCount(table['startChars']) || !isCount(table['itemChars'])) {
    return 'its header lacks the table shape';
  }
  if (sections.starts.length !== (table['buckets'] + 1) * table['startChars'] || sections.items.length % table['itemChars'] !== 0) {
    return 'its table sections do not have the sizes its header gives';
  }
  if (!Array.isArray(scopeStarts) || !scopeStarts.every(isCount)) return 'its header lacks the scope starts';
  return undefined;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
