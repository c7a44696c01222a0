/**
 * The index over protected names: packed once (by the data generator for the embedded list, at
 * run time for a user's list), then only read.
 *
 * Model: exact look-ups answer most questions (the name itself, the bare name of a scoped
 * package, the name without its `-js`-style affix). Same-letters matches (`crossenv`) and
 * single typos use a pigeonhole key: one edit (a swap included) between words whose shorter one
 * has m letters leaves either their first or their last ⌊(m−1)/2⌋ letters intact. A name of
 * length n meets queries of lengths n−1…n+1, so it is filed once under its first and once under
 * its last ⌊(n−2)/2⌋ letters, which is short enough for all three; a query reads six keys.
 *
 * Storage: all strings as packed, so that opening the index runs no loop over its data (read
 * from the data file, the table, the records and the scopes stay the file's bytes):
 * - `entries`: one record per name, `name downloads[ Name]` joined by ',', most downloaded
 *   first: the name lower-cased, downloads in base 36 (`*`: always protected), and the name as
 *   published when that is not lower case (`JSONStream`);
 * - `table`: every key in one packed hash table (packed-table.ts) that maps it to the positions
 *   of records in `entries`;
 * - `scopes`: the scopes of the scoped names, for look-alike scopes, grouped by the length of
 *   the scope without punctuation so that a query reads only the lengths it can be close to.
 * A look-up hashes a range of the query, reads a bucket, compares names in place, and builds
 * (once) only the entries a caller asks for.
 */
import { asciiText } from './ascii.ts';
import { boundedDistance, letterCounts, mayBeWithin } from './distance.ts';
import { AFFIX_HINT, flatten, splitScope, strippedAffixes, type Step } from './names.ts';
import { hashKey, packTable, type PackedTable, TableReader, type TableItem } from './packed-table.ts';

export interface PopularEntry {
  readonly name: string;
  /** Monthly downloads; `Infinity` for names the user protects explicitly. */
  readonly downloads: number;
}

export interface IndexedEntry extends PopularEntry {
  /** `flatten(name)`. */
  readonly flat: string;
}

export interface AffixMatch {
  readonly entry: IndexedEntry;
  /** What the candidate dropped, e.g. "prefix `node-` removed". */
  readonly step: Step;
}

export interface PopularScope {
  /** Lower-cased scope, without "@". */
  readonly name: string;
  /** Its entries, most downloaded first. */
  entries(): readonly IndexedEntry[];
}

/** What the data generator embeds, and what `buildPopularIndex` packs at run time. */
export interface PackedPopularIndex<Digits extends string | Uint8Array = string | Uint8Array> {
  /** `name downloads[ Name]` records joined by ',', most downloaded first (see above). */
  readonly entries: string;
  /**
   * The same records as ASCII bytes, when read from the data file: names are then compared in
   * the bytes and entries built from them, and `entries` (decoded there, on first use) is never read.
   */
  readonly entryBytes?: Uint8Array;
  /** As packed, digits in strings; as read from the data file, in bytes (packed-table.ts). */
  readonly table: PackedTable<Digits>;
  /**
   * `flat scope position.position...` records joined by ',', sorted by the length of `flat`
   * (the scope without punctuation), then by scope; positions (base 36) of its records in
   * `entries`, ascending.
   */
  readonly scopes: string;
  /** The same records as ASCII bytes, when read from the data file: a search then decodes only the lengths it reads. */
  readonly scopeBytes?: Uint8Array;
  /** `scopeStarts[n]`: where the records whose `flat` has at least n letters start in `scopes`. */
  readonly scopeStarts: readonly number[];
}

export interface PopularIndex {
  /** Whether this lower-cased name is in the list; cheaper than `get`, which builds the entry. */
  has(name: string): boolean;
  /** The entry with this lower-cased name. */
  get(name: string): IndexedEntry | undefined;
  /** The most downloaded scoped entry whose bare name is `bare`. */
  scopedByBare(bare: string): IndexedEntry | undefined;
  /** The most downloaded entry that is `form` with one of its affixes, and that affix. */
  affixed(form: string): AffixMatch | undefined;
  /**
   * Calls `visit` for every entry whose flattened name may equal `flat` or be one edit from it,
   * and rarely another: the caller verifies each, and may see an entry twice. A visitor, not a
   * returned set: this runs for every rewrite of every unknown name.
   */
  visitNeighbours(flat: string, visit: (entry: IndexedEntry) => void): void;
  /** The scopes whose name without punctuation is at most `limit` edits from `flat`, in scope order. */
  scopesNear(flat: string, limit: number): readonly PopularScope[];
}

