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
 * Storage: the entries as one `name downloads,name downloads,...` string (downloads in base 36,
 * `*` for "always protected"), and every key in one packed hash table (packed-table.ts) that
 * maps it to entry ranks. Nothing is parsed up front: the embedded index costs its string
 * literals, and each look-up hashes a range of the query, reads a bucket and builds (once) the
 * entries it names. The scope list, needed only for names in unknown scopes, is parsed on
 * first use.
 */
import { flatten, splitScope, strippedAffixes, type Step } from './names.ts';
import { hashKey, openTable, type PackedTable, packTable, type TableItem } from './packed-table.ts';

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
  /** `flatten(name)`. */
  readonly flat: string;
  /** Its entries, most downloaded first. */
  entries(): readonly IndexedEntry[];
}

/** What the data generator embeds, and what `buildPopularIndex` packs at run time. */
export interface PackedPopularIndex {
  /** `name downloads` records joined by ',', most downloaded first; downloads in base 36 or `*`. */
  readonly entries: string;
  readonly table: PackedTable;
  /** `scope rank.rank...` records joined by ',', scopes sorted, ranks (base 36) ascending. */
  readonly scopes: string;
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
  /** Scopes of the scoped entries; parsed on first use, since only names in unknown scopes need it. */
  scopes(): readonly PopularScope[];
}

/** Key kinds: hashed into the key so that equal text of different kinds never meets. */
const NAME = 1;
const BARE = 2;
const AFFIXLESS = 3;
const prefixKind = (length: number): number => 4 + 2 * length;
const suffixKind = (length: number): number => 5 + 2 * length;

/** Cheap pre-filter: only names containing one of these can carry an affix of names.ts. */
const AFFIX_HINT = /js|node|npm/;

/** What the entries string can hold: no separator, no space, nothing a package name lacks. */
const PACKABLE_NAME = /^[^\s,]+$/;

/** Packs and opens; `entries` should come most downloaded first (ties keep the first). */
export function buildPopularIndex(entries: Iterable<PopularEntry>): PopularIndex {
  return openPopularIndex(packPopularIndex(entries));
}

/**
 * Packs the index. A name is kept once (the first time its lower-cased form appears); names
 * with a space or a comma cannot be package names and are left out.
 */
export function packPopularIndex(entries: Iterable<PopularEntry>): PackedPopularIndex {
  const seen = new Set<string>();
  const records: string[] = [];
  const items: TableItem[] = [];
  const scopes = new Map<string, number[]>();
  for (const { name, downloads } of entries) {
    const lower = name.toLowerCase();
    if (seen.has(lower) || !PACKABLE_NAME.test(name)) continue;
    seen.add(lower);
    const rank = records.length;
    records.push(`${name} ${Number.isFinite(downloads) ? downloads.toString(36) : '*'}`);
    const file = (hash: number): void => {
      items.push({ hash, rank });
    };
    file(hashKey(NAME, lower));
    const { scope, bare } = splitScope(lower);
    if (scope !== undefined) {
      file(hashKey(BARE, bare));
      const members = scopes.get(scope);
      if (members) members.push(rank);
      else scopes.set(scope, [rank]);
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
  const scopeRecords = [...scopes]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([scope, ranks]) => `${scope} ${ranks.map((rank) => rank.toString(36)).join('.')}`);
  return { entries: records.join(','), table: packTable(items, records.length), scopes: scopeRecords.join(',') };
}

export function openPopularIndex(packed: PackedPopularIndex): PopularIndex {
  const table = openTable(packed.table);
  const text = packed.entries;
  let starts: number[] | undefined;
  const built: (IndexedEntry | undefined)[] = [];

  /** The entry of a rank, built on first use: most ranks are never asked for. */
  const entryAt = (rank: number): IndexedEntry => {
    const cached = built[rank];
    if (cached) return cached;
    starts ??= recordStarts(text);
    const start = starts[rank] as number;
    const space = text.indexOf(' ', start);
    const end = text.indexOf(',', space);
    const name = text.slice(start, space);
    const count = text.slice(space + 1, end < 0 ? undefined : end);
    const entry: IndexedEntry = { name, downloads: count === '*' ? Infinity : Number.parseInt(count, 36), flat: flatten(name) };
    built[rank] = entry;
    return entry;
  };

  /** The most downloaded entry filed under `hash` that `matches` (the first, among equals). */
  const best = (hash: number, matches: (entry: IndexedEntry) => boolean): IndexedEntry | undefined => {
    let found: IndexedEntry | undefined;
    table.visit(hash, (rank) => {
      const entry = entryAt(rank);
      if ((!found || entry.downloads > found.downloads) && matches(entry)) found = entry;
    });
    return found;
  };

  /**
   * True when the record of `rank` is `name` (lower-cased), read in place: most look-ups of a
   * name are for the popular packages of a lockfile, and need no entry built to be answered.
   */
  const isNamed = (rank: number, name: string): boolean => {
    starts ??= recordStarts(text);
    const start = starts[rank] as number;
    for (let i = 0; i < name.length; i++) {
      const code = text.charCodeAt(start + i);
      if ((code >= 65 && code <= 90 ? code + 32 : code) !== name.charCodeAt(i)) return false;
    }
    return text.charCodeAt(start + name.length) === 32;
  };

  const rankOf = (name: string): number => {
    let found = -1;
    table.visit(hashKey(NAME, name), (rank) => {
      if (found < 0 && isNamed(rank, name)) found = rank;
    });
    return found;
  };

  let scopes: PopularScope[] | undefined;
  return {
    has: (name) => rankOf(name) >= 0,
    get(name) {
      const rank = rankOf(name);
      return rank < 0 ? undefined : entryAt(rank);
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
      const visitRank = (rank: number): void => visit(entryAt(rank));
      for (let other = Math.max(1, length - 1); other <= length + 1; other++) {
        const half = entryHalf(other);
        if (half < 1) continue;
        table.visit(hashKey(prefixKind(other), flat, 0, half), visitRank);
        table.visit(hashKey(suffixKind(other), flat, length - half, length), visitRank);
      }
    },
    scopes: () => (scopes ??= parseScopes(packed.scopes, entryAt)),
  };
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

function recordStarts(text: string): number[] {
  const starts = [0];
  for (let comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', comma + 1)) starts.push(comma + 1);
  return starts;
}

function parseScopes(text: string, entryAt: (rank: number) => IndexedEntry): PopularScope[] {
  if (text === '') return [];
  return text.split(',').map((record) => {
    const space = record.indexOf(' ');
    const name = record.slice(0, space);
    const ranks = record.slice(space + 1);
    let entries: IndexedEntry[] | undefined;
    return {
      name,
      flat: flatten(name),
      entries: () =>
        (entries ??= ranks
          .split('.')
          .map((rank) => entryAt(Number.parseInt(rank, 36)))
          // Stable: equal counts keep rank order, the order the list came in.
          .sort((a, b) => b.downloads - a.downloads)),
    };
  });
}

/**
 * Key length for a name of length n. A query of length n+1, n or n−1 shares an untouched run of
 * ⌊(m−1)/2⌋ letters at one end, m being the shorter length (n or n−1): ⌊(n−2)/2⌋ fits both.
 */
function entryHalf(length: number): number {
  return Math.floor((length - 2) / 2);
}
