/**
 * @file bun lockfiles: the text bun.lock, lockfileVersion 0 (bun 1.1.39+, opt-in), 1 (bun 1.2
 * and 1.3, the default) and 2 (bun 1.4: the same content as 1, with stricter checks in bun's
 * own reader), plus a clear refusal of the binary bun.lockb.
 *
 * bun.lock is JSON with trailing commas. No JSONC library is loaded: one pass of
 * locate/bun.ts blanks trailing commas and comments and records key positions, then native
 * `JSON.parse` reads the result. Measured in-process on the 2,658-entry bench lockfile
 * (650 kB, median of 30): that pass plus JSON.parse 5.6 ms (positions included), the regex
 * strip most tools use 4.0 ms (but it corrupts strings holding ", }"), jsonc-parser 9.8 ms
 * and json5 120 ms for the parse alone.
 *
 * Failures are LockfileParseError / UnsupportedLockfileError whose one-line message starts
 * with `<file>:<line>:<column>:`, plus hints naming the command that rewrites the file.
 */
import path from 'node:path';
import { LockfileParseError, UnsupportedLockfileError } from '../core/errors.ts';
import type { DependencyGraph } from '../core/graph.ts';
import type { LockfileInput, LockfileParser } from '../core/parser.ts';
import { scanBunLock } from './locate/bun.ts';
import { describeJsonParseError, locateJsonParseError } from './locate/json.ts';
import { positionAt, type TextPosition } from './locate/position.ts';
import { isRecord } from './json-value.ts';
import { findMergeConflictMarker } from './merge-conflict.ts';
import { buildBunGraph } from './bun-graph.ts';
import { describeType, readBunLock } from './bun-read.ts';
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

function parseJsonc(input: LockfileInput, text: string): { data: unknown; scan: ReturnType<typeof scanBunLock> } {
  const conflict = findMergeConflictMarker(text);
  if (conflict) {
    fail(input, { line: conflict.line, column: 1 }, `unresolved git merge conflict (a "${conflict.marker}" marker)`, [
      'resolve the conflict in package.json, then rewrite the lockfile: bun install --lockfile-only',
      `or take one side and reinstall: git checkout --theirs ${input.path} && bun install --lockfile-only`,
    ]);
  }
  const scan = scanBunLock(text);
  try {
    return { data: JSON.parse(scan.json), scan };
  } catch (error) {
    // The scan kept every offset, so a position in its output is a position in the file.
    const { line, column } = locateJsonParseError(scan.json, error);
    throw new LockfileParseError(`${input.path}:${line}:${column}: ${describeJsonParseError(error)}`, {
      cause: error,
      hints: [`${input.path} is not valid bun.lock JSON; ${REGENERATE_HINT}`],
    });
  }
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

function parseBunLockfile(input: LockfileInput): DependencyGraph {
  const text = input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text;
  if (path.posix.basename(input.path) === BINARY_LOCKFILE || text.startsWith(BINARY_MAGIC)) refuseBinary(input);
  const { data, scan } = parseJsonc(input, text);
  if (!isRecord(data)) {
    fail(input, positionAt(text, text.search(/\S/)), `expected a JSON object at the top level, found ${describeType(data)}`);
  }
  const version = checkVersion(input, data, scan.topLevel.get('lockfileVersion') ?? FIRST_LINE);
  const failAt = (at: TextPosition, message: string): never => fail(input, at, message);
  const contents = readBunLock(data, { topLevel: scan.topLevel, workspaces: scan.workspaces, packages: scan.packages, fail: failAt });
  return buildBunGraph({
    lockfile: { path: input.path, format: 'bun', formatVersion: String(version) },
    fallbackRootName: nameFromFolder(path.dirname(input.absolutePath).replace(/\\/g, '/')),
    workspaces: contents.workspaces,
    packages: contents.packages,
    location: (at) => ({ file: input.path, line: at.line, column: at.column }),
    fail: failAt,
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
