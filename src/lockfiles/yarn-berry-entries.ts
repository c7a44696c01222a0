/**
 * yarn Berry entries read straight off the scanned lines (yarn-berry-syml.ts), for the files
 * yarn writes: no mapping per entry or per dependency map is built, only the strings the graph
 * keeps are sliced, and an entry's position is its header's line. (Building parseSyml's objects
 * and copying them into entries cost more than the rest of the parse: each property added
 * under a new name is a hidden-class transition, and the collector copied every object.)
 *
 * It reads what the data would say only when the data is what it looks like line by line. At
 * anything else it returns undefined and the caller checks the data as parseSyml builds it
 * (yarn-berry.ts checkedEntries), which also words every error:
 * - a repeated key the graph reads (an entry, a field, a dependency name, a meta name): the
 *   data keeps the last value at the first place;
 * - a key that is an array index (`"2":`), which an object lists before the others;
 * - an empty descriptor, one named `__metadata`, or spaces around a key's only one (positions
 *   are looked up by key, yarn-berry.ts);
 * - a value of the wrong type, or no `resolution` or `version`;
 * - no `__metadata`, or two.
 */
import type { TextPosition } from './locate/position.ts';
import { EntryIndex, type BerryEntry } from './yarn-berry-graph.ts';
import { keyIs, keyOf, NO_VALUE, symlMap, valueIs, valueOf, type SymlLines } from './yarn-berry-syml.ts';

/** What the parser takes from a file, whichever way it was read. */
export interface BerryRead {
  /** The `__metadata` value, checked by the parser. */
  readonly metadata: unknown;
  readonly metadataAt: TextPosition;
  readonly entries: BerryEntry[];
  /** Each descriptor of a header → its entry's index (a later header naming it again wins). */
  readonly entryOf: EntryIndex;
}

/** The descriptors of an entry key; nearly every key holds just one. */
export function splitKey(key: string): string[] {
  if (!key.includes(',')) return [key.trim()];
  // A loop, not map and filter: no callbacks and no arrays thrown away, for ~1,700 keys of 5,600.
  const parts = key.split(',');
  let empty = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!.trim();
    parts[i] = part;
    if (part === '') empty = true;
  }
  return empty ? parts.filter((part) => part !== '') : parts;
}

/** Keys an object lists first, in numeric order (canonical array indexes; a few more, which only costs the fast path). */
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

function isIndexLike(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 0x30 && first <= 0x39 && ARRAY_INDEX.test(key);
}

/** The entries of scanned lines, or undefined when the data might say otherwise (see the file comment). */
export function berryEntries(lines: SymlLines, file: string): BerryRead | undefined {
  const { count, depth, line } = lines;
  const entries: BerryEntry[] = [];
  const entryOf = new EntryIndex();
  /** Every entry's header line (an index into `lines`). */
  const headers: number[] = [];
  /** Every entry's key; a set of them is made only once a descriptor repeats (a key can repeat only then). */
  const keys: string[] = [];
  let keysSeen: Set<string> | undefined;
  /** The first header's line of each descriptor that two headers name. */
  let firstLines: Map<string, number> | undefined;
  let metadata: unknown;
  let metadataLine = 0;
  for (let i = 0, end = 0; i < count; i = end) {
    end = i + 1;
    while (end < count && depth[end] !== 0) end++;
    const opensMap = lines.valueStart[i] === NO_VALUE && end > i + 1;
    if (keyIs(lines, i, '__metadata')) {
      if (metadataLine !== 0) return undefined;
      metadataLine = line[i]!;
      metadata = opensMap ? symlMap(lines, i + 1, end) : (valueOf(lines, i) ?? null);
      continue;
    }
    if (!opensMap) return undefined;
    const key = keyOf(lines, i);
    if (isIndexLike(key)) return undefined;
    const descriptors = splitKey(key);
    // A key with spaces around its one descriptor is indexed under the key as written.
    if (descriptors.length === 0 || (descriptors.length === 1 && descriptors[0] !== key && !key.includes(','))) return undefined;
    const index = entries.length;
    let at = line[i]!;
    for (let k = 0; k < descriptors.length; k++) {
      const descriptor = descriptors[k]!;
      if (descriptor === '' || descriptor === '__metadata') return undefined;
      const held = entryOf.setIfAbsent(descriptor, index);
      if (held === index) continue;
      // A repeated key is one entry in the data (the last value at the first place).
      keysSeen ??= new Set(keys);
      if (keysSeen.has(key)) return undefined;
      // Named by an earlier header too (npm conversions do this): the later header resolves
      // it, the first one is where an entry listing it first is placed.
      firstLines ??= new Map();
      let first = firstLines.get(descriptor);
      if (first === undefined) firstLines.set(descriptor, (first = line[headers[held]!]!));
      if (k === 0) at = first;
      entryOf.set(descriptor, index);
    }
    const entry = readEntry(lines, i + 1, end, descriptors, { file, line: at, column: 1 });
    if (entry === undefined) return undefined;
    entries.push(entry);
    keys.push(key);
    headers.push(i);
    keysSeen?.add(key);
  }
  if (metadataLine === 0) return undefined;
  return { metadata, metadataAt: { line: metadataLine, column: 1 }, entries, entryOf };
}