/** Key kinds: hashed into the key so that equal text of different kinds never meets. */
const NAME = 1;
const BARE = 2;
const AFFIXLESS = 3;
const prefixKind = (length: number): number => 4 + 2 * length;
const suffixKind = (length: number): number => 5 + 2 * length;

/** What the records can hold: no separator, no space, nothing a package name lacks. */
const PACKABLE_NAME = /^[^\s,]+$/;

const SPACE = 32;

/** Packs and opens; `entries` should come most downloaded first (ties keep the first). */
export function buildPopularIndex(entries: Iterable<PopularEntry>): PopularIndex {
  return openPopularIndex(packPopularIndex(entries));
}

/**
 * Packs the index. A name is kept once (the first time its lower-cased form appears); names
 * with a space or a comma cannot be package names and are left out.
 */
export function packPopularIndex(entries: Iterable<PopularEntry>): PackedPopularIndex<string> {
  const seen = new Set<string>();
  const records: string[] = [];
  const items: TableItem[] = [];
  const scopes = new Map<string, number[]>();
  let position = 0;
  for (const { name, downloads } of entries) {
    const lower = name.toLowerCase();
    if (seen.has(lower) || !PACKABLE_NAME.test(name)) continue;
    seen.add(lower);
    const value = position;
    const record = `${lower} ${Number.isFinite(downloads) ? downloads.toString(36) : '*'}${lower === name ? '' : ` ${name}`}`;
    records.push(record);
    position += record.length + 1;
    const file = (hash: number): void => {
      items.push({ hash, value });
    };
    file(hashKey(NAME, lower));
    const { scope, bare } = splitScope(lower);
    if (scope !== undefined) {
      file(hashKey(BARE, bare));
      const members = scopes.get(scope);
      if (members) members.push(value);
      else scopes.set(scope, [value]);
    }
    if (AFFIX_HINT.test(bare)) {
      for (const { base } of strippedAffixes(bare)) file(hashKey(AFFIXLESS, scope === undefined ? base : `@${scope}/${base}`));
    }
    const flat = flatten(name);
    const half = entryHalf(flat.length);
    if (half >= 1) {
      file(hashKey(prefixKind(flat.length), flat, 0, half));
      file(hashKey(suffixKind(flat.length), flat, flat.length - half, flat.length));
    }
  }
  return { entries: records.join(','), table: packTable(items, Math.max(0, position - 1)), ...packScopes(scopes) };
}

