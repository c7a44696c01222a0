/**
 * @file bun lockfiles: the text bun.lock, lockfileVersion 0 (bun 1.1.39+, opt-in), 1 (bun 1.2
 * and 1.3, the default) and 2 (bun 1.4: the same content as 1, with stricter checks in bun's
 * own reader), plus a clear refusal of the binary bun.lockb.
 *
 * bun.lock is JSON with trailing commas. No JSONC library is loaded: the trailing commas are
 * blanked with one regex, native `JSON.parse` reads the result, and one walk over it records
 * key positions (locate/bun.ts). Anything that path refuses (comments, malformed text) goes
 * through `scanBunLock`, which blanks every comment and trailing comma and decides the error
 * and its position. Measured in-process on the 2,658-entry bench lockfile (650 kB, median of
 * 30, warm), before the fast path: scan plus JSON.parse 5.6 ms (positions included), the regex
 * strip most tools use 4.0 ms (but it corrupts strings holding ", }"), jsonc-parser 9.8 ms and
 * json5 120 ms for the parse alone. Cold, in a whole `audit` run, the scan cost more than
 * JSON.parse: the fast path is for the first run, which is the only one a CLI gets.
 *
 * Files in the shape bun writes go faster still: their `packages` section is read off its lines
 * (bun-entries.ts, which builds the graph's nodes without a JSON tree: ≈ 6.7 MB of objects on a
 * 7,800-entry file that the collector otherwise copied) and only the text around it goes through
 * JSON.parse and the checks below. Any doubt about the section, and any failure, reads the whole
 * file the checked way, so errors and their positions are the checked path's.
 *
 * Failures are LockfileParseError / UnsupportedLockfileError whose one-line message starts
 * with `<file>:<line>:<column>:`, plus hints naming the command that rewrites the file.
 */
import path from 'node:path';
import { LockfileParseError, UnsupportedLockfileError } from '../core/errors.ts';
import type { DependencyGraph, SourceLocation } from '../core/graph.ts';
import type { LockfileInput, LockfileParser } from '../core/parser.ts';
import { locateBunKeys, scanBunLock, stripTrailingCommas } from './locate/bun.ts';
import { describeJsonParseError, locateJsonParseError } from './locate/json.ts';
import { positionAt, type TextPosition } from './locate/position.ts';
import { isRecord } from './json-value.ts';
import { findMergeConflictMarker } from './merge-conflict.ts';
import { buildBunGraph } from './bun-graph.ts';
import { readBunEntries } from './bun-entries.ts';
import { describeType, readBunLock, type BunLockContents } from './bun-read.ts';
import { nameFromFolder } from './npm-locations.ts';

const SUPPORTED_VERSIONS = [0, 1, 2] as const;
const REGENERATE_HINT = 'regenerate it with: bun install --lockfile-only';
const BINARY_LOCKFILE = 'bun.lockb';
/** bun.lockb starts with this line (it is executable, printing itself as a yarn.lock). */
const BINARY_MAGIC = '#!/usr/bin/env bun';
const FIRST_LINE: TextPosition = { line: 1, column: 1 };

function fail(input: LockfileInput, at: TextPosition, message: string, hints: readonly string[] = [REGENERATE_HINT]): never {
  throw new LockfileParseError(`${input.path}:${at.line}:${at.column}: ${message}`, { hints });
}

function refuseBinary(input: LockfileInput): never {
  throw new UnsupportedLockfileError(`${input.path}: bun's binary lockfile format is not supported; pkgguard reads the text lockfile bun.lock`, {
    hints: [
      'convert it (bun writes bun.lock and removes bun.lockb): bun install --save-text-lockfile --lockfile-only',
      'bun 1.2 and later write bun.lock by default; when both files exist pkgguard reads bun.lock',
    ],
  });
}