/** Fields the graph reads, as bits (a repeated one sends the file to the slow path). */
const RESOLUTION = 1;
const VERSION = 2;
const CHECKSUM = 4;
const LINK_TYPE = 8;
const DEPENDENCIES = 16;
const OPTIONAL_DEPENDENCIES = 32;
const PEER_DEPENDENCIES = 64;
const DEPENDENCIES_META = 128;
const PEER_DEPENDENCIES_META = 256;

/** The fields the graph reads by length and first character (no two share both), with their bits. */
const FIELDS = new Map<number, readonly [name: string, bit: number]>(
  (
    [
      ['resolution', RESOLUTION],
      ['version', VERSION],
      ['checksum', CHECKSUM],
      ['linkType', LINK_TYPE],
      ['dependencies', DEPENDENCIES],
      ['optionalDependencies', OPTIONAL_DEPENDENCIES],
      ['peerDependencies', PEER_DEPENDENCIES],
      ['dependenciesMeta', DEPENDENCIES_META],
      ['peerDependenciesMeta', PEER_DEPENDENCIES_META],
    ] as const
  ).map(([name, bit]) => [fieldKey(name.length, name.charCodeAt(0)), [name, bit]]),
);

function fieldKey(length: number, first: number): number {
  return length * 0x10000 + first;
}

/**
 * The field on line `i` as one of the bits above, 0 for fields the graph does not read. One
 * map lookup and one comparison, nothing sliced: small code, which the optimizing compiler
 * (running while a cold process parses) finishes sooner.
 */
function fieldOf(lines: SymlLines, i: number): number {
  const start = lines.keyStart[i]!;
  if (start < 0) return fieldNamed(lines.decoded[-1 - start]!);
  const field = FIELDS.get(fieldKey(lines.keyEnd[i]! - start, lines.text.charCodeAt(start)));
  return field !== undefined && lines.text.startsWith(field[0], start) ? field[1] : 0;
}

/** fieldOf for a key that held an escape. */
function fieldNamed(key: string): number {
  const field = FIELDS.get(fieldKey(key.length, key.charCodeAt(0)));
  return field !== undefined && field[0] === key ? field[1] : 0;
}