function packScopes(scopes: ReadonlyMap<string, readonly number[]>): Pick<PackedPopularIndex<string>, 'scopes' | 'scopeStarts'> {
  const rows = [...scopes]
    .map(([scope, positions]) => ({ flat: flatten(scope), scope, positions }))
    .sort((a, b) => a.flat.length - b.flat.length || (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
  const scopeStarts: number[] = [];
  let text = '';
  for (const { flat, scope, positions } of rows) {
    if (text !== '') text += ',';
    while (scopeStarts.length <= flat.length) scopeStarts.push(text.length);
    text += `${flat} ${scope} ${positions.map((at) => at.toString(36)).join('.')}`;
  }
  scopeStarts.push(text.length + 1);
  return { scopes: text, scopeStarts };
}

export function openPopularIndex(packed: PackedPopularIndex): PopularIndex {
  const table = new TableReader(packed.table);
  const bytes = packed.entryBytes;
  let entries: string | undefined;
  const built = new Map<number, IndexedEntry>();

  /**
   * The entry whose record starts at `at`, built on first use: most entries never are. In bytes,
   * only its own record becomes a string: a run builds a few dozen entries at most, and decoding
   * all 500 kB of records for them was the most expensive step of a typical run's first search.
   */
  const entryAt = (at: number): IndexedEntry => {
    let entry = built.get(at);
    if (!entry) {
      entry = bytes ? entryOfRecord(recordText(bytes, at), 0) : entryOfRecord((entries ??= packed.entries), at);
      built.set(at, entry);
    }
    return entry;
  };

  /** Position of the record of this lower-cased name, or -1. Compared in place: no entry built. */
  const positionOf = (name: string): number => {
    const hash = hashKey(NAME, name);
    for (let i = table.first(hash), end = table.end(hash); i < end; i++) {
      const at = table.valueAt(i, hash);
      if (at >= 0 && (bytes ? bytesHoldRecordOf(bytes, name, at) : textHoldsRecordOf((entries ??= packed.entries), name, at))) return at;
    }
    return -1;
  };

  /** The most downloaded entry filed under `hash` that `matches` (the first, among equals). */
  const best = (hash: number, matches: (entry: IndexedEntry) => boolean): IndexedEntry | undefined => {
    let found: IndexedEntry | undefined;
    for (let i = table.first(hash), end = table.end(hash); i < end; i++) {
      const at = table.valueAt(i, hash);
      if (at < 0) continue;
      const entry = entryAt(at);
      if ((!found || entry.downloads > found.downloads) && matches(entry)) found = entry;
    }
    return found;
  };

  const popularScope = (name: string, positions: string): PopularScope => {
    let entries: IndexedEntry[] | undefined;
    return {
      name,
      entries: () =>
        (entries ??= positions
          .split('.')
          .map((at) => entryAt(Number.parseInt(at, 36)))
          // Stable: equal counts keep the order the list came in.
          .sort((x, y) => y.downloads - x.downloads)),
    };
  };

  /**
   * Whether the record at `at` may be that of a name whose flattened form is within one edit of
   * the query (whose `letterCounts` and length are given): a key of a few letters is shared by
   * dozens of names, nearly all of them further away, and building their entries was most of the
   * cost of a neighbour search. Letters one side lacks are at most the distance (see
   * `mayBeWithin`); the record's name is read where it lies, punctuation skipped as `flatten` drops it.
   */
  const mayBeNeighbour = (at: number, counts: Int32Array, length: number): boolean => {
    neighbourScratch.set(counts);
    const text = bytes ? undefined : (entries ??= packed.entries);
    // The end of the record's name (or of the data, where a stray value could point), found
    // natively: the loop below then runs no end test and no call per character, which in the
    // cold code of a short run was most of its cost.
    let end = bytes ? bytes.indexOf(SPACE, at) : (text as string).indexOf(' ', at);
    if (end < 0) end = bytes ? bytes.length : (text as string).length;
    let letters = 0;
    let unmatched = 0;
    for (let i = at; i < end; i++) {
      const code = bytes ? (bytes[i] as number) : (text as string).charCodeAt(i);
      // Not ASCII: leave the verdict to the caller.
      if (code >= 128) return true;
      if (FLATTEN_DROPS[code] === 1) continue;
      letters += 1;
      if ((neighbourScratch[code] as number) > 0) (neighbourScratch[code] as number)--;
      else if (++unmatched > 1) return false;
    }
    return length - (letters - unmatched) <= 1;
  };

  const visitKey = (hash: number, counts: Int32Array, length: number, visit: (entry: IndexedEntry) => void): void => {
    for (let i = table.first(hash), end = table.end(hash); i < end; i++) {
      const at = table.valueAt(i, hash);
      if (at >= 0 && mayBeNeighbour(at, counts, length)) visit(entryAt(at));
    }
  };

  return {
    has: (name) => positionOf(name) >= 0,
    get(name) {
      const at = positionOf(name);
      return at < 0 ? undefined : entryAt(at);
    },
    scopedByBare(bare) {
      return best(hashKey(BARE, bare), (entry) => {
        const parts = splitScope(entry.name.toLowerCase());
        return parts.scope !== undefined && parts.bare === bare;
      });
    },
    affixed(form) {
      const entry = best(hashKey(AFFIXLESS, form), (candidate) => affixStep(candidate, form) !== undefined);
      const step = entry && affixStep(entry, form);
      return entry && step && { entry, step };
    },
    visitNeighbours(flat, visit) {
      const length = flat.length;
      const counts = letterCounts(flat, neighbourCounts);
      for (let other = Math.max(1, length - 1); other <= length + 1; other++) {
        const half = entryHalf(other);
        if (half < 1) continue;
        visitKey(hashKey(prefixKind(other), flat, 0, half), counts, length, visit);
        visitKey(hashKey(suffixKind(other), flat, length - half, length), counts, length, visit);
      }
    },
    scopesNear(flat, limit) {
      const { scopeBytes, scopeStarts } = packed;
      const last = scopeStarts.length - 1;
      const first = scopeStarts[Math.min(Math.max(0, flat.length - limit), last)] as number;
      const stop = (scopeStarts[Math.min(flat.length + limit + 1, last)] as number) - 1;
      if (stop <= first) return [];
      // In bytes, only the records of the lengths searched become text (a few of the 70 kB).
      const scopes = scopeBytes ? asciiText(scopeBytes, first, stop) : packed.scopes;
      const from = scopeBytes ? 0 : first;
      const to = scopeBytes ? stop - first : stop;
      const near: PopularScope[] = [];
      // One edit between words of three letters or more leaves their first or their last letter
      // alone: most records are told apart by those two, without a distance computed.
      const ends = limit === 1 && flat.length >= 4;
      const firstLetter = flat.charCodeAt(0);
      const lastLetter = flat.charCodeAt(flat.length - 1);
      const counts = letterCounts(flat, scopeCounts);
      // Thousands of records of a similar length, a handful near: each is measured where it
      // lies, and only those near are cut out (splitting them all showed in cold profiles).
      for (let at = from; at < to; ) {
        let end = scopes.indexOf(',', at);
        if (end < 0 || end > to) end = to;
        const space = scopes.indexOf(' ', at);
        const possible = !ends || scopes.charCodeAt(at) === firstLetter || scopes.charCodeAt(space - 1) === lastLetter;
        if (possible && mayBeWithin(counts, flat.length, limit, scopes, at, space) && boundedDistance(flat, scopes, limit, at, space) <= limit) {
          const second = scopes.indexOf(' ', space + 1);
          near.push(popularScope(scopes.slice(space + 1, second), scopes.slice(second + 1, end)));
        }
        at = end + 1;
      }
      return near;
    },
  };
}

/** The entry of the record that starts at `at` in `text` (records joined by ','). */
function entryOfRecord(text: string, at: number): IndexedEntry {
  const space = text.indexOf(' ', at);
  let end = text.indexOf(',', space);
  if (end < 0) end = text.length;
  const published = text.indexOf(' ', space + 1);
  const hasPublished = published >= 0 && published < end;
  const name = hasPublished ? text.slice(published + 1, end) : text.slice(at, space);
  const count = text.slice(space + 1, hasPublished ? published : end);
  return { name, downloads: count === '*' ? Infinity : Number.parseInt(count, 36), flat: flatten(name) };
}

const COMMA = 44;

/** The record that starts at `at` in the records' bytes, as text. */
function recordText(bytes: Uint8Array, at: number): string {
  const end = bytes.indexOf(COMMA, at);
  return asciiText(bytes, at, end < 0 ? bytes.length : end);
}

/** 1 for the ASCII codes `flatten` removes: '-', '_', '.', '@' and '/' (a table: no call per character). */
const FLATTEN_DROPS = new Uint8Array(128);
for (const code of [45, 95, 46, 64, 47]) FLATTEN_DROPS[code] = 1;

const neighbourScratch = new Int32Array(128);
/**
 * The letter counts of the name being searched, refilled by each search (a search never starts
 * another before it ends: its visitor only compares). One per kind of search, apart from the
 * scratch copies the filters count down.
 */
const neighbourCounts = new Int32Array(128);
const scopeCounts = new Int32Array(128);

/** Whether the record at `at` is that of the lower-cased `name`. */
export function textHoldsRecordOf(text: string, name: string, at: number): boolean {
  return text.startsWith(name, at) && text.charCodeAt(at + name.length) === SPACE;
}

/** The same, in the records' bytes (ASCII: a byte is its character's code). */
export function bytesHoldRecordOf(bytes: Uint8Array, name: string, at: number): boolean {
  // Past the end, a byte reads undefined: no record.
  if (bytes[at + name.length] !== SPACE) return false;
  for (let i = 0; i < name.length; i++) if (bytes[at + i] !== name.charCodeAt(i)) return false;
  return true;
}

/** The affix `entry` carries that leaves `form` when removed, as the step the candidate took back. */
function affixStep(entry: IndexedEntry, form: string): Step | undefined {
  const { scope, bare } = splitScope(entry.name.toLowerCase());
  for (const { base, step } of strippedAffixes(bare)) {
    if ((scope === undefined ? base : `@${scope}/${base}`) === form) {
      return { kind: 'affix-removed', text: step.text.replace(/added$/, 'removed') };
    }
  }
  return undefined;
}

/**
 * Key length for a name of length n. A query of length n+1, n or n−1 shares an untouched run of
 * ⌊(m−1)/2⌋ letters at one end, m being the shorter length (n or n−1): ⌊(n−2)/2⌋ fits both.
 */
function entryHalf(length: number): number {
  return Math.floor((length - 2) / 2);
}
