/**
 * The popularity data the check compares against: the embedded snapshot (src/data), loaded on
 * the check's first run and indexed once per process, or a list the user supplied.
 */
import { buildPopularIndex, type PopularEntry, type PopularIndex } from './popular-index.ts';
import { splitScope } from './names.ts';

export interface ReferenceData {
  readonly index: PopularIndex;
  readonly knownScopes: ReadonlySet<string>;
  /** Names below this many monthly downloads are not in the data. */
  readonly unknownCeiling: number;
  /** Where the numbers come from, for the finding's data: "npm.tsv 2026-11-22". */
  readonly source: string;
  /** Monthly downloads of a name outside the protected list, when the data knows them. */
  downloadsOf(name: string): Promise<number | undefined>;
}

/** A list the user pointed `popularList` at, already read by the config loader. */
export interface UserPopularList {
  readonly path: string;
  readonly entries: readonly PopularEntry[];
}

let embedded: Promise<ReferenceData> | undefined;

/** The embedded snapshot; the first call imports and indexes it, later calls share the result. */
export function embeddedReferenceData(): Promise<ReferenceData> {
  embedded ??= loadEmbedded();
  return embedded;
}

async function loadEmbedded(): Promise<ReferenceData> {
  const { POPULAR_NAMES, KNOWN_SCOPES, POPULAR_NAMES_SOURCE } = await import('../../data/popular-names.ts');
  const index = buildPopularIndex(parseNameLines(POPULAR_NAMES));
  let known: Promise<string> | undefined;
  return {
    index,
    knownScopes: new Set(KNOWN_SCOPES.split('\n')),
    unknownCeiling: POPULAR_NAMES_SOURCE.knownFloor,
    source: `${POPULAR_NAMES_SOURCE.file} ${POPULAR_NAMES_SOURCE.date}`,
    async downloadsOf(name) {
      const entry = index.byName.get(name.toLowerCase());
      if (entry) return entry.downloads;
      // The second tier is needed only when something looked like a popular name.
      known ??= import('../../data/known-names.ts').then((module) => module.KNOWN_NAMES);
      return downloadsInLines(await known, name);
    },
  };
}

/** Reference data over a user's list; names without a count are treated as maximally popular. */
export function userReferenceData(list: UserPopularList): ReferenceData {
  const index = buildPopularIndex([...list.entries].sort((a, b) => b.downloads - a.downloads));
  const knownScopes = new Set<string>();
  for (const { name } of list.entries) {
    const { scope } = splitScope(name);
    if (scope !== undefined) knownScopes.add(scope);
  }
  return {
    index,
    knownScopes,
    unknownCeiling: 0,
    source: list.path,
    downloadsOf: (name) => Promise.resolve(index.byName.get(name.toLowerCase())?.downloads),
  };
}

/** `<name> <downloads>` per line, as the generator writes them. */
export function parseNameLines(text: string): PopularEntry[] {
  const entries: PopularEntry[] = [];
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) entries.push({ name: line.slice(0, space), downloads: Number(line.slice(space + 1)) });
  }
  return entries;
}

function downloadsInLines(lines: string, name: string): number | undefined {
  const needle = `\n${name} `;
  const at = lines.indexOf(needle);
  if (at < 0) return undefined;
  const start = at + needle.length;
  const end = lines.indexOf('\n', start);
  return Number(lines.slice(start, end < 0 ? undefined : end));
}
