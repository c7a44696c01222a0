/**
 * @file yarn Berry lockfiles (yarn 2, 3 and 4): yarn.lock with a `__metadata` block, whose
 * `version` is the lockfile format (4 from yarn 2.0 up to 10 from yarn 4.14).
 *
 * The text is YAML. yarn-berry-syml.ts reads the style yarn writes, with the positions of the
 * entry headers, in one pass; any other text goes to `@yarnpkg/parsers`' parseSyml, yarn's own
 * reader (js-yaml with the failsafe schema: every scalar is a string), loaded only then, and
 * entry positions come from one scan of the header lines (locate/yarn.ts). Both paths give the
 * same data and positions. The value types are checked here and yarn-berry-graph.ts builds the
 * graph. `languageName`, `bin`, `conditions` (the os/cpu a platform package is for) and
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
import { readBerrySyml } from './yarn-berry-syml.ts';
import type { LockfileWithManifests } from './manifest.ts';
import { nameFromFolder } from './npm-locations.ts';
import { buildBerryGraph, type CheckedBerryEntry, type MetaMap, type StringMap } from './yarn-berry-graph.ts';
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

/** The descriptors of an entry key; nearly every key holds just one. */
function splitKey(key: string): string[] {
  if (!key.includes(',')) return [key.trim()];
  return key.split(',').map((part) => part.trim()).filter((part) => part !== '');
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

function stringMap(entry: EntryAt, value: Entries, field: string): StringMap | undefined {
  const map = value[field];
  if (map === undefined) return undefined;
  if (!isRecord(map)) throw entryError(entry, `"${field}" must be a mapping of name: range, found ${describeType(map)}`);
  for (const name in map) if (typeof map[name] !== 'string') throw entryError(entry, `${field}.${name} must be a range string, found ${describeType(map[name])}`);
  return map as StringMap;
}

function metaMap(entry: EntryAt, value: Entries, field: string): MetaMap | undefined {
  const map = value[field];
  if (map === undefined) return undefined;
  if (!isRecord(map)) throw entryError(entry, `"${field}" must be a mapping, found ${describeType(map)}`);
  for (const name in map) if (!isRecord(map[name])) throw entryError(entry, `${field}.${name} must be a mapping, found ${describeType(map[name])}`);
  return map as MetaMap;
}

function checkEntry(entry: EntryAt, descriptors: string[], value: unknown): CheckedBerryEntry {
  if (!isRecord(value)) throw entryError(entry, `must be a mapping, found ${describeType(value)}`);
  // In this order, so a file with several faults reports the same one as before.
  const resolution = requiredText(entry, value, 'resolution');
  const version = requiredText(entry, value, 'version');
  const { at } = entry;
  return {
    descriptors,
    resolution,
    version,
    checksum: optionalText(entry, value, 'checksum'),
    linkType: optionalText(entry, value, 'linkType'),
    dependencies: stringMap(entry, value, 'dependencies'),
    optionalDependencies: stringMap(entry, value, 'optionalDependencies'),
    peerDependencies: stringMap(entry, value, 'peerDependencies'),
    dependenciesMeta: metaMap(entry, value, 'dependenciesMeta'),
    peerDependenciesMeta: metaMap(entry, value, 'peerDependenciesMeta'),
    location: { file: entry.input.path, line: at.line, column: at.column },
  };
}

async function parseYarnBerry(input: LockfileWithManifests): Promise<DependencyGraph> {
  const text = stripBom(input.text);
  assertNoMergeConflict(input, 'berry', text);
  // The fast reader declines whatever it does not know; parseSyml then reads it and reports its errors.
  const { data, index } = readBerrySyml(text) ?? { data: await loadSyml(input, text), index: indexEntryHeaders(text) };
  // A key's own header, or else the first header naming its first descriptor.
  const positionOf = (key: string, descriptors: readonly string[]): TextPosition => index.get(key) ?? index.get(descriptors[0] ?? key) ?? FIRST_LINE;
  const metadata = readMetadata(input, data, positionOf('__metadata', ['__metadata']));
  const entries: CheckedBerryEntry[] = [];
  for (const key in data) {
    if (key === '__metadata') continue;
    const descriptors = splitKey(key);
    entries.push(checkEntry({ input, key, at: positionOf(key, descriptors) }, descriptors, data[key]));
  }
  const lockfileDir = path.dirname(input.absolutePath).replace(/\\/g, '/');
  return buildBerryGraph({
    lockfile: { path: input.path, format: 'yarn-berry', formatVersion: String(metadata.version) },
    cacheKey: metadata.cacheKey,
    rootName: nameFromFolder(lockfileDir),
    entries,
    manifests: input.manifests,
  });
}

const yarnBerryParser: LockfileParser = {
  format: 'yarn-berry',
  filenames: ['yarn.lock'],
  accepts: (input) => isBerryLockfile(input.text),
  parse: parseYarnBerry,
};

export default yarnBerryParser;
