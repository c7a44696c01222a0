/**
 * @file npm lockfiles: package-lock.json and npm-shrinkwrap.json, lockfileVersion 1, 2 and 3.
 *
 * v2 and v3 carry npm's own `packages` map (install location → entry), which npm-graph.ts
 * reads directly with arborist's semantics; arborist itself is not loaded for them because
 * requiring it costs more than the whole rest of an audit. v1 has only the nested
 * `dependencies` tree, which npm-v1.ts converts with npm's own code. Every node's location
 * comes from one pass of locate/json.ts over the text.
 *
 * Failures are LockfileParseError / UnsupportedLockfileError whose one-line message starts
 * with `<file>:<line>:<column>:`, plus hints naming the command that fixes the file.
 */
import path from 'node:path';
import { LockfileParseError, UnsupportedLockfileError } from '../core/errors.ts';
import type { DependencyGraph, SourceLocation } from '../core/graph.ts';
import type { LockfileInput, LockfileParser } from '../core/parser.ts';
import { describeJsonParseError, indexPackageLockKeys, locateJsonParseError, MAX_V1_TREE_DEPTH } from './locate/json.ts';
import { positionAt, type TextPosition } from './locate/position.ts';
import { asString, isRecord } from './json-value.ts';
import { findMergeConflictMarker } from './merge-conflict.ts';
import { buildNpmGraph, type NpmEntry } from './npm-graph.ts';
import { nameFromFolder } from './npm-locations.ts';
import { convertV1Lockfile } from './npm-v1.ts';

const SUPPORTED_VERSIONS = [1, 2, 3] as const;
const REGENERATE_HINT = 'regenerate it with: npm install --package-lock-only';

