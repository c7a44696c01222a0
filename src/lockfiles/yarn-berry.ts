/**
 * @file yarn Berry lockfiles (yarn 2, 3 and 4): yarn.lock with a `__metadata` block, whose
 * `version` is the lockfile format (4 from yarn 2.0 up to 10 from yarn 4.14).
 *
 * The text is YAML. yarn-berry-syml.ts scans the style yarn writes into lines, with the line of
 * each entry header, in one pass, and yarn-berry-entries.ts reads the entries off those lines.
 * Whatever that fast path does not take goes through the data as parseSyml builds it: from
 * the scanned lines, or, for any other text, from `@yarnpkg/parsers`' parseSyml itself, yarn's
 * own reader (js-yaml with the failsafe schema: every scalar is a string), loaded only then,
 * with entry positions from one scan of the header lines (locate/yarn.ts). There the value
 * types are checked entry by entry (checkedEntries) and errors are worded. Every path gives the
 * same entries and positions, and yarn-berry-graph.ts builds the graph. `languageName`, `bin`, `conditions` (the os/cpu a platform package is for) and
 * `dependenciesMeta.*.built`/`unplugged` hold nothing the graph records and are read past;
 * `linkType` only decides unknown protocols.
 *
 * The lockfile folds a workspace's devDependencies into its `dependencies`; the loader
 * (index.ts) hands over the project's package.json files as `manifests`, which tell them apart
 * (see yarn-berry-graph.ts).
 *
 * Failures are LockfileParseError / UnsupportedLockfileError whose one-line message starts
 * with `<file>:<line>:<column>:`, plus a hint naming the yarn command that rewrites the file.
 */
import path from 'node:path';
import { type LockfileParseError, UnsupportedLockfileError } from '../core/errors.ts';
import type { DependencyGraph } from '../core/graph.ts';
import type { LockfileInput, LockfileParser } from '../core/parser.ts';
import type { TextPosition } from './locate/position.ts';
import { indexEntryHeaders } from './locate/yarn.ts';
import { isRecord } from './json-value.ts';
import { berryEntries, splitKey, type BerryRead } from './yarn-berry-entries.ts';
import { scanBerrySyml, symlData } from './yarn-berry-syml.ts';
import type { LockfileWithManifests } from './manifest.ts';
import { nameFromFolder } from './npm-locations.ts';
import { buildBerryGraph, EntryIndex, type BerryEntry } from './yarn-berry-graph.ts';
import { assertNoMergeConflict, describeType, isBerryLockfile, lockfileError, regenerateHint, stripBom } from './yarn-errors.ts';

/** `__metadata.version` values written by yarn 2.0 (4) through yarn 4.x (10). */
const OLDEST_VERSION = 4;
const NEWEST_VERSION = 10;
const FIRST_LINE: TextPosition = { line: 1, column: 1 };

type Entries = Readonly<Record<string, unknown>>;

async function loadSyml(input: LockfileInput, text: string): Promise<Entries> {
  // Loaded here, not at the top: only Berry files pay for the YAML reader.
  // `default` (module.exports) rather than a named import: @yarnpkg/parsers is CommonJS, and in
  // the bundled CLI a lazily loaded CommonJS chunk exports only its default.
  const { parseSyml } = (await import('@yarnpkg/parsers')).default;
  let data: unknown;
  try {
    data = parseSyml(text);
  } catch (error) {
    const { at, reason } = describeYamlError(error);
    throw lockfileError(input, 'berry', at, `not valid yarn.lock YAML: ${reason}`);
  }
  // parseSyml rejects scalars and lists at the top itself; this keeps the type honest.
  if (!isRecord(data)) throw lockfileError(input, 'berry', FIRST_LINE, `expected a mapping at the top level, found ${describeType(data)}`);
  return data;
}

/** js-yaml's exceptions carry a 0-based `mark` and a one-line `reason`; anything else is described by its first line. */
function describeYamlError(error: unknown): { at: TextPosition; reason: string } {
  const { mark, reason, message } = (error ?? {}) as { mark?: { line?: unknown; column?: unknown }; reason?: unknown; message?: unknown };
  const line = typeof mark?.line === 'number' ? mark.line + 1 : 1;
  const column = typeof mark?.column === 'number' ? mark.column + 1 : 1;
  const text = typeof reason === 'string' ? reason : typeof message === 'string' ? message : String(error);
  return { at: { line, column }, reason: text.split('\n', 1)[0] ?? '' };
}

interface Metadata {
  readonly version: number;
  readonly cacheKey: string | undefined;
}

function readMetadata(input: LockfileInput, data: Entries, at: TextPosition): Metadata {
  const metadata = data['__metadata'];
  const version = isRecord(metadata) ? metadata['version'] : undefined;
  const number = typeof version === 'string' && /^\d+$/.test(version) ? Number(version) : undefined;
  if (number === undefined || number < OLDEST_VERSION || number > NEWEST_VERSION) {
    const found = version === undefined ? 'has no __metadata.version' : `has __metadata.version ${JSON.stringify(version)}`;
    throw new UnsupportedLockfileError(
      `${input.path}:${at.line}:${at.column}: ${found}; pkgguard reads yarn Berry lockfile versions ${OLDEST_VERSION} to ${NEWEST_VERSION}`,
      { hints: [regenerateHint('berry'), ...(number !== undefined && number > NEWEST_VERSION ? ['a newer lockfile version needs a newer pkgguard'] : [])] },
    );
  }
  const cacheKey = isRecord(metadata) ? metadata['cacheKey'] : undefined;
  return { version: number, cacheKey: typeof cacheKey === 'string' ? cacheKey : undefined };
}

/** An entry being checked: what errors name it by and where they point. */
interface EntryAt {
  readonly input: LockfileInput;
  readonly key: string;
  readonly at: TextPosition;
}

