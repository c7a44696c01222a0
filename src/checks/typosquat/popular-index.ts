/**
 * The index over protected names, built once per list and then only read.
 *
 * Model: exact look-ups answer most questions (the name itself, the bare name of a scoped
 * package, the name without its `-js`-style affix). Same-letters matches (`crossenv`) and
 * single typos use length buckets
 * with a pigeonhole key: one edit (a swap included) between words whose shorter one has m
 * letters leaves either their first or their last ⌊(m−1)/2⌋ letters intact. A name of length n
 * meets queries of lengths n−1…n+1, so it is filed once under its first and once under its last
 * ⌊(n−2)/2⌋ letters, which is short enough for all three. Building costs about three map
 * insertions per name, where a deletion neighbourhood needs one per letter (about fifteen) and a
 * BK-tree a distance computation per level, and a query reads six small buckets. Building is
 * what the check's first run pays (see `npm run bench:typosquat`), so the index keeps no map it
 * can do without: no skeleton map (homoglyphs are undone on the candidate instead), and the
 * scope table is built only when a name in an unknown scope needs it.
 */
import { flatten, splitScope, strippedAffixes, type Step } from './names.ts';

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

export interface ScopeEntries {
  /** `flatten(scope)`. */
  readonly flat: string;
  /** Most downloaded first. */
  readonly entries: IndexedEntry[];
}

/** Cheap pre-filter: only names containing one of these can carry an affix of names.ts. */
const AFFIX_HINT = /js|node|npm/;

/** One entry, or several sharing a key: most keys are unique, so single entries stay unwrapped. */
type Bucket = IndexedEntry | IndexedEntry[];

export interface PopularIndex {
  /** Lower-cased name → entry. */
  readonly byName: ReadonlyMap<string, IndexedEntry>;
  /** Bare name of a scoped entry → the most downloaded entry with that bare name. */
  readonly byBare: ReadonlyMap<string, IndexedEntry>;
  /** Entry name without one of its affixes → the most downloaded such entry. */
  readonly byAffixless: ReadonlyMap<string, AffixMatch>;
  /** Scopes and their entries; built on first use, since only names in unknown scopes need it. */
  scopes(): ReadonlyMap<string, ScopeEntries>;
  /** Pigeonhole buckets, by flattened length: first and last ⌊(n−2)/2⌋ letters. */
  readonly prefixBuckets: readonly (Map<string, Bucket> | undefined)[];
  readonly suffixBuckets: readonly (Map<string, Bucket> | undefined)[];
}

/** Builds the index; `entries` should come most downloaded first (ties keep the first). */
export function buildPopularIndex(entries: Iterable<PopularEntry>): PopularIndex {
  const byName = new Map<string, IndexedEntry>();
  const byBare = new Map<string, IndexedEntry>();
  const byAffixless = new Map<string, AffixMatch>();
  const scoped: IndexedEntry[] = [];
  const prefixBuckets: (Map<string, Bucket> | undefined)[] = [];
  const suffixBuckets: (Map<string, Bucket> | undefined)[] = [];
  for (const { name, downloads } of entries) {
    const lower = name.toLowerCase();
    if (byName.has(lower)) continue;
    const flat = flatten(name);
    const entry: IndexedEntry = { name, downloads, flat };
    byName.set(lower, entry);
    const { scope, bare } = lower.startsWith('@') ? splitScope(lower) : { scope: undefined, bare: lower };
    if (scope !== undefined) {
      keepMostDownloaded(byBare, bare, entry);
      scoped.push(entry);
    }
    if (AFFIX_HINT.test(bare)) fileAffixless(byAffixless, scope, bare, entry);
    const half = entryHalf(flat.length);
    if (half >= 1) {
      file((prefixBuckets[flat.length] ??= new Map<string, Bucket>()), flat.slice(0, half), entry);
      file((suffixBuckets[flat.length] ??= new Map<string, Bucket>()), flat.slice(flat.length - half), entry);
    }
  }
  let scopes: Map<string, ScopeEntries> | undefined;
  return {
    byName,
    byBare,
    byAffixless,
    prefixBuckets,
    suffixBuckets,
    scopes: () => (scopes ??= groupByScope(scoped)),
  };
}

function groupByScope(scoped: readonly IndexedEntry[]): Map<string, ScopeEntries> {
  const scopes = new Map<string, ScopeEntries>();
  for (const entry of scoped) {
    const scope = splitScope(entry.name.toLowerCase()).scope ?? '';
    const members = scopes.get(scope);
    if (members) members.entries.push(entry);
    else scopes.set(scope, { flat: flatten(scope), entries: [entry] });
  }
  for (const members of scopes.values()) members.entries.sort((a, b) => b.downloads - a.downloads);
  return scopes;
}

/**
 * Calls `visit` for every entry whose flattened name may equal `flat` or be one edit from it:
 * the buckets such a neighbour must share. An entry can be visited twice (once per bucket); the
 * caller verifies each. A visitor, not a returned set: this runs for every rewrite of every
 * unknown name, and allocating there dominated the profile.
 */
export function visitNeighbours(index: PopularIndex, flat: string, visit: (entry: IndexedEntry) => void): void {
  const length = flat.length;
  for (let other = Math.max(1, length - 1); other <= length + 1; other++) {
    const half = entryHalf(other);
    if (half < 1) continue;
    visitBucket(index.prefixBuckets[other]?.get(flat.slice(0, half)), visit);
    visitBucket(index.suffixBuckets[other]?.get(flat.slice(length - half)), visit);
  }
}

function visitBucket(bucket: Bucket | undefined, visit: (entry: IndexedEntry) => void): void {
  if (bucket === undefined) return;
  if (!Array.isArray(bucket)) {
    visit(bucket);
    return;
  }
  for (const entry of bucket) visit(entry);
}

/**
 * Key length for a name of length n. A query of length n+1, n or n−1 shares an untouched run of
 * ⌊(m−1)/2⌋ letters at one end, m being the shorter length (n or n−1): ⌊(n−2)/2⌋ fits both.
 */
function entryHalf(length: number): number {
  return Math.floor((length - 2) / 2);
}

function file(map: Map<string, Bucket>, key: string, entry: IndexedEntry): void {
  const bucket = map.get(key);
  if (bucket === undefined) map.set(key, entry);
  else if (Array.isArray(bucket)) bucket.push(entry);
  else map.set(key, [bucket, entry]);
}

function fileAffixless(map: Map<string, AffixMatch>, scope: string | undefined, bare: string, entry: IndexedEntry): void {
  for (const { base, step } of strippedAffixes(bare)) {
    const key = scope === undefined ? base : `@${scope}/${base}`;
    const current = map.get(key);
    if (!current || current.entry.downloads < entry.downloads) {
      map.set(key, { entry, step: { kind: 'affix-removed', text: step.text.replace(/added$/, 'removed') } });
    }
  }
}

function keepMostDownloaded(map: Map<string, IndexedEntry>, key: string, entry: IndexedEntry): void {
  const current = map.get(key);
  if (!current || current.downloads < entry.downloads) map.set(key, entry);
}