const FIRST_LINE: TextPosition = { line: 1, column: 1 };

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseJson(input: LockfileInput, text: string): unknown {
  const conflict = findMergeConflictMarker(text);
  if (conflict) {
    throw new LockfileParseError(
      `${input.path}:${conflict.line}:1: unresolved git merge conflict (a "${conflict.marker}" marker)`,
      {
        hints: [
          'resolve the conflict: npm install --package-lock-only merges conflicted package-lock files by itself',
          `or take one side and reinstall: git checkout --theirs ${input.path} && npm install --package-lock-only`,
        ],
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column } = locateJsonParseError(text, error);
    throw new LockfileParseError(`${input.path}:${line}:${column}: ${describeJsonParseError(error)}`, {
      cause: error,
      hints: [`${input.path} is not valid JSON; ${REGENERATE_HINT}`],
    });
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function firstValuePosition(text: string): TextPosition {
  return positionAt(text, text.search(/\S/));
}

function checkVersion(input: LockfileInput, data: Readonly<Record<string, unknown>>, at: TextPosition): 1 | 2 | 3 {
  const version = data['lockfileVersion'];
  const supported = SUPPORTED_VERSIONS.find((candidate) => candidate === version);
  if (supported !== undefined) return supported;
  const found = version === undefined ? 'has no "lockfileVersion"' : `has lockfileVersion ${JSON.stringify(version)}`;
  throw new UnsupportedLockfileError(
    `${input.path}:${at.line}:${at.column}: ${found}; pkgguard reads npm lockfileVersion ${SUPPORTED_VERSIONS.join(', ')}`,
    {
      hints: [
        `${REGENERATE_HINT} (npm 7 or later writes lockfileVersion 2 or 3)`,
        ...(typeof version === 'number' && version > 3 ? ['a newer lockfileVersion needs a newer pkgguard'] : []),
      ],
    },
  );
}

function entryError(input: LockfileInput, at: TextPosition, message: string): LockfileParseError {
  return new LockfileParseError(`${input.path}:${at.line}:${at.column}: ${message}`, { hints: [REGENERATE_HINT] });
}

/** The `packages` map as entries in lockfile order, every entry checked to be an object. */
function readPackagesMap(
  input: LockfileInput,
  packages: unknown,
  keyAt: (key: string) => TextPosition,
  packagesAt: TextPosition,
): Map<string, NpmEntry> {
  if (!isRecord(packages)) {
    throw entryError(input, packagesAt, `"packages" must be an object, found ${describeType(packages)}`);
  }
  const entries = new Map<string, NpmEntry>();
  for (const [key, entry] of Object.entries(packages)) {
    if (!isRecord(entry)) {
      throw entryError(input, keyAt(key), `packages[${JSON.stringify(key)}] must be an object, found ${describeType(entry)}`);
    }
    entries.set(key, entry);
  }
  return entries;
}

/**
 * v1: every entry of the `dependencies` tree, and every nested `dependencies`, must be an
 * object, and the tree must not nest absurdly deep (real ones stay under a few dozen levels;
 * npm's own conversion recurses per level).
 */
function checkV1Tree(input: LockfileInput, tree: unknown, treeAt: ReadonlyMap<string, TextPosition>, dependenciesAt: TextPosition): void {
  const walk = (dependencies: unknown, base: string, at: TextPosition, label: string, depth: number): void => {
    if (!isRecord(dependencies)) throw entryError(input, at, `${label} must be an object, found ${describeType(dependencies)}`);
    if (depth >= MAX_V1_TREE_DEPTH) throw entryError(input, at, `the "dependencies" tree nests deeper than ${MAX_V1_TREE_DEPTH} levels`);
    for (const [name, lock] of Object.entries(dependencies)) {
      const location = `${base}node_modules/${name}`;
      const lockAt = treeAt.get(location) ?? at;
      const entryLabel = `${label}[${JSON.stringify(name)}]`;
      if (!isRecord(lock)) throw entryError(input, lockAt, `${entryLabel} must be an object, found ${describeType(lock)}`);
      if (lock['dependencies'] !== undefined) walk(lock['dependencies'], `${location}/`, lockAt, `${entryLabel}.dependencies`, depth + 1);
    }
  };
  walk(tree, '', dependenciesAt, '"dependencies"', 0);
}

async function parseNpmLockfile(input: LockfileInput): Promise<DependencyGraph> {
  const text = stripBom(input.text);
  const data = parseJson(input, text);
  if (!isRecord(data)) {
    const at = firstValuePosition(text);
    throw entryError(input, at, `expected a JSON object at the top level, found ${describeType(data)}`);
  }
  const usesPackagesMap = data['packages'] !== undefined;
  const isV1Tree = !usesPackagesMap && data['dependencies'] !== undefined;
  const index = indexPackageLockKeys(text, { packages: usesPackagesMap, dependencies: isV1Tree });
  const topAt = (key: string): TextPosition => index.topLevel.get(key) ?? FIRST_LINE;
  const version = checkVersion(input, data, topAt('lockfileVersion'));

  const lockfile = { path: input.path, format: 'npm' as const, formatVersion: String(version) };
  const lockfileDir = path.dirname(input.absolutePath);
  const rootName = asString(data['name']) ?? nameFromFolder(lockfileDir.replace(/\\/g, '/'));
  const rootVersion = asString(data['version']) ?? '';
  const toLocation = (at: TextPosition = FIRST_LINE): SourceLocation => ({ file: input.path, line: at.line, column: at.column });

  // Like arborist, the presence of `packages` decides the reader, not the version number.
  if (isV1Tree) {
    checkV1Tree(input, data['dependencies'], index.dependencies, topAt('dependencies'));
    const converted = await convertV1Lockfile(text, data, lockfileDir, index.dependencies);
    return buildNpmGraph({
      lockfile,
      entries: converted.entries,
      rootName,
      rootVersion,
      locate: (key) => toLocation(converted.positions.get(key)),
    });
  }
  const packageAt = (key: string): TextPosition => index.packages.get(key) ?? topAt('packages');
  const entries = usesPackagesMap ? readPackagesMap(input, data['packages'], packageAt, topAt('packages')) : new Map<string, NpmEntry>();
  return buildNpmGraph({
    lockfile,
    entries,
    rootName,
    rootVersion,
    locate: (key) => toLocation(index.packages.get(key)),
  });
}

const npmParser: LockfileParser = {
  format: 'npm',
  // Detection order: npm uses npm-shrinkwrap.json when both files exist.
  filenames: ['npm-shrinkwrap.json', 'package-lock.json'],
  accepts: () => true,
  parse: parseNpmLockfile,
};

export default npmParser;
