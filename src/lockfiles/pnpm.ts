/**
 * @file pnpm lockfiles: pnpm-lock.yaml, lockfileVersion 5.x (and the older 3 and 4 of the same
 * shape), 6.x and 9.0, including the two-document files of a pnpm that pins itself (an
 * environment document, then the lockfile proper: only the last document is the project's).
 *
 * Reading: the text goes to pnpm-yaml.ts, a reader for the YAML style pnpm writes; only when
 * the text leaves that style is js-yaml loaded (lazily, so other formats never pay for it) to
 * parse it or to name the syntax error. Chosen by numbers, on ../shared/bench/sink/pnpm (2,252
 * entries, 736 kB), CPU of a cold process: the reader ~110 ms, js-yaml ~155 ms (with its
 * require), the `yaml` package ~1,000 ms; on a 2.8 MB lockfile 165 vs 220 ms. The reader is
 * checked against js-yaml (test/lockfiles/pnpm-yaml.test.ts, pnpm-fuzz.test.ts).
 * Node positions are recorded by the reader on its way through the lines (the same index
 * locate/yaml.ts builds in a pass of its own, which js-yaml's documents still take), for the
 * sections whose keys become nodes; v9 snapshot keys are indexed only when an error or an
 * orphan snapshot asks. The graph comes from pnpm-graph.ts.
 *
 * Failures are LockfileParseError / UnsupportedLockfileError whose one-line message starts
 * with `<file>:<line>:<column>:`, plus a hint naming the command that rewrites the file.
 */
import path from 'node:path';
import { LockfileParseError, UnsupportedLockfileError } from '../core/errors.ts';
import type { DependencyGraph } from '../core/graph.ts';
import type { LockfileInput, LockfileParser } from '../core/parser.ts';
import { isRecord } from './json-value.ts';
import { indexYamlKeys, type YamlKeyIndex } from './locate/yaml.ts';
import { positionAt, type TextPosition } from './locate/position.ts';
import { findMergeConflictMarker } from './merge-conflict.ts';
import { nameFromFolder } from './npm-locations.ts';
import { keyStyleOf } from './pnpm-dep-path.ts';
import { describe, REGENERATE_HINT, type KeyPositions } from './pnpm-entries.ts';
import { buildPnpmGraph } from './pnpm-graph.ts';
import { readPnpmYamlIndexed } from './pnpm-yaml.ts';

/** Sections whose key positions every parse needs: each importer and package becomes a node there. */
const SECTIONS = ['importers', 'packages'];
/** Sections whose key positions only errors and rare entries need (locate/yaml.ts indexes them then). */
const LATE_SECTIONS = ['snapshots'];
/** Fields pnpm writes in `packages`/`snapshots` entries that no node is made of: the reader keeps no value for them. */
const UNREAD_FIELDS: ReadonlySet<string> = new Set([
  'engines',
  'cpu',
  'os',
  'libc',
  'deprecated',
  'hasBin',
  'prepare',
  'requiresBuild',
  'bundledDependencies',
  'bundleDependencies',
  'transitivePeerDependencies',
]);