/** The parsed file and where its keys are. */
interface ParsedBunLock {
  readonly data: unknown;
  readonly topLevel: ReadonlyMap<string, TextPosition>;
  readonly workspaces: ReadonlyMap<string, TextPosition>;
  /** Where the `index`-th key of `packages` (for-in order) is, when known. */
  packageAt(index: number, key: string): SourceLocation | undefined;
}

function parseJsonc(input: LockfileInput, text: string): ParsedBunLock {
  const conflict = findMergeConflictMarker(text);
  if (conflict) {
    fail(input, { line: conflict.line, column: 1 }, `unresolved git merge conflict (a "${conflict.marker}" marker)`, [
      'resolve the conflict in package.json, then rewrite the lockfile: bun install --lockfile-only',
      `or take one side and reinstall: git checkout --theirs ${input.path} && bun install --lockfile-only`,
    ]);
  }
  const json = stripTrailingCommas(text);
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return parseCarefully(input, text);
  }
  const keys = locateBunKeys(json, input.path);
  // Only a key the walk cannot vouch for (escaped, integer-like, repeated) needs the careful scan.
  let careful: ReadonlyMap<string, TextPosition> | undefined;
  return {
    data,
    topLevel: keys.topLevel,
    workspaces: keys.workspaces,
    packageAt: (index, key) => keys.packageAt(index, key) ?? locationOf(input, (careful ??= scanBunLock(text).packages).get(key)),
  };
}

/** Comments or a malformed file: `scanBunLock` blanks, and decides what is wrong and where. */
function parseCarefully(input: LockfileInput, text: string): ParsedBunLock {
  const scan = scanBunLock(text);
  try {
    const data: unknown = JSON.parse(scan.json);
    return { data, topLevel: scan.topLevel, workspaces: scan.workspaces, packageAt: (_index, key) => locationOf(input, scan.packages.get(key)) };
  } catch (error) {
    // The scan kept every offset, so a position in its output is a position in the file.
    const { line, column } = locateJsonParseError(scan.json, error);
    throw new LockfileParseError(`${input.path}:${line}:${column}: ${describeJsonParseError(error)}`, {
      cause: error,
      hints: [`${input.path} is not valid bun.lock JSON; ${REGENERATE_HINT}`],
    });
  }
}

function locationOf(input: LockfileInput, at: TextPosition | undefined): SourceLocation | undefined {
  return at && { file: input.path, line: at.line, column: at.column };
}

function checkVersion(input: LockfileInput, data: Readonly<Record<string, unknown>>, at: TextPosition): number {
  const version = data['lockfileVersion'];
  const supported = SUPPORTED_VERSIONS.find((candidate) => candidate === version);
  if (supported !== undefined) return supported;
  const found = version === undefined ? 'has no "lockfileVersion"' : `has lockfileVersion ${JSON.stringify(version)}`;
  throw new UnsupportedLockfileError(
    `${input.path}:${at.line}:${at.column}: ${found}; pkgguard reads bun.lock lockfileVersion ${SUPPORTED_VERSIONS.join(', ')}`,
    {
      hints: [
        REGENERATE_HINT,
        ...(typeof version === 'number' && version > SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]! ? ['a newer lockfileVersion needs a newer pkgguard'] : []),
      ],
    },
  );
}

/** The file read and checked; the parsed JSON is garbage once this returns, before the graph is built. */
function readBunLockfile(input: LockfileInput, text: string): { version: number; contents: BunLockContents } {
  const parsed = parseJsonc(input, text);
  const { data } = parsed;
  if (!isRecord(data)) {
    fail(input, positionAt(text, text.search(/\S/)), `expected a JSON object at the top level, found ${describeType(data)}`);
  }
  const version = checkVersion(input, data, parsed.topLevel.get('lockfileVersion') ?? FIRST_LINE);
  const sectionAt = locationOf(input, parsed.topLevel.get('packages')) ?? { file: input.path, ...FIRST_LINE };
  const contents = readBunLock(data, {
    topLevel: parsed.topLevel,
    workspaces: parsed.workspaces,
    packageAt: (index, key) => parsed.packageAt(index, key) ?? sectionAt,
    fail: (at, message) => fail(input, at, message),
  });
  return { version, contents };
}

