/**
 * @file yarn classic lockfiles: yarn.lock v1, as yarn 1 writes it (and as npm 7+ writes it
 * beside package-lock.json: every key quoted, no header comment).
 *
 * yarn-classic-reader.ts reads the syntax in one pass that also records each entry's
 * position; this file checks the value types and yarn-classic-graph.ts builds the graph.
 * A yarn.lock with a `__metadata` block is Berry's (yarn-berry.ts).
 *
 * The project's package.json files are not in yarn.lock; the loader (index.ts) hands them over
 * as `manifests`, so workspaces become importers (see yarn-classic-graph.ts).
 *
 * Failures are LockfileParseError / UnsupportedLockfileError whose one-line message starts
 * with `<file>:<line>:<column>:`, plus a hint naming the yarn command that rewrites the file.
 */
import path from 'node:path';
import { UnsupportedLockfileError } from '../core/errors.ts';
import type { DependencyGraph } from '../core/graph.ts';
import type { LockfileInput, LockfileParser } from '../core/parser.ts';
import type { LockfileWithManifests } from './manifest.ts';
import { nameFromFolder } from './npm-locations.ts';
import { buildClassicGraph, type CheckedClassicEntry } from './yarn-classic-graph.ts';
import { ClassicSyntaxError, readClassicLockfile, type ClassicEntry, type ClassicObject, type ClassicValue } from './yarn-classic-reader.ts';
import { assertNoMergeConflict, describeType, isBerryLockfile, lockfileError, regenerateHint, stripBom } from './yarn-errors.ts';

const SUPPORTED_VERSION = 1;

function read(input: LockfileInput, text: string): ReturnType<typeof readClassicLockfile> {
  try {
    return readClassicLockfile(text);
  } catch (error) {
    if (!(error instanceof ClassicSyntaxError)) throw error;
    throw lockfileError(input, 'classic', error, error.message);
  }
}

/**
 * The entry with its field types checked. Runs once per entry, so nothing is built for the
 * error path (the label, the closures) unless a check fails.
 */
function checkEntry(input: LockfileInput, entry: ClassicEntry): CheckedClassicEntry {
  const version = optionalText(input, entry, 'version') ?? failEntry(input, entry, 'has no "version"');
  return {
    descriptors: entry.descriptors,
    version,
    resolved: optionalText(input, entry, 'resolved'),
    integrity: optionalText(input, entry, 'integrity'),
    dependencies: block(input, entry, 'dependencies'),
    optionalDependencies: block(input, entry, 'optionalDependencies'),
    location: { file: input.path, line: entry.line, column: entry.column },
  };
}

function failEntry(input: LockfileInput, entry: ClassicEntry, message: string): never {
  throw lockfileError(input, 'classic', { line: entry.line, column: entry.column }, `entry "${entry.descriptors.join(', ')}": ${message}`);
}

function optionalText(input: LockfileInput, entry: ClassicEntry, field: string): string | undefined {
  const value = entry.fields.get(field);
  if (typeof value === 'string' || value === undefined) return value;
  return failEntry(input, entry, `"${field}" must be a string, found ${describeType(value)}`);
}

function block(input: LockfileInput, entry: ClassicEntry, field: string): ClassicObject | undefined {
  const value: ClassicValue | undefined = entry.fields.get(field);
  if (value === undefined) return undefined;
  if (typeof value !== 'object') return failEntry(input, entry, `"${field}" must be a block of name "range" lines, found ${describeType(value)}`);
  value.forEach((range, name) => {
    if (typeof range !== 'string') failEntry(input, entry, `${field}.${name} must be a range string, found ${describeType(range)}`);
  });
  return value;
}

function parseYarnClassic(input: LockfileWithManifests): DependencyGraph {
  const text = stripBom(input.text);
  assertNoMergeConflict(input, 'classic', text);
  const { entries, lockfileVersion } = read(input, text);
  if (lockfileVersion !== undefined && lockfileVersion !== SUPPORTED_VERSION) {
    throw new UnsupportedLockfileError(
      `${input.path}:1:1: says "yarn lockfile v${lockfileVersion}"; pkgguard reads yarn classic lockfile v${SUPPORTED_VERSION}`,
      { hints: [regenerateHint('classic'), 'a newer lockfile version needs a newer pkgguard'] },
    );
  }
  const lockfileDir = path.dirname(input.absolutePath).replace(/\\/g, '/');
  return buildClassicGraph({
    lockfile: { path: input.path, format: 'yarn-classic', formatVersion: String(SUPPORTED_VERSION) },
    rootName: nameFromFolder(lockfileDir),
    entries: entries.map((entry) => checkEntry(input, entry)),
    manifests: input.manifests,
  });
}

const yarnClassicParser: LockfileParser = {
  format: 'yarn-classic',
  filenames: ['yarn.lock'],
  // A substring search first: the line-anchored regex costs ~10 ms on a 2 MB classic file, and
  // a classic file almost never holds the word at all.
  accepts: (input) => !(input.text.includes('__metadata') && isBerryLockfile(input.text)),
  // Parsing is synchronous; a throw must still reach callers as a rejection.
  parse: (input: LockfileWithManifests) => new Promise((resolve) => resolve(parseYarnClassic(input))),
};

export default yarnClassicParser;