// The checks are module functions rather than closures made per entry: thousands of entries
// are checked in a cold process, and the error label is only built when one fails.
function entryError(entry: EntryAt, message: string): LockfileParseError {
  return lockfileError(entry.input, 'berry', entry.at, `entry "${entry.key}": ${message}`);
}

function optionalText(entry: EntryAt, value: Entries, field: string): string | undefined {
  const text = value[field];
  if (typeof text === 'string' || text === undefined) return text;
  throw entryError(entry, `"${field}" must be a string, found ${describeType(text)}`);
}

function requiredText(entry: EntryAt, value: Entries, field: string): string {
  const text = optionalText(entry, value, field);
  if (text === undefined) throw entryError(entry, `has no "${field}"`);
  return text;
}

/** A mapping of name: range as name, range pairs, in its own order. */
function stringPairs(entry: EntryAt, value: Entries, field: string): string[] | undefined {
  const map = value[field];
  if (map === undefined) return undefined;
  if (!isRecord(map)) throw entryError(entry, `"${field}" must be a mapping of name: range, found ${describeType(map)}`);
  const pairs: string[] = [];
  for (const name in map) {
    const range = map[name];
    if (typeof range !== 'string') throw entryError(entry, `${field}.${name} must be a range string, found ${describeType(range)}`);
    pairs.push(name, range);
  }
  return pairs;
}

/** The names a meta mapping marks optional: Berry writes 'true' (the failsafe schema reads every scalar as a string). */
function optionalNames(entry: EntryAt, value: Entries, field: string): Set<string> | undefined {
  const map = value[field];
  if (map === undefined) return undefined;
  if (!isRecord(map)) throw entryError(entry, `"${field}" must be a mapping, found ${describeType(map)}`);
  let names: Set<string> | undefined;
  for (const name in map) {
    const meta = map[name];
    if (!isRecord(meta)) throw entryError(entry, `${field}.${name} must be a mapping, found ${describeType(meta)}`);
    if (meta['optional'] === 'true' || meta['optional'] === true) (names ??= new Set()).add(name);
  }
  return names;
}

function checkEntry(entry: EntryAt, descriptors: string[], value: unknown): BerryEntry {
  if (!isRecord(value)) throw entryError(entry, `must be a mapping, found ${describeType(value)}`);
  // In this order, so a file with several faults reports the same one as before.
  const resolution = requiredText(entry, value, 'resolution');
  const version = requiredText(entry, value, 'version');
  const checksum = optionalText(entry, value, 'checksum');
  const soft = optionalText(entry, value, 'linkType') === 'soft';
  const dependencies = stringPairs(entry, value, 'dependencies');
  const optionalDependencies = stringPairs(entry, value, 'optionalDependencies');
  const peerDependencies = stringPairs(entry, value, 'peerDependencies');
  const optional = optionalNames(entry, value, 'dependenciesMeta');
  const peerOptional = optionalNames(entry, value, 'peerDependenciesMeta');
  const { at } = entry;
  const location = { file: entry.input.path, line: at.line, column: at.column };
  return { descriptors, resolution, version, checksum, soft, dependencies, optionalDependencies, peerDependencies, optional, peerOptional, location };
}

async function parseYarnBerry(input: LockfileWithManifests): Promise<DependencyGraph> {
  const text = stripBom(input.text);
  assertNoMergeConflict(input, 'berry', text);
  // Each fast step declines what it does not know: the entries then come from the data checked
  // entry by entry (which words their errors), read by parseSyml when the scan declined (which
  // words syntax errors).
  const lines = scanBerrySyml(text);
  const read =
    (lines && berryEntries(lines, input.path)) ??
    checkedEntries(input, lines ? symlData(lines) : { data: await loadSyml(input, text), index: indexEntryHeaders(text) });
  const metadata = readMetadata(input, { __metadata: read.metadata }, read.metadataAt);
  const lockfileDir = path.dirname(input.absolutePath).replace(/\\/g, '/');
  return buildBerryGraph({
    lockfile: { path: input.path, format: 'yarn-berry', formatVersion: String(metadata.version) },
    cacheKey: metadata.cacheKey,
    rootName: nameFromFolder(lockfileDir),
    entries: read.entries,
    entryOf: read.entryOf,
    manifests: input.manifests,
  });
}

/**
 * The entries of a file the fast reader's lines do not cover (see yarn-berry-entries.ts), from
 * the data as parseSyml reads it: every entry checked in turn, so an error names the first bad one.
 */
function checkedEntries(input: LockfileInput, { data, index }: { data: Entries; index: ReadonlyMap<string, TextPosition> }): BerryRead {
  // A key's own header, or else the first header naming its first descriptor.
  const positionOf = (key: string, descriptors: readonly string[]): TextPosition => index.get(key) ?? index.get(descriptors[0] ?? key) ?? FIRST_LINE;
  const metadataAt = positionOf('__metadata', ['__metadata']);
  // The metadata is checked before any entry, as it always was.
  readMetadata(input, data, metadataAt);
  const entries: BerryEntry[] = [];
  const entryOf = new EntryIndex();
  for (const key in data) {
    if (key === '__metadata') continue;
    const descriptors = splitKey(key);
    for (const descriptor of descriptors) entryOf.set(descriptor, entries.length);
    entries.push(checkEntry({ input, key, at: positionOf(key, descriptors) }, descriptors, data[key]));
  }
  return { metadata: data['__metadata'], metadataAt, entries, entryOf };
}

const yarnBerryParser: LockfileParser = {
  format: 'yarn-berry',
  filenames: ['yarn.lock'],
  accepts: (input) => isBerryLockfile(input.text),
  parse: parseYarnBerry,
};

export default yarnBerryParser;