/**
 * The file read with its `packages` section taken off the lines (bun-entries.ts) and the rest
 * parsed and checked as readBunLockfile does; undefined when the section is not in bun's shape.
 * Any failure rereads the whole file the checked way, which words the error.
 */
function readBunLockfileFast(input: LockfileInput, text: string): { version: number; contents: BunLockContents } | undefined {
  try {
    const entries = readBunEntries(text, input.path);
    if (!entries) return undefined;
    // The section's body cut out: the text around it parses as today, and its line numbers
    // past the section move up by the body's lines.
    const json = stripTrailingCommas(text.slice(0, entries.bodyStart) + text.slice(entries.bodyEnd));
    const data: unknown = JSON.parse(json);
    const keys = locateBunKeys(json, input.path);
    const sectionAt = keys.topLevel.get('packages');
    // The section read must be the top level's only "packages" (readBunEntries saw no other key of that name).
    if (!isRecord(data) || sectionAt?.line !== entries.line || sectionAt.column !== 3 || !isEmptyRecord(data['packages'])) return undefined;
    const shift = (at: TextPosition): TextPosition => (at.line > entries.line ? { line: at.line + entries.bodyLines, column: at.column } : at);
    const version = checkVersion(input, data, shift(keys.topLevel.get('lockfileVersion') ?? FIRST_LINE));
    const read = readBunLock(data, {
      topLevel: shiftAll(keys.topLevel, shift),
      workspaces: shiftAll(keys.workspaces, shift),
      packageAt: () => ({ file: input.path, ...sectionAt }),
      fail: (at, message) => fail(input, at, message),
    });
    return { version, contents: { workspaces: read.workspaces, packages: entries.packages, bundled: entries.bundled, links: entries.links } };
  } catch {
    return undefined;
  }
}

function isEmptyRecord(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const _key in value) return false;
  return true;
}

function shiftAll(positions: ReadonlyMap<string, TextPosition>, shift: (at: TextPosition) => TextPosition): ReadonlyMap<string, TextPosition> {
  return new Map(Array.from(positions, ([key, at]) => [key, shift(at)]));
}

export interface BunParseOptions {
  /** Read the `packages` section off its lines when it is in bun's shape (false: always the checked path; tests compare both). */
  readonly fast: boolean;
}

export function parseBunLockfile(input: LockfileInput, options: BunParseOptions = { fast: true }): DependencyGraph {
  const text = input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text;
  if (path.posix.basename(input.path) === BINARY_LOCKFILE || text.startsWith(BINARY_MAGIC)) refuseBinary(input);
  const { version, contents } = (options.fast ? readBunLockfileFast(input, text) : undefined) ?? readBunLockfile(input, text);
  return buildBunGraph({
    lockfile: { path: input.path, format: 'bun', formatVersion: String(version) },
    fallbackRootName: nameFromFolder(path.dirname(input.absolutePath).replace(/\\/g, '/')),
    workspaces: contents.workspaces,
    packages: contents.packages,
    bundled: contents.bundled,
    links: contents.links,
    location: (at) => ({ file: input.path, line: at.line, column: at.column }),
    fail: (at, message) => fail(input, at, message),
  });
}

const bunParser: LockfileParser = {
  format: 'bun',
  // bun.lock first: when both exist, bun.lock is read and bun.lockb ignored, as bun 1.2+ does.
  filenames: ['bun.lock', BINARY_LOCKFILE],
  accepts: () => true,
  // Synchronous work behind the async contract: a throw becomes a rejection, never escapes.
  parse: (input) => new Promise((resolve) => resolve(parseBunLockfile(input))),
};

export default bunParser;