/** The entry whose fields are lines `from` to `to - 1`, or undefined (see the file comment). */
function readEntry(lines: SymlLines, from: number, to: number, descriptors: string[], location: BerryEntry['location']): BerryEntry | undefined {
  const { depth } = lines;
  let seen = 0;
  let resolution: string | undefined;
  let version: string | undefined;
  let checksum: string | undefined;
  let soft = false;
  let dependencies: string[] | undefined;
  let optionalDependencies: string[] | undefined;
  let peerDependencies: string[] | undefined;
  let optional: ReadonlySet<string> | undefined;
  let peerOptional: ReadonlySet<string> | undefined;
  for (let i = from, end = from; i < to; i = end) {
    end = i + 1;
    while (end < to && depth[end]! > depth[i]!) end++;
    const field = fieldOf(lines, i);
    if (field === 0) continue;
    if ((seen & field) !== 0) return undefined;
    seen |= field;
    if (field <= LINK_TYPE) {
      // A scalar field: null or a mapping is the slow path's error to word.
      if (lines.valueStart[i] === NO_VALUE) return undefined;
      // linkType is only compared, not kept: not sliced.
      if (field === LINK_TYPE) {
        soft = valueIs(lines, i, 'soft');
        continue;
      }
      const value = valueOf(lines, i)!;
      if (field === RESOLUTION) resolution = value;
      else if (field === VERSION) version = value;
      else checksum = value;
      continue;
    }
    // A mapping field: an empty one is null, an error too.
    if (lines.valueStart[i] !== NO_VALUE || end === i + 1) return undefined;
    if (field === DEPENDENCIES || field === OPTIONAL_DEPENDENCIES || field === PEER_DEPENDENCIES) {
      const pairs = rangePairs(lines, i + 1, end);
      if (pairs === undefined) return undefined;
      if (field === DEPENDENCIES) dependencies = pairs;
      else if (field === OPTIONAL_DEPENDENCIES) optionalDependencies = pairs;
      else peerDependencies = pairs;
    } else {
      const names = optionalNames(lines, i + 1, end);
      if (names === undefined) return undefined;
      if (field === DEPENDENCIES_META) optional = names === NONE ? undefined : names;
      else peerOptional = names === NONE ? undefined : names;
    }
  }
  if (resolution === undefined || version === undefined) return undefined;
  return { descriptors, resolution, version, checksum, soft, dependencies, optionalDependencies, peerDependencies, optional, peerOptional, location };
}

/** Lines `from` to `to - 1` (one level deeper than their field) as name, range pairs; undefined for a value that is not a range or a name the data would reorder or merge. */
function rangePairs(lines: SymlLines, from: number, to: number): string[] | undefined {
  // Sized up front and filled in place: the entry keeps the array until the graph is built.
  const pairs = new Array<string>(2 * (to - from));
  let seen: Set<string> | undefined;
  for (let i = from, slot = 0; i < to; i++, slot += 2) {
    // Under a field every line is one level deeper: a scalar has no lines below it.
    const range = valueOf(lines, i);
    if (range === undefined) return undefined;
    const name = keyOf(lines, i);
    if (isIndexLike(name)) return undefined;
    if (slot < SCAN_LIMIT) {
      for (let p = 0; p < slot; p += 2) if (pairs[p] === name) return undefined;
    } else {
      seen ??= new Set(pairs.filter((_, p) => p % 2 === 0 && p < slot));
      if (seen.has(name)) return undefined;
      seen.add(name);
    }
    pairs[slot] = name;
    pairs[slot + 1] = range;
  }
  return pairs;
}

/** Below this many slots (32 names) a repeat is found by scanning, cheaper than a set for the handful a map holds. */
const SCAN_LIMIT = 64;

/** A meta mapping that marks no name optional. */
const NONE: ReadonlySet<string> = new Set();

/** The names a meta mapping (lines `from` to `to - 1`) marks `optional: true`; NONE for none, undefined for the slow path. */
function optionalNames(lines: SymlLines, from: number, to: number): ReadonlySet<string> | undefined {
  const { depth } = lines;
  const base = depth[from]!;
  const names = new Set<string>();
  let optional: Set<string> | undefined;
  for (let i = from, end = from; i < to; i = end) {
    end = i + 1;
    while (end < to && depth[end]! > base) end++;
    // Each name's value must be a mapping (not a scalar, not empty).
    if (lines.valueStart[i] !== NO_VALUE || end === i + 1) return undefined;
    const name = keyOf(lines, i);
    if (names.has(name)) return undefined;
    names.add(name);
    // The last `optional` of the name's mapping is the one the data keeps.
    let isOptional = false;
    for (let k = i + 1; k < end; k++) if (depth[k] === base + 1 && keyIs(lines, k, 'optional')) isOptional = valueIs(lines, k, 'true');
    if (isOptional) (optional ??= new Set()).add(name);
  }
  return optional ?? NONE;
}
