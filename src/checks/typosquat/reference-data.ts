/**
 * The popularity data the check compares against: the embedded snapshot (src/data), opened on
 * the check's first run and shared by later runs in the process, or a list the user supplied.
 *
 * The embedded snapshot is generated with its index already built (popular-index.ts), so
 * opening it parses nothing. Downloads of names below the protected list come in two tiers: the
 * known names that look like a protected name (a few percent of them, and the only ones the
 * check asks about when it runs with the data as shipped) sit next to the index; the full list
 * is a separate file, read only when the configuration adds protected names or scopes.
 *
 * The data are files that src/data/typosquat-data.ts reads (a check does no I/O of its own);
 * that module is imported on the check's first run, so an audit without the check never loads it.
 */
import { findRecord, type SortedRecords } from './sorted-records.ts';
import { openPopularIndex, packPopularIndex, type PopularEntry, type PopularIndex } from './popular-index.ts';
import { splitScope } from './names.ts';

export interface NameSet {
  has(name: string): boolean;
}

export interface ReferenceData {
  readonly index: PopularIndex;
  readonly knownScopes: NameSet;
  /** Names below this many monthly downloads are not in the data. */
  readonly unknownCeiling: number;
  /** Where the numbers come from, for the finding's data: "npm.tsv 2026-11-22". */
  readonly source: string;
  /**
   * Monthly downloads of a name outside the protected list, when the data knows them.
   * `matchedAsShipped`: the name was matched against this data alone, with no protected names
   * or scopes added by the configuration, so that the small look-alike tier is complete for it.
   */
  downloadsOf(name: string, matchedAsShipped: boolean): Promise<number | undefined>;
}

/** A list the user pointed `popularList` at, already read by the config loader. */
export interface UserPopularList {
  readonly path: string;
  readonly entries: readonly PopularEntry[];
}

let embedded: Promise<ReferenceData> | undefined;

/** The embedded snapshot; the first call imports it, later calls share the result. */
export function embeddedReferenceData(): Promise<ReferenceData> {
  embedded ??= loadEmbedded();
  return embedded;
}

/** The module that reads the data files (not a check: it may read files). */
function importDataFiles() {
  return import('../../data/typosquat-data.ts');
}

async function loadEmbedded(): Promise<ReferenceData> {
  const files = await importDataFiles();
  const data = files.readPopularNames();
  let full: SortedRecords | undefined;
  // A lockfile names the same few scopes again and again (@babel, @types...): remember answers.
  const scopes = new Map<string, boolean>();
  return {
    index: openPopularIndex(data.index),
    knownScopes: {
      has(scope) {
        let known = scopes.get(scope);
        if (known === undefined) scopes.set(scope, (known = findRecord(data.knownScopes, scope) !== undefined));
        return known;
      },
    },
    unknownCeiling: data.source.knownFloor,
    source: `${data.source.file} ${data.source.date}`,
    downloadsOf(name, matchedAsShipped) {
      // An executor that throws (the full list unreadable) rejects the promise: the check fails.
      return new Promise((resolve) => {
        resolve(downloadsIn(matchedAsShipped ? data.lookalikeDownloads : (full ??= files.readKnownNames().records), name));
      });
    },
  };
}

/** Reference data over a user's list; names without a count are treated as maximally popular. */
export function userReferenceData(list: UserPopularList): ReferenceData {
  const index = openPopularIndex(packPopularIndex([...list.entries].sort((a, b) => b.downloads - a.downloads)));
  const knownScopes = new Set<string>();
  for (const { name } of list.entries) {
    const { scope } = splitScope(name.toLowerCase());
    if (scope !== undefined) knownScopes.add(scope);
  }
  return {
    index,
    knownScopes,
    unknownCeiling: 0,
    source: list.path,
    downloadsOf: (name) => Promise.resolve(index.get(name.toLowerCase())?.downloads),
  };
}

function downloadsIn(records: SortedRecords, name: string): number | undefined {
  const value = findRecord(records, name);
  return value === undefined ? undefined : Number.parseInt(value, 36);
}