async function parsePnpmLockfile(input: LockfileInput): Promise<DependencyGraph> {
  const text = input.text.charCodeAt(0) === 0xfeff ? input.text.slice(1) : input.text;
  const conflict = findMergeConflictMarker(text);
  if (conflict) {
    throw new LockfileParseError(
      `${input.path}:${conflict.line}:1: unresolved git merge conflict (a "${conflict.marker}" marker)`,
      { hints: ['resolve it: pnpm install --lockfile-only merges a conflicted pnpm-lock.yaml by itself'] },
    );
  }
  // The reader also records the key positions; js-yaml's documents get them from a pass of their own.
  const read = readPnpmYamlIndexed(text, SECTIONS, UNREAD_FIELDS);
  const documents = read?.documents ?? (await loadWithJsYaml(input, text));
  const lockfileDir = path.dirname(input.absolutePath).replace(/\\/g, '/');
  const rootName = nameFromFolder(lockfileDir);
  // The last document is the lockfile; one before it is the environment pnpm installs itself from.
  const document = documents.findLast((candidate) => candidate !== null && candidate !== undefined);
  if (document === undefined) {
    // Empty, or comments only: a project with nothing locked yet.
    const lockfile = { path: input.path, format: 'pnpm' as const, formatVersion: '' };
    return buildPnpmGraph({ lockfile, style: 'v9', document: {}, rootName, positions: keyPositions(indexYamlKeys('', []), '') });
  }
  if (!isRecord(document)) {
    const at = firstContentPosition(text);
    throw new LockfileParseError(`${input.path}:${at.line}:${at.column}: expected a mapping at the top level, found ${describe(document)}`, {
      hints: [REGENERATE_HINT],
    });
  }
  const positions = keyPositions(read?.keys ?? indexYamlKeys(text, SECTIONS), text);
  const version = document['lockfileVersion'];
  const style = keyStyleOf(version);
  if (style === undefined) {
    const at = positions.topLevel.get('lockfileVersion') ?? { line: 1, column: 1 };
    const found = version === undefined ? 'has no "lockfileVersion"' : `has lockfileVersion ${JSON.stringify(version)}`;
    const newer = (typeof version === 'number' || typeof version === 'string') && Number.parseFloat(String(version)) > 9;
    throw new UnsupportedLockfileError(`${input.path}:${at.line}:${at.column}: ${found}; pkgguard reads pnpm lockfileVersion 5.x, 6.x and 9.0`, {
      hints: [`${REGENERATE_HINT} (pnpm 8 writes 6.0, pnpm 9 and later 9.0)`, ...(newer ? ['a newer lockfileVersion needs a newer pkgguard'] : [])],
    });
  }
  return buildPnpmGraph({
    lockfile: { path: input.path, format: 'pnpm', formatVersion: String(version) },
    style,
    document,
    rootName,
    positions,
  });
}

/** The recorded positions, plus LATE_SECTIONS's indexed from the text on first use. */
function keyPositions(index: YamlKeyIndex, text: string): KeyPositions {
  let late: YamlKeyIndex | undefined;
  return {
    topLevel: index.topLevel,
    section: (name) => index.sections.get(name) ?? (LATE_SECTIONS.includes(name) ? (late ??= indexYamlKeys(text, LATE_SECTIONS)).sections.get(name) : undefined),
  };
}

/** The general parser, for text outside pnpm's own style; it also names every syntax error. */
async function loadWithJsYaml(input: LockfileInput, text: string): Promise<unknown[]> {
  const yaml = await import('js-yaml');
  try {
    return yaml.loadAll(text);
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      // js-yaml reads the text with a line break appended; an error at the very end is at the text's end.
      const { line, column } = positionAt(text, Math.min(error.mark.position, text.length));
      throw new LockfileParseError(`${input.path}:${line}:${column}: ${oneLine(error.reason)}`, {
        cause: error,
        hints: [`${input.path} is not valid YAML; ${REGENERATE_HINT}`],
      });
    }
    // js-yaml recurses per nesting level; only a hostile file nests deep enough to exhaust the stack.
    if (error instanceof RangeError) {
      throw new LockfileParseError(`${input.path}:1:1: the YAML nests too deeply to read`, { cause: error, hints: [REGENERATE_HINT] });
    }
    throw error;
  }
}

/** A reason on one line: control characters from the file spelled out. */
function oneLine(reason: string): string {
  return reason.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) || 'invalid YAML';
}

/** Position of the first character that is neither blank nor part of a comment line. */
function firstContentPosition(text: string): TextPosition {
  const match = /^[ \t]*(?!#|---|\s|$)/m.exec(text);
  if (!match) return { line: 1, column: 1 };
  const before = text.slice(0, match.index);
  const line = before.split('\n').length;
  return { line, column: match[0].length + 1 };
}

const pnpmParser: LockfileParser = {
  format: 'pnpm',
  filenames: ['pnpm-lock.yaml'],
  accepts: () => true,
  parse: parsePnpmLockfile,
};

export default pnpmParser;
